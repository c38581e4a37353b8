using System.IO.Compression;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Dicom.IO.Reading;
using ActorMove.Testing;
using Xunit;
using static ActorMove.Dicom.Tests.Reading.DicomReaderEncodingTests;

namespace ActorMove.Dicom.Tests.Reading;

public class DicomFileReadingTests : IDisposable
{
    private readonly TempDirectory _temp = new("reader");

    public void Dispose() => _temp.Dispose();

    private static string PadUid(string uid) => uid.Length % 2 == 1 ? uid + "\0" : uid;

    internal static byte[] Meta(string transferSyntaxUid)
    {
        byte[] body = new DicomBytes()
            .Element(0x0002, 0x0001, "OB", [0, 1])
            .Text(0x0002, 0x0002, "UI", PadUid("1.2.840.10008.5.1.4.1.1.7"))
            .Text(0x0002, 0x0003, "UI", PadUid("1.2.3.4"))
            .Text(0x0002, 0x0010, "UI", PadUid(transferSyntaxUid))
            .ToArray();
        return new DicomBytes().Element(0x0002, 0x0000, "UL", BitConverter.GetBytes((uint)body.Length)).Raw(body).ToArray();
    }

    internal static byte[] Preamble()
    {
        var preamble = new byte[128];
        preamble[0] = 0x49;
        preamble[127] = 0x7A;
        return preamble;
    }

    private string Write(string name, params byte[][] parts)
    {
        string path = _temp.Combine(name);
        File.WriteAllBytes(path, parts.SelectMany(p => p).ToArray());
        return path;
    }

    private static byte[] SampleDataset(bool explicitVR = true, bool littleEndian = true) =>
        new DicomBytes(explicitVR, littleEndian)
            .Text(0x0008, 0x0018, "UI", "1.2.3.4\0")
            .Text(0x0010, 0x0010, "PN", "Doe^John")
            .Element(0x0028, 0x0010, "US", littleEndian ? [0x40, 0x00] : [0x00, 0x40])
            .ToArray();

