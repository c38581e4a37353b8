using ActorMove.Dicom.Dictionary;
using static ActorMove.Network.Negotiation.TransferSyntaxUids;

namespace ActorMove.Network.Negotiation;

/// <summary>+x=, +xe ... +xa (same member names and order as the CLI's option enum).</summary>
public enum IncomingTransferSyntaxPreference
{
    ExplicitLocalByteOrder,
    ExplicitLittleEndian,
    ExplicitBigEndian,
    JpegLossless,
    JpegLossy8Bit,
    JpegLossy12Bit,
    Jpeg2000Lossless,
    Jpeg2000Lossy,
    JpegLsLossless,
    JpegLsLossy,
    Mpeg2MainProfileMainLevel,
    Mpeg2MainProfileHighLevel,
    Mpeg4HighProfileLevel4_1,
    Mpeg4BdCompatibleHighProfileLevel4_1,
    Mpeg4HighProfileLevel4_2For2D,
    Mpeg4HighProfileLevel4_2For3D,
    Mpeg4StereoHighProfileLevel4_2,
    HevcMainProfileLevel5_1,
    HevcMain10ProfileLevel5_1,
    RleLossless,
    DeflatedExplicitLittleEndian,
    ImplicitLittleEndianOnly,
    AcceptAll,
}

/// <summary>
/// How the store port answers the sub-associations of a C-MOVE, as DCMTK 3.6.7 movescu does (negotiation.md, and
/// observed by proposing every transfer syntax to a running movescu):
/// Verification and the storage SOP classes are accepted, anything else is refused with reason 3; within a context
/// the first syntax of OUR preference list that the proposer offered wins (the proposer's order does not matter);
/// none in common gives reason 4. Role selection proposals are not answered (no sub-item in the A-ASSOCIATE-AC), so
/// the default roles hold: the proposer is SCU, we are SCP; the context is accepted whatever role was asked for.
/// </summary>
public sealed class StoreAcceptancePolicy
{
    private readonly HashSet<string> _abstractSyntaxes;

    /// <param name="preference">The +x option.</param>
    /// <param name="storageSopClasses">
    /// The storage classes to accept; null for <see cref="StorageSopClasses.AcceptedByMovescu"/>
    /// (pass <see cref="StorageSopClasses.All"/> for the widened setting).
    /// </param>
    public StoreAcceptancePolicy(IncomingTransferSyntaxPreference preference = IncomingTransferSyntaxPreference.ExplicitLocalByteOrder,
        IEnumerable<string>? storageSopClasses = null)
    {
        Preference = preference;
        PreferredTransferSyntaxes = PreferenceList(preference);
        _abstractSyntaxes = new HashSet<string>(StringComparer.Ordinal) { VerificationSopClassUid };
        foreach (string uid in storageSopClasses ?? StorageSopClasses.AcceptedByMovescu)
        {
            _abstractSyntaxes.Add(uid.TrimEnd('\0', ' '));
        }
    }

    public const string VerificationSopClassUid = "1.2.840.10008.1.1";

    /// <summary>The policy with the dictionary's whole storage class list (the widened acceptance setting).</summary>
    public static StoreAcceptancePolicy AcceptingAllStorageClasses(IncomingTransferSyntaxPreference preference) =>
        new(preference, StorageSopClasses.All);

    public IncomingTransferSyntaxPreference Preference { get; }

    /// <summary>Our transfer syntaxes, most preferred first.</summary>
    public IReadOnlyList<string> PreferredTransferSyntaxes { get; }

    public bool AcceptsAbstractSyntax(string abstractSyntax) => _abstractSyntaxes.Contains(abstractSyntax.TrimEnd('\0', ' '));

