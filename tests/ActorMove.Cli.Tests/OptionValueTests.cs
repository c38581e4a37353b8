using ActorMove.Network.Services;
using ActorMove.Network.Negotiation;
using ActorMove.Cli.Options;
using ActorMove.Dicom.Core;
using Xunit;
using static ActorMove.Cli.Tests.ParseHelpers;

namespace ActorMove.Cli.Tests;

/// <summary>Every option of the table parses, under its short and its long name, to the value movescu gives it.</summary>
public class OptionValueTests
{
    /// <summary>
    /// One row per option: the values it takes, the extra options it needs to be legal, and what it must set.
    /// Expected values are written out, not derived from the parser, and differ from the defaults where the option allows.
    /// </summary>
    private static readonly (OptionId Id, string[] Values, string[] Context, Func<MoveOptions, object?> Actual, object? Expected)[] Cases =
    [
        (OptionId.Arguments, [], [], o => o.PrintExpandedArguments, true),
        (OptionId.Quiet, [], [], o => o.LogLevel, LogLevel.Fatal),
        (OptionId.Verbose, [], [], o => o.LogLevel, LogLevel.Info),
        (OptionId.Debug, [], [], o => o.LogLevel, LogLevel.Debug),
        (OptionId.LogLevel, ["trace"], [], o => o.LogLevel, LogLevel.Trace),
        (OptionId.LogConfig, ["{logconfig}"], [], o => o.LogConfigFile, "{logconfig}"),
        (OptionId.Key, ["PatientName=DOE^JOHN"], [], o => o.OverrideKeys[^1], new OverrideKey("PatientName=DOE^JOHN", null, "PatientName", "DOE^JOHN")),
        (OptionId.Patient, [], ["-S"], o => o.QueryModel, QueryRetrieveModel.PatientRoot),
        (OptionId.Study, [], [], o => o.QueryModel, QueryRetrieveModel.StudyRoot),
        (OptionId.PsOnly, [], [], o => o.QueryModel, QueryRetrieveModel.PatientStudyOnly),
        (OptionId.AeTitle, ["ME"], [], o => (o.CallingAETitle, o.EffectiveMoveDestination), ("ME", "ME")),
        (OptionId.Call, ["ARCHIVE"], [], o => o.CalledAETitle, "ARCHIVE"),
        (OptionId.Move, ["THIRD"], [], o => (o.MoveDestination, o.EffectiveMoveDestination), ("THIRD", "THIRD")),
        (OptionId.PreferUncompr, [], ["+xe"], o => o.IncomingTransferSyntax, IncomingTransferSyntaxPreference.ExplicitLocalByteOrder),
        (OptionId.PreferLittle, [], [], o => o.IncomingTransferSyntax, IncomingTransferSyntaxPreference.ExplicitLittleEndian),
        (OptionId.PreferBig, [], [], o => o.IncomingTransferSyntax, IncomingTransferSyntaxPreference.ExplicitBigEndian),
        (OptionId.PreferLossless, [], [], o => o.IncomingTransferSyntax, IncomingTransferSyntaxPreference.JpegLossless),
        (OptionId.PreferJpeg8, [], [], o => o.IncomingTransferSyntax, IncomingTransferSyntaxPreference.JpegLossy8Bit),
        (OptionId.PreferJpeg12, [], [], o => o.IncomingTransferSyntax, IncomingTransferSyntaxPreference.JpegLossy12Bit),
        (OptionId.PreferJ2kLossless, [], [], o => o.IncomingTransferSyntax, IncomingTransferSyntaxPreference.Jpeg2000Lossless),
        (OptionId.PreferJ2kLossy, [], [], o => o.IncomingTransferSyntax, IncomingTransferSyntaxPreference.Jpeg2000Lossy),
        (OptionId.PreferJlsLossless, [], [], o => o.IncomingTransferSyntax, IncomingTransferSyntaxPreference.JpegLsLossless),
        (OptionId.PreferJlsLossy, [], [], o => o.IncomingTransferSyntax, IncomingTransferSyntaxPreference.JpegLsLossy),
        (OptionId.PreferMpeg2, [], [], o => o.IncomingTransferSyntax, IncomingTransferSyntaxPreference.Mpeg2MainProfileMainLevel),
        (OptionId.PreferMpeg2High, [], [], o => o.IncomingTransferSyntax, IncomingTransferSyntaxPreference.Mpeg2MainProfileHighLevel),
        (OptionId.PreferMpeg4, [], [], o => o.IncomingTransferSyntax, IncomingTransferSyntaxPreference.Mpeg4HighProfileLevel4_1),
        (OptionId.PreferMpeg4Bd, [], [], o => o.IncomingTransferSyntax, IncomingTransferSyntaxPreference.Mpeg4BdCompatibleHighProfileLevel4_1),
        (OptionId.PreferMpeg4_2_2d, [], [], o => o.IncomingTransferSyntax, IncomingTransferSyntaxPreference.Mpeg4HighProfileLevel4_2For2D),
        (OptionId.PreferMpeg4_2_3d, [], [], o => o.IncomingTransferSyntax, IncomingTransferSyntaxPreference.Mpeg4HighProfileLevel4_2For3D),
        (OptionId.PreferMpeg4_2_St, [], [], o => o.IncomingTransferSyntax, IncomingTransferSyntaxPreference.Mpeg4StereoHighProfileLevel4_2),
        (OptionId.PreferHevc, [], [], o => o.IncomingTransferSyntax, IncomingTransferSyntaxPreference.HevcMainProfileLevel5_1),
        (OptionId.PreferHevc10, [], [], o => o.IncomingTransferSyntax, IncomingTransferSyntaxPreference.HevcMain10ProfileLevel5_1),
        (OptionId.PreferRle, [], [], o => o.IncomingTransferSyntax, IncomingTransferSyntaxPreference.RleLossless),
        (OptionId.PreferDeflated, [], [], o => o.IncomingTransferSyntax, IncomingTransferSyntaxPreference.DeflatedExplicitLittleEndian),
        (OptionId.Implicit, [], [], o => o.IncomingTransferSyntax, IncomingTransferSyntaxPreference.ImplicitLittleEndianOnly),
        (OptionId.AcceptAll, [], [], o => o.IncomingTransferSyntax, IncomingTransferSyntaxPreference.AcceptAll),
        (OptionId.ProposeUncompr, [], ["-xi"], o => o.OutgoingTransferSyntax, OutgoingTransferSyntaxProposal.ExplicitLocalByteOrderFirst),
        (OptionId.ProposeLittle, [], [], o => o.OutgoingTransferSyntax, OutgoingTransferSyntaxProposal.ExplicitLittleEndianFirst),
        (OptionId.ProposeBig, [], [], o => o.OutgoingTransferSyntax, OutgoingTransferSyntaxProposal.ExplicitBigEndianFirst),
        (OptionId.ProposeDeflated, [], [], o => o.OutgoingTransferSyntax, OutgoingTransferSyntaxProposal.DeflatedExplicitLittleEndian),
        (OptionId.ProposeImplicit, [], [], o => o.OutgoingTransferSyntax, OutgoingTransferSyntaxProposal.ImplicitLittleEndianOnly),
        (OptionId.AccessFull, [], ["+ac"], o => o.EnforceHostAccessControl, false),
        (OptionId.AccessControl, [], [], o => o.EnforceHostAccessControl, true),
        (OptionId.NoPort, [], ["+P", "11112"], o => o.IncomingPort, null),
        (OptionId.Port, ["11112"], [], o => o.IncomingPort, 11112),
        (OptionId.PendingIgnore, [], ["-pr"], o => o.PendingDatasets, PendingDataSetHandling.AssumeNone),
        (OptionId.PendingRead, [], [], o => o.PendingDatasets, PendingDataSetHandling.ReadAndDiscard),
        (OptionId.Timeout, ["7"], [], o => o.ConnectionTimeoutSeconds, 7L),
        (OptionId.AcseTimeout, ["9"], [], o => o.AcseTimeoutSeconds, 9L),
        (OptionId.DimseTimeout, ["11"], [], o => o.DimseTimeoutSeconds, 11L),
        (OptionId.MaxPdu, ["65536"], [], o => o.MaxReceivePduLength, 65536u),
        (OptionId.DisableHostLookup, [], [], o => o.DisableHostLookup, true),
        (OptionId.Repeat, ["3"], [], o => o.RepeatCount, 3UL),
        (OptionId.Abort, [], [], o => o.AbortAssociation, true),
        (OptionId.Ignore, [], [], o => o.IgnoreStoreData, true),
        (OptionId.Cancel, ["2"], [], o => o.CancelAfterResponses, 2L),
        (OptionId.UidPadding, [], [], o => o.CorrectUidPadding, true),
        (OptionId.OutputDirectory, ["/data/in"], ["+P", "11112"], o => o.OutputDirectory, "/data/in"),
        (OptionId.Normal, [], ["+B"], o => o.BitPreserving, false),
        (OptionId.BitPreserving, [], [], o => o.BitPreserving, true),
        (OptionId.WriteFile, [], ["-F"], o => o.OutputFileFormat, OutputFileFormat.FileFormat),
        (OptionId.WriteDataset, [], [], o => o.OutputFileFormat, OutputFileFormat.DatasetOnly),
        (OptionId.WriteXferSame, [], ["+te"], o => o.OutputTransferSyntax, OutputTransferSyntax.SameAsInput),
        (OptionId.WriteXferLittle, [], [], o => o.OutputTransferSyntax, OutputTransferSyntax.ExplicitLittleEndian),
        (OptionId.WriteXferBig, [], [], o => o.OutputTransferSyntax, OutputTransferSyntax.ExplicitBigEndian),
        (OptionId.WriteXferImplicit, [], [], o => o.OutputTransferSyntax, OutputTransferSyntax.ImplicitLittleEndian),
        (OptionId.WriteXferDeflated, [], [], o => o.OutputTransferSyntax, OutputTransferSyntax.DeflatedExplicitLittleEndian),
        (OptionId.EnableNewVr, [], ["-u"], o => o.EnableNewVRs, true),
        (OptionId.DisableNewVr, [], [], o => o.EnableNewVRs, false),
        (OptionId.GroupLengthRecalc, [], ["-g"], o => o.GroupLengthEncoding, GroupLengthEncoding.RecalculateIfPresent),
        (OptionId.GroupLengthCreate, [], [], o => o.GroupLengthEncoding, GroupLengthEncoding.Create),
        (OptionId.GroupLengthRemove, [], [], o => o.GroupLengthEncoding, GroupLengthEncoding.Remove),
        (OptionId.LengthExplicit, [], ["-e"], o => o.SequenceLengthEncoding, SequenceLengthEncoding.Explicit),
        (OptionId.LengthUndefined, [], [], o => o.SequenceLengthEncoding, SequenceLengthEncoding.Undefined),
        (OptionId.PaddingOff, [], ["+p", "8", "2"], o => o.Padding, null),
        (OptionId.PaddingCreate, ["256", "16"], [], o => o.Padding, new DatasetPadding(256, 16)),
        (OptionId.CompressionLevel, ["9"], [], o => o.CompressionLevel, 9),
        (OptionId.Parallel, ["8"], [], o => o.Extensions.Parallel, 8),
        (OptionId.Manifest, ["rows.csv"], [], o => o.Extensions.ManifestFile, "rows.csv"),
        (OptionId.Journal, ["rows.db"], ["--manifest", "rows.csv"], o => o.Extensions.JournalFile, "rows.db"),
        (OptionId.ForceJournal, [], ["--manifest", "rows.csv", "--journal", "rows.db"], o => o.Extensions.ForceJournal, true),
        (OptionId.Retry, ["3"], [], o => o.Extensions.Retries, 3),
        (OptionId.Report, ["run.json"], [], o => o.Extensions.ReportFile, "run.json"),
        (OptionId.MaxAssociations, ["40"], ["+P", "11113"], o => o.Extensions.MaxStoreAssociations, 40),
    ];

