using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Dicom.IO.Reading;
using ActorMove.Testing;
using Xunit;
using static ActorMove.Dicom.Tests.Reading.DicomReaderEncodingTests;

namespace ActorMove.Dicom.Tests.Reading;

/// <summary>
/// Objects beyond 2 and 4 GiB: offsets are longs, lengths uint32, and large values are never read. A synthetic source
/// holds only the header bytes and reads zeros elsewhere, counting what the reader asked for.
/// </summary>
public class DicomReaderLargeValueTests
{
    private const uint Undefined = 0xFFFFFFFF;

    private sealed class SparseValueSource : IValueSource
    {
        private readonly List<(long Offset, byte[] Bytes)> _segments = [];

        public long BytesRead { get; private set; }

        public long Length { get; private set; }

        public void Append(byte[] bytes)
        {
            _segments.Add((Length, bytes));
            Length += bytes.Length;
        }

        /// <summary>Leaves a hole of zeros (a value nobody should read).</summary>
        public long Hole(long count)
        {
            long start = Length;
            Length += count;
            return start;
        }

        public void ReadExactly(long offset, Span<byte> destination)
        {
            if (offset < 0 || offset + destination.Length > Length)
            {
                throw new DicomFormatException("Read past the synthetic source", offset);
            }

            BytesRead += destination.Length;
            destination.Clear();
            foreach (var (start, bytes) in _segments)
            {
                long from = Math.Max(start, offset);
                long to = Math.Min(start + bytes.Length, offset + destination.Length);
                if (from < to)
                {
                    bytes.AsSpan((int)(from - start), (int)(to - from)).CopyTo(destination[(int)(from - offset)..]);
                }
            }
        }

        public ValueTask ReadExactlyAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken = default)
        {
            ReadExactly(offset, destination.Span);
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public void Defers_values_of_several_gigabytes_in_undefined_length_items_and_reads_what_follows_them()
    {
        var source = new SparseValueSource();
        source.Append(new DicomBytes()
            .Text(0x0008, 0x0018, "UI", "1.2\0")
            .Header(0x0009, 0x1001, "SQ", Undefined).Item()
            .Header(0x0009, 0x1002, "OB", 0xF0000000).ToArray());
        long nestedValue = source.Hole(0xF0000000);
        source.Append(new DicomBytes().Text(0x0009, 0x1003, "LO", "X ").ItemEnd().SequenceEnd()
            .Header(0x7FE0, 0x0010, "OW", 0xFFFFFFFE).ToArray());
        long pixelValue = source.Hole(0xFFFFFFFE);
        source.Append(new DicomBytes().Header(0xFFFC, 0xFFFC, "OB", 4).Raw("ABCD"u8).ToArray());

        var dataset = DicomReader.ReadDataset(source, 0, source.Length, TransferSyntax.ExplicitVRLittleEndian);

        var item = Assert.Single(Get<DicomSequence>(dataset, 0x0009, 0x1001).Items);
        var nested = Primitive(item, 0x0009, 0x1002).Value;
        Assert.True(nested.IsDeferred);
        Assert.Equal(nestedValue, nested.Offset);
        Assert.Equal(0xF0000000u, nested.Length);
        Assert.Equal("X", item.GetString(new DicomTag(0x0009, 0x1003)));
        var pixels = Primitive(dataset, 0x7FE0, 0x0010).Value;
        Assert.Equal(pixelValue, pixels.Offset);
        Assert.Equal(0xFFFFFFFEu, pixels.Length);
        Assert.True(pixels.Offset > int.MaxValue);
        Assert.True(source.Length > uint.MaxValue);
        Assert.Equal("ABCD"u8.ToArray(), Primitive(dataset, 0xFFFC, 0xFFFC).Value.Bytes.ToArray());
        Assert.InRange(source.BytesRead, 1, 1 << 20);
    }

    [Fact]
    public void Checks_defined_item_and_sequence_lengths_of_several_gigabytes_with_64_bit_arithmetic()
    {
        const uint valueLength = 0xE0000000;
        const uint itemLength = 12 + valueLength + 10;
        var source = new SparseValueSource();
        source.Append(new DicomBytes()
            .Header(0x0009, 0x1001, "SQ", 8 + itemLength).Item(itemLength)
            .Header(0x0009, 0x1002, "OB", valueLength).ToArray());
        long value = source.Hole(valueLength);
        source.Append(new DicomBytes().Text(0x0009, 0x1003, "LO", "YZ").Text(0x0010, 0x0010, "PN", "A^B ").ToArray());

        var dataset = DicomReader.ReadDataset(source, 0, source.Length, TransferSyntax.ExplicitVRLittleEndian);

        var sequence = Get<DicomSequence>(dataset, 0x0009, 0x1001);
        Assert.Equal(8 + itemLength, sequence.SourceLength);
        var item = Assert.Single(sequence.Items);
        Assert.Equal(itemLength, item.SourceItemLength);
        Assert.Equal(value, Primitive(item, 0x0009, 0x1002).Value.Offset);
        Assert.Equal("YZ", item.GetString(new DicomTag(0x0009, 0x1003)));
        Assert.Equal("A^B", dataset.GetString(new DicomTag(0x0010, 0x0010)));
    }

    [Fact]
    public void A_value_of_several_gigabytes_past_the_end_of_the_data_fails()
    {
        var source = new SparseValueSource();
        source.Append(new DicomBytes().Text(0x0010, 0x0010, "PN", "A^B ").Header(0x7FE0, 0x0010, "OW", 0xFFFFFFF0).ToArray());
        source.Hole(0xFFFFFFF0 - 1);

        var e = Assert.Throws<DicomFormatException>(() => DicomReader.ReadDataset(source, 0, source.Length, TransferSyntax.ExplicitVRLittleEndian));

        Assert.Equal(12, e.Offset);
        Assert.InRange(source.BytesRead, 1, 1 << 20);
    }

    [Fact]
    public void Reads_a_sparse_part_10_file_larger_than_4_gib()
    {
        using var temp = new TempDirectory("reader-sparse");
        string path = temp.Combine("huge.dcm");
        byte[] meta = DicomFileReadingTests.Meta(TransferSyntax.ExplicitVRLittleEndian.Uid);
        byte[] head = new DicomBytes().Text(0x0010, 0x0010, "PN", "Big^File").Header(0x7FE0, 0x0010, "OW", 0xFFFFFFF0).ToArray();
        byte[] tail = new DicomBytes().Header(0xFFFC, 0xFFFC, "OB", 4).Raw("TAIL"u8).ToArray();
        long pixelOffset = 132 + meta.Length + head.Length;
        using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        {
            stream.Write(DicomFileReadingTests.Preamble());
            stream.Write("DICM"u8);
            stream.Write(meta);
            stream.Write(head);
            stream.Position = pixelOffset + 0xFFFFFFF0 - 2;
            stream.Write([0xAB, 0xCD]);
            stream.Write(tail);
        }

        using var file = DicomReader.ReadFile(path);

        var pixels = Primitive(file.Dataset, 0x7FE0, 0x0010).Value;
        Assert.True(pixels.IsDeferred);
        Assert.Equal(pixelOffset, pixels.Offset);
        Assert.Equal(0xFFFFFFF0u, pixels.Length);
        Assert.Equal("TAIL"u8.ToArray(), Primitive(file.Dataset, 0xFFFC, 0xFFFC).Value.Bytes.ToArray());
        Span<byte> last = stackalloc byte[2];
        pixels.Source!.ReadExactly(pixels.Offset + pixels.Length - 2, last);
        Assert.Equal(new byte[] { 0xAB, 0xCD }, last.ToArray());
    }
}
