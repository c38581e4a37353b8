using System.Buffers;

namespace ActorMove.Network.Pdu;

/// <summary>One protocol data unit of the DICOM upper layer (PS3.8 9.3). All seven PDUs derive from it.</summary>
public abstract record DicomPdu
{
    public abstract PduType Type { get; }
}

/// <summary>A-ASSOCIATE-RQ (PS3.8 9.3.2).</summary>
public sealed record AssociateRequest(
    string CalledAeTitle,
    string CallingAeTitle,
    ValueList<PresentationContextProposal> PresentationContexts,
    UserInformation UserInformation,
    string ApplicationContextName = UpperLayer.DicomApplicationContext,
    ushort ProtocolVersion = UpperLayer.ProtocolVersion) : DicomPdu
{
    public override PduType Type => PduType.AssociateRequest;
}

/// <summary>A-ASSOCIATE-AC (PS3.8 9.3.3). The AE titles are echoed from the request and not tested by the receiver.</summary>
public sealed record AssociateAccept(
    string CalledAeTitle,
    string CallingAeTitle,
    ValueList<PresentationContextResult> PresentationContexts,
    UserInformation UserInformation,
    string ApplicationContextName = UpperLayer.DicomApplicationContext,
    ushort ProtocolVersion = UpperLayer.ProtocolVersion) : DicomPdu
{
    public override PduType Type => PduType.AssociateAccept;

    /// <summary>The accepted context with this ID, or null when it was refused or never proposed.</summary>
    public PresentationContextResult? FindAccepted(byte presentationContextId) =>
        PresentationContexts.FirstOrDefault(pc => pc.Id == presentationContextId && pc.Result == PresentationContextResultReason.Acceptance);
}

/// <summary>A-ASSOCIATE-RJ (PS3.8 9.3.4). <see cref="Reason"/> is interpreted according to <see cref="Source"/>.</summary>
public sealed record AssociateReject(RejectResult Result, RejectSource Source, byte Reason) : DicomPdu
{
    public override PduType Type => PduType.AssociateReject;

    public AssociateReject(RejectResult result, RejectReasonServiceUser reason) : this(result, RejectSource.ServiceUser, (byte)reason) { }

    public AssociateReject(RejectResult result, RejectReasonAcse reason) : this(result, RejectSource.ServiceProviderAcse, (byte)reason) { }

    public AssociateReject(RejectResult result, RejectReasonPresentation reason) : this(result, RejectSource.ServiceProviderPresentation, (byte)reason) { }

    /// <summary>The reason in words, the way DCMTK prints it.</summary>
    public string ReasonText => Source switch
    {
        RejectSource.ServiceUser => Reason switch
        {
            1 => "No Reason",
            2 => "App Context Name Not Supported",
            3 => "Calling AE Title Not Recognized",
            7 => "Called AE Title Not Recognized",
            _ => $"Reason {Reason}",
        },
        RejectSource.ServiceProviderAcse => Reason switch
        {
            1 => "No Reason",
            2 => "Protocol Version Not Supported",
            _ => $"Reason {Reason}",
        },
        RejectSource.ServiceProviderPresentation => Reason switch
        {
            1 => "Temporary Congestion",
            2 => "Local Limit Exceeded",
            _ => $"Reason {Reason}",
        },
        _ => $"Reason {Reason}",
    };
}

/// <summary>
/// P-DATA-TF (PS3.8 9.3.5). Decoded PDVs are slices of the receive buffer: they stay valid only until the
/// reader advances past the PDU, so a consumer copies or streams them out before asking for the next one.
/// </summary>
public sealed record DataTransfer(ValueList<PresentationDataValue> Values) : DicomPdu
{
    public override PduType Type => PduType.DataTransfer;
}

/// <summary>A-RELEASE-RQ (PS3.8 9.3.6).</summary>
public sealed record ReleaseRequest : DicomPdu
{
    public static ReleaseRequest Instance { get; } = new();

    public override PduType Type => PduType.ReleaseRequest;
}

