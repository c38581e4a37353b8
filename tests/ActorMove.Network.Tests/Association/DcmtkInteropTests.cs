using System.Buffers;
using System.Buffers.Binary;
using ActorMove.Network.Association;
using ActorMove.Network.Pdu;
using ActorMove.Testing;
using ActorMove.Testing.Dcmtk;
using Xunit;
using static ActorMove.Network.Tests.Association.Peers;
using static ActorMove.Network.Tests.Bytes;

namespace ActorMove.Network.Tests.Association;

/// <summary>
/// The upper layer against DCMTK 3.6.7 at the association level. The C-ECHO commands are built by hand here (implicit VR
/// little endian, PS3.7 9.3.5) only to give the DCMTK programs a complete exchange; the DIMSE layer lives elsewhere.
/// </summary>
public class DcmtkInteropTests
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(60);

    private static byte[] Element(ushort element, byte[] value)
    {
        var header = new byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(header, 0x0000);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(2), element);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), (uint)value.Length);
        return Cat(header, value);
    }

    private static byte[] Us(ushort value) => [(byte)value, (byte)(value >> 8)];

    private static byte[] Command(params byte[][] elements)
    {
        var rest = Cat(elements);
        var length = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)rest.Length);
        return Cat(Element(0x0000, length), rest);
    }

    private static byte[] VerificationUid => Cat(Ascii(Verification), [0]);

    private static byte[] EchoRequest(ushort messageId) =>
        Command(Element(0x0002, VerificationUid), Element(0x0100, Us(0x0030)), Element(0x0110, Us(messageId)), Element(0x0800, Us(0x0101)));

    private static byte[] EchoResponse(ushort respondedTo) =>
        Command(Element(0x0002, VerificationUid), Element(0x0100, Us(0x8030)), Element(0x0120, Us(respondedTo)),
            Element(0x0800, Us(0x0101)), Element(0x0900, Us(0x0000)));

    /// <summary>A US element of a command set (group 0000, implicit VR little endian).</summary>
    private static ushort? ReadUs(byte[] command, ushort element)
    {
        int offset = 0;
        while (offset + 8 <= command.Length)
        {
            ushort tagElement = BinaryPrimitives.ReadUInt16LittleEndian(command.AsSpan(offset + 2));
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(command.AsSpan(offset + 4));
            if (tagElement == element && length == 2)
            {
                return BinaryPrimitives.ReadUInt16LittleEndian(command.AsSpan(offset + 8));
            }

            offset += 8 + length;
        }

        return null;
    }

    [Fact]
    public async Task Echoscu_associates_with_our_acceptor_and_releases_cleanly()
    {
        var ended = new TaskCompletionSource<AssociationEvent>();
        var request = new TaskCompletionSource<AssociateRequest>();
        await using var listener = AssociationListener.Start(AnyLoopbackPort, AcceptVerification, async (association, ct) =>
        {
            request.TrySetResult(association.Request);
            await using var events = association.ReceiveAsync(ct).GetAsyncEnumerator(ct);
            var (message, final) = await ReceiveMessageAsync(events);
            if (message is not null)
            {
                Assert.True(message.IsCommand);
                ushort messageId = ReadUs(message.Data, 0x0110) ?? throw new InvalidDataException("C-ECHO-RQ without a message ID");
                await association.SendMessageAsync(message.PresentationContextId, isCommand: true, new ReadOnlySequence<byte>(EchoResponse(messageId)), ct);
                (_, final) = await ReceiveMessageAsync(events);
            }

            ended.TrySetResult(final ?? new ConnectionClosed("stream ended"));
        }, Options(), (e, _) => ended.TrySetException(e));

        var result = await DcmtkTool.RunAsync("echoscu",
            ["-d", "-to", "10", "-ta", "10", "-td", "10", "-aet", "ECHOSCU", "-aec", "ACTORMOVE", "127.0.0.1", listener.Port.ToString()], ProcessTimeout);
        string log = result.StdOut + result.StdErr;

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Association Accepted (Max Send PDV: 16372)", log);
        Assert.Contains($"Their Implementation Class UID:    {ActorMoveImplementation.ClassUid}", log);
        Assert.Contains($"Their Implementation Version Name: {ActorMoveImplementation.VersionName}", log);
        Assert.Contains("Accepted Transfer Syntax: =LittleEndianImplicit", log);
        Assert.Contains("Received Echo Response (Success)", log);
        Assert.Contains("Releasing Association", log);
        Assert.DoesNotContain("Abort", log, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(new AssociationReleased(ByPeer: true), await ended.Task.WaitAsync(Patience));
        var received = await request.Task;
        Assert.Equal("ECHOSCU", received.CallingAeTitle);
        Assert.Equal("ACTORMOVE", received.CalledAeTitle);
        Assert.Equal(16384u, received.UserInformation.MaximumLength);
        Assert.Equal("1.2.276.0.7230010.3.0.3.6.7", received.UserInformation.ImplementationClassUid);
        Assert.Equal("OFFIS_DCMTK_367", received.UserInformation.ImplementationVersionName);
    }

    [Fact]
    public async Task Our_requestor_negotiates_with_storescp_echoes_and_releases()
    {
        using var workdir = new TempDirectory("pdu-interop");
        int port = LoopbackPort.GetFree();
        await using var scp = await DcmtkServer.StartAsync("storescp", ["-d", "-ta", "10", "-od", workdir.Path, port.ToString()], port, workingDirectory: workdir.Path);

        var options = Options(maxPdu: 32768);
        var request = DicomAssociation.CreateRequest("STORESCP", "ACTORMOVE",
        [
            new PresentationContextProposal(1, Verification, [ExplicitLittleEndian, ImplicitLittleEndian]),
            new PresentationContextProposal(3, "1.2.3.4.5.6.7", [ImplicitLittleEndian]),
        ], options);
        await using var association = await DicomAssociation.RequestAsync("127.0.0.1", port, request, options);

        var verification = association.Accept.PresentationContexts.Single(pc => pc.Id == 1);
        Assert.True(verification.IsAccepted);
        Assert.Contains(verification.TransferSyntax, new[] { ExplicitLittleEndian, ImplicitLittleEndian });
        Assert.Equal(PresentationContextResultReason.AbstractSyntaxNotSupported, association.Accept.PresentationContexts.Single(pc => pc.Id == 3).Result);
        Assert.Equal(16384u, association.PeerMaxPduLength);
        Assert.Equal("1.2.276.0.7230010.3.0.3.6.7", association.Accept.UserInformation.ImplementationClassUid);

        await association.SendMessageAsync(1, isCommand: true, new ReadOnlySequence<byte>(EchoRequest(7)));
        await using (var events = association.ReceiveAsync().GetAsyncEnumerator())
        {
            var (response, final) = await ReceiveMessageAsync(events).WaitAsync(Patience);
            Assert.True(response is not null, $"no C-ECHO-RSP: {final}\n{scp.Output}");
            Assert.Equal((ushort)0x8030, ReadUs(response.Data, 0x0100));
            Assert.Equal((ushort)7, ReadUs(response.Data, 0x0120));
            Assert.Equal((ushort)0, ReadUs(response.Data, 0x0900));
        }

        await association.ReleaseAsync().WaitAsync(Patience);
        Assert.Equal(AssociationState.Sta1, association.State);

        string log = await WaitForOutput(scp, "Association Release");
        Assert.Contains("Their Max PDU Receive Size:  32768", log);
        Assert.Contains($"Their Implementation Class UID:    {ActorMoveImplementation.ClassUid}", log);
        Assert.Contains("Received Echo Request", log);
        Assert.DoesNotContain("Abort", log, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Storescp_refusal_comes_back_as_a_typed_rejection()
    {
        using var workdir = new TempDirectory("pdu-interop");
        int port = LoopbackPort.GetFree();
        await using var scp = await DcmtkServer.StartAsync("storescp", ["--refuse", "-ta", "10", port.ToString()], port, workingDirectory: workdir.Path);
        var options = Options();
        var error = await Assert.ThrowsAsync<AssociationRejectedException>(() =>
            DicomAssociation.RequestAsync("127.0.0.1", port, VerificationRequest(options, "STORESCP"), options));
        Assert.True(error.ByPeer);
        Assert.Equal(new AssociateReject(RejectResult.Permanent, RejectReasonServiceUser.NoReasonGiven), error.Reject);
    }

    private static async Task<string> WaitForOutput(DcmtkServer server, string text)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!server.Output.Contains(text) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(server.Output.Contains(text), $"'{text}' not in the output:\n{server.Output}");
        return server.Output;
    }
}
