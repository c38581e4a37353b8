using ActorMove.Dicom.Core;
using ActorMove.Dicom.IO.Reading;
using Xunit;

namespace ActorMove.Dicom.Tests.Reading;

/// <summary>Every kind of broken input is a <see cref="DicomFormatException"/> that names where reading stopped.</summary>
public class DicomReaderMalformedTests
{
    private static DicomFormatException Fails(byte[] data, TransferSyntax? syntax = null, DicomReadOptions? options = null) =>
        Assert.Throws<DicomFormatException>(() => DicomReader.ReadDataset(data, syntax ?? TransferSyntax.ExplicitVRLittleEndian, options));

    private static DicomBytes PatientName() => new DicomBytes().Text(0x0010, 0x0010, "PN", "Doe^John"); // 16 bytes

    [Fact]
    public void A_tag_cut_short_fails_at_its_offset()
    {
        var e = Fails(PatientName().Raw([0x10, 0x00]).ToArray());
        Assert.Equal(16, e.Offset);
    }

    [Fact]
    public void A_header_cut_short_fails_at_its_offset()
    {
        var e = Fails(PatientName().Tag(0x0010, 0x0020).Raw("LO"u8).ToArray());
        Assert.Equal(16, e.Offset);
    }

    [Fact]
    public void A_value_longer_than_the_data_fails_at_its_element()
    {
        var e = Fails(PatientName().Header(0x0010, 0x0020, "LO", 10).Raw("ABCD"u8).ToArray());
        Assert.Equal(16, e.Offset);
        Assert.Contains("runs past the end", e.Message);
    }

