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

    /// <summary>The value of an element of a command set (group 0000, implicit VR little endian).</summary>
    private static byte[]? ReadElement(byte[] command, ushort element)
    {
        int offset = 0;
        while (offset + 8 <= command.Length)
        {
            ushort tagElement = BinaryPrimitives.ReadUInt16LittleEndian(command.AsSpan(offset + 2));
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(command.AsSpan(offset + 4));
            if (tagElement == element)
            {
                return command.AsSpan(offset + 8, length).ToArray();
            }

            offset += 8 + length;
        }

        return null;
    }

    private static ushort? ReadUs(byte[] command, ushort element) =>
        ReadElement(command, element) is { Length: 2 } value ? BinaryPrimitives.ReadUInt16LittleEndian(value) : null;

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

    [Fact]
    public async Task Storescu_data_set_arrives_in_fragments_within_our_maximum_and_byte_identical()
    {
        using var workdir = new TempDirectory("pdu-interop");
        string pixels = workdir.Combine("px.raw");
        await File.WriteAllBytesAsync(pixels, RandomBytes(100_000, 5));
        string dump = workdir.Combine("ct.dump");
        await File.WriteAllTextAsync(dump, string.Join('\n',
            "(0002,0010) UI =LittleEndianExplicit",
            "(0008,0016) UI =CTImageStorage",
            "(0008,0018) UI [1.2.826.0.1.3680043.2.1143.99.1]",
            "(0010,0010) PN [Test^Patient]",
            $"(7fe0,0010) OW ={pixels}"));
        string file = workdir.Combine("ct.dcm");
        var made = await DcmtkTool.RunAsync("dump2dcm", ["--write-xfer-little", dump, file], ProcessTimeout);
        Assert.True(made.ExitCode == 0, made.ToString());
        // The data set as stored: everything after the preamble, "DICM" and the file meta group (whose length is at byte 140).
        byte[] fileBytes = await File.ReadAllBytesAsync(file);
        int metaLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(fileBytes.AsSpan(140));
        byte[] expectedDataSet = fileBytes[(144 + metaLength)..];

        const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
        var received = new TaskCompletionSource<(int Fragments, byte[] DataSet)>();
        var ended = new TaskCompletionSource<AssociationEvent>();
        await using var listener = AssociationListener.Start(AnyLoopbackPort, request => AssociateDecision.Accept(request.PresentationContexts.Select(pc =>
            pc.AbstractSyntax == CtImageStorage && pc.TransferSyntaxes.Contains(ExplicitLittleEndian)
                ? new PresentationContextResult(pc.Id, PresentationContextResultReason.Acceptance, ExplicitLittleEndian)
                : new PresentationContextResult(pc.Id, PresentationContextResultReason.TransferSyntaxesNotSupported, pc.TransferSyntaxes[0]))),
            async (association, ct) =>
            {
                await using var events = association.ReceiveAsync(ct).GetAsyncEnumerator(ct);
                var (command, final) = await ReceiveMessageAsync(events);
                if (command is null)
                {
                    ended.TrySetResult(final!);
                    return;
                }

                var dataSet = new ArrayBufferWriter<byte>();
                int fragments = 0;
                while (await events.MoveNextAsync() && events.Current is PdvReceived { Value: var pdv })
                {
                    fragments++;
                    foreach (var segment in pdv.Data)
                    {
                        dataSet.Write(segment.Span);
                    }

                    if (pdv.IsLastFragment)
                    {
                        break;
                    }
                }

                received.TrySetResult((fragments, dataSet.WrittenSpan.ToArray()));
                var response = Command(Element(0x0002, ReadElement(command.Data, 0x0002)!), Element(0x0100, Us(0x8001)),
                    Element(0x0120, Us(ReadUs(command.Data, 0x0110)!.Value)), Element(0x0800, Us(0x0101)), Element(0x0900, Us(0)),
                    Element(0x1000, ReadElement(command.Data, 0x1000)!));
                await association.SendMessageAsync(command.PresentationContextId, isCommand: true, new ReadOnlySequence<byte>(response), ct);
                (_, final) = await ReceiveMessageAsync(events);
                ended.TrySetResult(final ?? new ConnectionClosed("stream ended"));
            }, Options(maxPdu: 4096), (e, _) => ended.TrySetException(e));

        var result = await DcmtkTool.RunAsync("storescu",
            ["-d", "-to", "10", "-ta", "10", "-td", "10", "-aec", "ACTORMOVE", "127.0.0.1", listener.Port.ToString(), file], ProcessTimeout);
        string log = result.StdOut + result.StdErr;
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Max Send PDV: 4084", log);
        Assert.Contains("Received Store Response", log);
        Assert.Contains("0x0000: Success", log);

        var (fragmentCount, dataSetBytes) = await received.Task.WaitAsync(Patience);
        Assert.Equal(expectedDataSet, dataSetBytes);
        // Our 4096-byte limit held (a longer PDU would have aborted): the 100 KB data set needed many fragments.
        Assert.True(fragmentCount >= expectedDataSet.Length / 4096, $"{fragmentCount} fragments");
        Assert.Equal(new AssociationReleased(ByPeer: true), await ended.Task.WaitAsync(Patience));
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