    /// <summary>--help and --version do not produce options; they are covered by the program tests.</summary>
    private static readonly OptionId[] Exclusive = [OptionId.Help, OptionId.Version];

    public static TheoryData<OptionId, bool> OptionsAndSpellings()
    {
        var data = new TheoryData<OptionId, bool>();
        foreach (var option in MovescuOptionTable.Options.Where(o => !Exclusive.Contains(o.Id)))
        {
            data.Add(option.Id, true);
            if (option.ShortName is not null)
            {
                data.Add(option.Id, false);
            }
        }

        return data;
    }

    [Fact]
    public void Every_option_of_the_table_has_a_case()
    {
        var covered = Cases.Select(c => c.Id).Concat(Exclusive).Order().ToArray();
        var all = MovescuOptionTable.Options.Select(o => o.Id).Order().ToArray();
        Assert.Equal(all, covered);
    }

    [Theory]
    [MemberData(nameof(OptionsAndSpellings))]
    public void Option_sets_its_value(OptionId id, bool useLongName)
    {
        using var temp = new ActorMove.Testing.TempDirectory();
        string logConfig = temp.Combine("logger.cfg");
        File.WriteAllText(logConfig, """{ "Serilog": { "MinimumLevel": "Information" } }""");

        var (_, values, context, actual, expected) = Cases.Single(c => c.Id == id);
        var definition = MovescuOptionTable.Get(id);
        string name = useLongName ? definition.LongName : definition.ShortName!;
        string[] resolvedValues = values.Select(v => v.Replace("{logconfig}", logConfig)).ToArray();

        // The context comes first so that this option, being further right, wins over it.
        var options = ParseWithMinimal([.. context, name, .. resolvedValues]);

        object? expectedValue = expected is string text ? text.Replace("{logconfig}", logConfig) : expected;
        Assert.Equal(expectedValue, actual(options));
    }

