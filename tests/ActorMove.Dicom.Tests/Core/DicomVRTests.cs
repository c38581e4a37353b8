using ActorMove.Dicom.Core;
using Xunit;

namespace ActorMove.Dicom.Tests.Core;

public class DicomVRTests
{
    [Fact]
    public void Knows_every_vr_of_the_current_standard()
    {
        string[] all = ["AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT", "OB", "OD", "OF", "OL", "OV", "OW",
            "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US", "UT", "UV"];
        foreach (string text in all)
        {
            Assert.True(DicomVR.TryParse(text, out var vr), text);
            Assert.Equal(text, vr.ToString());
        }

        Assert.Equal(all.Length, DicomVR.All.Count);
        Assert.False(DicomVR.TryParse("XX", out _));
    }

    [Theory]
    [InlineData("OB", true)]
    [InlineData("OV", true)]
    [InlineData("SV", true)]
    [InlineData("UV", true)]
    [InlineData("UC", true)]
    [InlineData("UR", true)]
    [InlineData("OL", true)]
    [InlineData("OD", true)]
    [InlineData("SQ", true)]
    [InlineData("UN", true)]
    [InlineData("UT", true)]
    [InlineData("US", false)]
    [InlineData("LO", false)]
    [InlineData("AT", false)]
    public void Explicit_header_size_follows_ps35_7_1_2(string text, bool longHeader)
    {
        DicomVR.TryParse(text, out var vr);
        Assert.Equal(longHeader, vr.HasLongExplicitHeader);
    }

    [Theory]
    [InlineData("OW", 2)]
    [InlineData("AT", 2)]
    [InlineData("FL", 4)]
    [InlineData("OL", 4)]
    [InlineData("FD", 8)]
    [InlineData("OV", 8)]
    [InlineData("SV", 8)]
    [InlineData("OB", 1)]
    [InlineData("UI", 1)]
    public void Swap_unit_is_the_size_of_one_number(string text, int size)
    {
        DicomVR.TryParse(text, out var vr);
        Assert.Equal(size, vr.SwapUnitSize);
    }

    [Fact]
    public void Ui_pads_with_nul_and_other_strings_with_space()
    {
        Assert.Equal(0, DicomVR.UI.PaddingByte);
        Assert.Equal((byte)' ', DicomVR.LO.PaddingByte);
        Assert.Equal(0, DicomVR.OB.PaddingByte);
    }
}