    public PresentationContextAnswer Answer(ProposedPresentationContext proposed)
    {
        if (!AcceptsAbstractSyntax(proposed.AbstractSyntax))
        {
            return new(proposed.PresentationContextId, PresentationContextResult.AbstractSyntaxNotSupported, null);
        }

        foreach (string ours in PreferredTransferSyntaxes)
        {
            foreach (string theirs in proposed.TransferSyntaxes)
            {
                if (string.Equals(theirs.TrimEnd('\0', ' '), ours, StringComparison.Ordinal))
                {
                    return new(proposed.PresentationContextId, PresentationContextResult.Acceptance, ours);
                }
            }
        }

        return new(proposed.PresentationContextId, PresentationContextResult.TransferSyntaxesNotSupported, null);
    }

    /// <summary>
    /// Answers a whole A-ASSOCIATE-RQ. A presentation context id proposed twice keeps its first accepting answer
    /// (a later proposal with that id cannot turn it into a refusal).
    /// </summary>
    public NegotiationAnswer Negotiate(IReadOnlyList<ProposedPresentationContext> proposed, IReadOnlyList<RoleSelection>? roleProposals = null)
    {
        var answers = new List<PresentationContextAnswer>(proposed.Count);
        var acceptedIds = new HashSet<byte>();
        foreach (var context in proposed)
        {
            var answer = Answer(context);
            if (!answer.IsAccepted && acceptedIds.Contains(context.PresentationContextId))
            {
                continue;
            }

            if (answer.IsAccepted && !acceptedIds.Add(context.PresentationContextId))
            {
                continue;
            }

            answers.Add(answer);
        }

        // movescu answers no role selection item, whatever was proposed: default roles (PS3.7 D.3.3.4).
        _ = roleProposals;
        return new NegotiationAnswer(answers, []);
    }

    /// <summary>Our preference list for a +x option; negotiation.md's tables, each confirmed against movescu 3.6.7.</summary>
    public static IReadOnlyList<string> PreferenceList(IncomingTransferSyntaxPreference preference)
    {
        string[] uncompressed = BitConverter.IsLittleEndian
            ? [ExplicitVRLittleEndian, ExplicitVRBigEndian, ImplicitVRLittleEndian]
            : [ExplicitVRBigEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian];
        string[] littleFirst = [ExplicitVRLittleEndian, ExplicitVRBigEndian, ImplicitVRLittleEndian];
        return preference switch
        {
            IncomingTransferSyntaxPreference.ExplicitLocalByteOrder => uncompressed,
            IncomingTransferSyntaxPreference.ExplicitLittleEndian => littleFirst,
            IncomingTransferSyntaxPreference.ExplicitBigEndian => [ExplicitVRBigEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian],
            IncomingTransferSyntaxPreference.ImplicitLittleEndianOnly => [ImplicitVRLittleEndian],
            IncomingTransferSyntaxPreference.AcceptAll =>
            [
                Jpeg2000, Jpeg2000Lossless, JpegExtended, JpegBaseline, JpegLosslessSv1, JpegLsLossy, JpegLsLossless, RleLossless,
                Mpeg2MainLevel, Mpeg2HighLevel, Mpeg4HighProfileLevel41, Mpeg4BdCompatible, Mpeg4HighProfileLevel42For2D,
                Mpeg4HighProfileLevel42For3D, Mpeg4StereoHighProfileLevel42, HevcMainProfileLevel51, HevcMain10ProfileLevel51,
                DeflatedExplicitVRLittleEndian, .. uncompressed,
            ],
            _ => [PreferredOf(preference), .. uncompressed],
        };
    }

