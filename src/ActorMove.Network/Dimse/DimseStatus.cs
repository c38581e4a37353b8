namespace ActorMove.Network.Dimse;

public enum DimseStatusCategory
{
    Success,
    Warning,
    Failure,
    Cancel,
    Pending,
}

/// <summary>The DIMSE service a status belongs to; PS3.4 gives the same code different meanings per service.</summary>
public enum DimseService
{
    Echo,
    Store,
    Find,
    Move,
    Get,
}

/// <summary>Status (0000,0900) classification (PS3.7 C) and the PS3.4 meaning of each code, for logs and exit codes.</summary>
public static class DimseStatus
{
    public const ushort Success = 0x0000;
    public const ushort Pending = 0xFF00;
    public const ushort PendingWithWarning = 0xFF01;
    public const ushort Cancel = 0xFE00;

    // PS3.4 C-STORE (B.2.3) and C-MOVE (C.4.2.1.5) codes that have fixed values.
    public const ushort StoreCoercionOfDataElements = 0xB000;
    public const ushort StoreElementsDiscarded = 0xB006;
    public const ushort StoreDataSetDoesNotMatchSopClassWarning = 0xB007;
    public const ushort StoreDataSetDoesNotMatchSopClass = 0xA900;
    public const ushort StoreCannotUnderstand = 0xC000;
    public const ushort MoveSubOperationsCompleteWithFailures = 0xB000;
    public const ushort MoveOutOfResourcesNumberOfMatches = 0xA701;
    public const ushort MoveOutOfResourcesSubOperations = 0xA702;
    public const ushort MoveDestinationUnknown = 0xA801;
    public const ushort MoveIdentifierDoesNotMatchSopClass = 0xA900;

    // PS3.7 C general codes.
    public const ushort AttributeListError = 0x0107;
    public const ushort AttributeValueOutOfRange = 0x0116;
    public const ushort ProcessingFailure = 0x0110;
    public const ushort SopClassNotSupported = 0x0122;

    /// <summary>
    /// Which kind of status a code is. Warnings are 0001, Bxxx, 0107 and 0116 (PS3.7 C); pending is FF00 and FF01;
    /// cancel is FE00; every other non-zero code (Axxx, Cxxx, 01xx, 02xx, anything unknown) is a failure.
    /// </summary>
    public static DimseStatusCategory Classify(ushort status) => status switch
    {
        Success => DimseStatusCategory.Success,
        Pending or PendingWithWarning => DimseStatusCategory.Pending,
        Cancel => DimseStatusCategory.Cancel,
        0x0001 or AttributeListError or AttributeValueOutOfRange => DimseStatusCategory.Warning,
        _ when (status & 0xF000) == 0xB000 => DimseStatusCategory.Warning,
        _ => DimseStatusCategory.Failure,
    };

    public static bool IsSuccess(ushort status) => Classify(status) == DimseStatusCategory.Success;
    public static bool IsPending(ushort status) => Classify(status) == DimseStatusCategory.Pending;
    public static bool IsWarning(ushort status) => Classify(status) == DimseStatusCategory.Warning;
    public static bool IsFailure(ushort status) => Classify(status) == DimseStatusCategory.Failure;
    public static bool IsCancel(ushort status) => Classify(status) == DimseStatusCategory.Cancel;

    /// <summary>
    /// The meaning of a code for a service, as PS3.4 (service specific) and PS3.7 C (general) word it;
    /// "Unknown status" with its category for a code neither defines.
    /// </summary>
    public static string Describe(ushort status, DimseService service) =>
        DescribeForService(status, service) ?? DescribeGeneral(status) ?? $"{Classify(status)}: unknown status";

    /// <summary>
    /// How movescu -v names the status of a C-MOVE-RSP ("Received Final Move Response (Refused: MoveDestinationUnknown)"),
    /// as observed with DCMTK 3.6.7 against a peer answering each code: every C-MOVE code PS3.4 defines, SOP class not
    /// supported, and "Unknown Status: 0x..." (lower-case hex, no leading zeros) for all else, FF01 and the PS3.7 general
    /// codes included.
    /// </summary>
    public static string DcmtkMoveStatusText(ushort status) => status switch
    {
        Success => "Success",
        Pending => "Pending",
        Cancel => "Cancel: SubOperationsTerminatedDueToCancelIndication",
        MoveSubOperationsCompleteWithFailures => "Warning: SubOperationsCompleteOneOrMoreFailures",
        MoveOutOfResourcesNumberOfMatches => "Refused: OutOfResourcesNumberOfMatches",
        MoveOutOfResourcesSubOperations => "Refused: OutOfResourcesSubOperations",
        MoveDestinationUnknown => "Refused: MoveDestinationUnknown",
        MoveIdentifierDoesNotMatchSopClass => "Error: DataSetDoesNotMatchSOPClass",
        SopClassNotSupported => "Refused: SOPClassNotSupported",
        _ when (status & 0xF000) == 0xC000 => "Failed: UnableToProcess",
        _ => $"Unknown Status: 0x{status:x}",
    };

