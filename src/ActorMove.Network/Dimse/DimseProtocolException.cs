namespace ActorMove.Network.Dimse;

/// <summary>What went wrong in a DIMSE exchange; each kind maps to the A-ABORT the association layer sends.</summary>
public enum DimseProtocolError
{
    /// <summary>The command set is not a well-formed implicit VR little endian group 0000 data set.</summary>
    MalformedCommand,

    /// <summary>The command set parses but lacks an element its command requires, or holds a value of the wrong size.</summary>
    InvalidCommand,

    /// <summary>The command set is larger than any sane command (a peer trying to make us buffer without limit).</summary>
    CommandTooLarge,

    /// <summary>A data set that must be held in memory (an identifier) is larger than allowed for it.</summary>
    DataSetTooLarge,

    /// <summary>A PDV names a presentation context that negotiation did not accept.</summary>
    UnacceptedPresentationContext,

    /// <summary>A data set fragment arrived while no command announcing a data set had been received.</summary>
    DataSetWithoutCommand,

    /// <summary>A command fragment arrived while the data set of the previous command was still expected.</summary>
    CommandDuringDataSet,

    /// <summary>The fragments of one message changed presentation context (PS3.7 says a message stays on one).</summary>
    PresentationContextChanged,

    /// <summary>The association ended (or a new message was asked for) in the middle of a message.</summary>
    IncompleteMessage,

    /// <summary>A response whose Message ID Being Responded To names no request that is waiting for one.</summary>
    UnexpectedResponse,
}

/// <summary>
/// A DIMSE protocol violation. The association layer answers it with an A-ABORT; <see cref="AbortReason"/> is the
/// PS3.8 9.3.8 service-provider reason that describes it best.
/// </summary>
public sealed class DimseProtocolException : Exception
{
    public DimseProtocolException(DimseProtocolError error, string message, long offset = -1, Exception? inner = null)
        : base(offset >= 0 ? $"{message} (at command byte offset {offset})" : message, inner)
    {
        Error = error;
        Offset = offset;
    }

    public DimseProtocolError Error { get; }

    /// <summary>Byte offset inside the command set where decoding stopped, or -1 when not about a command's bytes.</summary>
    public long Offset { get; }

    public byte AbortReason => Error switch
    {
        DimseProtocolError.UnacceptedPresentationContext => AbortReasons.InvalidPduParameterValue,
        DimseProtocolError.MalformedCommand or DimseProtocolError.InvalidCommand or DimseProtocolError.CommandTooLarge
            or DimseProtocolError.DataSetTooLarge
            => AbortReasons.InvalidPduParameterValue,
        DimseProtocolError.DataSetWithoutCommand or DimseProtocolError.CommandDuringDataSet
            or DimseProtocolError.PresentationContextChanged or DimseProtocolError.UnexpectedResponse => AbortReasons.UnexpectedPduParameter,
        DimseProtocolError.IncompleteMessage => AbortReasons.UnexpectedPdu,
        _ => AbortReasons.ReasonNotSpecified,
    };
}

/// <summary>A-ABORT source and reason values of PS3.8 9.3.8, kept here so DIMSE does not depend on the PDU codec.</summary>
public static class AbortReasons
{
    public const byte SourceServiceUser = 0;
    public const byte SourceServiceProvider = 2;

    public const byte ReasonNotSpecified = 0;
    public const byte UnrecognizedPdu = 1;
    public const byte UnexpectedPdu = 2;
    public const byte UnrecognizedPduParameter = 4;
    public const byte UnexpectedPduParameter = 5;
    public const byte InvalidPduParameterValue = 6;
}
