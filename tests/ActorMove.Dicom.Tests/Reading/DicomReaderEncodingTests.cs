using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Dicom.IO.Reading;
using Xunit;

namespace ActorMove.Dicom.Tests.Reading;

public class DicomReaderEncodingTests
{
    private static readonly DicomTag PatientName = new(0x0010, 0x0010);
    private static readonly DicomTag Rows = new(0x0028, 0x0010);

    internal static DicomPrimitiveElement Primitive(DicomDataset dataset, ushort group, ushort element)
    {
        Assert.True(dataset.TryGet(new DicomTag(group, element), out var found), $"({group:X4},{element:X4}) missing");
        return Assert.IsType<DicomPrimitiveElement>(found);
    }

    internal static T Get<T>(DicomDataset dataset, ushort group, ushort element) where T : DicomElement
    {
        Assert.True(dataset.TryGet(new DicomTag(group, element), out var found), $"({group:X4},{element:X4}) missing");
        return Assert.IsType<T>(found);
    }

    [Fact]
    public void Reads_explicit_vr_little_endian_short_and_long_headers()
    {
        byte[] data = new DicomBytes()
            .Text(0x0008, 0x0018, "UI", "1.2.3\0")
            .Text(0x0010, 0x0010, "PN", "Doe^John")
            .Element(0x0028, 0x0010, "US", [0x00, 0x02])
            .Element(0x0029, 0x1010, "OB", [1, 2, 3])
            .Text(0x0040, 0xA160, "UT", "long text")
            .ToArray();

        var dataset = DicomReader.ReadDataset(data, TransferSyntax.ExplicitVRLittleEndian);

        Assert.True(dataset.SourceIsLittleEndian);
        Assert.Equal([0x00080018u, 0x00100010u, 0x00280010u, 0x00291010u, 0x0040A160u], dataset.Select(e => e.Tag.Value));
        Assert.Equal("Doe^John", dataset.GetString(PatientName));
        var rows = Primitive(dataset, 0x0028, 0x0010);
        Assert.Equal(DicomVR.US, rows.VR);
        Assert.Equal(2u, rows.SourceLength);
        Assert.Equal(new byte[] { 0x00, 0x02 }, rows.Value.Bytes.ToArray());
        var odd = Primitive(dataset, 0x0029, 0x1010);
        Assert.Equal(DicomVR.OB, odd.VR);
        Assert.Equal(new byte[] { 1, 2, 3 }, odd.Value.Bytes.ToArray());
        Assert.Equal(3u, odd.SourceLength);
        Assert.Equal(DicomVR.UT, Primitive(dataset, 0x0040, 0xA160).VR);
        Assert.Equal("long text", dataset.GetString(new DicomTag(0x0040, 0xA160)));
    }

