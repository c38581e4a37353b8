using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Dicom.IO.Reading;
using ActorMove.Dicom.IO.Writing;
using ActorMove.Testing;
using ActorMove.Testing.Dcmtk;
using Xunit;
using static ActorMove.Dicom.Tests.Reading.DicomReaderEncodingTests;

namespace ActorMove.Dicom.Tests.Reading;

/// <summary>Files written by DCMTK (dump2dcm, dcmconv, dcmcjpeg, dcmcrle) read by our reader and compared with dcmdump.</summary>
public class DcmtkInteropReadingTests : IDisposable
{
    private const int PixelBytes = 8 * 1024 * 1024;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _temp = new("reader-dcmtk");

    public void Dispose() => _temp.Dispose();

    private const string Dump = """
        (0008,0016) UI [1.2.840.10008.5.1.4.1.1.7]
        (0008,0018) UI [1.2.826.0.1.3680043.2.1143.42]
        (0008,1115) SQ (Sequence with undefined length #=2)
          (fffe,e000) na (Item with undefined length #=2)
            (0008,1150) UI [1.2.3]
            (0008,1140) SQ (Sequence with undefined length #=2)
              (fffe,e000) na (Item with undefined length #=1)
                (0008,1155) UI [9.8.7]
              (fffe,e00d) na (ItemDelimitationItem)
              (fffe,e000) na (Item with undefined length #=1)
                (0008,1155) UI [9.8.7.6]
              (fffe,e00d) na (ItemDelimitationItem)
            (fffe,e0dd) na (SequenceDelimitationItem)
          (fffe,e00d) na (ItemDelimitationItem)
          (fffe,e000) na (Item with undefined length #=0)
          (fffe,e00d) na (ItemDelimitationItem)
        (fffe,e0dd) na (SequenceDelimitationItem)
        (0010,0010) PN [Doe^John]
        (0010,0020) LO []
        (0018,1310) US 0\64\64\0
        (0018,9219) SS -5\7
        (0020,0013) IS [12]
        (0028,0010) US 2048
        (0028,0011) US 2048
        (0029,0010) LO [ACME]
        (0029,1010) OB 01\02\03\04
        (0029,1011) UL 305419896
        (0040,a30a) DS [1.5\2]
        (7fe0,0010) OW =pixels.raw
        """;

