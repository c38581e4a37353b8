using System.Buffers;
using ActorMove.Network.Association;
using ActorMove.Network.Pdu;
using Xunit;
using static ActorMove.Network.Tests.Association.Peers;
using static ActorMove.Network.Tests.Bytes;

namespace ActorMove.Network.Tests.Association;

/// <summary>
/// Hand-built bad input sent over a real socket to our acceptor: each must be answered with an A-ABORT from the service
/// provider with the right reason, then the connection closes, while a good association in the same listener carries on.
/// </summary>
public class MalformedInputTests
{
    private static byte[] ValidRequestBody(out byte[] items)
    {
        items = Cat(
            Item(0x10, Ascii(UpperLayer.DicomApplicationContext)),
            Item(0x20, Hex("01 00 00 00"), Item(0x30, Ascii(Verification)), Item(0x40, Ascii(ImplicitLittleEndian))),
            Item(0x50, Item(0x51, U32(16384)), Item(0x52, Ascii("1.2.3"))));
        return Cat(Hex("0001 0000"), AeTitle("ANY-SCP"), AeTitle("RAW"), new byte[32], items);
    }

    public static TheoryData<string, byte[], AbortReason> BeforeAssociation()
    {
        var body = ValidRequestBody(out _);
        var itemTooLong = Cat(Hex("0001 0000"), AeTitle("ANY-SCP"), AeTitle("RAW"), new byte[32],
            Hex("10 00 00FF"), Ascii(UpperLayer.DicomApplicationContext));
        return new TheoryData<string, byte[], AbortReason>
        {
            { "unknown PDU type", Hex("09 00 00000004 00000000"), AbortReason.UnrecognizedPdu },
            { "PDU length over our maximum", Hex("04 00 00100000 00000010"), AbortReason.InvalidPduParameterValue },
            { "item length past the PDU", PduBytes(0x01, itemTooLong), AbortReason.InvalidPduParameterValue },
            { "PDU length shorter than its items", Cat(Hex("01 00"), U32(body.Length - 10), body), AbortReason.InvalidPduParameterValue },
            { "A-ASSOCIATE-AC to an acceptor", PduBytes(0x02, body[..68], Item(0x10, Ascii(UpperLayer.DicomApplicationContext)), Item(0x50, Item(0x51, U32(0)))), AbortReason.UnexpectedPdu },
        };
    }

    [Theory]
    [MemberData(nameof(BeforeAssociation))]
    public async Task Bad_pdu_before_association_is_aborted_and_closed(string what, byte[] bytes, AbortReason reason)
    {
        await RunAgainstGoodAssociation(async peer =>
        {
            await peer.SendAsync(bytes);
            return await peer.ReadToEndAsync();
        }, reason, what);
    }

    [Fact]
    public async Task Pdu_truncated_by_the_peer_closing_its_side_is_aborted()
    {
        var body = ValidRequestBody(out _);
        await RunAgainstGoodAssociation(async peer =>
        {
            // Association established first, then a P-DATA-TF whose length promises 100 bytes; only 20 arrive before FIN.
            await peer.SendAsync(PduBytes(0x01, body));
            Assert.IsType<AssociateAccept>(await peer.ReadPduAsync());
            await peer.SendAsync(Cat(Hex("04 00 00000064 00000060 01 03"), new byte[14]));
            peer.ShutdownSend();
            return await peer.ReadToEndAsync();
        }, AbortReason.InvalidPduParameterValue, "truncated P-DATA-TF");
    }

    public static TheoryData<string, byte[], AbortReason> DuringDataTransfer() => new()
    {
        { "PDV length past the PDU", Hex("04 00 0000000A 00000010 01 03 AABBCCDD"), AbortReason.InvalidPduParameterValue },
        { "PDV for a context that was not accepted", Hex("04 00 00000008 00000004 05 03 AABB"), AbortReason.InvalidPduParameterValue },
        { "second PDV for a context that was not accepted", Hex("04 00 00000010 00000004 01 00 AABB 00000004 05 02 CCDD"), AbortReason.InvalidPduParameterValue },
        { "P-DATA-TF without a PDV", Hex("04 00 00000000"), AbortReason.InvalidPduParameterValue },
        { "PDV item length under 2", Hex("04 00 00000006 00000001 01 03"), AbortReason.InvalidPduParameterValue },
        { "A-ASSOCIATE-RQ on an established association", PduBytes(0x01, ValidRequestBody(out _)), AbortReason.UnexpectedPdu },
        { "unknown PDU type", Hex("0A 00 00000002 0000"), AbortReason.UnrecognizedPdu },
    };

    [Theory]
    [MemberData(nameof(DuringDataTransfer))]
    public async Task Bad_pdu_during_data_transfer_is_aborted_and_closed(string what, byte[] bytes, AbortReason reason)
    {
        var body = ValidRequestBody(out _);
        await RunAgainstGoodAssociation(async peer =>
        {
            await peer.SendAsync(PduBytes(0x01, body));
            Assert.IsType<AssociateAccept>(await peer.ReadPduAsync());
            await peer.SendAsync(bytes);
            return await peer.ReadToEndAsync();
        }, reason, what);
    }

    /// <summary>
    /// Starts a listener and a good association on it, lets the raw peer misbehave on a second connection, checks that the
    /// raw peer got exactly one A-ABORT (source 2, <paramref name="reason"/>) before the close, and that the good association still
    /// exchanges a message and releases.
    /// </summary>
    private static async Task RunAgainstGoodAssociation(Func<RawPeer, Task<byte[]>> misbehave, AbortReason reason, string what)
    {
        var goodEnded = new TaskCompletionSource<AssociationEvent>();
        var failures = new List<Exception>();
        await using var listener = AssociationListener.Start(AnyLoopbackPort, AcceptVerification, async (association, ct) =>
        {
            if (association.Request.CallingAeTitle == "GOOD")
            {
                await Echo(goodEnded)(association, ct);
            }
            else
            {
                // The misbehaving peer: read until the stream ends (the malformed PDU ends it).
                await foreach (var _ in association.ReceiveAsync(ct))
                {
                }
            }
        }, Options(), (e, _) => { lock (failures) { failures.Add(e); } });

        var options = Options();
        var request = VerificationRequest(options) with { CallingAeTitle = "GOOD" };
        await using var good = await DicomAssociation.RequestAsync("127.0.0.1", listener.Port, request, options);

        await using (var peer = await RawPeer.ConnectAsync(listener.Port))
        {
            byte[] received = await misbehave(peer);
            Assert.True(received.Length == 10, $"{what}: expected one A-ABORT, got {Convert.ToHexString(received)}");
            Assert.Equal(Convert.ToHexString(Cat(Hex("07 00 00000004 00 00 02"), [(byte)reason])), Convert.ToHexString(received));
        }

        var payload = RandomBytes(20_000, 3);
        await good.SendMessageAsync(1, isCommand: false, new ReadOnlySequence<byte>(payload));
        await using (var events = good.ReceiveAsync().GetAsyncEnumerator())
        {
            var (echo, _) = await ReceiveMessageAsync(events).WaitAsync(Patience);
            Assert.Equal(payload, echo!.Data);
        }

        await good.ReleaseAsync().WaitAsync(Patience);
        Assert.Equal(new AssociationReleased(ByPeer: true), await goodEnded.Task.WaitAsync(Patience));
    }
}
