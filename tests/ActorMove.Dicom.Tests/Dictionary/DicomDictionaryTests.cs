using ActorMove.Dicom.Core;
using ActorMove.Dicom.Dictionary;
using Xunit;

namespace ActorMove.Dicom.Tests.Dictionary;

public class DicomDictionaryTests
{
    private static readonly DicomDictionary BuiltIn = DicomDictionary.Load([]);

    [Theory]
    [InlineData("PatientID", 0x0010, 0x0020, "LO", "Patient ID", false)]
    [InlineData("SOPClassUID", 0x0008, 0x0016, "UI", "SOP Class UID", false)]
    [InlineData("MoveDestination", 0x0000, 0x0600, "AE", "Move Destination", false)]
    [InlineData("TransferSyntaxUID", 0x0002, 0x0010, "UI", "Transfer Syntax UID", false)]
    [InlineData("CommandLengthToEnd", 0x0000, 0x0001, "UL", "Command Length to End", true)]
    [InlineData("RecognitionCode", 0x0008, 0x0010, "SH", "Recognition Code", true)]
    // From tools/ActorMove.DictionaryGenerator/supplement.tsv: DCMTK 3.6.7 has it, the shared PS3.6 table does not.
    [InlineData("AcquisitionUID", 0x0008, 0x0017, "UI", "Acquisition UID", false)]
    public void Resolves_keyword_to_tag_and_back(string keyword, int group, int element, string vr, string name, bool retired)
    {
        var expected = new DicomTag((ushort)group, (ushort)element);

        Assert.True(BuiltIn.TryGetTag(keyword, out var tag));
        Assert.Equal(expected, tag);
        Assert.True(BuiltIn.TryGetEntry(expected, out var entry));
        Assert.Equal(keyword, entry.Keyword);
        Assert.Equal(name, entry.Name);
        Assert.Equal(vr, entry.VR.ToString());
        Assert.Equal(retired, entry.IsRetired);
        Assert.False(entry.IsRepeating);
    }

    [Fact]
    public void Generated_tag_properties_agree_with_the_dictionary()
    {
        Assert.Equal(new DicomTag(0x0010, 0x0020), DicomTags.PatientID);
        Assert.Equal(DicomTag.PixelData, DicomTags.PixelData);
        Assert.True(BuiltIn.TryGetTag(nameof(DicomTags.StudyInstanceUID), out var tag));
        Assert.Equal(DicomTags.StudyInstanceUID, tag);
        Assert.True(BuiltIn.TryGetTag(nameof(DicomTags.CommandLengthToEnd), out tag));
        Assert.Equal(DicomTags.CommandLengthToEnd, tag);
    }

    [Fact]
    public void Every_keyword_round_trips_through_its_tag()
    {
        int checkedKeywords = 0;
        foreach (var property in typeof(DicomTags).GetProperties())
        {
            var tag = (DicomTag)property.GetValue(null)!;
            Assert.True(BuiltIn.TryGetEntry(tag, out var entry), property.Name);
            Assert.Equal(property.Name, entry.Keyword);
            Assert.True(BuiltIn.TryGetTag(property.Name, out var back), property.Name);
            Assert.Equal(tag, back);
            checkedKeywords++;
        }

        Assert.True(checkedKeywords > 4000, $"only {checkedKeywords} keywords");
    }

    [Fact]
    public void Unknown_keywords_and_tags_are_not_found()
    {
        Assert.False(BuiltIn.TryGetTag("NoSuchKeyword", out _));
        Assert.False(BuiltIn.TryGetTag("patientid", out _));
        Assert.False(BuiltIn.TryGetEntry(new DicomTag(0x4444, 0x0010), out _));
        Assert.Equal(DicomVR.UN, BuiltIn.GetVR(new DicomTag(0x4444, 0x0010)));
    }

    [Theory]
    [InlineData(0x6002, 0x3000, "OverlayData", 0xFF00FFFFu)]
    [InlineData(0x6000, 0x3000, "OverlayData", 0xFF00FFFFu)]
    [InlineData(0x601E, 0x0010, "OverlayRows", 0xFF00FFFFu)]
    [InlineData(0x5010, 0x0005, "CurveDimensions", 0xFF00FFFFu)]
    [InlineData(0x5010, 0x200C, "AudioSampleData", 0xFF00FFFFu)]
    [InlineData(0x7F02, 0x0010, "VariablePixelData", 0xFF00FFFFu)]
    [InlineData(0x0020, 0x3105, "SourceImageIDs", 0xFFFFFF00u)]
    [InlineData(0x0028, 0x0452, "CoefficientCoding", 0xFFFFFF0Fu)]
    [InlineData(0x1000, 0x1233, "HuffmanTableTriplet", 0xFFFF000Fu)]
    [InlineData(0x1010, 0xABCD, "ZonalMap", 0xFFFF0000u)]
    public void Finds_repeating_group_rows(int group, int element, string keyword, uint mask)
    {
        var tag = new DicomTag((ushort)group, (ushort)element);

        Assert.True(BuiltIn.TryGetEntry(tag, out var entry));
        Assert.Equal(keyword, entry.Keyword);
        Assert.Equal(mask, entry.Mask);
        Assert.True(entry.IsRepeating);
        Assert.True(entry.Matches(tag));
    }

