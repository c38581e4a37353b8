using ActorMove.Dicom.Dictionary;
using ActorMove.Dicom.IO.Reading;
using ActorMove.Dicom.Text;
using ActorMove.Testing;
using ActorMove.Testing.Dcmtk;
using Xunit;

namespace ActorMove.Dicom.Tests.Text;

/// <summary>
/// Files written by dump2dcm (and dcmconv), read by our reader and listed by <see cref="DatasetDump"/>: the listing must be
/// dcmdump's data set part, character for character, both as dcmdump shows it by default and with +L (whole values).
/// </summary>
public class DatasetDumpDcmtkTests : IDisposable
{
    private readonly TempDirectory _temp = new("dump-dcmtk");

    public void Dispose() => _temp.Dispose();

    // The VRs a C-MOVE identifier uses, and the rest of what dcmdump has a form for: empty and multi-valued values, values
    // just below, at and above the length dcmdump shortens at, known and unknown UIDs, private, unknown and retired tags.
    private const string Everything = """
        (0008,0005) CS [ISO_IR 100]
        (0008,0016) UI [1.2.840.10008.5.1.4.1.1.2]
        (0008,0018) UI [1.2.826.0.1.3680043.2.1143.42]
        (0008,0020) DA [20240102]
        (0008,002a) DT [20240102101112]
        (0008,0030) TM [101112.123]
        (0008,0050) SH [ACC1]
        (0008,0052) CS [STUDY]
        (0008,0054) AE [ARCHIVE]
        (0008,0060) CS [ MR]
        (0008,0061) CS [CT\MR\US]
        (0008,0070) LO [\]
        (0008,0090) PN []
        (0008,0119) UC [long code value]
        (0008,0120) UR [http://example.com/x]
        (0008,1010) SH [xxxxxxxxxxxxxxxx]
        (0008,1030) LO [xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx]
        (0008,103e) LO [xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx]
        (0008,1040) LO [xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx]
        (0008,1048) PN [yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy]
        (0008,1050) PN [  leading spaces]
        (0009,0010) LO [ACME]
        (0009,1001) LO [private value]
        (0010,0010) PN [Alpha^Ann]
        (0010,0020) LO [PA]
        (0010,1010) AS [045Y]
        (0010,1030) DS [70.5\71\72.25]
        (0010,21b0) LT [Additional history with text that is quite a bit longer than sixty four characters for sure]
        (0018,0015) CS
        (0018,1240) IS
        (0018,1310) US 0\256\256\0
        (0018,6020) SL -100000
        (0018,6038) UL 4000000000
        (0018,9073) FD 1.5\2.25
        (0018,9089) FD 0.1\1e-05\1e+21
        (0018,9219) SS -1\2
        (0018,9306) FD 1000000000000000\10000000000000000\123456789012345
        (0019,0010) LO [XYZ]
        (0019,1001) UN 01\02\03\04
        (0020,000d) UI [1.2.826.0.1.3680043.2.99.1]
        (0020,000e) UI [1.2.840.10008.1.2\1.2.3]
        (0020,0013) IS [1\2\3\4\5\6\7\8\9\10\11\12\13\14\15\16\17\18\19\20\21\22\23\24\25]
        (0022,9999) LO [unknown]
        (0028,0010) US
        (0028,0011) US 0\1\2\3\4\5\6\7\8\9\10\11\12\13\14\15\16\17\18\19\20\21\22\23\24\25\26\27\28\29\30\31\32\33\34\35
        (0028,0100) US 1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1
        (0028,0106) SS 1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1
        (0028,1201) OW 0000\0001\0002\0003\0004\0005\0006\0007\0008\0009\000a\000b\000c\000d\000e\000f
        (0040,a30a) DS [1\2\3\4\5\6\7\8\9\10\11\12\13\14\15\16\17\18\19\20\21\22\23\24\25\26\27\28]
        (0042,0011) OB 00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10\11\12\13\14\15\16\17\18\19\1a\1b\1c
        (0072,0026) AT (0010,0010)\(0020,000d)
        """;