    [Fact]
    public void Reads_a_part_10_file_with_preamble_meta_and_data_set()
    {
        byte[] meta = Meta(TransferSyntax.ExplicitVRLittleEndian.Uid);
        string path = Write("a.dcm", Preamble(), "DICM"u8.ToArray(), meta, SampleDataset());

        using var file = DicomReader.ReadFile(path);

        Assert.Equal(Preamble(), file.Preamble);
        Assert.Equal(TransferSyntax.ExplicitVRLittleEndian, file.TransferSyntax);
        Assert.Equal(5, file.Meta.Count);
        Assert.Equal("1.2.3.4", file.Meta.GetString(new DicomTag(0x0002, 0x0003)));
        Assert.Equal(132 + meta.Length, file.DatasetOffset);
        Assert.Equal(SampleDataset().Length, file.DatasetLength);
        Assert.Equal("Doe^John", file.Dataset.GetString(new DicomTag(0x0010, 0x0010)));
        Assert.IsType<FileValueSource>(file.Source);
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2", false, true)]
    [InlineData("1.2.840.10008.1.2.1", true, true)]
    [InlineData("1.2.840.10008.1.2.2", true, false)]
    public void The_meta_transfer_syntax_decides_the_data_set_encoding(string uid, bool explicitVR, bool littleEndian)
    {
        string path = Write("a.dcm", Preamble(), "DICM"u8.ToArray(), Meta(uid), SampleDataset(explicitVR, littleEndian));

        using var file = DicomReader.ReadFile(path);

        Assert.Equal(uid, file.TransferSyntax.Uid);
        Assert.Equal(littleEndian, file.Dataset.SourceIsLittleEndian);
        Assert.Equal("Doe^John", file.Dataset.GetString(new DicomTag(0x0010, 0x0010)));
        Assert.Equal(littleEndian ? new byte[] { 0x40, 0 } : [0, 0x40], Primitive(file.Dataset, 0x0028, 0x0010).Value.Bytes.ToArray());
    }

    [Theory]
    [InlineData(false, true, "1.2.840.10008.1.2")]
    [InlineData(true, true, "1.2.840.10008.1.2.1")]
    [InlineData(true, false, "1.2.840.10008.1.2.2")]
    public void Detects_the_encoding_of_a_bare_data_set(bool explicitVR, bool littleEndian, string expectedUid)
    {
        string path = Write("bare.dcm", SampleDataset(explicitVR, littleEndian));

        using var file = DicomReader.ReadFile(path);

        Assert.Null(file.Preamble);
        Assert.Equal(0, file.Meta.Count);
        Assert.Equal(0, file.DatasetOffset);
        Assert.Equal(expectedUid, file.TransferSyntax.Uid);
        Assert.Equal("Doe^John", file.Dataset.GetString(new DicomTag(0x0010, 0x0010)));
    }

    [Fact]
    public void A_forced_syntax_overrides_detection_of_a_bare_data_set()
    {
        // Implicit VR bytes read as if explicit would fail on the VR; forcing implicit reads them.
        string path = Write("bare.dcm", SampleDataset(explicitVR: false));
        var forced = new DicomReadOptions { DatasetTransferSyntax = TransferSyntax.ImplicitVRLittleEndian, Mode = DicomReadMode.DatasetOnly };

        using var file = DicomReader.ReadFile(path, forced);
        Assert.Equal(TransferSyntax.ImplicitVRLittleEndian, file.TransferSyntax);
        Assert.Equal("Doe^John", file.Dataset.GetString(new DicomTag(0x0010, 0x0010)));

        var wrong = new DicomReadOptions { DatasetTransferSyntax = TransferSyntax.ExplicitVRLittleEndian };
        Assert.Throws<DicomFormatException>(() => DicomReader.ReadFile(path, wrong));
    }

    [Fact]
    public void Reads_meta_information_without_preamble()
    {
        byte[] meta = Meta(TransferSyntax.ImplicitVRLittleEndian.Uid);
        string path = Write("nopreamble.dcm", meta, SampleDataset(explicitVR: false));

        using var file = DicomReader.ReadFile(path);

        Assert.Null(file.Preamble);
        Assert.Equal(5, file.Meta.Count);
        Assert.Equal(meta.Length, file.DatasetOffset);
        Assert.Equal(TransferSyntax.ImplicitVRLittleEndian, file.TransferSyntax);
        Assert.Equal("Doe^John", file.Dataset.GetString(new DicomTag(0x0010, 0x0010)));
    }

    [Fact]
    public void A_missing_dicm_prefix_fails_in_file_only_mode()
    {
        string path = Write("bare.dcm", new byte[200]);
        var e = Assert.Throws<DicomFormatException>(() => DicomReader.ReadFile(path, new DicomReadOptions { Mode = DicomReadMode.FileOnly }));
        Assert.Equal(128, e.Offset);

        string tiny = Write("tiny.dcm", new byte[20]);
        Assert.Equal(20, Assert.Throws<DicomFormatException>(() => DicomReader.ReadFile(tiny, new DicomReadOptions { Mode = DicomReadMode.FileOnly })).Offset);
    }

    [Fact]
    public void Meta_information_that_does_not_start_with_group_0002_fails()
    {
        string path = Write("a.dcm", Preamble(), "DICM"u8.ToArray(), SampleDataset());
        Assert.Equal(132, Assert.Throws<DicomFormatException>(() => DicomReader.ReadFile(path)).Offset);
    }

    [Fact]
    public void A_file_cut_inside_its_pixel_data_fails_at_the_pixel_data_element()
    {
        byte[] meta = Meta(TransferSyntax.ExplicitVRLittleEndian.Uid);
        var dataset = new DicomBytes().Text(0x0010, 0x0010, "PN", "Doe^John");
        long pixelOffset = 132 + meta.Length + dataset.Position;
        byte[] truncated = dataset.Header(0x7FE0, 0x0010, "OW", 1 << 20).Raw(new byte[1000]).ToArray();
        string path = Write("cut.dcm", Preamble(), "DICM"u8.ToArray(), meta, truncated);

        Assert.Equal(pixelOffset, Assert.Throws<DicomFormatException>(() => DicomReader.ReadFile(path)).Offset);
    }

    [Fact]
    public void Reads_a_deflated_data_set_through_an_unnamed_temporary_file_that_is_gone_on_dispose()
    {
        byte[] big = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7)).ToArray();
        byte[] dataset = new DicomBytes().Text(0x0010, 0x0010, "PN", "Doe^John").Element(0x7FE0, 0x0010, "OB", big).ToArray();
        var compressed = new MemoryStream();
        using (var deflate = new DeflateStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(dataset);
        }