    [Fact]
    public void Defaults_are_movescus()
    {
        var options = ParseValid("archive", "104", "-k", "0008,0052=STUDY");

        Assert.Equal("archive", options.Peer);
        Assert.Equal(104, options.Port);
        Assert.Empty(options.QueryFiles);
        Assert.Equal([new OverrideKey("0008,0052=STUDY", new DicomTag(0x0008, 0x0052), null, "STUDY")], options.OverrideKeys);
        Assert.Equal(LogLevel.Warn, options.LogLevel);
        Assert.Null(options.LogConfigFile);
        Assert.False(options.PrintExpandedArguments);
        Assert.Equal(QueryRetrieveModel.PatientRoot, options.QueryModel);
        Assert.Equal("MOVESCU", options.CallingAETitle);
        Assert.Equal("ANY-SCP", options.CalledAETitle);
        Assert.Null(options.MoveDestination);
        Assert.Equal("MOVESCU", options.EffectiveMoveDestination);
        Assert.Equal(IncomingTransferSyntaxPreference.ExplicitLocalByteOrder, options.IncomingTransferSyntax);
        Assert.Equal(OutgoingTransferSyntaxProposal.ExplicitLocalByteOrderFirst, options.OutgoingTransferSyntax);
        Assert.False(options.EnforceHostAccessControl);
        Assert.Null(options.IncomingPort);
        Assert.Equal(PendingDataSetHandling.AssumeNone, options.PendingDatasets);
        Assert.Null(options.ConnectionTimeoutSeconds);
        Assert.Equal(30, options.AcseTimeoutSeconds);
        Assert.Null(options.DimseTimeoutSeconds);
        Assert.Equal(16384u, options.MaxReceivePduLength);
        Assert.False(options.DisableHostLookup);
        Assert.Equal(1UL, options.RepeatCount);
        Assert.False(options.AbortAssociation);
        Assert.False(options.IgnoreStoreData);
        Assert.Null(options.CancelAfterResponses);
        Assert.False(options.CorrectUidPadding);
        Assert.Equal(".", options.OutputDirectory);
        Assert.False(options.BitPreserving);
        Assert.Equal(OutputFileFormat.FileFormat, options.OutputFileFormat);
        Assert.Equal(OutputTransferSyntax.SameAsInput, options.OutputTransferSyntax);
        Assert.True(options.EnableNewVRs);
        Assert.Equal(GroupLengthEncoding.RecalculateIfPresent, options.GroupLengthEncoding);
        Assert.Equal(SequenceLengthEncoding.Explicit, options.SequenceLengthEncoding);
        Assert.Null(options.Padding);
        Assert.Equal(6, options.CompressionLevel);
        Assert.Equal(ActorMoveExtensions.None, options.Extensions);
        Assert.False(options.Extensions.Active);
    }

