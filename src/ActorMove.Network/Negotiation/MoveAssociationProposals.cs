using static ActorMove.Network.Negotiation.TransferSyntaxUids;

namespace ActorMove.Network.Negotiation;

/// <summary>-P, -S, -O: the query/retrieve information model.</summary>
public enum QueryRetrieveModel
{
    PatientRoot,
    StudyRoot,
    PatientStudyOnly,
}

/// <summary>-x=, -xe, -xb, -xd, -xi (same member names and order as the CLI's option enum).</summary>
public enum OutgoingTransferSyntaxProposal
{
    ExplicitLocalByteOrderFirst,
    ExplicitLittleEndianFirst,
    ExplicitBigEndianFirst,
    DeflatedExplicitLittleEndian,
    ImplicitLittleEndianOnly,
}

/// <summary>
/// What the outgoing C-MOVE association proposes. Observed from DCMTK 3.6.7 movescu -d: two contexts, the model's
/// FIND SOP class as context 1 and its MOVE SOP class as context 3, both with the same transfer syntax list, no role
/// selection. (ActorMove sends its C-MOVE on context 3, as movescu does.)
/// </summary>
public static class MoveAssociationProposals
{
    public const byte FindContextId = 1;
    public const byte MoveContextId = 3;

    public static string FindSopClass(QueryRetrieveModel model) => model switch
    {
        QueryRetrieveModel.PatientRoot => "1.2.840.10008.5.1.4.1.2.1.1",
        QueryRetrieveModel.StudyRoot => "1.2.840.10008.5.1.4.1.2.2.1",
        QueryRetrieveModel.PatientStudyOnly => "1.2.840.10008.5.1.4.1.2.3.1",
        _ => throw new ArgumentOutOfRangeException(nameof(model), model, null),
    };

    public static string MoveSopClass(QueryRetrieveModel model) => model switch
    {
        QueryRetrieveModel.PatientRoot => "1.2.840.10008.5.1.4.1.2.1.2",
        QueryRetrieveModel.StudyRoot => "1.2.840.10008.5.1.4.1.2.2.2",
        QueryRetrieveModel.PatientStudyOnly => "1.2.840.10008.5.1.4.1.2.3.2",
        _ => throw new ArgumentOutOfRangeException(nameof(model), model, null),
    };

    /// <summary>The transfer syntaxes proposed, in order (negotiation.md, confirmed against movescu -d).</summary>
    public static IReadOnlyList<string> TransferSyntaxes(OutgoingTransferSyntaxProposal proposal) => proposal switch
    {
        // "Local byte order first": the host's explicit VR syntax, then the other one, then implicit.
        OutgoingTransferSyntaxProposal.ExplicitLocalByteOrderFirst => BitConverter.IsLittleEndian
            ? [ExplicitVRLittleEndian, ExplicitVRBigEndian, ImplicitVRLittleEndian]
            : [ExplicitVRBigEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian],
        OutgoingTransferSyntaxProposal.ExplicitLittleEndianFirst => [ExplicitVRLittleEndian, ExplicitVRBigEndian, ImplicitVRLittleEndian],
        OutgoingTransferSyntaxProposal.ExplicitBigEndianFirst => [ExplicitVRBigEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian],
        OutgoingTransferSyntaxProposal.DeflatedExplicitLittleEndian =>
            [DeflatedExplicitVRLittleEndian, ExplicitVRLittleEndian, ExplicitVRBigEndian, ImplicitVRLittleEndian],
        OutgoingTransferSyntaxProposal.ImplicitLittleEndianOnly => [ImplicitVRLittleEndian],
        _ => throw new ArgumentOutOfRangeException(nameof(proposal), proposal, null),
    };

    /// <summary>The presentation contexts of the A-ASSOCIATE-RQ, in the order movescu lists them.</summary>
    public static IReadOnlyList<ProposedPresentationContext> For(QueryRetrieveModel model, OutgoingTransferSyntaxProposal proposal)
    {
        var syntaxes = TransferSyntaxes(proposal);
        return
        [
            new ProposedPresentationContext(FindContextId, FindSopClass(model), syntaxes),
            new ProposedPresentationContext(MoveContextId, MoveSopClass(model), syntaxes),
        ];
    }

    /// <summary>The option spelling (-x=, -xe ...) of a proposal, for messages.</summary>
    public static string OptionName(OutgoingTransferSyntaxProposal proposal) => proposal switch
    {
        OutgoingTransferSyntaxProposal.ExplicitLocalByteOrderFirst => "-x=",
        OutgoingTransferSyntaxProposal.ExplicitLittleEndianFirst => "-xe",
        OutgoingTransferSyntaxProposal.ExplicitBigEndianFirst => "-xb",
        OutgoingTransferSyntaxProposal.DeflatedExplicitLittleEndian => "-xd",
        OutgoingTransferSyntaxProposal.ImplicitLittleEndianOnly => "-xi",
        _ => throw new ArgumentOutOfRangeException(nameof(proposal), proposal, null),
    };
}
