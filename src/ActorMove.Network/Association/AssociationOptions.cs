using ActorMove.Dicom.IO.Writing;
using ActorMove.Network.Pdu;
using ActorMove.Network.Transport;

namespace ActorMove.Network.Association;

/// <summary>The timeouts and limits of one association, mirroring movescu's network options.</summary>
public sealed record AssociationOptions
{
    /// <summary>movescu's default -pdu.</summary>
    public const uint DefaultMaxPduLength = 16384;

    /// <summary>
    /// The maximum P-DATA-TF length we advertise and accept (-pdu; the command line limits it to 4096..131072,
    /// the engine may go further as long as it stays below <see cref="ConnectionOptions.ReceiveBufferLimit"/>).
    /// </summary>
    public uint MaxPduLength { get; init; } = DefaultMaxPduLength;

    /// <summary>Timeout for ACSE messages (-ta): waiting for A-ASSOCIATE-AC/RJ, A-RELEASE-RP; also the ARTIM timer.</summary>
    public TimeSpan AcseTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout for DIMSE messages (-td): waiting for the next PDU, or the next bytes of one, during data transfer; null waits forever.</summary>
    public TimeSpan? DimseTimeout { get; init; }

    /// <summary>
    /// Traffic elsewhere that counts as activity for <see cref="DimseTimeout"/>: the timeout fires only once this clock,
    /// too, has been still for that long (a move's store sub-operations, as in movescu). Null: only this association's own.
    /// </summary>
    public ActivityClock? DimseActivityElsewhere { get; init; }

    /// <summary>TCP connect timeout (-to), host lookup (-dhl) and receive buffering.</summary>
    public ConnectionOptions Connection { get; init; } = ConnectionOptions.Default;

    public string ImplementationClassUid { get; init; } = ActorMoveImplementation.ClassUid;

    public string? ImplementationVersionName { get; init; } = ActorMoveImplementation.VersionName;

    public static AssociationOptions Default { get; } = new();

    internal PduLimits Limits => new(MaxPduLength, Math.Max(PduLimits.DefaultMaxAssociationLength, MaxPduLength));

    internal void Validate()
    {
        if (MaxPduLength == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPduLength), "We must advertise a finite maximum PDU length");
        }

        if (Limits.MaxAssociationLength + PduWriter.PduHeaderLength > Connection.ReceiveBufferLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPduLength),
                $"A PDU of {Limits.MaxAssociationLength} bytes does not fit the receive buffer limit {Connection.ReceiveBufferLimit}");
        }

        if (Connection.MaxInboundConnections is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Connection), $"At least one inbound connection must be allowed, not {Connection.MaxInboundConnections}");
        }

        if (Connection.DescriptorsPerInboundConnection < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Connection), $"A connection holds at least its socket, not {Connection.DescriptorsPerInboundConnection} descriptors");
        }
    }
}
