namespace ActorMove.Network.Pdu;

/// <summary>PDU types of the DICOM upper layer (PS3.8 9.3).</summary>
public enum PduType : byte
{
    AssociateRequest = 0x01,
    AssociateAccept = 0x02,
    AssociateReject = 0x03,
    DataTransfer = 0x04,
    ReleaseRequest = 0x05,
    ReleaseResponse = 0x06,
    Abort = 0x07,
}

/// <summary>Item and sub-item types inside the variable fields of the association PDUs (PS3.8 9.3.2, 9.3.3, Annex D).</summary>
public static class ItemType
{
    public const byte ApplicationContext = 0x10;
    public const byte PresentationContextRequest = 0x20;
    public const byte PresentationContextAccept = 0x21;
    public const byte AbstractSyntax = 0x30;
    public const byte TransferSyntax = 0x40;
    public const byte UserInformation = 0x50;
    public const byte MaximumLength = 0x51;
    public const byte ImplementationClassUid = 0x52;
    public const byte AsynchronousOperationsWindow = 0x53;
    public const byte RoleSelection = 0x54;
    public const byte ImplementationVersionName = 0x55;
    public const byte SopClassExtendedNegotiation = 0x56;
    public const byte SopClassCommonExtendedNegotiation = 0x57;
    public const byte UserIdentityRequest = 0x58;
    public const byte UserIdentityResponse = 0x59;
}

/// <summary>Who sent an A-ABORT (PS3.8 9.3.8).</summary>
public enum AbortSource : byte
{
    ServiceUser = 0,
    Reserved = 1,
    ServiceProvider = 2,
}

/// <summary>Why the service provider aborted (PS3.8 9.3.8); only significant when the source is <see cref="AbortSource.ServiceProvider"/>.</summary>
public enum AbortReason : byte
{
    NotSpecified = 0,
    UnrecognizedPdu = 1,
    UnexpectedPdu = 2,
    Reserved = 3,
    UnrecognizedPduParameter = 4,
    UnexpectedPduParameter = 5,
    InvalidPduParameterValue = 6,
}

/// <summary>A-ASSOCIATE-RJ result (PS3.8 9.3.4).</summary>
public enum RejectResult : byte
{
    Permanent = 1,
    Transient = 2,
}

/// <summary>A-ASSOCIATE-RJ source (PS3.8 9.3.4).</summary>
public enum RejectSource : byte
{
    ServiceUser = 1,
    ServiceProviderAcse = 2,
    ServiceProviderPresentation = 3,
}

/// <summary>Reject reasons when the source is <see cref="RejectSource.ServiceUser"/>.</summary>
public enum RejectReasonServiceUser : byte
{
    NoReasonGiven = 1,
    ApplicationContextNameNotSupported = 2,
    CallingAeTitleNotRecognized = 3,
    CalledAeTitleNotRecognized = 7,
}

/// <summary>Reject reasons when the source is <see cref="RejectSource.ServiceProviderAcse"/>.</summary>
public enum RejectReasonAcse : byte
{
    NoReasonGiven = 1,
    ProtocolVersionNotSupported = 2,
}

/// <summary>Reject reasons when the source is <see cref="RejectSource.ServiceProviderPresentation"/>.</summary>
public enum RejectReasonPresentation : byte
{
    TemporaryCongestion = 1,
    LocalLimitExceeded = 2,
}

/// <summary>Result/reason of one presentation context in an A-ASSOCIATE-AC (PS3.8 9.3.3.2).</summary>
public enum PresentationContextResultReason : byte
{
    Acceptance = 0,
    UserRejection = 1,
    NoReason = 2,
    AbstractSyntaxNotSupported = 3,
    TransferSyntaxesNotSupported = 4,
}

/// <summary>Well-known names of the upper layer.</summary>
public static class UpperLayer
{
    /// <summary>The only application context name defined by PS3.7 Annex A.</summary>
    public const string DicomApplicationContext = "1.2.840.10008.3.1.1.1";

    /// <summary>Protocol version bit 0 (PS3.8 9.3.2).</summary>
    public const ushort ProtocolVersion = 0x0001;

    /// <summary>Default TCP port registered for DICOM.</summary>
    public const int DefaultPort = 104;
}
