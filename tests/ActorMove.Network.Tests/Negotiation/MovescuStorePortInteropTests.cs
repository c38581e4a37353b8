using System.Buffers;
using System.Net;
using System.Net.Sockets;
using ActorMove.Dicom.Dictionary;
using ActorMove.Network.Dimse;
using ActorMove.Network.Negotiation;
using ActorMove.Network.Tests.Dimse;
using ActorMove.Testing;
using ActorMove.Testing.Dcmtk;
using Xunit;
using ActorMove.Network.Pdu;

namespace ActorMove.Network.Tests.Negotiation;

/// <summary>
/// The test plays a C-MOVE SCP for the real movescu: it decodes movescu's C-MOVE-RQ, opens a store sub-association to
/// movescu's +P port proposing transfer syntaxes that reveal its acceptance rules, compares movescu's A-ASSOCIATE-AC with
/// <see cref="StoreAcceptancePolicy"/>, and ends the move with a C-MOVE-RSP of our encoding, which movescu must accept.
/// </summary>
public class MovescuStorePortInteropTests
{
    private const string Ct = "1.2.840.10008.5.1.4.1.1.2";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private sealed class MoveRequestCollector : IDimseMessageHandler
    {
        public CMoveRequest? Request { get; private set; }
        public byte ContextId { get; private set; }
        public BoundedDataSetBuffer Identifier { get; } = new();

        public ValueTask<IDataSetSink?> OnCommandAsync(byte presentationContextId, DimseMessage message, CancellationToken cancellationToken)
        {
            Request = Assert.IsType<CMoveRequest>(message);
            ContextId = presentationContextId;
            return ValueTask.FromResult<IDataSetSink?>(Identifier);
        }
    }

    public static TheoryData<IncomingTransferSyntaxPreference> Preferences()
    {
        var data = new TheoryData<IncomingTransferSyntaxPreference>();
        foreach (var preference in Enum.GetValues<IncomingTransferSyntaxPreference>())
        {
            data.Add(preference);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Preferences))]
    public async Task Movescu_store_port_answers_as_our_policy_does(IncomingTransferSyntaxPreference preference)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var token = cts.Token;
        var policy = new StoreAcceptancePolicy(preference);
        var allSyntaxes = DicomUids.All.Where(u => u.IsTransferSyntax).Select(u => u.Uid).ToList();
        var ours = policy.PreferredTransferSyntaxes;

        // Every syntax alone (which are accepted), all of them in reverse (which one wins), each neighbouring pair of our
        // list in reverse (the order), an unknown class and Verification (the reasons).
        var contexts = new List<ProposedPresentationContext>();
        byte NextId() => (byte)((contexts.Count * 2) + 1);
        foreach (string syntax in allSyntaxes)
        {
            contexts.Add(new ProposedPresentationContext(NextId(), Ct, [syntax]));
        }

        contexts.Add(new ProposedPresentationContext(NextId(), Ct, Enumerable.Reverse(allSyntaxes).ToList()));
        for (int i = 0; i + 1 < ours.Count; i++)
        {
            contexts.Add(new ProposedPresentationContext(NextId(), Ct, [ours[i + 1], ours[i]]));
        }

        contexts.Add(new ProposedPresentationContext(NextId(), "1.2.3.4.5", ["1.2.840.10008.1.2"]));
        contexts.Add(new ProposedPresentationContext(NextId(), StoreAcceptancePolicy.VerificationSopClassUid, ["1.2.840.10008.1.2"]));
        RoleSelection[] roles = [new(Ct, false, true)];

        int storePort = LoopbackPort.GetFree();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var run = DcmtkTool.RunAsync("movescu",
            [
                "-v", "-S", "-aem", "MOVESCU", "+P", storePort.ToString(), StoreAcceptancePolicy.OptionName(preference),
                "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=1.2.3", "127.0.0.1", port.ToString(),
            ], Timeout);

            using var client = await listener.AcceptTcpClientAsync(token);
            var stream = client.GetStream();
            var (type, rq) = await RawPdu.ReadAsync(stream, token);
            Assert.Equal(RawPdu.AssociateRq, type);
            var moveAnswers = RawPdu.ProposedContexts(rq).Select(c => new PresentationContextAnswer(
                c.PresentationContextId, PresentationContextResultReason.Acceptance, "1.2.840.10008.1.2")).ToList();
            await stream.WriteAsync(RawPdu.AssociateAccept(rq, moveAnswers), token);

            var collector = new MoveRequestCollector();
            using (var assembler = new DimseMessageAssembler(moveAnswers.Select(a => a.PresentationContextId).ToHashSet(), collector))
            {
                while (!collector.Identifier.IsComplete)
                {
                    (type, var body) = await RawPdu.ReadAsync(stream, token);
                    Assert.Equal(RawPdu.PData, type);
                    foreach (var pdv in RawPdu.Pdvs(body))
                    {
                        await assembler.ProcessAsync(pdv, token);
                    }
                }
            }

            Assert.Equal(new CMoveRequest(1, "1.2.840.10008.5.1.4.1.2.2.2", "MOVESCU"), collector.Request);
            Assert.Equal(MoveAssociationProposals.MoveContextId, collector.ContextId);

            // The store sub-association.
            (List<PresentationContextAnswer> Contexts, List<RoleSelection> Roles) movescuAnswer;
            using (var store = new TcpClient())
            {
                await store.ConnectAsync(IPAddress.Loopback, storePort, token);
                var storeStream = store.GetStream();
                await storeStream.WriteAsync(RawPdu.AssociateRequest("ARCHIVE", "MOVESCU", contexts, roles), token);
                (type, var ac) = await RawPdu.ReadAsync(storeStream, token);
                Assert.Equal(RawPdu.AssociateAc, type);
                movescuAnswer = RawPdu.AcceptedContexts(ac);
                await storeStream.WriteAsync(RawPdu.Pdu(RawPdu.ReleaseRq, new byte[4]), token);
                (type, _) = await RawPdu.ReadAsync(storeStream, token);
                Assert.Equal(RawPdu.ReleaseRp, type);
            }

            var final = new CMoveResponse(1, DimseStatus.Success, "1.2.840.10008.5.1.4.1.2.2.2")
            {
                RemainingSuboperations = 0,
                CompletedSuboperations = 0,
                FailedSuboperations = 0,
                WarningSuboperations = 0,
            };
            await stream.WriteAsync(RawPdu.PDataCommand(collector.ContextId, CommandSetCodec.Encode(final)), token);
            (type, _) = await RawPdu.ReadAsync(stream, token);
            Assert.Equal(RawPdu.ReleaseRq, type);
            await stream.WriteAsync(RawPdu.Pdu(RawPdu.ReleaseRp, new byte[4]), token);

            var result = await run;
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("Received Final Move Response (Success)", result.StdOut + result.StdErr);

            var expected = policy.Negotiate(contexts, roles);
            Assert.Equal(expected.Contexts, movescuAnswer.Contexts);
            Assert.Equal(expected.RoleReplies, movescuAnswer.Roles);
            Assert.Empty(movescuAnswer.Roles);
        }
        finally
        {
            listener.Stop();
        }
    }
}
