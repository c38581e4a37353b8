using System.Buffers;
using System.IO.Pipelines;
using ActorMove.Network.Pdu;
using Xunit;

namespace ActorMove.Network.Tests.Pdu;

public class PDataFragmenterTests
{
    private static byte[] Message(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        return data;
    }

    /// <summary>Reads back every P-DATA-TF from the pipe while it is written, checking each against the peer's maximum.</summary>
    private static async Task<List<PresentationDataValue>> ReadBack(Pipe pipe, uint peerMax)
    {
        var values = new List<PresentationDataValue>();
        // The whole PDU, header included, must fit the peer's maximum: a fragment one byte too long would throw here.
        var limits = new PduLimits((peerMax == 0 ? (uint)PDataFragmenter.MaxPduLengthWeSend : peerMax) - 6);
        while (true)
        {
            var result = await pipe.Reader.ReadAsync();
            var buffer = result.Buffer;
            while (PduReader.TryRead(ref buffer, limits, out var pdu))
            {
                var data = Assert.IsType<DataTransfer>(pdu);
                var value = Assert.Single(data.Values);
                values.Add(value with { Data = new ReadOnlySequence<byte>(value.Data.ToArray()) });
            }

            pipe.Reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                Assert.Equal(0, buffer.Length);
                return values;
            }
        }
    }

    private static async Task<List<PresentationDataValue>> SendAndReadBack(Pipe pipe, Func<ValueTask> send, uint peerMax)
    {
        var reading = Task.Run(() => ReadBack(pipe, peerMax));
        await send();
        await pipe.Writer.CompleteAsync();
        return await reading.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static void AssertFragments(List<PresentationDataValue> values, byte[] message, int expectedFragments, bool isCommand)
    {
        Assert.Equal(expectedFragments, values.Count);
        Assert.All(values, v => Assert.Equal(7, v.PresentationContextId));
        Assert.All(values, v => Assert.Equal(isCommand, v.IsCommand));
        Assert.Equal(values.Select((_, i) => i == values.Count - 1), values.Select(v => v.IsLastFragment));
        Assert.Equal(message, values.SelectMany(v => v.Data.ToArray()).ToArray());
    }

    [Theory]
    [InlineData(0, 4096u, 1)]
    [InlineData(1, 4096u, 1)]
    [InlineData(4084, 4096u, 1)] // exactly max - 12 bytes of data fill one PDU
    [InlineData(4085, 4096u, 2)]
    [InlineData(100_000, 16384u, 7)]
    [InlineData(300_000, 0u, 2)] // unlimited: our own cap of 256 KiB per PDU applies
    public async Task Sequence_is_cut_into_pdus_no_longer_than_the_peer_maximum(int length, uint peerMax, int expectedFragments)
    {
        var message = Message(length);
        var pipe = new Pipe();
        var values = await SendAndReadBack(pipe, () => PDataFragmenter.WriteAsync(pipe.Writer, 7, isCommand: false, new ReadOnlySequence<byte>(message), peerMax), peerMax);
        AssertFragments(values, message, expectedFragments, isCommand: false);
    }

    [Theory]
    [InlineData(0, 4096u, 1)]
    [InlineData(4084, 4096u, 1)] // a full fragment that is also the last: the look-ahead must see the end
    [InlineData(8168, 4096u, 2)]
    [InlineData(8169, 4096u, 3)]
    [InlineData(70_000, 16384u, 5)]
    public async Task Stream_is_cut_into_pdus_no_longer_than_the_peer_maximum(int length, uint peerMax, int expectedFragments)
    {
        var message = Message(length);
        var pipe = new Pipe();
        // A stream that returns few bytes per read, as a file or socket may.
        await using var stream = new TrickleStream(message, 1000);
        var values = await SendAndReadBack(pipe, () => PDataFragmenter.WriteAsync(pipe.Writer, 7, isCommand: true, stream, peerMax), peerMax);
        AssertFragments(values, message, expectedFragments, isCommand: true);
    }

    [Fact]
    public void A_peer_maximum_without_room_for_data_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PDataFragmenter.MaxFragmentLength(12));
        Assert.Equal(1, PDataFragmenter.MaxFragmentLength(13));
        Assert.Equal(16372, PDataFragmenter.MaxFragmentLength(16384)); // what DCMTK reports as "Max Send PDV"
    }

    private sealed class TrickleStream(byte[] data, int maxPerRead) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, maxPerRead)], cancellationToken);
    }
}