    private byte[] WritePixels()
    {
        var pixels = new byte[PixelBytes];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)(i * 31 + (i >> 11));
        }

        File.WriteAllBytes(_temp.Combine("pixels.raw"), pixels);
        return pixels;
    }

    private string Run(string program, params string[] arguments)
    {
        var result = DcmtkTool.Run(program, arguments, Timeout, workingDirectory: _temp.Path);
        Assert.True(result.ExitCode == 0, $"{program} failed: {result}");
        return result.StdOut;
    }

    private string MakeSource()
    {
        File.WriteAllText(_temp.Combine("source.dump"), Dump);
        Run("dump2dcm", "+te", "source.dump", "source.dcm");
        return "source.dcm";
    }

    private static void AssertSameAsDcmdump(DicomFile file, string dump)
    {
        var (meta, dataset) = DcmdumpComparer.Parse(dump);
        Assert.NotEmpty(meta);
        DcmdumpComparer.AssertMatches(meta, file.Meta);
        DcmdumpComparer.AssertMatches(dataset, file.Dataset);
    }

    [Theory]
    [InlineData("+te", "+e", "1.2.840.10008.1.2.1")]
    [InlineData("+te", "-e", "1.2.840.10008.1.2.1")]
    [InlineData("+tb", "+e", "1.2.840.10008.1.2.2")]
    [InlineData("+tb", "-e", "1.2.840.10008.1.2.2")]
    [InlineData("+ti", "+e", "1.2.840.10008.1.2")]
    [InlineData("+ti", "-e", "1.2.840.10008.1.2")]
    [InlineData("+td", "+e", "1.2.840.10008.1.2.1.99")]
    [InlineData("+td", "-e", "1.2.840.10008.1.2.1.99")]
    public void Reads_what_dcmconv_writes_as_dcmdump_prints_it(string syntaxOption, string lengthOption, string expectedUid)
    {
        byte[] pixels = WritePixels();
        string source = MakeSource();
        Run("dcmconv", syntaxOption, lengthOption, source, "converted.dcm");
        string dump = Run("dcmdump", "-Un", "converted.dcm");

        using var file = DicomReader.ReadFile(_temp.Combine("converted.dcm"), new DicomReadOptions { TemporaryDirectory = _temp.Path });

        Assert.Equal(expectedUid, file.TransferSyntax.Uid);
        AssertSameAsDcmdump(file, dump);
        var sequence = Get<DicomSequence>(file.Dataset, 0x0008, 0x1115);
        Assert.Equal(lengthOption == "-e", sequence.SourceHadUndefinedLength);
        Assert.Equal(lengthOption == "-e", sequence.Items[0].SourceItemLength == DicomConstants.UndefinedLength);

        var value = Primitive(file.Dataset, 0x7FE0, 0x0010).Value;
        Assert.True(value.IsDeferred);
        Assert.Equal((uint)PixelBytes, value.Length);
        byte[] expected = file.Dataset.SourceIsLittleEndian ? pixels : SwapWords(pixels);
        AssertValueEquals(expected, value);
    }

    [Fact]
    public void Reads_in_implicit_vr_the_elements_only_dcmtks_dictionary_had_with_dcmtks_vrs()
    {
        // The rows of tools/ActorMove.DictionaryGenerator/supplement.tsv: missing from the shared table, they were UN.
        File.WriteAllText(_temp.Combine("supplement.dump"), """
            (0006,0001) SQ (Sequence with explicit length #=1)
              (fffe,e000) na (Item with explicit length #=1)
                (0020,9057) UL 3
              (fffe,e00d) na (ItemDelimitationItem for re-encoding)
            (fffe,e0dd) na (SequenceDelimitationItem for re-encod.)
            (0008,0016) UI [1.2.840.10008.5.1.4.1.1.77.1.6]
            (0008,0017) UI [1.2.826.0.1.3680043.2.1143.44]
            (0008,0018) UI [1.2.826.0.1.3680043.2.1143.45]
            (0008,0019) UI [1.2.826.0.1.3680043.2.1143.46]
            (0008,1088) LO [Pyramid of a slide]
            (0020,0027) LO [Level 0]
            """);
        Run("dump2dcm", "+ti", "supplement.dump", "implicit.dcm");
        string dump = Run("dcmdump", "-Un", "implicit.dcm");

        using var file = DicomReader.ReadFile(_temp.Combine("implicit.dcm"));

        Assert.Equal(TransferSyntax.ImplicitVRLittleEndian, file.TransferSyntax);
        AssertSameAsDcmdump(file, dump);
        Assert.Equal(DicomVR.UI, Primitive(file.Dataset, 0x0008, 0x0017).VR);
        Assert.Equal("1.2.826.0.1.3680043.2.1143.44", file.Dataset.GetString(new DicomTag(0x0008, 0x0017)));
        Assert.Equal(DicomVR.UI, Primitive(file.Dataset, 0x0008, 0x0019).VR);
        Assert.Equal(DicomVR.LO, Primitive(file.Dataset, 0x0008, 0x1088).VR);
        Assert.Equal(DicomVR.LO, Primitive(file.Dataset, 0x0020, 0x0027).VR);
        var item = Assert.Single(Get<DicomSequence>(file.Dataset, 0x0006, 0x0001).Items);
        Assert.Equal(DicomVR.UL, Primitive(item, 0x0020, 0x9057).VR);
    }

    [Fact]
    public void Keeps_the_data_set_offset_so_its_bytes_can_be_copied_unchanged()
    {
        WritePixels();
        Run("dcmconv", "+tb", MakeSource(), "big.dcm");
        Run("dcmconv", "+tb", "-F", "-e", "big.dcm", "bare.dcm");
        // The same data set once as a Part 10 file and once bare: the bytes at DatasetOffset are the bare file.
        Run("dcmconv", "+tb", "-e", "big.dcm", "part10.dcm");

        using var part10 = DicomReader.ReadFile(_temp.Combine("part10.dcm"));
        using var bare = DicomReader.ReadFile(_temp.Combine("bare.dcm"));

        Assert.Null(bare.Preamble);
        Assert.Equal(TransferSyntax.ExplicitVRBigEndian, bare.TransferSyntax);
        byte[] bareBytes = File.ReadAllBytes(_temp.Combine("bare.dcm"));
        byte[] part10Bytes = File.ReadAllBytes(_temp.Combine("part10.dcm"));
        Assert.Equal(bareBytes.Length, part10.DatasetLength);
        Assert.True(bareBytes.AsSpan().SequenceEqual(part10Bytes.AsSpan((int)part10.DatasetOffset)));
        AssertSameAsDcmdump(part10, Run("dcmdump", "-Un", "part10.dcm"));
    }

    [Theory]
    [InlineData("+te")]
    [InlineData("+tb")]
    [InlineData("+ti")]
    [InlineData("+td")]
    public void Gives_the_writer_what_it_needs_for_a_bit_preserving_copy(string syntaxOption)
    {
        WritePixels();
        Run("dcmconv", syntaxOption, "-e", MakeSource(), "converted.dcm");
        using (var file = DicomReader.ReadFile(_temp.Combine("converted.dcm")))
        using (var output = File.Create(_temp.Combine("copy.dcm")))
        {
            DicomWriter.WriteBitPreserving(output, FileMetaInformation.Create(file.Dataset, file.TransferSyntax), file.Source!,
                file.DatasetOffset, file.DatasetLength);
        }

        using var original = DicomReader.ReadFile(_temp.Combine("converted.dcm"));
        using var copy = DicomReader.ReadFile(_temp.Combine("copy.dcm"));
        byte[] originalBytes = File.ReadAllBytes(_temp.Combine("converted.dcm"));
        byte[] copyBytes = File.ReadAllBytes(_temp.Combine("copy.dcm"));
        Assert.Equal(original.TransferSyntax, copy.TransferSyntax);
        Assert.True(originalBytes.AsSpan((int)original.DatasetOffset).SequenceEqual(copyBytes.AsSpan((int)copy.DatasetOffset)));
        string DatasetPart(string dump) => dump[dump.IndexOf("# Dicom-Data-Set", StringComparison.Ordinal)..];
        Assert.Equal(DatasetPart(Run("dcmdump", "-Un", "converted.dcm")), DatasetPart(Run("dcmdump", "-Un", "copy.dcm")));
    }

    [Theory]
    [InlineData("dcmcjpeg")]
    [InlineData("dcmcrle")]
    public void Reads_encapsulated_pixel_data_that_dcmtk_compressed(string compressor)
    {
        var frames = new byte[2 * 64 * 64];
        for (int i = 0; i < frames.Length; i++)
        {
            frames[i] = (byte)((i % 64) * 4 + (i / 4096) * 50);
        }

        File.WriteAllBytes(_temp.Combine("frames.raw"), frames);
        File.WriteAllText(_temp.Combine("image.dump"), """
            (0008,0016) UI [1.2.840.10008.5.1.4.1.1.7]
            (0008,0018) UI [1.2.826.0.1.3680043.2.1143.43]
            (0028,0002) US 1
            (0028,0004) CS [MONOCHROME2]
            (0028,0008) IS [2]
            (0028,0010) US 64
            (0028,0011) US 64
            (0028,0100) US 8
            (0028,0101) US 8
            (0028,0102) US 7
            (0028,0103) US 0
            (7fe0,0010) OB =frames.raw
            """);
        Run("dump2dcm", "+te", "image.dump", "image.dcm");
        Run(compressor, "image.dcm", "compressed.dcm");
        string dump = Run("dcmdump", "-Un", "compressed.dcm");

        // A small inline limit defers the fragments too, which must not change what is read.
        using var file = DicomReader.ReadFile(_temp.Combine("compressed.dcm"), new DicomReadOptions { InlineValueLimit = 256 });

        Assert.True(file.TransferSyntax.IsEncapsulated);
        AssertSameAsDcmdump(file, dump);
        var pixels = Get<DicomFragmentSequence>(file.Dataset, 0x7FE0, 0x0010);
        Assert.Equal(2, pixels.Fragments.Count);
        Assert.Equal(8u, pixels.OffsetTable.Length);
        Assert.All(pixels.Fragments, f => Assert.True(f.IsDeferred));
        if (compressor == "dcmcjpeg")
        {
            Assert.All(pixels.Fragments, f => Assert.Equal(new byte[] { 0xFF, 0xD8 }, f.ToArray()[..2]));
        }

        // The offset table points at each frame's first item, counted from the end of the table item.
        var table = pixels.OffsetTable.ToArray();
        Assert.Equal(0u, BitConverter.ToUInt32(table, 0));
        Assert.Equal(8 + pixels.Fragments[0].Length, BitConverter.ToUInt32(table, 4));
    }

    private static byte[] SwapWords(byte[] bytes)
    {
        var swapped = new byte[bytes.Length];
        for (int i = 0; i + 1 < bytes.Length; i += 2)
        {
            swapped[i] = bytes[i + 1];
            swapped[i + 1] = bytes[i];
        }

        return swapped;
    }

    private static void AssertValueEquals(byte[] expected, DicomValue value)
    {
        long offset = 0;
        bool same = true;
        value.CopyTo(new byte[64 * 1024], chunk =>
        {
            same &= chunk.SequenceEqual(expected.AsSpan((int)offset, chunk.Length));
            offset += chunk.Length;
        });
        Assert.Equal(expected.Length, offset);
        Assert.True(same, "the deferred value's bytes differ from the pixel data written");
    }
}
