using System.Net;
using System.Net.Sockets;
using ActorMove.Network.Negotiation;
using ActorMove.Network.Tests.Dimse;
using ActorMove.Testing.Dcmtk;
using Xunit;

namespace ActorMove.Network.Tests.Negotiation;

/// <summary>
/// Captures the A-ASSOCIATE-RQ that DCMTK's movescu sends for each model and -x option, and compares its presentation
/// contexts with <see cref="MoveAssociationProposals"/>. The peer rejects the association right after reading it.
/// </summary>
public class MovescuProposalInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static TheoryData<QueryRetrieveModel, string, OutgoingTransferSyntaxProposal> Cases()
    {
        var data = new TheoryData<QueryRetrieveModel, string, OutgoingTransferSyntaxProposal>();
        var models = new[] { (QueryRetrieveModel.PatientRoot, "-P"), (QueryRetrieveModel.StudyRoot, "-S"), (QueryRetrieveModel.PatientStudyOnly, "-O") };
        foreach (var (model, modelOption) in models)
        {
            foreach (var proposal in Enum.GetValues<OutgoingTransferSyntaxProposal>())
            {
                data.Add(model, modelOption, proposal);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Our_proposals_are_the_ones_movescu_sends(QueryRetrieveModel model, string modelOption, OutgoingTransferSyntaxProposal proposal)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var run = DcmtkTool.RunAsync("movescu",
                [modelOption, MoveAssociationProposals.OptionName(proposal), "-k", "QueryRetrieveLevel=STUDY", "127.0.0.1", port.ToString()], Timeout);

            List<ProposedPresentationContext> proposed;
            using (var client = await listener.AcceptTcpClientAsync(cts.Token))
            {
                var stream = client.GetStream();
                var (type, body) = await RawPdu.ReadAsync(stream, cts.Token);
                Assert.Equal(RawPdu.AssociateRq, type);
                proposed = RawPdu.ProposedContexts(body);

                // A-ASSOCIATE-RJ: rejected permanent, service user, no reason given.
                await stream.WriteAsync(RawPdu.Pdu(0x03, [0, 1, 1, 1]), cts.Token);
            }

            var result = await run;
            Assert.NotEqual(0, result.ExitCode);

            var ours = MoveAssociationProposals.For(model, proposal);
            Assert.Equal(ours.Count, proposed.Count);
            for (int i = 0; i < ours.Count; i++)
            {
                Assert.Equal(ours[i].PresentationContextId, proposed[i].PresentationContextId);
                Assert.Equal(ours[i].AbstractSyntax, proposed[i].AbstractSyntax);
                Assert.Equal(ours[i].TransferSyntaxes, proposed[i].TransferSyntaxes);
            }
        }
        finally
        {
            listener.Stop();
        }
    }
}
