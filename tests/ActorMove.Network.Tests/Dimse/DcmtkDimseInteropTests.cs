using ActorMove.Network.Pdu;
using System.Buffers;
using System.Net;
using System.Net.Sockets;
using ActorMove.Network.Dimse;
using ActorMove.Network.Negotiation;
using ActorMove.Testing;
using ActorMove.Testing.Dcmtk;
using Xunit;

namespace ActorMove.Network.Tests.Dimse;

/// <summary>
/// The test plays the SCP for DCMTK's echoscu and storescu: the store acceptance policy answers their proposals, the
/// assembler takes their command and data set PDVs, and our encoded responses must satisfy them.
/// </summary>
public class DcmtkDimseInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private sealed class Collector : IDimseMessageHandler, IDataSetSink
    {
        public List<(byte ContextId, DimseMessage Message)> Commands { get; } = [];
        public MemoryStream DataSet { get; } = new();
        public int Fragments { get; private set; }
        public bool Complete { get; private set; }

        public ValueTask<IDataSetSink?> OnCommandAsync(byte presentationContextId, DimseMessage message, CancellationToken cancellationToken)
        {
            Commands.Add((presentationContextId, message));
            return ValueTask.FromResult<IDataSetSink?>(this);
        }

        public ValueTask OnFragmentAsync(ReadOnlySequence<byte> fragment, CancellationToken cancellationToken)
        {
            Fragments++;
            foreach (var segment in fragment)
            {
                DataSet.Write(segment.Span);
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask OnCompleteAsync(CancellationToken cancellationToken)
        {
            Complete = true;
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Accepts one association, collects one message, answers it with <paramref name="respond"/>, then waits for release.</summary>
    private static async Task<(Collector Collector, List<ProposedPresentationContext> Proposed, NegotiationAnswer Answer)> ServeOneAsync(
        TcpListener listener, StoreAcceptancePolicy policy, Func<DimseMessage, DimseMessage> respond, CancellationToken cancellationToken)
    {
        using var client = await listener.AcceptTcpClientAsync(cancellationToken);
        var stream = client.GetStream();
        var (type, rq) = await RawPdu.ReadAsync(stream, cancellationToken);
        Assert.Equal(RawPdu.AssociateRq, type);
        var proposed = RawPdu.ProposedContexts(rq);
        var answer = policy.Negotiate(proposed);
        await stream.WriteAsync(RawPdu.AssociateAccept(rq, answer.Contexts), cancellationToken);

        var collector = new Collector();
        using var assembler = new DimseMessageAssembler(answer.AcceptedContextIds.ToHashSet(), collector);
        bool responded = false;
        while (true)
        {
            (type, var body) = await RawPdu.ReadAsync(stream, cancellationToken);
            if (type == RawPdu.ReleaseRq)
            {
                assembler.ThrowIfIncomplete();
                await stream.WriteAsync(RawPdu.Pdu(RawPdu.ReleaseRp, new byte[4]), cancellationToken);
                return (collector, proposed, answer);
            }

            Assert.Equal(RawPdu.PData, type);
            foreach (var pdv in RawPdu.Pdvs(body))
            {
                await assembler.ProcessAsync(pdv, cancellationToken);
            }

            if (!responded && assembler.IsIdle && collector.Commands.Count > 0)
            {
                var (contextId, request) = collector.Commands[0];
                await stream.WriteAsync(RawPdu.PDataCommand(contextId, CommandSetCodec.Encode(respond(request))), cancellationToken);
                responded = true;
            }
        }
    }

    [Fact]
    public async Task Echoscu_request_is_decoded_and_our_response_satisfies_it()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var serve = ServeOneAsync(listener, new StoreAcceptancePolicy(), request =>
            {
                var echo = Assert.IsType<CEchoRequest>(request);
                return new CEchoResponse(echo.MessageId, DimseStatus.Success);
            }, cts.Token);
            var run = DcmtkTool.RunAsync("echoscu", ["-v", "127.0.0.1", port.ToString()], Timeout);

            var (collector, _, answer) = await serve;
            var result = await run;

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(new CEchoRequest(1), Assert.Single(collector.Commands).Message);
            Assert.Equal(PresentationContextResultReason.Acceptance, Assert.Single(answer.Contexts).Result);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Theory]
    [InlineData(IncomingTransferSyntaxPreference.ExplicitLocalByteOrder, "-xb", "1.2.840.10008.1.2.1")]
    [InlineData(IncomingTransferSyntaxPreference.ExplicitBigEndian, "-xe", "1.2.840.10008.1.2.2")]
    [InlineData(IncomingTransferSyntaxPreference.ImplicitLittleEndianOnly, "-x=", "1.2.840.10008.1.2")]
    public async Task Storescu_store_is_streamed_and_our_response_satisfies_it(
        IncomingTransferSyntaxPreference preference, string storescuProposal, string preferredSyntax)
    {
        using var cts = new CancellationTokenSource(Timeout);
        using var temp = new TempDirectory("dimse-store");
        // Large enough to be split into several PDVs at storescu's default maximum PDU size.
        string pixels = string.Join("\\", Enumerable.Range(0, 20000).Select(i => (i % 4096).ToString()));
        await File.WriteAllTextAsync(temp.Combine("ct.dump"),
            "(0008,0016) UI =CTImageStorage\n(0008,0018) UI [1.2.3.4.5.6.7]\n(0010,0010) PN [Doe^John]\n" +
            "(0020,000d) UI [1.2.3.4]\n(0028,0010) US 100\n(0028,0011) US 200\n(7fe0,0010) OW " + pixels + "\n");
        var made = await DcmtkTool.RunAsync("dump2dcm", ["+l", "1000000", "+te", temp.Combine("ct.dump"), temp.Combine("ct.dcm")], Timeout);
        Assert.True(made.ExitCode == 0, made.ToString());

        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var policy = new StoreAcceptancePolicy(preference, ["1.2.840.10008.5.1.4.1.1.2"]);
            var serve = ServeOneAsync(listener, policy, request =>
            {
                var store = Assert.IsType<CStoreRequest>(request);
                return new CStoreResponse(store.MessageId, DimseStatus.Success, store.AffectedSopClassUid, store.AffectedSopInstanceUid);
            }, cts.Token);
            var run = DcmtkTool.RunAsync("storescu", ["-v", storescuProposal, "127.0.0.1", port.ToString(), temp.Combine("ct.dcm")], Timeout);

            var (collector, proposed, answer) = await serve;
            var result = await run;

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.DoesNotContain("Store Failed", result.StdOut + result.StdErr);
            var (contextId, message) = Assert.Single(collector.Commands);
            Assert.Equal(new CStoreRequest(1, "1.2.840.10008.5.1.4.1.1.2", "1.2.3.4.5.6.7"), message);

            // storescu may propose the file's own syntax in a context of its own and then use that one, so our
            // preferred syntax need not be the one used; it must be what the context offering it was given.
            Assert.Contains(answer.Contexts, c => c.TransferSyntax == preferredSyntax);
            string usedSyntax = answer.Contexts.Single(c => c.PresentationContextId == contextId).TransferSyntax!;
            string conversion = usedSyntax switch
            {
                "1.2.840.10008.1.2" => "+ti",
                "1.2.840.10008.1.2.1" => "+te",
                "1.2.840.10008.1.2.2" => "+tb",
                _ => throw new InvalidOperationException(usedSyntax),
            };
            var expected = await DcmtkTool.RunAsync("dcmconv", ["-F", conversion, temp.Combine("ct.dcm"), temp.Combine("expected.bin")], Timeout);
            Assert.True(expected.ExitCode == 0, expected.ToString());
            Assert.Contains(proposed, p => p.PresentationContextId == contextId && p.AbstractSyntax == "1.2.840.10008.5.1.4.1.1.2");
            Assert.All(answer.Contexts.Where(c => proposed.Single(p => p.PresentationContextId == c.PresentationContextId).AbstractSyntax != "1.2.840.10008.5.1.4.1.1.2"),
                c => Assert.Equal(PresentationContextResultReason.AbstractSyntaxNotSupported, c.Result));

            Assert.True(collector.Complete);
            Assert.True(collector.Fragments > 1, $"expected the data set in several PDVs, got {collector.Fragments}");
            Assert.Equal(await File.ReadAllBytesAsync(temp.Combine("expected.bin")), collector.DataSet.ToArray());
        }
        finally
        {
            listener.Stop();
        }
    }
}