/// <summary>A-RELEASE-RP (PS3.8 9.3.7).</summary>
public sealed record ReleaseResponse : DicomPdu
{
    public static ReleaseResponse Instance { get; } = new();

    public override PduType Type => PduType.ReleaseResponse;
}

/// <summary>A-ABORT (PS3.8 9.3.8).</summary>
public sealed record Abort(AbortSource Source, AbortReason Reason) : DicomPdu
{
    public override PduType Type => PduType.Abort;
}

/// <summary>Presentation context item of an A-ASSOCIATE-RQ (0x20): one abstract syntax, one or more transfer syntaxes.</summary>
public sealed record PresentationContextProposal(byte Id, string AbstractSyntax, ValueList<string> TransferSyntaxes);

/// <summary>
/// Presentation context item of an A-ASSOCIATE-AC (0x21). When the result is not acceptance the transfer syntax
/// is not significant (PS3.8 9.3.3.2); it may then be empty.
/// </summary>
public sealed record PresentationContextResult(byte Id, PresentationContextResultReason Result, string TransferSyntax)
{
    public bool IsAccepted => Result == PresentationContextResultReason.Acceptance;
}

/// <summary>SCP/SCU role selection sub-item (0x54, PS3.7 D.3.3.4).</summary>
public sealed record RoleSelection(string SopClassUid, bool ScuRole, bool ScpRole);

/// <summary>Asynchronous operations window sub-item (0x53, PS3.7 D.3.3.3). 0 means unlimited.</summary>
public sealed record AsynchronousOperationsWindow(ushort MaxOperationsInvoked, ushort MaxOperationsPerformed);

/// <summary>A user information sub-item kept as its raw value: SOP class (common) extended negotiation and user identity.</summary>
public sealed record RawSubItem(byte ItemType, ValueList<byte> Value);

/// <summary>
/// User information item (0x50). <see cref="MaximumLength"/> is the largest P-DATA-TF PDU length the sender
/// of this item accepts; 0 means unlimited.
/// </summary>
public sealed record UserInformation(
    uint MaximumLength,
    string ImplementationClassUid,
    string? ImplementationVersionName = null,
    AsynchronousOperationsWindow? AsynchronousOperations = null)
{
    public ValueList<RoleSelection> RoleSelections { get; init; } = ValueList<RoleSelection>.Empty;

    /// <summary>Extended negotiation (0x56, 0x57) and user identity (0x58, 0x59), kept as received, not interpreted.</summary>
    public ValueList<RawSubItem> RawSubItems { get; init; } = ValueList<RawSubItem>.Empty;
}

/// <summary>
/// One presentation data value of a P-DATA-TF: a fragment of a command or data set. <see cref="Data"/> is a slice
/// of the buffer it was read from (no copy).
/// </summary>
public readonly record struct PresentationDataValue(byte PresentationContextId, bool IsCommand, bool IsLastFragment, ReadOnlySequence<byte> Data)
{
    /// <summary>Bit 0 of the message control header: 1 command, 0 data set.</summary>
    public const byte CommandBit = 0x01;

    /// <summary>Bit 1 of the message control header: 1 last fragment.</summary>
    public const byte LastFragmentBit = 0x02;

    public byte MessageControlHeader => (byte)((IsCommand ? CommandBit : 0) | (IsLastFragment ? LastFragmentBit : 0));

    public bool Equals(PresentationDataValue other) =>
        PresentationContextId == other.PresentationContextId && IsCommand == other.IsCommand &&
        IsLastFragment == other.IsLastFragment && Data.Length == other.Data.Length &&
        Data.ToArray().AsSpan().SequenceEqual(other.Data.ToArray());

    public override int GetHashCode() => HashCode.Combine(PresentationContextId, IsCommand, IsLastFragment, Data.Length);

    public override string ToString() =>
        $"PDV(pc {PresentationContextId}, {(IsCommand ? "command" : "data set")}, {(IsLastFragment ? "last" : "more")}, {Data.Length} bytes)";
}
