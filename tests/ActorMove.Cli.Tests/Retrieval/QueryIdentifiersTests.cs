using System.Buffers.Binary;
using ActorMove.Cli.Retrieval;
using ActorMove.Dicom;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Dicom.Dictionary;
using ActorMove.Testing;
using ActorMove.Testing.Dcmtk;
using Xunit;
using static ActorMove.Cli.Tests.ParseHelpers;

namespace ActorMove.Cli.Tests.Retrieval;

/// <summary>-k keys of binary VRs become numbers of their VR's size, in the byte order of the data set they go into.</summary>
public sealed class QueryIdentifiersTests : IDisposable
{
    private readonly TempDirectory _temp = new("queryidentifiers");

    public void Dispose() => _temp.Dispose();

    private static readonly string[] NumberKeys =
    [
        "-k", "Rows=512",                       // US
        "-k", "TagAngleSecondAxis=-2\\3",       // SS, two values
        "-k", "PrivateDataElementValueMultiplicity=70000", // UL
        "-k", "ReferencePixelX0=-3",            // SL
        "-k", "RecommendedDisplayFrameRateInFloat=2.5", // FL
        "-k", "TimeRange=0.125\\-1e300",        // FD, two values
        "-k", "PatientID=ABC",                  // text, padded to even length
    ];

    [Fact]
    public void Keys_alone_give_little_endian_numbers_of_their_vr()
    {
        var identifier = Assert.Single(QueryIdentifiers.Build(ParseValid(["host", "104", .. NumberKeys])));

        Assert.Equal(TransferSyntax.ExplicitVRLittleEndian, identifier.Syntax);
        AssertNumbers(identifier.Dataset, littleEndian: true);
    }

    [Fact]
    public void Keys_on_a_big_endian_query_file_give_big_endian_numbers()
    {
        string dump = _temp.Combine("query.dump");
        File.WriteAllLines(dump, ["(0008,0052) CS [STUDY]", "(0020,000d) UI [1.2.3]"]);
        string query = _temp.Combine("query.dcm");
        var made = DcmtkTool.Run("dump2dcm", ["+tb", dump, query], TimeSpan.FromSeconds(30));
        Assert.True(made.ExitCode == 0, made.ToString());

        var identifier = Assert.Single(QueryIdentifiers.Build(ParseValid(["host", "104", query, .. NumberKeys])));

        Assert.Equal(TransferSyntax.ExplicitVRBigEndian, identifier.Syntax);
        Assert.False(identifier.Dataset.SourceIsLittleEndian);
        AssertNumbers(identifier.Dataset, littleEndian: false);
        Assert.Equal("STUDY", identifier.Dataset.GetString(new DicomTag(0x0008, 0x0052)));
    }

