using System.Text.RegularExpressions;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Dictionary;
using ActorMove.Testing;
using ActorMove.Testing.Dcmtk;
using Xunit;

namespace ActorMove.Dicom.Tests.Dictionary;

/// <summary>
/// The same custom dictionary file given to DCMTK through DCMDICTPATH and to our dictionary must name made-up tags the
/// same way: dcmdump reads an implicit VR file, so the VR it prints comes from the dictionary alone.
/// </summary>
public sealed partial class DcmtkDictionaryInteropTests : IDisposable
{
    private const string DcmtkDictionary = "/usr/share/libdcmtk17/dicom.dic";
    private const string Creator = "ACTORMOVE TEST";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _temp = new("dictinterop");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Dcmdump_and_our_dictionary_resolve_custom_tags_alike()
    {
        string custom = _temp.Combine("custom.dic");
        File.WriteAllLines(custom,
        [
            "# made-up rows for the interop test",
            "(4444,0010)\tLO\tMadeUpLabel\t1\tACTORMOVE",
            "(4444,0012)\tFD\tMadeUpMeasure\t1-n\tACTORMOVE",
            "(4446-44FE,0020)\tSS\tMadeUpRepeatingValue\t1\tACTORMOVE",
            $"(0009,\"{Creator}\",10)\tDS\tMadeUpPrivateValue\t1-n\tPrivateTag",
            $"(0009,\"{Creator}\",11)\tUS\tMadeUpPrivateCount\t1\tPrivateTag",
            "(0010,0020)\tSH\tOverriddenPatientID\t1\tACTORMOVE",
        ]);
        var environment = new Dictionary<string, string>
        {
            [DicomDictionary.PathVariable] = $"{DcmtkDictionary}{Path.PathSeparator}{custom}",
        };

        string dump = _temp.Combine("in.dump");
        File.WriteAllLines(dump,
        [
            "(0008,0016) UI =CTImageStorage",
            "(0008,0018) UI [1.2.826.0.1.3680043.2.1143.1]",
            "(0009,0010) LO [" + Creator + "]",
            "(0009,1010) DS [1.5\\2.5]",
            "(0009,1011) US 7",
            "(0010,0020) SH [PID-1]",
            "(4444,0010) LO [hello]",
            "(4444,0012) FD 3.25",
            "(4448,0020) SS -3",
        ]);
        string file = _temp.Combine("custom.dcm");
        var made = DcmtkTool.Run("dump2dcm", ["+ti", dump, file], Timeout, environment);
        Assert.True(made.ExitCode == 0, made.ToString());

        var dumped = DcmtkTool.Run("dcmdump", ["-q", file], Timeout, environment);
        Assert.True(dumped.ExitCode == 0, dumped.ToString());
        var dcmtk = ParseDump(dumped.StdOut);

        var ours = DicomDictionary.FromSearchPath(environment[DicomDictionary.PathVariable]);
        (string Keyword, string VR) Ours(ushort group, ushort element)
        {
            var tag = new DicomTag(group, element);
            if (tag.IsPrivate && !tag.IsPrivateCreator)
            {
                Assert.True(ours.TryGetPrivateEntry(tag, Creator, out var privateEntry), tag.ToString());
                return (privateEntry.Keyword, privateEntry.VR.ToString());
            }

            Assert.True(ours.TryGetEntry(tag, out var entry), tag.ToString());
            return (entry.Keyword, ours.GetVR(tag).ToString());
        }

        foreach (var (group, element) in new (ushort, ushort)[]
                 {
                     (0x4444, 0x0010), (0x4444, 0x0012), (0x4448, 0x0020), (0x0009, 0x1010), (0x0009, 0x1011), (0x0010, 0x0020),
                 })
        {
            var tag = new DicomTag(group, element);
            Assert.True(dcmtk.TryGetValue(tag, out var theirs), $"dcmdump printed no {tag}:\n{dumped.StdOut}");
            Assert.DoesNotContain("Unknown", theirs.Keyword);
            Assert.Equal(theirs, Ours(group, element));
        }

        // And the names really came from the custom file.
        Assert.Equal(("MadeUpLabel", "LO"), dcmtk[new DicomTag(0x4444, 0x0010)]);
        Assert.Equal(("MadeUpPrivateValue", "DS"), dcmtk[new DicomTag(0x0009, 0x1010)]);
        Assert.Equal(("OverriddenPatientID", "SH"), dcmtk[new DicomTag(0x0010, 0x0020)]);
    }

