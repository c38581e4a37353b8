using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Dicom.IO.Reading;
using ActorMove.Testing;
using Xunit;
using static ActorMove.Dicom.Tests.Reading.DicomReaderEncodingTests;
using DicomDictionary = ActorMove.Dicom.Dictionary.DicomDictionary;

namespace ActorMove.Dicom.Tests.Reading;

/// <summary>Implicit VR takes its VRs from the dictionary: defined-length sequences, binary VRs, private blocks.</summary>
public class DicomReaderDictionaryTests
{
    [Fact]
    public void Reads_a_defined_length_sequence_in_implicit_vr_because_the_dictionary_says_sq()
    {
        var item = new DicomBytes(explicitVR: false).Text(0x0008, 0x1150, "", "1.2\0").Text(0x0008, 0x1155, "", "3.4\0").ToArray();
        byte[] data = new DicomBytes(explicitVR: false)
            .Element(0x0008, 0x1115, "", new DicomBytes(explicitVR: false).Item((uint)item.Length).Raw(item).ToArray())
            .Element(0x0028, 0x0010, "", [0x40, 0x00])
            .ToArray();

        var dataset = DicomReader.ReadDataset(data, TransferSyntax.ImplicitVRLittleEndian);

        var sequence = Get<DicomSequence>(dataset, 0x0008, 0x1115);
        Assert.Equal(DicomVR.SQ, sequence.VR);
        Assert.Equal(8u + (uint)item.Length, sequence.SourceLength);
        Assert.Equal("3.4", Assert.Single(sequence.Items).GetString(new DicomTag(0x0008, 0x1155)));
        Assert.Equal(DicomVR.US, Primitive(dataset, 0x0028, 0x0010).VR);
    }

    [Fact]
    public void Resolves_private_elements_in_implicit_vr_through_their_creator()
    {
        using var temp = new TempDirectory("reader-dict");
        string file = temp.Combine("private.dic");
        File.WriteAllLines(file,
        [
            "(0029,\"ACME 1.0\",10)\tSQ\tAcmeItems\t1\tPrivateTag",
            "(0029,\"ACME 1.0\",11)\tUS\tAcmeCount\t1\tPrivateTag",
        ]);
        var options = new DicomReadOptions { Dictionary = DicomDictionary.Load([file]) };
        var item = new DicomBytes(explicitVR: false).Text(0x0010, 0x0020, "", "PID1").ToArray();
        byte[] data = new DicomBytes(explicitVR: false)
            .Text(0x0029, 0x0010, "", "ACME 1.0")
            .Text(0x0029, 0x0011, "", "OTHER ")
            .Element(0x0029, 0x1010, "", new DicomBytes(explicitVR: false).Item((uint)item.Length).Raw(item).ToArray())
            .Element(0x0029, 0x1011, "", [7, 0])
            .Element(0x0029, 0x1111, "", [7, 0])
            .ToArray();

        var dataset = DicomReader.ReadDataset(data, TransferSyntax.ImplicitVRLittleEndian, options);

        Assert.Equal(DicomVR.LO, Primitive(dataset, 0x0029, 0x0010).VR);
        Assert.Equal("PID1", Assert.Single(Get<DicomSequence>(dataset, 0x0029, 0x1010).Items).GetString(new DicomTag(0x0010, 0x0020)));
        Assert.Equal(DicomVR.US, Primitive(dataset, 0x0029, 0x1011).VR);
        // Same element byte in the block of another creator: unknown.
        Assert.Equal(DicomVR.UN, Primitive(dataset, 0x0029, 0x1111).VR);
    }
}
