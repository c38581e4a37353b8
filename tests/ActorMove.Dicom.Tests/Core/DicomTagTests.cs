using ActorMove.Dicom.Core;
using Xunit;

namespace ActorMove.Dicom.Tests.Core;

public class DicomTagTests
{
    [Theory]
    [InlineData("0010,0020", 0x0010, 0x0020)]
    [InlineData("(7FE0,0010)", 0x7FE0, 0x0010)]
    [InlineData(" 0008 , 0052 ", 0x0008, 0x0052)]
    [InlineData("fffe,e000", 0xFFFE, 0xE000)]
    public void Parses_dcmtk_tag_notation(string text, int group, int element)
    {
        Assert.True(DicomTag.TryParse(text, out var tag));
        Assert.Equal((ushort)group, tag.Group);
        Assert.Equal((ushort)element, tag.Element);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0010")]
    [InlineData("10000,0010")]
    [InlineData("gggg,0010")]
    public void Rejects_malformed_tags(string text) => Assert.False(DicomTag.TryParse(text, out _));

    [Fact]
    public void Orders_by_group_then_element()
    {
        Assert.True(new DicomTag(0x0008, 0xFFFF) < new DicomTag(0x0009, 0x0000));
        Assert.True(new DicomTag(0x7FE0, 0x0010) > new DicomTag(0x0028, 0x0010));
    }

    [Fact]
    public void Knows_private_and_creator_tags()
    {
        Assert.True(new DicomTag(0x0009, 0x0010).IsPrivateCreator);
        Assert.False(new DicomTag(0x0009, 0x1010).IsPrivateCreator);
        Assert.True(new DicomTag(0x0009, 0x1010).IsPrivate);
        Assert.False(new DicomTag(0x0008, 0x0010).IsPrivate);
        Assert.Equal("(0009,1010)", new DicomTag(0x0009, 0x1010).ToString());
    }
}
