using ActorMove.Dicom.Core;

namespace ActorMove.Network.Dimse;

/// <summary>
/// The group 0000 elements PS3.7 E.1 defines, with the VR each has. Commands are always implicit VR little endian,
/// so the VR comes from this fixed table, never from the wire.
/// </summary>
public static class CommandTags
{
    public const uint CommandGroupLength = 0x0000_0000;
    public const uint AffectedSopClassUid = 0x0000_0002;
    public const uint RequestedSopClassUid = 0x0000_0003;
    public const uint CommandField = 0x0000_0100;
    public const uint MessageId = 0x0000_0110;
    public const uint MessageIdBeingRespondedTo = 0x0000_0120;
    public const uint MoveDestination = 0x0000_0600;
    public const uint Priority = 0x0000_0700;
    public const uint CommandDataSetType = 0x0000_0800;
    public const uint Status = 0x0000_0900;
    public const uint OffendingElement = 0x0000_0901;
    public const uint ErrorComment = 0x0000_0902;
    public const uint ErrorId = 0x0000_0903;
    public const uint AffectedSopInstanceUid = 0x0000_1000;
    public const uint RequestedSopInstanceUid = 0x0000_1001;
    public const uint EventTypeId = 0x0000_1002;
    public const uint AttributeIdentifierList = 0x0000_1005;
    public const uint ActionTypeId = 0x0000_1008;
    public const uint NumberOfRemainingSuboperations = 0x0000_1020;
    public const uint NumberOfCompletedSuboperations = 0x0000_1021;
    public const uint NumberOfFailedSuboperations = 0x0000_1022;
    public const uint NumberOfWarningSuboperations = 0x0000_1023;
    public const uint MoveOriginatorApplicationEntityTitle = 0x0000_1030;
    public const uint MoveOriginatorMessageId = 0x0000_1031;

    /// <summary>(0000,0800) value meaning "no data set follows"; any other value means one does (PS3.7 E.1).</summary>
    public const ushort NoDataSet = 0x0101;

    /// <summary>The value DCMTK writes when a data set follows (observed on the wire from storescu 3.6.7).</summary>
    public const ushort DataSetPresent = 0x0001;

    /// <summary>The VR of a group 0000 element (PS3.7 E.1 and the retired ones of PS3.6); UN for an unknown one.</summary>
    public static DicomVR GetVR(uint tag) => tag switch
    {
        CommandGroupLength or 0x0000_0001 => DicomVR.UL,
        AffectedSopClassUid or RequestedSopClassUid or AffectedSopInstanceUid or RequestedSopInstanceUid => DicomVR.UI,
        CommandField or MessageId or MessageIdBeingRespondedTo or Priority or CommandDataSetType or Status or ErrorId
            or EventTypeId or ActionTypeId or NumberOfRemainingSuboperations or NumberOfCompletedSuboperations
            or NumberOfFailedSuboperations or NumberOfWarningSuboperations or MoveOriginatorMessageId
            or 0x0000_0850 or 0x0000_0860 or 0x0000_51B0 => DicomVR.US,
        MoveDestination or MoveOriginatorApplicationEntityTitle or 0x0000_0200 or 0x0000_0300 or 0x0000_0400 => DicomVR.AE,
        OffendingElement or AttributeIdentifierList => DicomVR.AT,
        ErrorComment => DicomVR.LO,
        0x0000_0010 or 0x0000_5010 or 0x0000_5020 => DicomVR.SH,
        0x0000_4000 or 0x0000_4010 or 0x0000_5110 or 0x0000_5120 => DicomVR.LT,
        0x0000_5130 or 0x0000_5140 or 0x0000_5150 or 0x0000_5160 or 0x0000_5180 or 0x0000_5190 or 0x0000_51A0 => DicomVR.CS,
        0x0000_5170 => DicomVR.IS,
        _ => DicomVR.UN,
    };

    public static DicomTag ToTag(uint tag) => new(tag);
}