    [Fact]
    public void An_absurd_length_in_a_tiny_input_fails_before_anything_is_allocated()
    {
        var e = Fails(new DicomBytes().Header(0x0009, 0x1001, "OB", 0xFFFFFFF0).Raw([1, 2, 3, 4]).ToArray());
        Assert.Equal(0, e.Offset);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_value_past_the_end_of_its_item_fails_even_when_the_data_goes_on(bool implicitVR)
    {
        // The item says 12 bytes; its element claims 20, which would reach into the bytes after the item.
        var b = new DicomBytes(explicitVR: !implicitVR).Header(0x0008, 0x1115, "SQ", 0xFFFFFFFF).Item(12);
        long elementOffset = b.Position;
        byte[] data = b.Header(0x0008, 0x1150, "UI", 20).Raw(new byte[40]).ToArray();

        var e = Fails(data, implicitVR ? TransferSyntax.ImplicitVRLittleEndian : TransferSyntax.ExplicitVRLittleEndian);

        Assert.Equal(elementOffset, e.Offset);
    }

    [Fact]
    public void An_item_longer_than_its_sequence_fails_at_the_item()
    {
        var b = new DicomBytes().Header(0x0008, 0x1115, "SQ", 20);
        long itemOffset = b.Position;
        byte[] data = b.Item(100).Raw(new byte[120]).ToArray();

        Assert.Equal(itemOffset, Fails(data).Offset);
    }

    [Theory]
    [InlineData("XX")]
    [InlineData("pn")]
    [InlineData("\0\0")]
    public void An_unknown_vr_in_explicit_vr_fails_at_its_element(string vr)
    {
        byte[] data = PatientName().Tag(0x0010, 0x0020).Raw(System.Text.Encoding.ASCII.GetBytes(vr)).U16(2).Raw("AB"u8).ToArray();
        var e = Fails(data);
        Assert.Equal(16, e.Offset);
        Assert.Contains("Unknown VR", e.Message);
    }

    private static byte[] NestedSequences(int levels, bool terminated)
    {
        var b = new DicomBytes();
        for (int i = 0; i < levels; i++)
        {
            b.Header(0x0008, 0x1115, "SQ", 0xFFFFFFFF).Item();
        }

        if (terminated)
        {
            for (int i = 0; i < levels; i++)
            {
                b.ItemEnd().SequenceEnd();
            }
        }

        return b.ToArray();
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_fails_at_the_sequence_that_exceeds_it()
    {
        // Each level is a 12-byte SQ header and an 8-byte item header.
        Assert.Equal(64 * 20, Fails(NestedSequences(65, terminated: false)).Offset);
        Assert.Equal(3 * 20, Fails(NestedSequences(4, terminated: true), options: new DicomReadOptions { MaxSequenceDepth = 3 }).Offset);
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_read()
    {
        var dataset = DicomReader.ReadDataset(NestedSequences(64, terminated: true), TransferSyntax.ExplicitVRLittleEndian);

        int depth = 0;
        var current = dataset;
        while (current.Count == 1)
        {
            current = Assert.Single(DicomReaderEncodingTests.Get<ActorMove.Dicom.Data.DicomSequence>(current, 0x0008, 0x1115).Items);
            depth++;
        }

        Assert.Equal(64, depth);
    }

    [Theory]
    [InlineData(0xE000)]
    [InlineData(0xE00D)]
    [InlineData(0xE0DD)]
    public void A_delimitation_tag_where_an_element_is_expected_fails_at_it(ushort element)
    {
        Assert.Equal(16, Fails(PatientName().Tag(0xFFFE, element).U32(0).ToArray()).Offset);
    }

    [Fact]
    public void An_item_delimiter_inside_an_item_of_defined_length_fails()
    {
        var b = new DicomBytes().Header(0x0008, 0x1115, "SQ", 0xFFFFFFFF).Item(8);
        long delimiterOffset = b.Position;
        byte[] data = b.ItemEnd().SequenceEnd().ToArray();

        Assert.Equal(delimiterOffset, Fails(data).Offset);
    }

    [Fact]
    public void An_undefined_length_item_without_delimiter_fails_where_the_data_ends()
    {
        byte[] data = new DicomBytes().Header(0x0008, 0x1115, "SQ", 0xFFFFFFFF).Item().Text(0x0008, 0x1150, "UI", "1.2\0").ToArray();
        var e = Fails(data);
        Assert.Equal(data.Length, e.Offset);
        Assert.Contains("item delimitation", e.Message);
    }

    [Fact]
    public void An_undefined_length_sequence_without_delimiter_fails_where_the_data_ends()
    {
        byte[] data = new DicomBytes().Header(0x0008, 0x1115, "SQ", 0xFFFFFFFF).Item(0).ToArray();
        var e = Fails(data);
        Assert.Equal(data.Length, e.Offset);
        Assert.Contains("sequence delimitation", e.Message);
    }

    [Fact]
    public void An_element_where_an_item_is_expected_fails_at_it()
    {
        var b = new DicomBytes().Header(0x0008, 0x1115, "SQ", 0xFFFFFFFF);
        long offset = b.Position;
        Assert.Equal(offset, Fails(b.Text(0x0010, 0x0010, "PN", "A^B ").SequenceEnd().ToArray()).Offset);
    }

    [Fact]
    public void Undefined_length_on_a_vr_that_cannot_have_it_fails()
    {
        Assert.Equal(16, Fails(PatientName().Tag(0x0010, 0x0020).Raw("UT"u8).U16(0).U32(0xFFFFFFFF).ToArray()).Offset);
    }

    [Fact]
    public void A_fragment_of_undefined_length_fails_at_it()
    {
        var b = new DicomBytes().Header(0x7FE0, 0x0010, "OB", 0xFFFFFFFF).Item(0);
        long offset = b.Position;
        Assert.Equal(offset, Fails(b.Item().SequenceEnd().ToArray()).Offset);
    }

    [Fact]
    public void A_fragment_past_the_end_fails_at_it()
    {
        var b = new DicomBytes().Header(0x7FE0, 0x0010, "OB", 0xFFFFFFFF).Item(0);
        long offset = b.Position;
        Assert.Equal(offset, Fails(b.Item(1000).Raw(new byte[10]).ToArray()).Offset);
    }

    [Fact]
    public void Encapsulated_pixel_data_without_sequence_delimiter_fails_where_the_data_ends()
    {
        byte[] data = new DicomBytes().Header(0x7FE0, 0x0010, "OB", 0xFFFFFFFF).Item(0).Item(2).Raw([1, 2]).ToArray();
        Assert.Equal(data.Length, Fails(data).Offset);
    }

    [Fact]
    public void An_element_inside_encapsulated_pixel_data_fails_at_it()
    {
        var b = new DicomBytes().Header(0x7FE0, 0x0010, "OB", 0xFFFFFFFF).Item(0);
        long offset = b.Position;
        Assert.Equal(offset, Fails(b.Text(0x0010, 0x0010, "PN", "A^B ").SequenceEnd().ToArray()).Offset);
    }

    [Fact]
    public void Big_endian_lengths_are_checked_like_little_endian_ones()
    {
        // 0x00000100 in big endian; read as little endian it would be 0x00010000.
        var e = Fails(new DicomBytes(littleEndian: false).Header(0x0009, 0x1001, "OB", 0x100).Raw(new byte[10]).ToArray(),
            TransferSyntax.ExplicitVRBigEndian);
        Assert.Equal(0, e.Offset);
        Assert.Contains("256", e.Message);
    }
}
