using ActorMove.Network.Pdu;

namespace ActorMove.Network.Association;

/// <summary>What happens on an established association, in the order it happened. The last event of a stream is never a <see cref="PdvReceived"/>.</summary>
public abstract record AssociationEvent;

/// <summary>
/// A fragment of a command or data set: a PDV, or a piece of one, as it arrived (a large PDV is handed over while the
/// rest of it is still on the wire; only the piece that ends a PDV carries its last-fragment bit). <see cref="Value"/>'s
/// data is a slice of the receive buffer: it is valid only until the consumer asks for the next event, so it must be
/// written out (or copied) before that.
/// </summary>
/// <param name="StartsValue">The piece is the first of its PDV (a PDV arrives in as many pieces as it takes reads).</param>
public sealed record PdvReceived(PresentationDataValue Value, bool StartsValue = true) : AssociationEvent;

/// <summary>The association was released in order; <see cref="ByPeer"/> when the peer asked first (we answered automatically).</summary>
public sealed record AssociationReleased(bool ByPeer) : AssociationEvent;

/// <summary>
/// The association was aborted: by the peer's A-ABORT (<see cref="ByPeer"/>), or by us, either on request or because the peer's
/// input was malformed or unexpected (then <see cref="Abort"/> is what we sent and <see cref="Detail"/> says why).
/// </summary>
public sealed record AssociationAborted(Abort Abort, bool ByPeer, string? Detail = null) : AssociationEvent;

/// <summary>The peer closed the TCP connection without A-RELEASE or A-ABORT (an A-P-ABORT, PS3.8 AA-4).</summary>
public sealed record ConnectionClosed(string? Detail = null) : AssociationEvent;

/// <summary>
/// No PDU arrived within the DIMSE timeout (-td). The association is still up; the caller decides (movescu aborts).
/// </summary>
public sealed record ReceiveTimedOut(TimeSpan Timeout) : AssociationEvent;