    /// <summary>"Meaning (XXXXH)", the form log lines use.</summary>
    public static string Format(ushort status, DimseService service) => $"{Describe(status, service)} ({status:X4}H)";

    private static string? DescribeForService(ushort status, DimseService service) => service switch
    {
        DimseService.Echo => status == Success ? "Success" : null,
        DimseService.Store => status switch
        {
            Success => "Success",
            StoreCoercionOfDataElements => "Warning: coercion of data elements",
            StoreElementsDiscarded => "Warning: elements discarded",
            StoreDataSetDoesNotMatchSopClassWarning => "Warning: data set does not match SOP class",
            _ when (status & 0xFF00) == 0xA700 => "Refused: out of resources",
            _ when (status & 0xFF00) == 0xA900 => "Error: data set does not match SOP class",
            _ when (status & 0xF000) == 0xC000 => "Error: cannot understand",
            _ => null,
        },
        DimseService.Move => status switch
        {
            Success => "Success: sub-operations complete, no failures",
            Pending => "Pending: sub-operations are continuing",
            Cancel => "Cancel: sub-operations terminated due to cancel indication",
            MoveSubOperationsCompleteWithFailures => "Warning: sub-operations complete, one or more failures or warnings",
            MoveOutOfResourcesNumberOfMatches => "Refused: out of resources, unable to calculate number of matches",
            MoveOutOfResourcesSubOperations => "Refused: out of resources, unable to perform sub-operations",
            MoveDestinationUnknown => "Refused: move destination unknown",
            MoveIdentifierDoesNotMatchSopClass => "Error: identifier does not match SOP class",
            _ when (status & 0xF000) == 0xC000 => "Failed: unable to process",
            _ => null,
        },
        DimseService.Get => status switch
        {
            Success => "Success: sub-operations complete, no failures",
            Pending => "Pending: sub-operations are continuing",
            Cancel => "Cancel: sub-operations terminated due to cancel indication",
            0xB000 => "Warning: sub-operations complete, one or more failures or warnings",
            0xA701 => "Refused: out of resources, unable to calculate number of matches",
            0xA702 => "Refused: out of resources, unable to perform sub-operations",
            0xA900 => "Error: identifier does not match SOP class",
            _ when (status & 0xF000) == 0xC000 => "Failed: unable to process",
            _ => null,
        },
        DimseService.Find => status switch
        {
            Success => "Success: matching is complete",
            Pending => "Pending: matches are continuing",
            PendingWithWarning => "Pending: matches are continuing, one or more optional keys were not supported",
            Cancel => "Cancel: matching terminated due to cancel request",
            0xA700 => "Refused: out of resources",
            0xA900 => "Error: identifier does not match SOP class",
            _ when (status & 0xF000) == 0xC000 => "Failed: unable to process",
            _ => null,
        },
        _ => null,
    };

    private static string? DescribeGeneral(ushort status) => status switch
    {
        Success => "Success",
        0x0001 => "Warning: requested optional attributes are not supported",
        0x0105 => "Failure: no such attribute",
        0x0106 => "Failure: invalid attribute value",
        AttributeListError => "Warning: attribute list error",
        ProcessingFailure => "Failure: processing failure",
        0x0111 => "Failure: duplicate SOP instance",
        0x0112 => "Failure: no such SOP instance",
        0x0113 => "Failure: no such event type",
        0x0114 => "Failure: no such argument",
        0x0115 => "Failure: invalid argument value",
        AttributeValueOutOfRange => "Warning: attribute value out of range",
        0x0117 => "Failure: invalid object instance",
        0x0118 => "Failure: no such SOP class",
        0x0119 => "Failure: class-instance conflict",
        0x0120 => "Failure: missing attribute",
        0x0121 => "Failure: missing attribute value",
        SopClassNotSupported => "Refused: SOP class not supported",
        0x0123 => "Failure: no such action",
        0x0124 => "Refused: not authorized",
        0x0210 => "Failure: duplicate invocation",
        0x0211 => "Failure: unrecognized operation",
        0x0212 => "Failure: mistyped argument",
        0x0213 => "Failure: resource limitation",
        Cancel => "Cancel",
        Pending => "Pending",
        PendingWithWarning => "Pending: with warning",
        _ => null,
    };
}
