using ActorMove.Dicom.Dictionary;
using ActorMove.Network.Negotiation;
using Xunit;

namespace ActorMove.Network.Tests.Negotiation;

/// <summary>
/// The store port's answers. The expected tables are facts observed from DCMTK 3.6.7 movescu (see the .tsv/.txt files
/// next to this class for how); they are not derived from the code under test.
/// </summary>
public class StoreAcceptancePolicyTests
{
    private const string Ct = "1.2.840.10008.5.1.4.1.1.2";
    private const string Il = "1.2.840.10008.1.2";
    private const string Le = "1.2.840.10008.1.2.1";
    private const string Be = "1.2.840.10008.1.2.2";
    private const string Def = "1.2.840.10008.1.2.1.99";

    private static readonly Dictionary<string, string[]> ObservedPreferences = LoadObservedPreferences();

    public static TheoryData<IncomingTransferSyntaxPreference> AllPreferences()
    {
        var data = new TheoryData<IncomingTransferSyntaxPreference>();
        foreach (var preference in Enum.GetValues<IncomingTransferSyntaxPreference>())
        {
            data.Add(preference);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllPreferences))]
    public void Preference_list_matches_what_movescu_accepts_and_prefers(IncomingTransferSyntaxPreference preference)
    {
        string option = StoreAcceptancePolicy.OptionName(preference);
        Assert.True(ObservedPreferences.TryGetValue(option, out var observed), $"no observation for {option}");
        Assert.Equal(observed, StoreAcceptancePolicy.PreferenceList(preference));
    }

    [Fact]
    public void Every_option_of_the_option_list_is_covered()
    {
        Assert.Equal(23, Enum.GetValues<IncomingTransferSyntaxPreference>().Length);
        Assert.Equal(ObservedPreferences.Keys.Order(),
            Enum.GetValues<IncomingTransferSyntaxPreference>().Select(StoreAcceptancePolicy.OptionName).Order());
    }

    [Theory]
    [MemberData(nameof(AllPreferences))]
    public void Our_preference_wins_whatever_order_the_proposer_uses(IncomingTransferSyntaxPreference preference)
    {
        var policy = new StoreAcceptancePolicy(preference, [Ct]);
        var ours = policy.PreferredTransferSyntaxes;
        var everything = TransferSyntaxUidsInRegistry();
        foreach (var proposed in new[] { everything, everything.AsEnumerable().Reverse().ToArray() })
        {
            var answer = policy.Answer(new ProposedPresentationContext(1, Ct, proposed));
            Assert.Equal(PresentationContextResult.Acceptance, answer.Result);
            Assert.Equal(ours[0], answer.TransferSyntax);
        }

        // Offer only our least preferred one and something we do not take: the least preferred is chosen.
        var notOurs = everything.Except(ours).First();
        var last = policy.Answer(new ProposedPresentationContext(5, Ct, [notOurs, ours[^1]]));
        Assert.Equal(ours[^1], last.TransferSyntax);
        Assert.Equal((byte)5, last.PresentationContextId);
    }

    [Fact]
    public void No_common_transfer_syntax_is_reason_4_and_unknown_class_is_reason_3()
    {
        var policy = new StoreAcceptancePolicy(IncomingTransferSyntaxPreference.ImplicitLittleEndianOnly, [Ct]);
        var answer = policy.Negotiate(
        [
            new ProposedPresentationContext(1, Ct, [Le, Be]),
            new ProposedPresentationContext(3, "1.2.3.4", [Il]),
            new ProposedPresentationContext(5, Ct, [Le, Il]),
            new ProposedPresentationContext(7, StoreAcceptancePolicy.VerificationSopClassUid, [Il]),
        ]);

        Assert.Equal(
        [
            new PresentationContextAnswer(1, PresentationContextResult.TransferSyntaxesNotSupported, null),
            new PresentationContextAnswer(3, PresentationContextResult.AbstractSyntaxNotSupported, null),
            new PresentationContextAnswer(5, PresentationContextResult.Acceptance, Il),
            new PresentationContextAnswer(7, PresentationContextResult.Acceptance, Il),
        ], answer.Contexts);
        Assert.Equal([(byte)5, (byte)7], answer.AcceptedContextIds);
    }

    [Fact]
    public void Padded_UIDs_from_the_wire_are_matched()
    {
        var policy = new StoreAcceptancePolicy(IncomingTransferSyntaxPreference.ExplicitLittleEndian, [Ct]);
        var answer = policy.Answer(new ProposedPresentationContext(1, Ct + "\0", ["1.2.840.10008.1.2.2\0", "1.2.840.10008.1.2.1\0"]));
        Assert.Equal(Le, answer.TransferSyntax);
    }

    [Fact]
    public void Default_policy_accepts_exactly_the_SOP_classes_movescu_accepts()
    {
        var observed = ReadDataLines("movescu-accepted-sop-classes.txt").ToHashSet(StringComparer.Ordinal);
        Assert.Equal(187, observed.Count);
        var policy = new StoreAcceptancePolicy();
        foreach (var info in DicomUids.All.Where(u => u.IsSopClass))
        {
            Assert.True(observed.Contains(info.Uid) == policy.AcceptsAbstractSyntax(info.Uid), $"{info.Uid} {info.Name}");
        }
    }

    [Fact]
    public void Widened_setting_accepts_every_storage_class()
    {
        var extra = StorageSopClasses.All.Except(StorageSopClasses.AcceptedByMovescu).ToArray();
        Assert.NotEmpty(extra);
        var narrow = new StoreAcceptancePolicy();
        var wide = StoreAcceptancePolicy.AcceptingAllStorageClasses(IncomingTransferSyntaxPreference.ExplicitLocalByteOrder);
        foreach (string uid in extra)
        {
            Assert.False(narrow.AcceptsAbstractSyntax(uid), uid);
            Assert.True(wide.AcceptsAbstractSyntax(uid), uid);
        }

        Assert.True(wide.AcceptsAbstractSyntax(StoreAcceptancePolicy.VerificationSopClassUid));
        Assert.False(wide.AcceptsAbstractSyntax("1.2.840.10008.5.1.4.1.2.2.2"));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void Role_proposals_get_no_reply_and_do_not_change_acceptance(bool scu, bool scp)
    {
        // Observed: movescu accepts the context for each of these role proposals and sends no role selection sub-item.
        var policy = new StoreAcceptancePolicy(IncomingTransferSyntaxPreference.ExplicitLocalByteOrder, [Ct]);
        var answer = policy.Negotiate([new ProposedPresentationContext(1, Ct, [Il])], [new RoleSelection(Ct, scu, scp)]);
        Assert.Empty(answer.RoleReplies);
        Assert.Equal(new PresentationContextAnswer(1, PresentationContextResult.Acceptance, Il), Assert.Single(answer.Contexts));
    }

    [Fact]
    public void A_context_id_accepted_once_is_not_refused_by_a_second_proposal()
    {
        var policy = new StoreAcceptancePolicy(IncomingTransferSyntaxPreference.ExplicitLocalByteOrder, [Ct]);
        var answer = policy.Negotiate([new ProposedPresentationContext(1, Ct, [Il]), new ProposedPresentationContext(1, "1.2.3", [Il])]);
        Assert.Equal(new PresentationContextAnswer(1, PresentationContextResult.Acceptance, Il), Assert.Single(answer.Contexts));
    }

    [Fact]
    public void Deflate_is_preferred_only_by_xd_and_xa()
    {
        foreach (var preference in Enum.GetValues<IncomingTransferSyntaxPreference>())
        {
            var chosen = new StoreAcceptancePolicy(preference, [Ct]).Answer(new ProposedPresentationContext(1, Ct, [Il, Le, Def])).TransferSyntax;
            bool deflate = preference is IncomingTransferSyntaxPreference.DeflatedExplicitLittleEndian or IncomingTransferSyntaxPreference.AcceptAll;
            Assert.Equal(deflate ? Def : preference == IncomingTransferSyntaxPreference.ImplicitLittleEndianOnly ? Il
                : preference == IncomingTransferSyntaxPreference.ExplicitBigEndian ? Le : Le, chosen);
        }
    }

    private static string[] TransferSyntaxUidsInRegistry() =>
        DicomUids.All.Where(u => u.IsTransferSyntax).Select(u => u.Uid).ToArray();

    private static Dictionary<string, string[]> LoadObservedPreferences() =>
        ReadDataLines("movescu-store-acceptance.tsv")
            .Select(line => line.Split('\t'))
            .ToDictionary(fields => fields[0], fields => fields[1].Split(' '));

    internal static IEnumerable<string> ReadDataLines(string fileName) =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Negotiation", fileName))
            .Where(line => line.Length > 0 && !line.StartsWith('#'));
}
