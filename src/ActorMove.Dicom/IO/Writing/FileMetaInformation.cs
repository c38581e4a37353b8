using System.Buffers.Binary;
using System.Text;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;

namespace ActorMove.Dicom.IO.Writing;

/// <summary>
/// The file meta information of a DICOM file (PS3.10 7.1), written as preamble, "DICM" and group 0002 in explicit VR
/// little endian with its group length (0002,0000) and version (0002,0001) 00\01.
/// </summary>
public sealed record FileMetaInformation
{
    public const int PreambleLength = 128;

    private static readonly byte[] Version = [0x00, 0x01];

    public required string MediaStorageSopClassUid { get; init; }
    public required string MediaStorageSopInstanceUid { get; init; }

    /// <summary>The transfer syntax of the data set that follows.</summary>
    public required string TransferSyntaxUid { get; init; }

    public string ImplementationClassUid { get; init; } = ActorMoveImplementation.ClassUid;
    public string ImplementationVersionName { get; init; } = ActorMoveImplementation.VersionName;

    /// <summary>(0002,0016), written only when set.</summary>
    public string? SourceApplicationEntityTitle { get; init; }

    /// <summary>Meta information for a data set, taking the SOP class and instance from (0008,0016) and (0008,0018).</summary>
    public static FileMetaInformation Create(DicomDataset dataset, TransferSyntax syntax, string? sourceApplicationEntityTitle = null) =>
        new()
        {
            MediaStorageSopClassUid = dataset.GetString(new DicomTag(0x0008, 0x0016)) ?? "",
            MediaStorageSopInstanceUid = dataset.GetString(new DicomTag(0x0008, 0x0018)) ?? "",
            TransferSyntaxUid = syntax.Uid,
            SourceApplicationEntityTitle = sourceApplicationEntityTitle,
        };

    /// <summary>Preamble, prefix and group 0002.</summary>
    public byte[] Encode()
    {
        Check(MediaStorageSopClassUid, 64, nameof(MediaStorageSopClassUid));
        Check(MediaStorageSopInstanceUid, 64, nameof(MediaStorageSopInstanceUid));
        Check(TransferSyntaxUid, 64, nameof(TransferSyntaxUid));
        Check(ImplementationClassUid, 64, nameof(ImplementationClassUid));
        Check(ImplementationVersionName, 16, nameof(ImplementationVersionName));
        if (SourceApplicationEntityTitle is not null)
        {
            Check(SourceApplicationEntityTitle, 16, nameof(SourceApplicationEntityTitle));
        }

        var elements = new List<(ushort Element, DicomVR VR, byte[] Value)>
        {
            (0x0001, DicomVR.OB, Version),
            (0x0002, DicomVR.UI, Text(MediaStorageSopClassUid, 0)),
            (0x0003, DicomVR.UI, Text(MediaStorageSopInstanceUid, 0)),
            (0x0010, DicomVR.UI, Text(TransferSyntaxUid, 0)),
            (0x0012, DicomVR.UI, Text(ImplementationClassUid, 0)),
            (0x0013, DicomVR.SH, Text(ImplementationVersionName, (byte)' ')),
        };
        if (SourceApplicationEntityTitle is not null)
        {
            elements.Add((0x0016, DicomVR.AE, Text(SourceApplicationEntityTitle, (byte)' ')));
        }

        int groupLength = elements.Sum(e => HeaderLength(e.VR) + e.Value.Length);
        const int groupLengthElementLength = 12;
        var bytes = new byte[PreambleLength + 4 + groupLengthElementLength + groupLength];
        "DICM"u8.CopyTo(bytes.AsSpan(PreambleLength));
        int position = PreambleLength + 4;
        var groupLengthValue = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(groupLengthValue, (uint)groupLength);
        position += WriteElement(bytes.AsSpan(position), 0x0000, DicomVR.UL, groupLengthValue);
        foreach (var (element, vr, value) in elements)
        {
            position += WriteElement(bytes.AsSpan(position), element, vr, value);
        }

        return bytes;
    }

    private static void Check(string value, int maxLength, string name)
    {
        if (value.Length > maxLength)
        {
            throw new ArgumentException($"{name} is longer than {maxLength} characters: {value}", name);
        }
    }

    private static int HeaderLength(DicomVR vr) => vr.HasLongExplicitHeader ? 12 : 8;

    private static int WriteElement(Span<byte> destination, ushort element, DicomVR vr, byte[] value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(destination, 0x0002);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[2..], element);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], vr.Code);
        int header;
        if (vr.HasLongExplicitHeader)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], 0);
            BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], (uint)value.Length);
            header = 12;
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], checked((ushort)value.Length));
            header = 8;
        }

        value.CopyTo(destination[header..]);
        return header + value.Length;
    }

    private static byte[] Text(string value, byte padding)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(value);
        if ((bytes.Length & 1) == 1)
        {
            Array.Resize(ref bytes, bytes.Length + 1);
            bytes[^1] = padding;
        }

        return bytes;
    }
}