    [Fact]
    public void Of_two_keys_for_one_attribute_the_leftmost_wins_as_in_movescu()
    {
        var identifier = Assert.Single(QueryIdentifiers.Build(ParseValid(
            "host", "104", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=1.2.3", "-k", "0020,000d=4.5.6", "-k", "0008,0052=PATIENT")));

        Assert.Equal("1.2.3", identifier.Dataset.GetString(new DicomTag(0x0020, 0x000D)));
        Assert.Equal("STUDY", identifier.Dataset.GetString(new DicomTag(0x0008, 0x0052)));
    }

    [Fact]
    public void Of_two_keys_over_a_query_file_the_leftmost_wins_and_both_beat_the_file()
    {
        string dump = _temp.Combine("query.dump");
        File.WriteAllLines(dump, ["(0008,0052) CS [STUDY]", "(0020,000d) UI [1.2.3]"]);
        string query = _temp.Combine("query.dcm");
        var made = DcmtkTool.Run("dump2dcm", [dump, query], TimeSpan.FromSeconds(30));
        Assert.True(made.ExitCode == 0, made.ToString());

        var identifier = Assert.Single(QueryIdentifiers.Build(ParseValid("host", "104", query, "-k", "StudyInstanceUID=4.5.6", "-k", "StudyInstanceUID=7.8.9")));

        Assert.Equal("4.5.6", identifier.Dataset.GetString(new DicomTag(0x0020, 0x000D)));
    }

    [Fact]
    public void The_identifiers_stop_before_the_first_query_file_that_cannot_be_read()
    {
        string good = _temp.Combine("good.dcm");
        string dump = _temp.Combine("good.dump");
        File.WriteAllLines(dump, ["(0008,0052) CS [STUDY]", "(0020,000d) UI [1.2.3]"]);
        Assert.Equal(0, DcmtkTool.Run("dump2dcm", [dump, good], TimeSpan.FromSeconds(30)).ExitCode);
        string empty = _temp.Combine("empty.dcm");
        File.WriteAllBytes(empty, []);
        var options = ParseValid("host", "104", good, empty, good);

        var identifiers = QueryIdentifiers.BuildUpToUnreadable(options, out var unreadable);

        Assert.Equal([good], identifiers.Select(i => i.Source));
        Assert.Equal(new UnreadableQueryFile(empty, "End of stream", "End of stream"), unreadable);
        // A migration checks every file first: there the empty one is an error.
        Assert.Throws<DicomFormatException>(() => QueryIdentifiers.Build(options));
    }

    [Fact]
    public void Spaces_in_a_uid_are_removed_with_movescus_warning()
    {
        var identifier = Assert.Single(QueryIdentifiers.Build(ParseValid("host", "104", "-k", "StudyInstanceUID=1.2. 3 ", "-k", "PatientName=A B")));

        Assert.Equal("1.2.3", identifier.Dataset.GetString(new DicomTag(0x0020, 0x000D)));
        Assert.Equal("A B", identifier.Dataset.GetString(new DicomTag(0x0010, 0x0010)));
        Assert.Equal(["DcmUniqueIdentifier: Element StudyInstanceUID (0020,000d) contains one or more space characters, which were removed"],
            identifier.Warnings);
    }

    [Fact]
    public void A_query_file_that_is_not_dicom_gets_dcmtks_words_and_keeps_ours_as_detail()
    {
        string text = _temp.Combine("query.txt");
        File.WriteAllText(text, "StudyInstanceUID=1.2.3\n");

        QueryIdentifiers.BuildUpToUnreadable(ParseValid("host", "104", text), out var unreadable);

        Assert.NotNull(unreadable);
        Assert.Equal("I/O suspension or premature end of stream", unreadable.Reason);
        Assert.NotEqual(unreadable.Reason, unreadable.Detail);
    }

    [Theory]
    [InlineData("Rows=70000")]
    [InlineData("Rows=abc")]
    [InlineData("ReferencePixelX0=1\\x")]
    [InlineData("TimeRange=one")]
    public void A_number_the_vr_cannot_hold_is_refused_in_movescus_words(string key)
    {
        var error = Assert.Throws<ArgumentException>(() => QueryIdentifiers.Build(ParseValid("host", "104", "-k", key)));
        Assert.Equal($"cannot put tag value: {key}", error.Message);
    }

    private static void AssertNumbers(DicomDataset dataset, bool littleEndian)
    {
        bool le = littleEndian;
        AssertValue(dataset, "Rows", DicomVR.US, Number(2, s => Write(le, s, (ushort)512)));
        AssertValue(dataset, "TagAngleSecondAxis", DicomVR.SS, [.. Number(2, s => Write(le, s, (short)-2)), .. Number(2, s => Write(le, s, (short)3))]);
        AssertValue(dataset, "PrivateDataElementValueMultiplicity", DicomVR.UL, Number(4, s => Write(le, s, 70000u)));
        AssertValue(dataset, "ReferencePixelX0", DicomVR.SL, Number(4, s => Write(le, s, -3)));
        AssertValue(dataset, "RecommendedDisplayFrameRateInFloat", DicomVR.FL, Number(4, s => Write(le, s, 2.5f)));
        AssertValue(dataset, "TimeRange", DicomVR.FD, [.. Number(8, s => Write(le, s, 0.125)), .. Number(8, s => Write(le, s, -1e300))]);
        AssertValue(dataset, "PatientID", DicomVR.LO, "ABC "u8.ToArray());
    }

    private static void AssertValue(DicomDataset dataset, string keyword, DicomVR vr, byte[] expected)
    {
        Assert.True(DicomDictionary.Default.TryGetTag(keyword, out var tag), keyword);
        Assert.True(dataset.TryGet(tag, out var element), keyword);
        var primitive = Assert.IsType<DicomPrimitiveElement>(element);
        Assert.Equal(vr, primitive.VR);
        Assert.Equal(expected, primitive.Value.Bytes.ToArray());
    }

    private delegate void Writer(Span<byte> slot);

    private static byte[] Number(int size, Writer write)
    {
        var bytes = new byte[size];
        write(bytes);
        return bytes;
    }

    private static void Write(bool le, Span<byte> s, ushort v) { if (le) BinaryPrimitives.WriteUInt16LittleEndian(s, v); else BinaryPrimitives.WriteUInt16BigEndian(s, v); }
    private static void Write(bool le, Span<byte> s, short v) { if (le) BinaryPrimitives.WriteInt16LittleEndian(s, v); else BinaryPrimitives.WriteInt16BigEndian(s, v); }
    private static void Write(bool le, Span<byte> s, uint v) { if (le) BinaryPrimitives.WriteUInt32LittleEndian(s, v); else BinaryPrimitives.WriteUInt32BigEndian(s, v); }
    private static void Write(bool le, Span<byte> s, int v) { if (le) BinaryPrimitives.WriteInt32LittleEndian(s, v); else BinaryPrimitives.WriteInt32BigEndian(s, v); }
    private static void Write(bool le, Span<byte> s, float v) { if (le) BinaryPrimitives.WriteSingleLittleEndian(s, v); else BinaryPrimitives.WriteSingleBigEndian(s, v); }
    private static void Write(bool le, Span<byte> s, double v) { if (le) BinaryPrimitives.WriteDoubleLittleEndian(s, v); else BinaryPrimitives.WriteDoubleBigEndian(s, v); }
}