    [Fact]
    public void Reads_implicit_vr_little_endian_with_the_dictionary_vr()
    {
        byte[] data = new DicomBytes(explicitVR: false)
            .Element(0x0009, 0x0000, "", [8, 0, 0, 0])
            .Text(0x0009, 0x0010, "", "ACME")
            .Element(0x0009, 0x1001, "", [1, 2, 3, 4])
            .Text(0x0010, 0x0010, "", "Doe^Jane")
            .ToArray();

        var dataset = DicomReader.ReadDataset(data, TransferSyntax.ImplicitVRLittleEndian);

        Assert.Equal(DicomVR.UL, Primitive(dataset, 0x0009, 0x0000).VR);
        Assert.Equal(DicomVR.LO, Primitive(dataset, 0x0009, 0x0010).VR);
        Assert.Equal(ActorMove.Dicom.Dictionary.DicomDictionary.Default.GetVR(new DicomTag(0x0009, 0x1001)), Primitive(dataset, 0x0009, 0x1001).VR);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, Primitive(dataset, 0x0009, 0x1001).Value.Bytes.ToArray());
        Assert.Equal("Doe^Jane", dataset.GetString(PatientName));
    }

    [Fact]
    public void Reads_explicit_vr_big_endian_and_keeps_values_in_big_endian()
    {
        byte[] data = new DicomBytes(littleEndian: false)
            .Text(0x0010, 0x0010, "PN", "Doe^John")
            .Element(0x0028, 0x0010, "US", [0x02, 0x00])
            .Header(0x0040, 0x0275, "SQ", 0xFFFFFFFF)
            .Item(14).Text(0x0040, 0x0009, "SH", "STEP1 ")
            .SequenceEnd()
            .Element(0x7FE0, 0x0010, "OW", [0x12, 0x34, 0x56, 0x78])
            .ToArray();

        var dataset = DicomReader.ReadDataset(data, TransferSyntax.ExplicitVRBigEndian);

        Assert.False(dataset.SourceIsLittleEndian);
        Assert.Equal("Doe^John", dataset.GetString(PatientName));
        Assert.Equal(new byte[] { 0x02, 0x00 }, Primitive(dataset, 0x0028, 0x0010).Value.Bytes.ToArray());
        var sequence = Get<DicomSequence>(dataset, 0x0040, 0x0275);
        var item = Assert.Single(sequence.Items);
        Assert.False(item.SourceIsLittleEndian);
        Assert.Equal(14u, item.SourceItemLength);
        Assert.Equal("STEP1", item.GetString(new DicomTag(0x0040, 0x0009)));
        Assert.Equal(new byte[] { 0x12, 0x34, 0x56, 0x78 }, Primitive(dataset, 0x7FE0, 0x0010).Value.Bytes.ToArray());
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Reads_nested_sequences_of_defined_and_undefined_length(bool explicitVR, bool littleEndian)
    {
        // (0008,1115) undefined length: item 1 undefined length holding a nested undefined-length sequence with a
        // defined-length item; item 2 defined and empty. Then (0008,1110) with defined length and one defined item.
        var b = new DicomBytes(explicitVR, littleEndian);
        b.Header(0x0008, 0x1115, "SQ", 0xFFFFFFFF)
            .Item()
            .Text(0x0008, 0x1150, "UI", "1.2\0")
            .Header(0x0008, 0x1199, "SQ", 0xFFFFFFFF)
            .Item(14).Text(0x0008, 0x1155, "UI", "9.8.7\0")
            .SequenceEnd()
            .ItemEnd()
            .Item(0)
            .SequenceEnd();
        b.Header(0x0008, 0x1116, "SQ", 0xFFFFFFFF).SequenceEnd();
        b.Text(0x0010, 0x0010, "PN", "X^Y ");
        var data = b.ToArray();
        var syntax = !explicitVR ? TransferSyntax.ImplicitVRLittleEndian
            : littleEndian ? TransferSyntax.ExplicitVRLittleEndian : TransferSyntax.ExplicitVRBigEndian;

        var dataset = DicomReader.ReadDataset(data, syntax);

        var outer = Get<DicomSequence>(dataset, 0x0008, 0x1115);
        Assert.Equal(DicomVR.SQ, outer.VR);
        Assert.True(outer.SourceHadUndefinedLength);
        Assert.Equal(2, outer.Items.Count);
        Assert.Equal(DicomConstants.UndefinedLength, outer.Items[0].SourceItemLength);
        Assert.Equal(0u, outer.Items[1].SourceItemLength);
        Assert.Equal(0, outer.Items[1].Count);
        Assert.Equal("1.2", outer.Items[0].GetString(new DicomTag(0x0008, 0x1150)));
        var inner = Get<DicomSequence>(outer.Items[0], 0x0008, 0x1199);
        Assert.Equal("9.8.7", Assert.Single(inner.Items).GetString(new DicomTag(0x0008, 0x1155)));
        Assert.Empty(Get<DicomSequence>(dataset, 0x0008, 0x1116).Items);
        Assert.Equal("X^Y", dataset.GetString(PatientName));
    }

    [Fact]
    public void Reads_sequences_and_items_of_defined_length_in_explicit_vr()
    {
        var item = new DicomBytes().Text(0x0008, 0x1150, "UI", "1.2\0").Text(0x0008, 0x1155, "UI", "3.4\0").ToArray();
        var sequenceValue = new DicomBytes().Item((uint)item.Length).Raw(item).Item((uint)item.Length).Raw(item).ToArray();
        byte[] data = new DicomBytes()
            .Element(0x0008, 0x1115, "SQ", sequenceValue)
            .Element(0x0028, 0x0010, "US", [0x40, 0x00])
            .ToArray();

        var dataset = DicomReader.ReadDataset(data, TransferSyntax.ExplicitVRLittleEndian);

        var sequence = Get<DicomSequence>(dataset, 0x0008, 0x1115);
        Assert.Equal((uint)sequenceValue.Length, sequence.SourceLength);
        Assert.Equal(2, sequence.Items.Count);
        Assert.All(sequence.Items, i => Assert.Equal((uint)item.Length, i.SourceItemLength));
        Assert.All(sequence.Items, i => Assert.Equal("3.4", i.GetString(new DicomTag(0x0008, 0x1155))));
        Assert.True(dataset.Contains(Rows));
    }

    [Fact]
    public void Reads_an_undefined_length_element_in_implicit_vr_as_a_sequence_whatever_the_dictionary_says()
    {
        // A private tag the dictionary cannot know: undefined length still makes it a sequence (PS3.5 7.5.1).
        byte[] data = new DicomBytes(explicitVR: false)
            .Header(0x0009, 0x1001, "", 0xFFFFFFFF)
            .Item().Text(0x0010, 0x0020, "", "PID1").ItemEnd()
            .SequenceEnd()
            .ToArray();

        var dataset = DicomReader.ReadDataset(data, TransferSyntax.ImplicitVRLittleEndian);

        var sequence = Get<DicomSequence>(dataset, 0x0009, 0x1001);
        Assert.Equal(DicomVR.SQ, sequence.VR);
        Assert.Equal("PID1", Assert.Single(sequence.Items).GetString(new DicomTag(0x0010, 0x0020)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Reads_un_of_undefined_length_as_an_implicit_vr_little_endian_sequence(bool littleEndian)
    {
        var implicitItems = new DicomBytes(explicitVR: false, littleEndian: true)
            .Item().Text(0x0010, 0x0020, "", "PID1").ItemEnd()
            .Item(12).Text(0x0010, 0x0020, "", "PID2")
            .SequenceEnd()
            .ToArray();
        byte[] data = new DicomBytes(explicitVR: true, littleEndian)
            .Header(0x0009, 0x1001, "UN", 0xFFFFFFFF).Raw(implicitItems)
            .Text(0x0010, 0x0010, "PN", "A^B ")
            .ToArray();

        var dataset = DicomReader.ReadDataset(data, littleEndian ? TransferSyntax.ExplicitVRLittleEndian : TransferSyntax.ExplicitVRBigEndian);

        var sequence = Get<DicomSequence>(dataset, 0x0009, 0x1001);
        Assert.Equal(DicomVR.UN, sequence.VR);
        Assert.True(sequence.SourceHadUndefinedLength);
        Assert.Equal(["PID1", "PID2"], sequence.Items.Select(i => i.GetString(new DicomTag(0x0010, 0x0020))));
        Assert.All(sequence.Items, i => Assert.True(i.SourceIsLittleEndian));
        Assert.Equal("A^B", dataset.GetString(PatientName));
    }

    [Fact]
    public void Reads_encapsulated_pixel_data_as_offset_table_and_fragments()
    {
        byte[] offsets = [0, 0, 0, 0, 10, 0, 0, 0];
        byte[] frame1 = [0xFF, 0xD8, 1, 2, 0xFF, 0xD9];
        byte[] frame2 = [0xFF, 0xD8, 3, 4, 5, 6, 7, 0xFF, 0xD9, 0];
        byte[] data = new DicomBytes()
            .Element(0x0028, 0x0010, "US", [0x40, 0x00])
            .Header(0x7FE0, 0x0010, "OB", 0xFFFFFFFF)
            .Item((uint)offsets.Length).Raw(offsets)
            .Item((uint)frame1.Length).Raw(frame1)
            .Item((uint)frame2.Length).Raw(frame2)
            .SequenceEnd()
            .Header(0xFFFC, 0xFFFC, "OB", 4).Raw([0, 0, 0, 0])
            .ToArray();

        var dataset = DicomReader.ReadDataset(data, TransferSyntax.Lookup("1.2.840.10008.1.2.4.50"));

        var pixels = Get<DicomFragmentSequence>(dataset, 0x7FE0, 0x0010);
        Assert.Equal(DicomVR.OB, pixels.VR);
        Assert.True(pixels.SourceHadUndefinedLength);
        Assert.Equal(offsets, pixels.OffsetTable.ToArray());
        Assert.Equal([frame1, frame2], pixels.Fragments.Select(f => f.ToArray()));
        Assert.Equal(4u, Primitive(dataset, 0xFFFC, 0xFFFC).SourceLength);
    }

    [Fact]
    public void Defers_fragments_above_the_inline_limit()
    {
        byte[] fragment = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        var b = new DicomBytes().Header(0x7FE0, 0x0010, "OB", 0xFFFFFFFF).Item(0);
        long fragmentOffset = b.Item((uint)fragment.Length).Position;
        byte[] data = b.Raw(fragment).SequenceEnd().ToArray();

        var dataset = DicomReader.ReadDataset(data, TransferSyntax.ExplicitVRLittleEndian, new DicomReadOptions { InlineValueLimit = 99 });

        var value = Assert.Single(Get<DicomFragmentSequence>(dataset, 0x7FE0, 0x0010).Fragments);
        Assert.True(value.IsDeferred);
        Assert.Equal(fragmentOffset, value.Offset);
        Assert.Equal(fragment, value.ToArray());
        Assert.Equal(0u, Get<DicomFragmentSequence>(dataset, 0x7FE0, 0x0010).OffsetTable.Length);
    }

    [Fact]
    public void Defers_values_above_the_inline_limit_and_holds_those_at_or_below()
    {
        byte[] atLimit = Enumerable.Repeat((byte)7, 16).ToArray();
        byte[] above = Enumerable.Range(0, 18).Select(i => (byte)i).ToArray();
        var b = new DicomBytes().Element(0x0009, 0x1001, "OB", atLimit).Header(0x0009, 0x1002, "OB", (uint)above.Length);
        long aboveOffset = b.Position;
        byte[] data = b.Raw(above).Text(0x0010, 0x0010, "PN", "Z^Z ").ToArray();

        var dataset = DicomReader.ReadDataset(data, TransferSyntax.ExplicitVRLittleEndian, new DicomReadOptions { InlineValueLimit = 16 });

        Assert.False(Primitive(dataset, 0x0009, 0x1001).Value.IsDeferred);
        var deferred = Primitive(dataset, 0x0009, 0x1002).Value;
        Assert.True(deferred.IsDeferred);
        Assert.Equal(aboveOffset, deferred.Offset);
        Assert.Equal((uint)above.Length, deferred.Length);
        Assert.Equal(above, deferred.ToArray());
        Assert.Throws<InvalidOperationException>(() => deferred.Bytes);
        Assert.Equal("Z^Z", dataset.GetString(PatientName));
    }

    [Fact]
    public void Reads_values_that_straddle_the_read_ahead_buffer()
    {
        // With the smallest buffer, values cross refills; 200-byte values use the refill path, 300-byte ones the
        // direct read past the buffer; the small ones fill more than one arena chunk. All must land intact.
        var b = new DicomBytes();
        var expected = new List<byte[]>();
        for (ushort i = 1; i <= 200; i++)
        {
            byte[] value = Enumerable.Range(0, i % 2 == 0 ? 200 : 300).Select(x => (byte)(x + i)).ToArray();
            expected.Add(value);
            b.Element(0x0009, i, "OB", value);
        }

        var dataset = DicomReader.ReadDataset(b.ToArray(), TransferSyntax.ExplicitVRLittleEndian, new DicomReadOptions { ReadBufferSize = 256 });

        Assert.Equal(200, dataset.Count);
        Assert.Equal(expected, dataset.Select(e => ((DicomPrimitiveElement)e).Value.Bytes.ToArray()));
    }

    [Fact]
    public void Keeps_group_lengths_trailing_padding_and_odd_lengths_as_read()
    {
        byte[] data = new DicomBytes()
            .Element(0x0008, 0x0000, "UL", [14, 0, 0, 0])
            .Text(0x0008, 0x0018, "UI", "1.2.3")
            .Header(0xFFFC, 0xFFFC, "OB", 3).Raw([0, 0, 0])
            .ToArray();

        var dataset = DicomReader.ReadDataset(data, TransferSyntax.ExplicitVRLittleEndian);

        Assert.Equal(new byte[] { 14, 0, 0, 0 }, Primitive(dataset, 0x0008, 0x0000).Value.Bytes.ToArray());
        Assert.Equal("1.2.3"u8.ToArray(), Primitive(dataset, 0x0008, 0x0018).Value.Bytes.ToArray());
        Assert.Equal(5u, Primitive(dataset, 0x0008, 0x0018).SourceLength);
        Assert.Equal(3u, Primitive(dataset, 0xFFFC, 0xFFFC).Value.Length);
    }

    [Fact]
    public void Reads_an_empty_data_set()
    {
        Assert.Equal(0, DicomReader.ReadDataset(Array.Empty<byte>(), TransferSyntax.ExplicitVRLittleEndian).Count);
    }

    [Fact]
    public void Refuses_deflated_syntax_for_bytes_that_were_not_inflated()
    {
        Assert.Throws<ArgumentException>(() => DicomReader.ReadDataset(new byte[8], TransferSyntax.DeflatedExplicitVRLittleEndian));
    }
}