    private const string Sequences = """
        (0008,0052) CS [SERIES]
        (0008,1110) SQ (Sequence with undefined length #=0)
        (fffe,e0dd) na (SequenceDelimitationItem)
        (0008,1140) SQ (Sequence with undefined length #=2)
          (fffe,e000) na (Item with undefined length #=2)
            (0008,1150) UI [1.2.840.10008.5.1.4.1.1.2]
            (0008,1155) UI [1.2.3.4.5.6.7]
          (fffe,e00d) na (ItemDelimitationItem)
          (fffe,e000) na (Item with undefined length #=1)
            (0008,1199) SQ (Sequence with undefined length #=1)
              (fffe,e000) na (Item with undefined length #=1)
                (0008,1155) UI [1.2.3.4.5.6.8]
              (fffe,e00d) na (ItemDelimitationItem)
            (fffe,e0dd) na (SequenceDelimitationItem)
          (fffe,e00d) na (ItemDelimitationItem)
        (fffe,e0dd) na (SequenceDelimitationItem)
        (0020,000e) UI [1.2.3]
        """;

    [Theory]
    [InlineData("+te")]
    [InlineData("+ti")]
    [InlineData("+tb")]
    [InlineData("+td")]
    public void Lists_a_data_set_as_dcmdump_does(string syntaxOption)
    {
        string path = Write("everything", Everything, syntaxOption);

        AssertSameAsDcmdump(path);
    }

    [Theory]
    [InlineData("+e")]
    [InlineData("-e")]
    public void Lists_sequences_of_explicit_and_undefined_length_as_dcmdump_does(string lengthOption)
    {
        string written = Write("sequences", Sequences, "+te");
        string path = _temp.Combine($"sequences{lengthOption}.dcm");
        Run("dcmconv", lengthOption, written, path);

        AssertSameAsDcmdump(path);
    }

    [Fact]
    public void Names_every_uid_dcmtk_names_as_dcmdump_does()
    {
        // One item per UID of the generated table: each must come out as dcmdump's "=Name".
        var dump = new System.Text.StringBuilder("(0008,1199) SQ (Sequence with undefined length)\n");
        foreach (var uid in DicomUids.All.Select(u => u.Uid))
        {
            dump.Append("(fffe,e000) na (Item)\n(0008,1150) UI [").Append(uid).Append("]\n(fffe,e00d) na (ItemDelimitationItem)\n");
        }

        dump.Append("(fffe,e0dd) na (SequenceDelimitationItem)\n");
        string path = Write("uids", dump.ToString(), "+te");

        AssertSameAsDcmdump(path);
    }

    private string Write(string name, string dump, string syntaxOption)
    {
        File.WriteAllText(_temp.Combine(name + ".dump"), dump);
        string path = _temp.Combine($"{name}{syntaxOption}.dcm");
        Run("dump2dcm", syntaxOption, _temp.Combine(name + ".dump"), path);
        return path;
    }

    private void AssertSameAsDcmdump(string path)
    {
        using var file = DicomReader.ReadFile(path);
        foreach (var (option, dumpOptions) in new[] { ("-L", DatasetDumpOptions.Dcmdump), ("+L", DatasetDumpOptions.WholeValues) })
        {
            string expected = DatasetPart(Run("dcmdump", option, path));
            string actual = DatasetDump.Format(file.Dataset, file.TransferSyntax, dumpOptions);
            AssertSameLines(expected, actual, $"dcmdump {option} {Path.GetFileName(path)}");
        }
    }

    /// <summary>dcmdump's listing from the empty line before "# Dicom-Data-Set" on (the meta header before it is not ours to list).</summary>
    private static string DatasetPart(string dcmdump)
    {
        string text = dcmdump.ReplaceLineEndings("\n");
        int start = text.IndexOf("\n# Dicom-Data-Set\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no data set in dcmdump's output:\n{dcmdump}");
        return text[start..];
    }

    private static void AssertSameLines(string expected, string actual, string what)
    {
        string[] theirs = expected.Split('\n');
        string[] ours = actual.Split('\n');
        for (int i = 0; i < Math.Max(theirs.Length, ours.Length); i++)
        {
            string their = i < theirs.Length ? theirs[i] : "(no line)";
            string our = i < ours.Length ? ours[i] : "(no line)";
            Assert.True(their == our, $"{what}, line {i + 1}:\ndcmdump: {their}\nours:    {our}");
        }
    }

    private string Run(string program, params string[] arguments)
    {
        var result = DcmtkTool.Run(program, arguments, workingDirectory: _temp.Path);
        Assert.True(result.ExitCode == 0, $"{program} failed: {result}");
        return result.StdOut;
    }
}