    [Fact]
    public void Without_the_custom_file_neither_knows_the_made_up_tag()
    {
        string custom = _temp.Combine("custom.dic");
        File.WriteAllText(custom, "(4444,0010)\tLO\tMadeUpLabel\t1\tACTORMOVE\n");
        string dump = _temp.Combine("in.dump");
        File.WriteAllText(dump, "(0008,0018) UI [1.2.3]\n(4444,0010) LO [hello]\n");
        string file = _temp.Combine("plain.dcm");
        var withCustom = new Dictionary<string, string> { [DicomDictionary.PathVariable] = $"{DcmtkDictionary}:{custom}" };
        var made = DcmtkTool.Run("dump2dcm", ["+ti", dump, file], Timeout, withCustom);
        Assert.True(made.ExitCode == 0, made.ToString());

        var plain = new Dictionary<string, string> { [DicomDictionary.PathVariable] = DcmtkDictionary };
        var dumped = DcmtkTool.Run("dcmdump", ["-q", file], Timeout, plain);
        Assert.True(dumped.ExitCode == 0, dumped.ToString());

        var tag = new DicomTag(0x4444, 0x0010);
        Assert.Equal(("Unknown Tag & Data", "??"), ParseDump(dumped.StdOut)[tag]);
        var ours = DicomDictionary.FromSearchPath(DcmtkDictionary);
        Assert.False(ours.TryGetEntry(tag, out _));
        Assert.Equal(DicomVR.UN, ours.GetVR(tag));
    }

    /// <summary>The rows of tools/ActorMove.DictionaryGenerator/supplement.tsv, which the shared PS3.6 table lacks.</summary>
    [Theory]
    [InlineData(0x0006, 0x0001)]
    [InlineData(0x0008, 0x0017)]
    [InlineData(0x0008, 0x0019)]
    [InlineData(0x0008, 0x1088)]
    [InlineData(0x0020, 0x0027)]
    public void Built_in_rows_from_the_supplement_agree_with_dcmtks_dictionary(int group, int element)
    {
        string prefix = $"({group:X4},{element:X4})\t";
        string line = Assert.Single(File.ReadLines(DcmtkDictionary), l => l.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
        // dicom.dic columns: tag, VR, keyword, VM, version
        string[] dcmtk = line.Split('\t');

        Assert.True(DicomDictionary.Load([]).TryGetEntry(new DicomTag((ushort)group, (ushort)element), out var ours));
        Assert.Equal((dcmtk[1], dcmtk[2], dcmtk[3]), (ours.VR.ToString(), ours.Keyword, ours.VM));
        Assert.False(ours.IsRetired);
    }

    /// <summary>dcmdump lines: "(gggg,eeee) VR value   # length, vm Keyword".</summary>
    private static Dictionary<DicomTag, (string Keyword, string VR)> ParseDump(string output)
    {
        var result = new Dictionary<DicomTag, (string, string)>();
        foreach (Match match in DumpLine().Matches(output))
        {
            Assert.True(DicomTag.TryParse(match.Groups["tag"].Value, out var tag));
            result[tag] = (match.Groups["keyword"].Value.Trim(), match.Groups["vr"].Value);
        }

        return result;
    }

    [GeneratedRegex(@"^(?<tag>\([0-9a-fA-F]{4},[0-9a-fA-F]{4}\)) (?<vr>\S\S) .*#\s*\d+,\s*\d+ (?<keyword>.+)$", RegexOptions.Multiline)]
    private static partial Regex DumpLine();
}
