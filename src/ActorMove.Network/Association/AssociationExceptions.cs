using ActorMove.Network.Pdu;

namespace ActorMove.Network.Association;

/// <summary>An association could not be established or ended abnormally.</summary>
public class DicomAssociationException : Exception
{
    public DicomAssociationException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>The association was rejected: by the peer (requestor side) or by our own policy (acceptor side).</summary>
public sealed class AssociationRejectedException : DicomAssociationException
{
    public AssociationRejectedException(AssociateReject reject, bool byPeer)
        : base($"Association rejected: {reject.Result} by {reject.Source}, {reject.ReasonText}")
    {
        Reject = reject;
        ByPeer = byPeer;
    }

    public AssociateReject Reject { get; }

    public bool ByPeer { get; }
}

/// <summary>
/// The association was aborted: the peer sent A-ABORT or closed the connection (<see cref="Abort"/> null), or we aborted
/// because of malformed or unexpected input.
/// </summary>
public sealed class AssociationAbortedException : DicomAssociationException
{
    public AssociationAbortedException(Abort? abort, bool byPeer, string message, Exception? inner = null)
        : base(message, inner)
    {
        Abort = abort;
        ByPeer = byPeer;
    }

    public Abort? Abort { get; }

    public bool ByPeer { get; }
}

/// <summary>An ACSE or ARTIM timer ran out (the connection has been closed).</summary>
public sealed class AssociationTimeoutException : DicomAssociationException
{
    public AssociationTimeoutException(string message, TimeSpan timeout) : base(message) => Timeout = timeout;

    public TimeSpan Timeout { get; }
}