        string path = Write("deflated.dcm", Preamble(), "DICM"u8.ToArray(), Meta(TransferSyntax.DeflatedExplicitVRLittleEndian.Uid), compressed.ToArray());
        string scratch = Directory.CreateDirectory(_temp.Combine("scratch")).FullName;

        var file = DicomReader.ReadFile(path, new DicomReadOptions { TemporaryDirectory = scratch });
        try
        {
            Assert.Equal(TransferSyntax.DeflatedExplicitVRLittleEndian, file.TransferSyntax);
            Assert.Equal("Doe^John", file.Dataset.GetString(new DicomTag(0x0010, 0x0010)));
            var pixels = Primitive(file.Dataset, 0x7FE0, 0x0010).Value;
            Assert.True(pixels.IsDeferred);
            Assert.NotNull(pixels.Source);
            Assert.IsNotType<FileValueSource>(pixels.Source);
            Assert.Equal(big, pixels.ToArray());
            // The file's own (compressed) bytes stay what a bit-preserving copy takes.
            Assert.IsType<FileValueSource>(file.Source);
            Assert.Equal(132 + Meta(TransferSyntax.DeflatedExplicitVRLittleEndian.Uid).Length, file.DatasetOffset);
            Assert.Equal(compressed.Length, file.DatasetLength);
            // The scratch file is open in the scratch folder without a name: a process killed while reading leaves
            // nothing there (Linux).
            Assert.Empty(Directory.GetFiles(scratch));
            Assert.Equal(1, OpenDescriptorsIn(scratch));
        }
        finally
        {
            file.Dispose();
        }

        Assert.Empty(Directory.GetFiles(scratch));
        Assert.Equal(0, OpenDescriptorsIn(scratch));
    }

    [Fact]
    public void Deflated_bytes_that_are_not_deflate_fail()
    {
        byte[] meta = Meta(TransferSyntax.DeflatedExplicitVRLittleEndian.Uid);
        string path = Write("bad.dcm", Preamble(), "DICM"u8.ToArray(), meta, Enumerable.Repeat((byte)0xFF, 64).ToArray());
        string scratch = Directory.CreateDirectory(_temp.Combine("scratch")).FullName;

        var e = Assert.Throws<DicomFormatException>(() => DicomReader.ReadFile(path, new DicomReadOptions { TemporaryDirectory = scratch }));

        Assert.InRange(e.Offset, 132 + meta.Length, 132 + meta.Length + 64);
        Assert.Empty(Directory.GetFiles(scratch));
    }

    [Fact]
    public void Inflates_a_deflated_data_set_from_any_source_for_reading()
    {
        byte[] dataset = new DicomBytes().Text(0x0010, 0x0010, "PN", "Doe^John").Text(0x0010, 0x0020, "LO", "PID7").ToArray();
        var compressed = new MemoryStream();
        compressed.Write([9, 9, 9]);
        using (var deflate = new DeflateStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            deflate.Write(dataset);
        }

        string scratch = Directory.CreateDirectory(_temp.Combine("scratch")).FullName;
        byte[] bytes = compressed.ToArray();
        using (var inflated = DicomReader.InflateToTemporaryFile(new MemoryValueSource(bytes), 3, bytes.Length - 3, new DicomReadOptions { TemporaryDirectory = scratch }))
        {
            Assert.Equal(dataset.Length, inflated.Length);
            var read = DicomReader.ReadDataset(inflated, 0, inflated.Length, TransferSyntax.ExplicitVRLittleEndian);
            Assert.Equal("PID7", read.GetString(new DicomTag(0x0010, 0x0020)));
        }

        Assert.Empty(Directory.GetFiles(scratch));
    }

    /// <summary>The process's open descriptors on files in <paramref name="folder"/>, named or not (Linux: /proc/self/fd).</summary>
    private static int OpenDescriptorsIn(string folder) =>
        new DirectoryInfo("/proc/self/fd").GetFileSystemInfos().Count(fd => fd.LinkTarget is { } target && target.StartsWith(folder + "/", StringComparison.Ordinal));
}
