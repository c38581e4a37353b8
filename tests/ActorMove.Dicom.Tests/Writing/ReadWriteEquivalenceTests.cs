using System.Buffers.Binary;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Dicom.IO.Reading;
using ActorMove.Dicom.IO.Writing;
using ActorMove.Testing;
using ActorMove.Testing.Dcmtk;
using Xunit;

namespace ActorMove.Dicom.Tests.Writing;

/// <summary>
/// Sources made by DCMTK (dump2dcm, then dcmconv to each syntax), read by our reader and written by our writer with
/// some options, against dcmconv with the same options on the same source: whole files must be equal.
/// </summary>
public class ReadWriteEquivalenceTests
{
    private const int PixelLength = 600_002; // more than two write buffers

    private const string Dump = """
        (0008,0005) CS [ISO_IR 100]
        (0008,0016) UI [1.2.840.10008.5.1.4.1.1.7]
        (0008,0018) UI [1.2.826.0.1.3680043.2.1143.77]
        (0008,0119) UC [long code value]
        (0008,0120) UR [urn:x:y]
        (0008,1115) SQ (Sequence)
        (fffe,e000) na (Item)
          (0008,1140) SQ (Sequence)
          (fffe,e000) na (Item)
            (0008,1155) UI [1.2.3.4]
            (0020,9165) AT (0010,0010)\(0008,0018)
          (fffe,e00d) na (ItemDelimitationItem)
          (fffe,e000) na (Item)
          (fffe,e00d) na (ItemDelimitationItem)
          (fffe,e0dd) na (SequenceDelimitationItem)
          (0008,1150) UI [1.2.3]
          (0018,9219) SS 1\-2
        (fffe,e00d) na (ItemDelimitationItem)
        (fffe,e0dd) na (SequenceDelimitationItem)
        (0010,0010) PN [Doe^John]
        (0010,0020) LO [PID]
        (0010,9431) FL 1.5
        (0011,0010) LO [ACTORMOVE]
        (0011,1001) UN 01\02\03\04
        (0011,1002) LO [PRIVATE VALUE]
        (0018,6020) SL -5
        (0018,9087) FD 1000.25
        (0028,0010) US 1024
        (0028,0011) US 2560
        (0028,0100) US 16
        (0028,1203) OW 0102\0304
        (0028,9001) UL 16909060
        (0040,a160) UT [unlimited text]
        (0064,0009) OF 1.5\-2
        (0066,0022) OD 3.25\4.5
        (0066,0040) OL 1\2\2695938256
        (0072,0081) OV 72623859790382856
        (0072,0082) SV -9
        (0072,0083) UV 1234605616436508552
        (7fe0,0010) OW =pixels.raw
        """;

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (string source in new[] { "+te", "+tb", "+ti", "+td", "-e", "+tb -e +g", "MIXED" })
        {
            foreach (string args in new[] { "", "+te", "+tb", "+ti", "-u", "+tb -u", "+g", "-g", "-e", "+g -e", "+p 100 30", "-F", "+td" })
            {
                data.Add(source, args);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Read_then_written_equals_dcmconv(string source, string arguments)
    {
        using var dir = new TempDirectory("readwrite");
        string sourcePath = source == "MIXED" ? MixedLengthSource(dir) : DcmtkSource(dir, source);

        string dcmtkPath = dir.Combine("dcmtk.dcm");
        DcmtkCompare.Dcmconv(arguments, sourcePath, dcmtkPath);
        byte[] dcmtk = File.ReadAllBytes(dcmtkPath);

        var options = DcmtkCompare.FromDcmconvArguments(arguments);
        using var file = DicomReader.ReadFile(sourcePath);
        var meta = new FileMetaInformation
        {
            MediaStorageSopClassUid = file.Meta.GetString(new DicomTag(0x0002, 0x0002)) ?? "",
            MediaStorageSopInstanceUid = file.Meta.GetString(new DicomTag(0x0002, 0x0003)) ?? "",
            TransferSyntaxUid = file.TransferSyntax.Uid,
        };
        string oursPath = dir.Combine("ours.dcm");
        using (var output = File.Create(oursPath))
        {
            DicomWriter.WriteFile(output, meta, file.Dataset, options);
        }

        bool deflated = options.TargetSyntax?.IsDeflated ?? file.TransferSyntax.IsDeflated;
        if (options.WriteFileFormat || !deflated)
        {
            // A bare deflated data set names its syntax nowhere, so dcmdump cannot read it; the inflated bytes are compared below.
            DcmtkCompare.AssertDcmdumpClean(oursPath);
        }

        if (!options.WriteFileFormat)
        {
            Assert.Equal(deflated ? DcmtkCompare.Inflate(dcmtk) : dcmtk, deflated ? DcmtkCompare.Inflate(File.ReadAllBytes(oursPath)) : File.ReadAllBytes(oursPath));
            return;
        }

        var dcmtkMeta = DcmtkCompare.Meta(dcmtk);
        using var asDcmtk = new MemoryStream();
        DicomWriter.WriteFile(asDcmtk, meta with
        {
            ImplementationClassUid = DcmtkCompare.MetaString(dcmtkMeta, 0x0012),
            ImplementationVersionName = DcmtkCompare.MetaString(dcmtkMeta, 0x0013),
        }, file.Dataset, options);
        if (deflated)
        {
            Assert.Equal(DcmtkCompare.Inflate(DcmtkCompare.Body(dcmtk)), DcmtkCompare.Inflate(DcmtkCompare.Body(asDcmtk.ToArray())));
        }
        else
        {
            Assert.Equal(dcmtk, asDcmtk.ToArray());
        }
    }

    [Fact]
    public void Bit_preserving_copy_of_a_read_file_equals_its_data_set_bytes()
    {
        using var dir = new TempDirectory("readwrite");
        string sourcePath = DcmtkSource(dir, "+tb -e");
        using var file = DicomReader.ReadFile(sourcePath);
        var meta = new FileMetaInformation
        {
            MediaStorageSopClassUid = file.Meta.GetString(new DicomTag(0x0002, 0x0002)) ?? "",
            MediaStorageSopInstanceUid = file.Meta.GetString(new DicomTag(0x0002, 0x0003)) ?? "",
            TransferSyntaxUid = file.TransferSyntax.Uid,
        };
        using var output = new MemoryStream();
        DicomWriter.WriteBitPreserving(output, meta, file.Source!, file.DatasetOffset, file.DatasetLength);
        Assert.Equal(DcmtkCompare.Body(File.ReadAllBytes(sourcePath)), DcmtkCompare.Body(output.ToArray()));
    }

    /// <summary>dump2dcm's file (explicit VR little endian), converted by dcmconv with <paramref name="conversion"/>.</summary>
    private static string DcmtkSource(TempDirectory dir, string conversion)
    {
        var pixels = new byte[PixelLength];
        new Random(42).NextBytes(pixels);
        File.WriteAllBytes(dir.Combine("pixels.raw"), pixels);
        File.WriteAllText(dir.Combine("source.dump"), Dump);
        string made = dir.Combine("dump2dcm.dcm");
        var result = DcmtkTool.Run("dump2dcm", ["+te", "source.dump", made], DcmtkCompare.Timeout, workingDirectory: dir.Path);
        Assert.True(result.ExitCode == 0, result.ToString());
        string converted = dir.Combine("source.dcm");
        DcmtkCompare.Dcmconv(conversion, made, converted);
        return converted;
    }

    /// <summary>
    /// Hand-made explicit VR little endian: an undefined-length sequence whose item has an explicit length and holds an
    /// explicit-length sequence whose item has undefined length, then a defined-length sequence of an undefined-length item.
    /// </summary>
    private static string MixedLengthSource(TempDirectory dir)
    {
        byte[] innerItem = [.. Element(0x0008, 0x1155, DicomVR.UI, "1.2.3.4\0"u8.ToArray())];
        byte[] innerItemUndefined =
            [.. RawDataset.TagAndLength(0xFFFE, 0xE000, DicomConstants.UndefinedLength), .. innerItem, .. RawDataset.TagAndLength(0xFFFE, 0xE00D, 0)];
        byte[] innerSequence = Element(0x0008, 0x1140, DicomVR.SQ, innerItemUndefined);
        byte[] outerItemContent = [.. Element(0x0008, 0x1150, DicomVR.UI, "1.2.3\0"u8.ToArray()), .. innerSequence];
        byte[] outerItem = RawDataset.TagAndLength(0xFFFE, 0xE000, (uint)outerItemContent.Length, outerItemContent);
        byte[] outerSequence =
            [.. Element(0x0008, 0x1115, DicomVR.SQ, [], DicomConstants.UndefinedLength), .. outerItem, .. RawDataset.TagAndLength(0xFFFE, 0xE0DD, 0)];
        byte[] secondSequence = Element(0x0040, 0x0275, DicomVR.SQ,
            [.. RawDataset.TagAndLength(0xFFFE, 0xE000, DicomConstants.UndefinedLength),
             .. Element(0x0040, 0x0009, DicomVR.SH, "STEP"u8.ToArray()),
             .. RawDataset.TagAndLength(0xFFFE, 0xE00D, 0)]);
        byte[] dataset =
        [
            .. Element(0x0008, 0x0016, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7\0"u8.ToArray()),
            .. Element(0x0008, 0x0018, DicomVR.UI, "1.2.3.9\0"u8.ToArray()),
            .. outerSequence,
            .. Element(0x0010, 0x0010, DicomVR.PN, "Mixed^Lengths "u8.ToArray()),
            .. secondSequence,
        ];
        var meta = new FileMetaInformation
        {
            MediaStorageSopClassUid = "1.2.840.10008.5.1.4.1.1.7",
            MediaStorageSopInstanceUid = "1.2.3.9",
            TransferSyntaxUid = TransferSyntax.ExplicitVRLittleEndian.Uid,
        };
        string path = dir.Combine("mixed.dcm");
        File.WriteAllBytes(path, [.. meta.Encode(), .. dataset]);
        return path;
    }

    private static byte[] Element(ushort group, ushort element, DicomVR vr, byte[] value, uint? length = null) =>
        new RawDataset().Element(group, element, vr, value, length).ToArray();
}
