using ActorMove.Network.Negotiation;
using Xunit;

namespace ActorMove.Network.Tests.Negotiation;

public class MoveAssociationProposalsTests
{
    [Theory]
    [InlineData(OutgoingTransferSyntaxProposal.ExplicitLocalByteOrderFirst, "1.2.840.10008.1.2.1 1.2.840.10008.1.2.2 1.2.840.10008.1.2")]
    [InlineData(OutgoingTransferSyntaxProposal.ExplicitLittleEndianFirst, "1.2.840.10008.1.2.1 1.2.840.10008.1.2.2 1.2.840.10008.1.2")]
    [InlineData(OutgoingTransferSyntaxProposal.ExplicitBigEndianFirst, "1.2.840.10008.1.2.2 1.2.840.10008.1.2.1 1.2.840.10008.1.2")]
    [InlineData(OutgoingTransferSyntaxProposal.DeflatedExplicitLittleEndian, "1.2.840.10008.1.2.1.99 1.2.840.10008.1.2.1 1.2.840.10008.1.2.2 1.2.840.10008.1.2")]
    [InlineData(OutgoingTransferSyntaxProposal.ImplicitLittleEndianOnly, "1.2.840.10008.1.2")]
    public void Transfer_syntaxes_follow_negotiation_md(OutgoingTransferSyntaxProposal proposal, string expected)
    {
        Assert.True(BitConverter.IsLittleEndian); // the table's -x= row is for a little-endian host
        Assert.Equal(expected.Split(' '), MoveAssociationProposals.TransferSyntaxes(proposal));
    }

    [Theory]
    [InlineData(QueryRetrieveModel.PatientRoot, "1.2.840.10008.5.1.4.1.2.1.1", "1.2.840.10008.5.1.4.1.2.1.2")]
    [InlineData(QueryRetrieveModel.StudyRoot, "1.2.840.10008.5.1.4.1.2.2.1", "1.2.840.10008.5.1.4.1.2.2.2")]
    [InlineData(QueryRetrieveModel.PatientStudyOnly, "1.2.840.10008.5.1.4.1.2.3.1", "1.2.840.10008.5.1.4.1.2.3.2")]
    public void Find_context_1_and_move_context_3_as_movescu_proposes(QueryRetrieveModel model, string find, string move)
    {
        var contexts = MoveAssociationProposals.For(model, OutgoingTransferSyntaxProposal.ImplicitLittleEndianOnly);
        Assert.Equal(2, contexts.Count);
        Assert.Equal((byte)1, contexts[0].PresentationContextId);
        Assert.Equal(find, contexts[0].AbstractSyntax);
        Assert.Equal((byte)3, contexts[1].PresentationContextId);
        Assert.Equal(move, contexts[1].AbstractSyntax);
        Assert.Equal(MoveAssociationProposals.MoveContextId, contexts[1].PresentationContextId);
        Assert.All(contexts, c => Assert.Equal(["1.2.840.10008.1.2"], c.TransferSyntaxes));
    }
}
