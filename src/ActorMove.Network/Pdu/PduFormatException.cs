namespace ActorMove.Network.Pdu;

/// <summary>
/// A PDU that does not follow PS3.8. Carries the A-ABORT reason the service provider sends back
/// (source 2, PS3.8 9.3.8) before it closes the connection.
/// </summary>
public sealed class PduFormatException : Exception
{
    public PduFormatException(AbortReason reason, string message)
        : base($"{message} (A-ABORT reason {(byte)reason} {reason})")
    {
        Reason = reason;
        Detail = message;
    }

    public AbortReason Reason { get; }

    /// <summary>The PDU type byte when it is not one PS3.8 defines (<see cref="AbortReason.UnrecognizedPdu"/>).</summary>
    public byte? UnknownPduType { get; init; }

    /// <summary>The message without the abort reason.</summary>
    public string Detail { get; }

    /// <summary>The A-ABORT this error is answered with.</summary>
    public Abort ToAbort() => new(AbortSource.ServiceProvider, Reason);
}
