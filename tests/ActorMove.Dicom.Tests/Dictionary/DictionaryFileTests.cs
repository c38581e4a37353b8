using ActorMove.Dicom.Core;
using ActorMove.Dicom.Dictionary;
using ActorMove.Testing;
using Xunit;

namespace ActorMove.Dicom.Tests.Dictionary;

/// <summary>Extra dictionary files in DCMTK's dicom.dic format, as DCMDICTPATH lists them.</summary>
public sealed class DictionaryFileTests : IDisposable
{
    private const string DcmtkDictionary = "/usr/share/libdcmtk17/dicom.dic";
    private const string DcmtkPrivateDictionary = "/usr/share/libdcmtk17/private.dic";

    private readonly TempDirectory _temp = new("dict");

    public void Dispose() => _temp.Dispose();

    private string WriteDictionary(string name, params string[] lines)
    {
        string path = _temp.Combine(name);
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void A_file_row_overrides_the_built_in_row()
    {
        string file = WriteDictionary("override.dic",
            "# PatientID made a UT for the test",
            "(0010,0020)\tUT\tLocalPatientIdentifier\t1-n\tLOCAL");

        var dictionary = DicomDictionary.Load([file]);

        Assert.True(dictionary.TryGetEntry(DicomTags.PatientID, out var entry));
        Assert.Equal("LocalPatientIdentifier", entry.Keyword);
        Assert.Equal(DicomVR.UT, entry.VR);
        Assert.Equal("1-n", entry.VM);
        Assert.Equal(DicomVR.UT, dictionary.GetVR(DicomTags.PatientID));
        Assert.True(dictionary.TryGetTag("LocalPatientIdentifier", out var tag));
        Assert.Equal(DicomTags.PatientID, tag);

        // The built-in dictionary is untouched.
        Assert.Equal(DicomVR.LO, DicomDictionary.Load([]).GetVR(DicomTags.PatientID));
    }

    [Fact]
    public void Later_files_win_over_earlier_ones()
    {
        string first = WriteDictionary("first.dic", "(4444,0010)\tLO\tFirstName\t1\tLOCAL");
        string second = WriteDictionary("second.dic", "(4444,0010)\tSH\tSecondName\t1\tLOCAL");

        var dictionary = DicomDictionary.FromSearchPath($"{first}{Path.PathSeparator}{second}");

        Assert.True(dictionary.TryGetEntry(new DicomTag(0x4444, 0x0010), out var entry));
        Assert.Equal("SecondName", entry.Keyword);
        Assert.Equal(DicomVR.SH, entry.VR);
    }

    [Fact]
    public void Private_rows_are_found_by_group_creator_and_element_byte()
    {
        string file = WriteDictionary("private.dic",
            "(0009,\"ACTORMOVE TEST\",10)\tDS\tMadeUpPrivateValue\t1-n\tPrivateTag",
            "(0019-o-001F,\"ACTORMOVE RANGE\",2a)\tox\tMadeUpPrivateData\t1\tPrivateTag");

        var dictionary = DicomDictionary.Load([file]);

        // The creator may reserve any block: (0009,0010) gives (0009,10xx), (0009,0011) gives (0009,11xx).
        foreach (ushort element in new ushort[] { 0x1010, 0x1110, 0xFF10 })
        {
            Assert.True(dictionary.TryGetPrivateEntry(new DicomTag(0x0009, element), "ACTORMOVE TEST", out var entry));
            Assert.Equal("MadeUpPrivateValue", entry.Keyword);
            Assert.Equal(DicomVR.DS, entry.VR);
            Assert.Equal("ACTORMOVE TEST", entry.PrivateCreator);
        }

        // Padding as read from the creator element is ignored.
        Assert.True(dictionary.TryGetPrivateEntry(new DicomTag(0x0009, 0x1010), "ACTORMOVE TEST ", out _));
        Assert.Equal(DicomVR.DS, dictionary.GetVR(new DicomTag(0x0009, 0x1010), "ACTORMOVE TEST\0"));

        Assert.False(dictionary.TryGetPrivateEntry(new DicomTag(0x0009, 0x1010), "OTHER CREATOR", out _));
        Assert.False(dictionary.TryGetPrivateEntry(new DicomTag(0x0009, 0x1011), "ACTORMOVE TEST", out _));
        Assert.False(dictionary.TryGetPrivateEntry(new DicomTag(0x000B, 0x1010), "ACTORMOVE TEST", out _));
        Assert.Equal(DicomVR.UN, dictionary.GetVR(new DicomTag(0x0009, 0x1010)));

        // Odd group range.
        Assert.True(dictionary.TryGetPrivateEntry(new DicomTag(0x001D, 0x102A), "ACTORMOVE RANGE", out var ranged));
        Assert.Equal("MadeUpPrivateData", ranged.Keyword);
        Assert.Equal(DicomVR.OW, ranged.VR);
        Assert.Equal([DicomVR.OB, DicomVR.OW], ranged.AllowedVRs);
        Assert.False(dictionary.TryGetPrivateEntry(new DicomTag(0x0021, 0x102A), "ACTORMOVE RANGE", out _));
    }

    [Fact]
    public void Range_rows_follow_dcmtk_parity_rules()
    {
        string file = WriteDictionary("ranges.dic",
            "(4000-40FF,0010)\tUS\tEvenGroups\t1\tLOCAL",
            "(4101-o-41FF,0010)\tUS\tOddGroups\t1\tLOCAL",
            "(4200-u-42FF,0010)\tUS\tAnyGroups\t1\tLOCAL",
            "(4300,1000-10FF)\txs\tEvenElements\t1\tLOCAL",
            "(44xx,0020)\tSL\tMaskedGroups\t1\tLOCAL");

        var dictionary = DicomDictionary.Load([file]);

        Assert.Equal("EvenGroups", Keyword(dictionary, 0x4002, 0x0010));
        Assert.Null(Keyword(dictionary, 0x4003, 0x0010));
        Assert.Equal("OddGroups", Keyword(dictionary, 0x4103, 0x0010));
        Assert.Null(Keyword(dictionary, 0x4102, 0x0010));
        Assert.Equal("AnyGroups", Keyword(dictionary, 0x4201, 0x0010));
        Assert.Equal("AnyGroups", Keyword(dictionary, 0x4202, 0x0010));
        Assert.Equal("EvenElements", Keyword(dictionary, 0x4300, 0x10FE));
        Assert.Null(Keyword(dictionary, 0x4300, 0x10FF));
        Assert.Equal("MaskedGroups", Keyword(dictionary, 0x44AB, 0x0020));
        Assert.Equal(DicomVR.US, dictionary.GetVR(new DicomTag(0x4300, 0x1002)));
        Assert.True(dictionary.TryGetTag("OddGroups", out var first));
        Assert.Equal(new DicomTag(0x4101, 0x0010), first);
    }

    [Fact]
    public void A_range_row_from_a_file_overrides_a_built_in_repeating_row()
    {
        string file = WriteDictionary("overlay.dic", "(6000-60FF,3000)\tOB\tLocalOverlayData\t1\tLOCAL");

        var dictionary = DicomDictionary.Load([file]);

        Assert.Equal("LocalOverlayData", Keyword(dictionary, 0x6002, 0x3000));
        Assert.Equal(DicomVR.OB, dictionary.GetVR(new DicomTag(0x6002, 0x3000)));
        Assert.Equal("OverlayRows", Keyword(dictionary, 0x6002, 0x0010)); // other built-in rows unaffected
    }

    [Theory]
    [InlineData("(4444,0010)\tLO", "too few fields")]
    [InlineData("(4444,0010)\tQQ\tBadVR\t1\tLOCAL", "unknown VR 'QQ'")]
    [InlineData("(4444,0010)\tLO\tBadVM\tmany\tLOCAL", "bad VM 'many'")]
    [InlineData("(4444;0010)\tLO\tBadTag\t1\tLOCAL", "bad tag")]
    [InlineData("4444,0010\tLO\tNoParentheses\t1\tLOCAL", "bad tag")]
    [InlineData("(44G4,0010)\tLO\tNotHex\t1\tLOCAL", "bad tag")]
    [InlineData("(4400-4300,0010)\tLO\tBackwards\t1\tLOCAL", "ends before it starts")]
    [InlineData("(4400-q-44FF,0010)\tLO\tBadRestriction\t1\tLOCAL", "not o, e or u")]
    [InlineData("(0009,\"CREATOR,10)\tLO\tUnclosedCreator\t1\tLOCAL", "bad tag")]
    [InlineData("(0008,\"CREATOR\",10)\tLO\tEvenPrivate\t1\tLOCAL", "odd group")]
    [InlineData("(4444,0010)\tLO\tTooMany\t1\tLOCAL\textra", "too many fields")]
    public void A_malformed_line_names_the_file_and_the_line(string badLine, string reason)
    {
        string file = WriteDictionary("bad.dic",
            "# a comment",
            "",
            "(4444,0012)\tLO\tFine\t1\tLOCAL",
            badLine);

        var error = Assert.Throws<DicomDictionaryException>(() => DicomDictionary.Load([file]));

        Assert.Equal(file, error.FilePath);
        Assert.Equal(4, error.LineNumber);
        Assert.Contains(file, error.Message);
        Assert.Contains("line 4", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_missing_file_is_an_error_naming_it()
    {
        string good = WriteDictionary("good.dic", "(4444,0010)\tLO\tFine\t1\tLOCAL");
        string missing = _temp.Combine("no-such.dic");

        var error = Assert.Throws<DicomDictionaryException>(() =>
            DicomDictionary.FromSearchPath($"{good}{Path.PathSeparator}{missing}"));

        Assert.Equal(missing, error.FilePath);
        Assert.Equal(0, error.LineNumber);
        Assert.Contains(missing, error.Message);
        Assert.Contains("not found", error.Message);
    }

    [Fact]
    public void Empty_path_elements_are_skipped()
    {
        string file = WriteDictionary("one.dic", "(4444,0010)\tLO\tFromFile\t1\tLOCAL");
        char sep = Path.PathSeparator;

        var dictionary = DicomDictionary.FromSearchPath($"{sep}{file}{sep}{sep} {sep}");

        Assert.Equal("FromFile", Keyword(dictionary, 0x4444, 0x0010));
        Assert.Equal("PatientID", Keyword(DicomDictionary.FromSearchPath(""), 0x0010, 0x0020));
        Assert.Equal("PatientID", Keyword(DicomDictionary.FromSearchPath(null), 0x0010, 0x0020));
    }

    [Fact]
    public void Dcmtks_own_dictionaries_load_over_the_built_in_table()
    {
        var dictionary = DicomDictionary.FromSearchPath($"{DcmtkDictionary}{Path.PathSeparator}{DcmtkPrivateDictionary}");

        Assert.Equal("PatientID", Keyword(dictionary, 0x0010, 0x0020));
        Assert.Equal("OverlayData", Keyword(dictionary, 0x6002, 0x3000));
        Assert.Equal(DicomVR.OW, dictionary.GetVR(DicomTag.PixelData));
        Assert.Equal("RETIRED_CurveDimensions", Keyword(dictionary, 0x5002, 0x0005));
        Assert.Equal(DicomVR.UL, dictionary.GetVR(new DicomTag(0x0004, 0x1200))); // DCMTK's 'up'
        Assert.Equal(DicomVR.OW, dictionary.GetVR(new DicomTag(0x0028, 0x3006))); // DCMTK's 'lt'

        // A row of private.dic (the first one of the file).
        Assert.True(dictionary.TryGetPrivateEntry(new DicomTag(0x0019, 0x1010), "1.2.840.113681", out var entry));
        Assert.Equal("CRImageParamsCommon", entry.Keyword);
        Assert.Equal(DicomVR.ST, entry.VR);
    }

    [Fact]
    public void Built_in_table_agrees_with_dcmtks_dictionary_on_current_attributes()
    {
        // Every current (not retired) single-tag row of DCMTK 3.6.7 that the PS3.6 tables also have must agree on keyword
        // and VRs; DCMTK writes multi-VR rows with its own names, which map onto the PS3.6 lists. The tables are from a
        // slightly older edition than DCMTK's 2022b, so a handful of DCMTK's newest rows may be missing (reported below).
        var builtIn = DicomDictionary.Load([]);
        var mismatches = new List<string>();
        var missing = new List<string>();
        int compared = 0;
        foreach (string line in File.ReadLines(DcmtkDictionary))
        {
            string[] f = line.Split('\t');
            if (line.StartsWith('#') || f.Length != 5 || f[4] != "DICOM" || line.Contains('-') || line.Contains('"'))
            {
                continue;
            }

            Assert.True(DicomTag.TryParse(f[0], out var tag), line);
            string expectedVRs = f[1] switch
            {
                "ox" or "px" => "OB,OW",
                "xs" => "US,SS",
                "lt" => "US,OW",
                "up" => "UL",
                "na" => "",
                var vr => vr,
            };
            compared++;
            if (!builtIn.TryGetEntry(tag, out var entry))
            {
                missing.Add($"{f[0]} {f[2]}");
            }
            else if (entry.Keyword != f[2] || string.Join(',', entry.AllowedVRs) != expectedVRs)
            {
                mismatches.Add($"{f[0]} {f[2]} {expectedVRs} vs {entry.Keyword} {string.Join(',', entry.AllowedVRs)}");
            }
        }

        Assert.True(compared > 3500, $"only {compared} rows compared");
        Assert.Empty(mismatches);
        Assert.True(missing.Count * 100 < compared, $"{missing.Count} of DCMTK's rows missing: {string.Join("; ", missing)}");
    }

    private static string? Keyword(DicomDictionary dictionary, int group, int element) =>
        dictionary.TryGetEntry(new DicomTag((ushort)group, (ushort)element), out var entry) ? entry.Keyword : null;
}