    [Fact]
    public void Several_keys_are_kept_in_order_with_and_without_values()
    {
        var options = ParseValid("h", "1", "-k", "0010,0020=PAT001", "--key", "StudyInstanceUID", "-k", "0008,0050=", "-k", "0010,0010=A=B");

        Assert.Equal(
            [
                new OverrideKey("0010,0020=PAT001", new DicomTag(0x0010, 0x0020), null, "PAT001"),
                new OverrideKey("StudyInstanceUID", null, "StudyInstanceUID", null),
                new OverrideKey("0008,0050=", new DicomTag(0x0008, 0x0050), null, ""),
                new OverrideKey("0010,0010=A=B", new DicomTag(0x0010, 0x0010), null, "A=B"),
            ],
            options.OverrideKeys);
    }

    [Theory]
    [InlineData("10,20=X", 0x0010, 0x0020)]
    [InlineData("0x0010,0x0020=X", 0x0010, 0x0020)]
    [InlineData(" 0010, 0020=X", 0x0010, 0x0020)]
    [InlineData("00010,0020=X", 0x0010, 0x0020)]
    [InlineData("10010,0020=X", 0x0010, 0x0020)] // sscanf reads 0x10010, the tag keeps 16 bits
    [InlineData("0010,0020x=X", 0x0010, 0x0020)] // what follows the element is ignored
    [InlineData("0010,002g=X", 0x0010, 0x0002)]
    public void Numeric_keys_are_read_like_sscanf_hex(string key, int group, int element)
    {
        var options = ParseValid("h", "1", "-k", key);
        Assert.Equal(new DicomTag((ushort)group, (ushort)element), options.OverrideKeys.Single().Tag);
    }

