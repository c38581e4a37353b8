using System.Buffers.Binary;
using System.Text;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Dicom.IO.Writing;
using ActorMove.Testing;
using ActorMove.Testing.Dcmtk;
using Xunit;

namespace ActorMove.Dicom.Tests.Writing;

public class DicomWriterTests
{
    private const string JpegBaseline = "1.2.840.10008.1.2.4.50";

    [Theory]
    [InlineData("LE", "+tb")]
    [InlineData("BE", "+te")]
    [InlineData("BE", "+ti -e")]
    [InlineData("LE", "+ti")]
    public void Copies_multi_MiB_deferred_pixel_data_in_chunks_with_byte_swapping(string source, string arguments)
    {
        const int pixelLength = 5 * 1024 * 1024 + 6; // not a multiple of the write buffer
        using var dir = new TempDirectory("writer");
        using var sourceFile = SourceFile.Create(dir, source, pixelLength);
        string dcmtkPath = dir.Combine("dcmtk.dcm");
        DcmtkCompare.Dcmconv(arguments, sourceFile.Path, dcmtkPath);

        string oursPath = dir.Combine("ours.dcm");
        using (var output = File.Create(oursPath))
        {
            DicomWriter.WriteFile(output, sourceFile.Meta, sourceFile.Dataset, DcmtkCompare.FromDcmconvArguments(arguments));
        }

        DcmtkCompare.AssertDcmdumpClean(oursPath);
        Assert.Equal(DcmtkCompare.Body(File.ReadAllBytes(dcmtkPath)), DcmtkCompare.Body(File.ReadAllBytes(oursPath)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("+tb")]
    [InlineData("+ti")]
    [InlineData("-u")]
    [InlineData("+tb -u")]
    [InlineData("-e +g")]
    public void Pads_odd_values_and_writes_UN_sequences_as_dcmconv_does(string arguments)
    {
        // Odd lengths get a NUL byte (OW excepted, which stays odd); a UN element of undefined length read as a sequence
        // (CP-246) is written as SQ.
        byte[] implicitInItem = RawDataset.TagAndLength(0x0011, 0x1010, 4, "AB  "u8.ToArray());
        byte[] unSequence =
        [
            .. RawDataset.TagAndLength(0xFFFE, 0xE000, DicomConstants.UndefinedLength), .. implicitInItem,
            .. RawDataset.TagAndLength(0xFFFE, 0xE00D, 0), .. RawDataset.TagAndLength(0xFFFE, 0xE0DD, 0),
        ];
        var values = new (ushort Group, ushort Element, DicomVR VR, byte[] Value)[]
        {
            (0x0008, 0x0016, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7\0"u8.ToArray()),
            (0x0008, 0x0018, DicomVR.UI, "1.2.3"u8.ToArray()),
            (0x0010, 0x0010, DicomVR.PN, "Doe"u8.ToArray()),
            (0x0011, 0x0010, DicomVR.LO, "X"u8.ToArray()),
            (0x0011, 0x1001, DicomVR.UN, [1, 2, 3]),
            (0x0011, 0x1002, DicomVR.OB, [1, 2, 3]),
            (0x0011, 0x1003, DicomVR.UT, "abc"u8.ToArray()),
            (0x0011, 0x1004, DicomVR.US, [1, 2, 3]),
            (0x0011, 0x1005, DicomVR.UL, [1, 2, 3, 4, 5, 6]),
            (0x0011, 0x1006, DicomVR.FD, [1, 2, 3, 4, 5, 6]),
            (0x0028, 0x1203, DicomVR.OW, [1, 2, 3]),
        };
        var raw = new RawDataset();
        var dataset = new DicomDataset();
        foreach (var (group, element, vr, value) in values)
        {
            raw.Element(group, element, vr, value);
            dataset.AddOrUpdate(DatasetBuilder.Raw(group, element, vr, value));
        }

        raw.Element(0x0011, 0x1007, DicomVR.UN, unSequence, DicomConstants.UndefinedLength);
        var item = new DicomDataset();
        item.AddOrUpdate(DatasetBuilder.Raw(0x0011, 0x1010, DicomVR.UN, "AB  "u8.ToArray()));
        dataset.AddOrUpdate(new DicomSequence(new DicomTag(0x0011, 0x1007), DicomVR.UN, [item]) { SourceLength = DicomConstants.UndefinedLength });

        using var dir = new TempDirectory("writer");
        string rawPath = dir.Combine("odd.raw");
        File.WriteAllBytes(rawPath, raw.ToArray());
        string dcmtkPath = dir.Combine("dcmtk.dcm");
        DcmtkCompare.Dcmconv("-f " + arguments, rawPath, dcmtkPath);

        using var ours = new MemoryStream();
        DicomWriter.WriteFile(ours, FileMetaInformation.Create(dataset, TransferSyntax.ExplicitVRLittleEndian), dataset,
            DcmtkCompare.FromDcmconvArguments(arguments));
        Assert.Equal(DcmtkCompare.Body(File.ReadAllBytes(dcmtkPath)), DcmtkCompare.Body(ours.ToArray()));
    }

    [Theory]
    [InlineData("+te")]
    [InlineData("+tb")]
    [InlineData("+te -u")]
    [InlineData("+tb -u -e")]
    public void Writes_values_too_long_for_a_16_bit_length_as_UN_like_dcmconv(string arguments)
    {
        var b = new DatasetBuilder(littleEndian: true);
        var dataset = b.Item(
            DatasetBuilder.Text(0x0008, 0x0016, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7"),
            DatasetBuilder.Text(0x0008, 0x0018, DicomVR.UI, "1.2.3"),
            DatasetBuilder.Text(0x0010, 0x0020, DicomVR.LO, new string('A', 70_000)),
            b.UInt32(0x0028, 0x9001, DicomVR.UL, Enumerable.Range(1, 20_000).Select(i => (uint)i).ToArray()));
        var meta = FileMetaInformation.Create(dataset, TransferSyntax.ImplicitVRLittleEndian);

        using var dir = new TempDirectory("writer");
        string sourcePath = dir.Combine("implicit.dcm");
        using (var output = File.Create(sourcePath))
        {
            DicomWriter.WriteFile(output, meta, dataset, DicomWriteOptions.Default);
        }

        string dcmtkPath = dir.Combine("dcmtk.dcm");
        DcmtkCompare.Dcmconv(arguments, sourcePath, dcmtkPath);
        string oursPath = dir.Combine("ours.dcm");
        using (var output = File.Create(oursPath))
        {
            DicomWriter.WriteFile(output, meta, dataset, DcmtkCompare.FromDcmconvArguments(arguments));
        }

        string dump = DcmtkCompare.AssertDcmdumpClean(oursPath);
        Assert.Contains(arguments.Contains("-u") ? "(0010,0020) OB" : "(0010,0020) UN", dump);
        Assert.Equal(DcmtkCompare.Body(File.ReadAllBytes(dcmtkPath)), DcmtkCompare.Body(File.ReadAllBytes(oursPath)));
    }

    [Fact]
    public void Matches_a_file_dump2dcm_makes_from_the_same_description()
    {
        const string dump = """
            (0008,0016) UI [1.2.840.10008.5.1.4.1.1.7]
            (0008,0018) UI [1.2.3.4]
            (0008,1115) SQ (Sequence with undefined length)
            (fffe,e000) na (Item with undefined length)
              (0008,1140) SQ (Sequence with explicit length)
              (fffe,e000) na (Item with explicit length)
                (0008,1155) UI [1.2.3]
              (fffe,e00d) na (ItemDelimitationItem for re-encoding)
              (fffe,e0dd) na (SequenceDelimitationItem for re-encoding)
              (0008,1150) UI [1.2.840.10008.5.1.4.1.1.2]
            (fffe,e00d) na (ItemDelimitationItem)
            (fffe,e0dd) na (SequenceDelimitationItem)
            (0010,0010) PN [Doe^Jane]
            (0010,0020) LO [ABC]
            (0011,0010) LO [CREATOR]
            (0011,1001) UN 01\02\03\04
            (0028,0010) US 2
            (0028,1203) OW 0102\0304
            (0040,a160) UT [text]
            """;
        var b = new DatasetBuilder(littleEndian: true);
        var dataset = b.Item(
            DatasetBuilder.Text(0x0008, 0x0016, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7"),
            DatasetBuilder.Text(0x0008, 0x0018, DicomVR.UI, "1.2.3.4"),
            b.Sequence(0x0008, 0x1115, b.Item(
                b.Sequence(0x0008, 0x1140, b.Item(DatasetBuilder.Text(0x0008, 0x1155, DicomVR.UI, "1.2.3"))),
                DatasetBuilder.Text(0x0008, 0x1150, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2"))),
            DatasetBuilder.Text(0x0010, 0x0010, DicomVR.PN, "Doe^Jane"),
            DatasetBuilder.Text(0x0010, 0x0020, DicomVR.LO, "ABC"),
            DatasetBuilder.Text(0x0011, 0x0010, DicomVR.LO, "CREATOR"),
            DatasetBuilder.Raw(0x0011, 0x1001, DicomVR.UN, [1, 2, 3, 4]),
            b.UInt16(0x0028, 0x0010, DicomVR.US, 2),
            b.UInt16(0x0028, 0x1203, DicomVR.OW, 0x0102, 0x0304),
            DatasetBuilder.Text(0x0040, 0xA160, DicomVR.UT, "text"));

        using var dir = new TempDirectory("writer");
        foreach (string arguments in new[] { "+te", "+tb", "+ti", "+te -e", "+tb +g" })
        {
            File.WriteAllText(dir.Combine("source.dump"), dump);
            string dcmtkPath = dir.Combine("dcmtk.dcm");
            var result = DcmtkTool.Run("dump2dcm", [.. arguments.Split(' '), dir.Combine("source.dump"), dcmtkPath], DcmtkCompare.Timeout);
            Assert.True(result.ExitCode == 0, result.ToString());

            using var ours = new MemoryStream();
            var options = DcmtkCompare.FromDcmconvArguments(arguments);
            DicomWriter.WriteFile(ours, FileMetaInformation.Create(dataset, TransferSyntax.ExplicitVRLittleEndian), dataset, options);
            Assert.Equal(DcmtkCompare.Body(File.ReadAllBytes(dcmtkPath)), DcmtkCompare.Body(ours.ToArray()));
        }
    }

    [Fact]
    public void Writes_meta_information_dcmdump_reads()
    {
        var b = new DatasetBuilder(littleEndian: true);
        var dataset = b.Item(
            DatasetBuilder.Text(0x0008, 0x0016, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2"),
            DatasetBuilder.Text(0x0008, 0x0018, DicomVR.UI, "1.2.3.44"),
            DatasetBuilder.Text(0x0010, 0x0010, DicomVR.PN, "Meta^Test"));
        var meta = FileMetaInformation.Create(dataset, TransferSyntax.ImplicitVRLittleEndian, "STORESCU");

        using var dir = new TempDirectory("writer");
        string path = dir.Combine("meta.dcm");
        using (var output = File.Create(path))
        {
            DicomWriter.WriteFile(output, meta, dataset, new DicomWriteOptions { TargetSyntax = TransferSyntax.ExplicitVRBigEndian });
        }

        byte[] file = File.ReadAllBytes(path);
        Assert.All(file[..128], b => Assert.Equal(0, b));
        var elements = DcmtkCompare.Meta(file);
        Assert.Equal([0x0000, 0x0001, 0x0002, 0x0003, 0x0010, 0x0012, 0x0013, 0x0016], elements.Keys.Order().Select(k => (int)k));
        Assert.Equal(new byte[] { 0, 1 }, elements[0x0001]);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", DcmtkCompare.MetaString(elements, 0x0002));
        Assert.Equal("1.2.3.44", DcmtkCompare.MetaString(elements, 0x0003));
        Assert.Equal(TransferSyntax.ExplicitVRBigEndian.Uid, DcmtkCompare.MetaString(elements, 0x0010)); // the syntax written
        Assert.Equal(ActorMoveImplementation.ClassUid, DcmtkCompare.MetaString(elements, 0x0012));
        Assert.Equal(ActorMoveImplementation.VersionName, DcmtkCompare.MetaString(elements, 0x0013));
        Assert.Equal("STORESCU", DcmtkCompare.MetaString(elements, 0x0016));
        Assert.Equal(elements.Where(e => e.Key != 0).Sum(e => (e.Key is 0x0001 ? 12 : 8) + e.Value.Length),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(elements[0x0000]));

        string dump = DcmtkCompare.AssertDcmdumpClean(path);
        Assert.Contains("(0002,0013) SH [ACTORMOVE_010]", dump);
        Assert.Contains("(0002,0016) AE [STORESCU]", dump);
        Assert.Contains("# Used TransferSyntax: Big Endian Explicit", dump);
        Assert.Contains("(0010,0010) PN [Meta^Test]", dump);
        Assert.True(ActorMoveImplementation.VersionName.Length <= 16);
        Assert.Matches(@"^2\.25\.[1-9][0-9]*$", ActorMoveImplementation.ClassUid);
        Assert.True(ActorMoveImplementation.ClassUid.Length <= 64);
    }

    [Fact]
    public void Strips_group_0002_from_the_data_set_and_keeps_tag_order()
    {
        var b = new DatasetBuilder(littleEndian: true);
        var dataset = b.Item(
            DatasetBuilder.Text(0x0010, 0x0020, DicomVR.LO, "ID"),
            DatasetBuilder.Text(0x0002, 0x0010, DicomVR.UI, "1.2.840.10008.1.2"),
            DatasetBuilder.Text(0x0008, 0x0018, DicomVR.UI, "1.2.3"));
        using var ours = new MemoryStream();
        DicomWriter.WriteDataset(ours, dataset, TransferSyntax.ExplicitVRLittleEndian, DicomWriteOptions.Default);
        byte[] bytes = ours.ToArray();
        Assert.Equal(0x0008, BinaryPrimitives.ReadUInt16LittleEndian(bytes));
        Assert.Equal(8 + 6 + 8 + 2, bytes.Length);
        Assert.Equal(0x0010, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(14)));
    }

    [Fact]
    public void Passes_encapsulated_pixel_data_through_and_refuses_to_decompress_it()
    {
        var b = new DatasetBuilder(littleEndian: true);
        byte[] fragment1 = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        byte[] fragment2 = [0xFF, 0xD8, 0xFF, 0xD9];
        var dataset = b.Item(
            DatasetBuilder.Text(0x0008, 0x0016, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7"),
            DatasetBuilder.Text(0x0008, 0x0018, DicomVR.UI, "1.2.3.5"),
            b.UInt16(0x0028, 0x0002, DicomVR.US, 1),
            DatasetBuilder.Text(0x0028, 0x0004, DicomVR.CS, "MONOCHROME2"),
            b.UInt16(0x0028, 0x0010, DicomVR.US, 8),
            b.UInt16(0x0028, 0x0011, DicomVR.US, 8),
            b.UInt16(0x0028, 0x0100, DicomVR.US, 8),
            b.UInt16(0x0028, 0x0101, DicomVR.US, 8),
            b.UInt16(0x0028, 0x0102, DicomVR.US, 7),
            b.UInt16(0x0028, 0x0103, DicomVR.US, 0),
            new DicomFragmentSequence(DicomTag.PixelData, DicomVR.OB, DicomValue.FromBytes(new byte[] { 0, 0, 0, 0 }),
                [DicomValue.FromBytes(fragment1), DicomValue.FromBytes(fragment2)]));
        var meta = FileMetaInformation.Create(dataset, TransferSyntax.Lookup(JpegBaseline));

        using var dir = new TempDirectory("writer");
        string path = dir.Combine("jpeg.dcm");
        foreach (var lengths in new[] { SequenceLengthMode.Explicit, SequenceLengthMode.Undefined })
        {
            using (var output = File.Create(path))
            {
                DicomWriter.WriteFile(output, meta, dataset, new DicomWriteOptions { SequenceLength = lengths, GroupLength = GroupLengthMode.Create });
            }

            string dump = DcmtkCompare.AssertDcmdumpClean(path);
            Assert.Contains("(7fe0,0010) OB (PixelSequence #=3)", dump);
            Assert.Contains("(fffe,e000) pi 00\\01\\02\\03", dump);
            string copy = dir.Combine("dcmtk.dcm");
            DcmtkCompare.Dcmconv("+g", path, copy);
            Assert.Equal(DcmtkCompare.Body(File.ReadAllBytes(copy)), DcmtkCompare.Body(File.ReadAllBytes(path)));
        }

        foreach (var target in new[]
                 {
                     TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.ExplicitVRBigEndian,
                     TransferSyntax.DeflatedExplicitVRLittleEndian,
                 })
        {
            var error = Assert.Throws<DicomConversionException>(() =>
                DicomWriter.WriteFile(Stream.Null, meta, dataset, new DicomWriteOptions { TargetSyntax = target }));
            Assert.Equal(JpegBaseline, error.SourceSyntaxUid);
            Assert.Equal(target.Uid, error.TargetSyntaxUid);
        }

        // DCMTK refuses the same conversion.
        var refused = DcmtkTool.Run("dcmconv", ["+te", path, dir.Combine("refused.dcm")], DcmtkCompare.Timeout);
        Assert.NotEqual(0, refused.ExitCode);
    }

    [Fact]
    public void Bit_preserving_output_holds_the_received_bytes_exactly()
    {
        using var dir = new TempDirectory("writer");
        using var sourceFile = SourceFile.Create(dir, "BE", 70_001 * 4);

        // A received stream: something before, the data set as it came over the wire, something after.
        using var received = new MemoryStream();
        received.Write("JUNK-BEFORE"u8);
        long offset = received.Position;
        DicomWriter.WriteDataset(received, sourceFile.Dataset, TransferSyntax.ExplicitVRBigEndian,
            new DicomWriteOptions { SequenceLength = SequenceLengthMode.Undefined, GroupLength = GroupLengthMode.Create, Padding = PaddingMode.Retain });
        long length = received.Position - offset;
        received.Write("JUNK-AFTER"u8);
        string receivedPath = dir.Combine("received.bin");
        File.WriteAllBytes(receivedPath, received.ToArray());

        var meta = sourceFile.Meta with { TransferSyntaxUid = TransferSyntax.ExplicitVRBigEndian.Uid, SourceApplicationEntityTitle = "PEER" };
        string path = dir.Combine("bitpreserved.dcm");
        using (var source = new FileValueSource(receivedPath))
        using (var output = File.Create(path))
        {
            DicomWriter.WriteBitPreserving(output, meta, source, offset, length);
        }

        byte[] file = File.ReadAllBytes(path);
        Assert.Equal(received.ToArray().AsSpan((int)offset, (int)length).ToArray(), DcmtkCompare.Body(file));
        Assert.Equal(meta.Encode(), file[..(file.Length - (int)length)]);
        DcmtkCompare.AssertDcmdumpClean(path);
    }

    [Fact]
    public async Task Async_writing_gives_the_same_bytes_as_sync_writing()
    {
        using var dir = new TempDirectory("writer");
        using var sourceFile = SourceFile.Create(dir, "BE", 600_000);
        foreach (var options in new[]
                 {
                     new DicomWriteOptions { TargetSyntax = TransferSyntax.ExplicitVRLittleEndian, GroupLength = GroupLengthMode.Create },
                     new DicomWriteOptions { TargetSyntax = TransferSyntax.DeflatedExplicitVRLittleEndian, DeflateLevel = 1 },
                     new DicomWriteOptions { SequenceLength = SequenceLengthMode.Undefined, Padding = PaddingMode.Create, FilePadding = 64, ItemPadding = 8 },
                 })
        {
            using var sync = new MemoryStream();
            DicomWriter.WriteFile(sync, sourceFile.Meta, sourceFile.Dataset, options);
            using var async = new MemoryStream();
            await DicomWriter.WriteFileAsync(async, sourceFile.Meta, sourceFile.Dataset, options);
            Assert.Equal(sync.ToArray(), async.ToArray());
        }

        using var received = new FileValueSource(sourceFile.Path);
        using var bitSync = new MemoryStream();
        DicomWriter.WriteBitPreserving(bitSync, sourceFile.Meta, received, 200, 300_000);
        using var bitAsync = new MemoryStream();
        await DicomWriter.WriteBitPreservingAsync(bitAsync, sourceFile.Meta, received, 200, 300_000);
        Assert.Equal(bitSync.ToArray(), bitAsync.ToArray());
    }

    [Fact]
    public void Rejects_options_DCMTK_rejects()
    {
        var dataset = new DatasetBuilder(true).Item(DatasetBuilder.Text(0x0008, 0x0018, DicomVR.UI, "1.2"));
        var meta = FileMetaInformation.Create(dataset, TransferSyntax.ExplicitVRLittleEndian);
        Assert.Throws<ArgumentException>(() => DicomWriter.WriteFile(Stream.Null, meta, dataset,
            new DicomWriteOptions { WriteFileFormat = false, Padding = PaddingMode.Create, FilePadding = 16 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => DicomWriter.WriteFile(Stream.Null, meta, dataset,
            new DicomWriteOptions { DeflateLevel = 10 }));
        Assert.Throws<DicomConversionException>(() => DicomWriter.WriteFile(Stream.Null, meta, dataset,
            new DicomWriteOptions { TargetSyntax = TransferSyntax.Lookup(JpegBaseline) }));
    }

    [Fact]
    public void Writing_large_deferred_values_allocates_no_more_than_writing_small_ones()
    {
        long Allocated(uint length)
        {
            var dataset = new DatasetBuilder(true).Item(
                new DicomPrimitiveElement(DicomTag.PixelData, DicomVR.OW, DicomValue.Deferred(new ZeroSource(), 0, length)));
            var meta = new FileMetaInformation { MediaStorageSopClassUid = "1.2", MediaStorageSopInstanceUid = "1.3", TransferSyntaxUid = TransferSyntax.ExplicitVRLittleEndian.Uid };
            var options = new DicomWriteOptions { TargetSyntax = TransferSyntax.ExplicitVRBigEndian };
            DicomWriter.WriteFile(Stream.Null, meta, dataset, options); // warms the pool and the code
            long before = GC.GetAllocatedBytesForCurrentThread();
            DicomWriter.WriteFile(Stream.Null, meta, dataset, options);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        long small = Allocated(1024);
        long large = Allocated(96 * 1024 * 1024);
        Assert.True(large < small + 4096, $"allocated {large} bytes for 96 MiB against {small} for 1 KiB");
        Assert.True(large < 64 * 1024, $"allocated {large} bytes");
    }

    /// <summary>Stands for a file of zeros of any size, without a disk.</summary>
    private sealed class ZeroSource : IValueSource
    {
        public void ReadExactly(long offset, Span<byte> destination) => destination.Clear();

        public ValueTask ReadExactlyAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken = default)
        {
            destination.Span.Clear();
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public void Computes_lengths_past_2_GiB_and_switches_oversized_sequences_to_undefined_length()
    {
        const uint big = 0xC000_0000; // 3 GiB
        var b = new DatasetBuilder(true);
        DicomPrimitiveElement Big(ushort group, ushort element) =>
            new(new DicomTag(group, element), DicomVR.OB, DicomValue.Deferred(new ZeroSource(), 0, big));
        var dataset = b.Item(
            b.Sequence(0x0009, 0x1010, b.Item(Big(0x0009, 0x1020)), b.Item(Big(0x0009, 0x1020))),
            Big(0x7FE0, 0x0010));

        var layout = new DatasetLayout(new TargetEncoding(true, true, true), new DicomWriteOptions { GroupLength = GroupLengthMode.Create })
            .PlanDataset(dataset, 0, writeFileFormat: false);
        var entries = layout.Entries;
        Assert.Equal(3, entries.Count); // group 0009 is too long for a group length and gets none
        var sequence = entries[0].Sequence!;
        Assert.True(sequence.UndefinedLength); // two 3 GiB items do not fit in 32 bits
        Assert.All(sequence.Items, item => Assert.False(item.UndefinedLength));
        long itemContent = 12 + 12 + (long)big; // group length + element header + value
        Assert.All(sequence.Items, item => Assert.Equal(itemContent, item.ContentLength));
        Assert.Equal(2 * (8 + itemContent), sequence.ContentLength);
        Assert.Equal(12 + sequence.ContentLength + 8, entries[0].EncodedLength);
        Assert.Equal(LayoutEntryKind.GroupLength, entries[1].Kind);
        Assert.Equal((long)big + 12, entries[1].ValueLength); // (7FE0,0000) = header + value, fits in UL
        Assert.Equal(entries[0].EncodedLength + 12 + 12 + (long)big, layout.ContentLength);

        // Write it all to a counting sink: 9 GiB of zeros, no disk, and the lengths in the bytes agree.
        var sink = new CountingStream(64, windowStart: 12 + sequence.ContentLength);
        DicomWriter.WriteDataset(sink, dataset, TransferSyntax.ExplicitVRLittleEndian, new DicomWriteOptions { GroupLength = GroupLengthMode.Create });
        Assert.Equal(layout.ContentLength, sink.Count);
        byte[] head = sink.Head;
        Assert.Equal(DicomConstants.UndefinedLength, BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(8))); // SQ length
        Assert.Equal((uint)itemContent, BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(12 + 4))); // first item
        Assert.Equal(12u + big, BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(20 + 8))); // (0009,0000) in the item
        Assert.Equal(big, BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(20 + 12 + 8))); // (0009,1020) length
        // After the items: the sequence delimiter, then (7FE0,0000) and the pixel data header.
        byte[] window = sink.Window;
        Assert.Equal(new byte[] { 0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0 }, window[..8]);
        Assert.Equal(new byte[] { 0xE0, 0x7F, 0x00, 0x00, (byte)'U', (byte)'L', 4, 0, 12, 0, 0, 0xC0 }, window[8..20]);
        Assert.Equal(new byte[] { 0xE0, 0x7F, 0x10, 0x00, (byte)'O', (byte)'B', 0, 0, 0, 0, 0, 0xC0 }, window[20..32]);
    }

    [Fact]
    public void Swaps_whole_units_and_leaves_a_trailing_partial_unit()
    {
        byte[] bytes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
        DatasetEncoder.Swap(bytes, 4);
        Assert.Equal(new byte[] { 4, 3, 2, 1, 8, 7, 6, 5, 9, 10, 11 }, bytes);
        Assert.Equal(8, DatasetLayout.SwapUnit(DicomVR.FD, DicomVR.FD, sourceIsLittleEndian: true, targetIsLittleEndian: false));
        Assert.Equal(1, DatasetLayout.SwapUnit(DicomVR.OL, DicomVR.OB, sourceIsLittleEndian: true, targetIsLittleEndian: false));
        Assert.Equal(4, DatasetLayout.SwapUnit(DicomVR.OL, DicomVR.OB, sourceIsLittleEndian: false, targetIsLittleEndian: false));
        Assert.Equal(1, DatasetLayout.SwapUnit(DicomVR.AT, DicomVR.AT, sourceIsLittleEndian: false, targetIsLittleEndian: false));
    }
}