    private static string PreferredOf(IncomingTransferSyntaxPreference preference) => preference switch
    {
        IncomingTransferSyntaxPreference.JpegLossless => JpegLosslessSv1,
        IncomingTransferSyntaxPreference.JpegLossy8Bit => JpegBaseline,
        IncomingTransferSyntaxPreference.JpegLossy12Bit => JpegExtended,
        IncomingTransferSyntaxPreference.Jpeg2000Lossless => Jpeg2000Lossless,
        IncomingTransferSyntaxPreference.Jpeg2000Lossy => Jpeg2000,
        IncomingTransferSyntaxPreference.JpegLsLossless => JpegLsLossless,
        IncomingTransferSyntaxPreference.JpegLsLossy => JpegLsLossy,
        IncomingTransferSyntaxPreference.Mpeg2MainProfileMainLevel => Mpeg2MainLevel,
        IncomingTransferSyntaxPreference.Mpeg2MainProfileHighLevel => Mpeg2HighLevel,
        IncomingTransferSyntaxPreference.Mpeg4HighProfileLevel4_1 => Mpeg4HighProfileLevel41,
        IncomingTransferSyntaxPreference.Mpeg4BdCompatibleHighProfileLevel4_1 => Mpeg4BdCompatible,
        IncomingTransferSyntaxPreference.Mpeg4HighProfileLevel4_2For2D => Mpeg4HighProfileLevel42For2D,
        IncomingTransferSyntaxPreference.Mpeg4HighProfileLevel4_2For3D => Mpeg4HighProfileLevel42For3D,
        IncomingTransferSyntaxPreference.Mpeg4StereoHighProfileLevel4_2 => Mpeg4StereoHighProfileLevel42,
        IncomingTransferSyntaxPreference.HevcMainProfileLevel5_1 => HevcMainProfileLevel51,
        IncomingTransferSyntaxPreference.HevcMain10ProfileLevel5_1 => HevcMain10ProfileLevel51,
        IncomingTransferSyntaxPreference.RleLossless => RleLossless,
        IncomingTransferSyntaxPreference.DeflatedExplicitLittleEndian => DeflatedExplicitVRLittleEndian,
        _ => throw new ArgumentOutOfRangeException(nameof(preference), preference, null),
    };

    /// <summary>The option spelling (+x=, +xe ...) of a preference, for messages and tests.</summary>
    public static string OptionName(IncomingTransferSyntaxPreference preference) => preference switch
    {
        IncomingTransferSyntaxPreference.ExplicitLocalByteOrder => "+x=",
        IncomingTransferSyntaxPreference.ExplicitLittleEndian => "+xe",
        IncomingTransferSyntaxPreference.ExplicitBigEndian => "+xb",
        IncomingTransferSyntaxPreference.JpegLossless => "+xs",
        IncomingTransferSyntaxPreference.JpegLossy8Bit => "+xy",
        IncomingTransferSyntaxPreference.JpegLossy12Bit => "+xx",
        IncomingTransferSyntaxPreference.Jpeg2000Lossless => "+xv",
        IncomingTransferSyntaxPreference.Jpeg2000Lossy => "+xw",
        IncomingTransferSyntaxPreference.JpegLsLossless => "+xt",
        IncomingTransferSyntaxPreference.JpegLsLossy => "+xu",
        IncomingTransferSyntaxPreference.Mpeg2MainProfileMainLevel => "+xm",
        IncomingTransferSyntaxPreference.Mpeg2MainProfileHighLevel => "+xh",
        IncomingTransferSyntaxPreference.Mpeg4HighProfileLevel4_1 => "+xn",
        IncomingTransferSyntaxPreference.Mpeg4BdCompatibleHighProfileLevel4_1 => "+xl",
        IncomingTransferSyntaxPreference.Mpeg4HighProfileLevel4_2For2D => "+x2",
        IncomingTransferSyntaxPreference.Mpeg4HighProfileLevel4_2For3D => "+x3",
        IncomingTransferSyntaxPreference.Mpeg4StereoHighProfileLevel4_2 => "+xo",
        IncomingTransferSyntaxPreference.HevcMainProfileLevel5_1 => "+x4",
        IncomingTransferSyntaxPreference.HevcMain10ProfileLevel5_1 => "+x5",
        IncomingTransferSyntaxPreference.RleLossless => "+xr",
        IncomingTransferSyntaxPreference.DeflatedExplicitLittleEndian => "+xd",
        IncomingTransferSyntaxPreference.ImplicitLittleEndianOnly => "+xi",
        IncomingTransferSyntaxPreference.AcceptAll => "+xa",
        _ => throw new ArgumentOutOfRangeException(nameof(preference), preference, null),
    };
}