    [Theory]
    [InlineData("(0010,0020)=X", "(0010,0020)")]
    [InlineData("00100020=X", "00100020")]
    [InlineData("0010.0020=x", "0010.0020")]
    [InlineData("0010 ,0020=1", "0010 ,0020")]
    [InlineData("0010,=1", "0010,")]
    [InlineData(",0020=1", ",0020")]
    [InlineData("PatientID[0]=x", "PatientID[0]")]
    [InlineData("ReferencedStudySequence[0].StudyInstanceUID=1", "ReferencedStudySequence[0].StudyInstanceUID")]
    [InlineData(" PatientID=1", " PatientID")]
    [InlineData("=x", "")]
    [InlineData("", "")]
    public void Malformed_keys_are_rejected_like_movescu(string key, string reported)
    {
        Assert.Equal($"bad key format or dictionary name not found in dictionary: {reported}", ParseError("h", "1", "-k", key));
    }

    [Theory]
    [InlineData("fffe,e000=X", "cannot create element for tag: (fffe,e000)")]
    [InlineData("FFFE,E0DD", "cannot create element for tag: (fffe,e0dd)")]
    public void Items_and_delimiters_cannot_be_keys(string key, string message)
    {
        Assert.Equal(message, ParseError("h", "1", "-k", key));
    }

    [Fact]
    public void The_data_dictionary_backs_the_program_key_checks()
    {
        var dictionary = DictionaryOverrideKeys.Default;
        var result = MoveCommandLineParser.Parse(["h", "1", "-k", "StudyInstanceUID=1.2.3", "-k", "0009,0010=CREATOR", "-k", "0011,0000"], dictionary);

        Assert.Equal(CommandLineAction.Retrieve, result.Action);
        Assert.Equal(new DicomTag(0x0020, 0x000D), result.Options!.OverrideKeys[0].Tag);
        Assert.Equal("unknown tag: (0011,1010)", MoveCommandLineParser.Parse(["h", "1", "-k", "0011,1010=1"], dictionary).ErrorMessage);
    }

    [Fact]
    public void A_dictionary_resolves_keywords_and_rejects_unknown_names_and_tags()
    {
        var dictionary = new SmallDictionary();

        var resolved = MoveCommandLineParser.Parse(["h", "1", "-k", "PatientID=1", "-k", "0010,0010"], dictionary);
        Assert.Equal(CommandLineAction.Retrieve, resolved.Action);
        Assert.Equal(new DicomTag(0x0010, 0x0020), resolved.Options!.OverrideKeys[0].Tag);

        Assert.Equal("bad key format or dictionary name not found in dictionary: patientid",
            MoveCommandLineParser.Parse(["h", "1", "-k", "patientid=1"], dictionary).ErrorMessage);
        Assert.Equal("unknown tag: (1234,5678)", MoveCommandLineParser.Parse(["h", "1", "-k", "1234,5678=1"], dictionary).ErrorMessage);
        Assert.Equal("unknown tag: (fffffff0,0020)", MoveCommandLineParser.Parse(["h", "1", "-k", "-10,20=1"], dictionary).ErrorMessage);
    }

    private sealed class SmallDictionary : IOverrideKeyDictionary
    {
        private static readonly Dictionary<string, DicomTag> Keywords = new(StringComparer.Ordinal)
        {
            ["PatientID"] = new DicomTag(0x0010, 0x0020),
            ["PatientName"] = new DicomTag(0x0010, 0x0010),
        };

        public bool TryGetTag(string keyword, out DicomTag tag) => Keywords.TryGetValue(keyword, out tag);

        public bool IsKnown(DicomTag tag) => Keywords.ContainsValue(tag);
    }
}