    [Fact]
    public void Repeating_keyword_gives_the_first_group_of_the_range()
    {
        Assert.True(BuiltIn.TryGetTag("OverlayData", out var tag));
        Assert.Equal(new DicomTag(0x6000, 0x3000), tag);
    }

    [Fact]
    public void Exact_rows_win_over_repeating_ones_and_odd_groups_never_match_a_repeating_row()
    {
        // (7FE0,0010) Pixel Data lies inside (7Fxx,0010) Variable Pixel Data.
        Assert.True(BuiltIn.TryGetEntry(new DicomTag(0x7FE0, 0x0010), out var pixelData));
        Assert.Equal("PixelData", pixelData.Keyword);

        // (6001,3000) is a private element, not overlay data.
        Assert.False(BuiltIn.TryGetEntry(new DicomTag(0x6001, 0x3000), out _));
        Assert.Equal(DicomVR.UN, BuiltIn.GetVR(new DicomTag(0x6001, 0x3000)));
    }

    [Theory]
    [InlineData(0x7FE0, 0x0010, "OW", "OB,OW")] // Pixel Data
    [InlineData(0x6004, 0x3000, "OW", "OB,OW")] // Overlay Data
    [InlineData(0x0028, 0x0106, "US", "US,SS")] // Smallest Image Pixel Value
    [InlineData(0x0028, 0x3002, "US", "US,SS")] // LUT Descriptor
    [InlineData(0x0028, 0x3006, "OW", "US,OW")] // LUT Data
    [InlineData(0x0028, 0x1200, "OW", "US,SS,OW")] // Gray Lookup Table Data (retired)
    [InlineData(0x0010, 0x0010, "PN", "PN")]
    public void Multi_vr_rows_list_every_vr_and_read_implicit_as_ps3_5_says(int group, int element, string implicitVR, string allowed)
    {
        var tag = new DicomTag((ushort)group, (ushort)element);

        Assert.True(BuiltIn.TryGetEntry(tag, out var entry));
        Assert.Equal(allowed, string.Join(',', entry.AllowedVRs));
        Assert.Equal(implicitVR, entry.VR.ToString());
        Assert.Equal(implicitVR, BuiltIn.GetVR(tag).ToString());
    }

    [Fact]
    public void Item_delimiters_have_no_vr()
    {
        Assert.True(BuiltIn.TryGetEntry(DicomTag.Item, out var item));
        Assert.Equal("Item", item.Keyword);
        Assert.Empty(item.AllowedVRs);
        Assert.Equal(DicomVR.None, item.VR);
    }

    [Theory]
    [InlineData(0x0008, 0x0000, "UL")] // group length, not in the table for group 0008
    [InlineData(0x0009, 0x0000, "UL")] // private group length
    [InlineData(0x0009, 0x0010, "LO")] // private creator
    [InlineData(0x0029, 0x00FF, "LO")] // last private creator slot
    [InlineData(0x0029, 0x1010, "UN")] // private data element, no creator known
    [InlineData(0x0009, 0x0100, "UN")] // (gggg,0100-0FFF) is no creator
    public void Applies_the_rules_for_tags_without_rows(int group, int element, string vr)
    {
        Assert.Equal(vr, BuiltIn.GetVR(new DicomTag((ushort)group, (ushort)element)).ToString());
    }

    [Fact]
    public void Lookups_of_a_seen_row_allocate_nothing()
    {
        var tag = DicomTags.PatientName;
        var overlay = new DicomTag(0x6002, 0x3000);
        BuiltIn.TryGetEntry(tag, out _);
        BuiltIn.TryGetEntry(overlay, out _);
        BuiltIn.TryGetTag("PatientName", out _);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            BuiltIn.TryGetEntry(tag, out _);
            BuiltIn.TryGetEntry(overlay, out _);
            BuiltIn.TryGetTag("PatientName", out _);
            BuiltIn.GetVR(new DicomTag(0x0028, 0x0106));
            BuiltIn.GetVR(new DicomTag(0x0029, 0x1010), "SOME CREATOR");
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
