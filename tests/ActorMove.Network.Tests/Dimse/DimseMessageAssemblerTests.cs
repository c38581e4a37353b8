using System.Buffers;
using System.Runtime.InteropServices;
using ActorMove.Network.Dimse;
using Xunit;

namespace ActorMove.Network.Tests.Dimse;

public class DimseMessageAssemblerTests
{
    private const byte Context = 1;
    private static readonly IReadOnlySet<byte> Accepted = new HashSet<byte> { 1, 3 };
    private static readonly CStoreRequest Store = new(1, "1.2.840.10008.5.1.4.1.1.2", "1.2.3.4");

    private sealed class RecordingSink : IDataSetSink
    {
        public List<byte[]> Fragments { get; } = [];
        public List<ReadOnlyMemory<byte>> FirstSegments { get; } = [];
        public int Completions { get; private set; }
        public int PdvsStarted { get; private set; }

        public void OnPdvStarted() => PdvsStarted++;

        public ValueTask OnFragmentAsync(ReadOnlySequence<byte> fragment, CancellationToken cancellationToken)
        {
            Fragments.Add(fragment.ToArray());
            FirstSegments.Add(fragment.First);
            return ValueTask.CompletedTask;
        }

        public ValueTask OnCompleteAsync(CancellationToken cancellationToken)
        {
            Completions++;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class RecordingHandler(bool expectDataSets = true) : IDimseMessageHandler
    {
        public List<(byte ContextId, DimseMessage Message)> Commands { get; } = [];
        public List<RecordingSink> Sinks { get; } = [];

        public ValueTask<IDataSetSink?> OnCommandAsync(byte presentationContextId, DimseMessage message, CancellationToken cancellationToken)
        {
            Commands.Add((presentationContextId, message));
            if (!expectDataSets || !message.HasDataSet)
            {
                return ValueTask.FromResult<IDataSetSink?>(null);
            }

            var sink = new RecordingSink();
            Sinks.Add(sink);
            return ValueTask.FromResult<IDataSetSink?>(sink);
        }
    }

    private static PdvFragment Command(byte[] bytes, bool last = true, byte context = Context) => new(context, true, last, bytes.AsMemory());
    private static PdvFragment Data(byte[] bytes, bool last, byte context = Context) => new(context, false, last, bytes.AsMemory());

    [Fact]
    public async Task The_sink_hears_of_each_data_set_pdv_once_however_many_pieces_it_arrives_in()
    {
        var handler = new RecordingHandler();
        using var assembler = new DimseMessageAssembler(Accepted, handler);
        await assembler.ProcessAsync(Command(CommandSetCodec.Encode(Store)));
        // Three PDVs: the first whole, the second in three pieces, the last in two.
        await assembler.ProcessAsync(Data([1, 2], last: false));
        await assembler.ProcessAsync(Data([3], last: false));
        await assembler.ProcessAsync(Data([4], last: false) with { StartsPdv = false });
        await assembler.ProcessAsync(Data([5], last: false) with { StartsPdv = false });
        await assembler.ProcessAsync(Data([6], last: false));
        await assembler.ProcessAsync(Data([7], last: true) with { StartsPdv = false });

        var sink = Assert.Single(handler.Sinks);
        Assert.Equal(3, sink.PdvsStarted);
        Assert.Equal(6, sink.Fragments.Count);
        Assert.Equal(1, sink.Completions);
    }

    [Fact]
    public async Task Command_in_one_fragment_without_data_set_is_delivered_at_once()
    {
        var handler = new RecordingHandler();
        using var assembler = new DimseMessageAssembler(Accepted, handler);
        await assembler.ProcessAsync(Command(CommandSetCodec.Encode(new CEchoRequest(5)), context: 3));
        var (contextId, message) = Assert.Single(handler.Commands);
        Assert.Equal((byte)3, contextId);
        Assert.Equal(new CEchoRequest(5), message);
        Assert.True(assembler.IsIdle);
    }

    [Fact]
    public async Task Command_split_into_many_fragments_and_segments_is_reassembled()
    {
        var bytes = CommandSetCodec.Encode(Store with { MoveOriginatorAeTitle = "ORIGIN", MoveOriginatorMessageId = 3 });
        var handler = new RecordingHandler();
        using var assembler = new DimseMessageAssembler(Accepted, handler);
        int[] cuts = [1, 2, 9, 40, bytes.Length];
        int start = 0;
        foreach (int cut in cuts)
        {
            Assert.Empty(handler.Commands);
            var piece = bytes[start..cut];
            var sequence = TwoSegments(piece);
            await assembler.ProcessAsync(new PdvFragment(Context, true, cut == bytes.Length, sequence));
            start = cut;
        }

        var (_, message) = Assert.Single(handler.Commands);
        Assert.Equal(Store with { MoveOriginatorAeTitle = "ORIGIN", MoveOriginatorMessageId = 3 }, message);
        Assert.False(assembler.IsIdle); // the data set is now expected
    }

    [Fact]
    public async Task Data_set_fragments_are_streamed_to_the_sink_as_they_arrive_without_copying()
    {
        var handler = new RecordingHandler();
        using var assembler = new DimseMessageAssembler(Accepted, handler);
        await assembler.ProcessAsync(Command(CommandSetCodec.Encode(Store)));
        var sink = Assert.Single(handler.Sinks);

        var fragments = Enumerable.Range(0, 5).Select(i => Enumerable.Range(0, 1000 + i).Select(b => (byte)(b * 7 + i)).ToArray()).ToArray();
        for (int i = 0; i < fragments.Length; i++)
        {
            await assembler.ProcessAsync(Data(fragments[i], last: i == fragments.Length - 1));

            // Each fragment reached the sink during its own call: nothing is held back to build the whole data set.
            Assert.Equal(i + 1, sink.Fragments.Count);
            Assert.Equal(fragments[i], sink.Fragments[i]);
            Assert.True(MemoryMarshal.TryGetArray(sink.FirstSegments[i], out var segment));
            Assert.Same(fragments[i], segment.Array);
            Assert.Equal(i == fragments.Length - 1 ? 1 : 0, sink.Completions);
        }

        Assert.True(assembler.IsIdle);
    }

    [Fact]
    public async Task Messages_follow_each_other_on_different_contexts()
    {
        var handler = new RecordingHandler();
        using var assembler = new DimseMessageAssembler(Accepted, handler);
        await assembler.ProcessAsync(Command(CommandSetCodec.Encode(Store)));
        await assembler.ProcessAsync(Data([1, 2], last: true));
        await assembler.ProcessAsync(Command(CommandSetCodec.Encode(new CEchoRequest(2)), context: 3));
        await assembler.ProcessAsync(Command(CommandSetCodec.Encode(Store with { MessageId = 3 }), context: 3));
        await assembler.ProcessAsync(Data([3], last: false, context: 3));
        await assembler.ProcessAsync(Data([4], last: true, context: 3));

        Assert.Equal([1, 3, 3], handler.Commands.Select(c => (int)c.ContextId));
        Assert.Equal([(ushort)1, (ushort)3], handler.Commands.Select(c => c.Message).OfType<CStoreRequest>().Select(r => r.MessageId));
        Assert.Equal([[3], [4]], handler.Sinks[1].Fragments);
        Assert.Equal(1, handler.Sinks[1].Completions);
    }

    [Fact]
    public async Task Empty_data_set_fragment_is_allowed()
    {
        var handler = new RecordingHandler();
        using var assembler = new DimseMessageAssembler(Accepted, handler);
        await assembler.ProcessAsync(Command(CommandSetCodec.Encode(Store)));
        await assembler.ProcessAsync(Data([], last: true));
        Assert.Equal(1, handler.Sinks[0].Completions);
    }

    [Fact]
    public async Task Pdv_on_an_unaccepted_context_is_refused()
    {
        using var assembler = new DimseMessageAssembler(Accepted, new RecordingHandler());
        var e = await Assert.ThrowsAsync<DimseProtocolException>(() => assembler.ProcessAsync(Command(CommandSetCodec.Encode(new CEchoRequest(1)), context: 5)).AsTask());
        Assert.Equal(DimseProtocolError.UnacceptedPresentationContext, e.Error);
        Assert.Equal(AbortReasons.InvalidPduParameterValue, e.AbortReason);
    }

    [Fact]
    public async Task Data_set_fragment_before_any_command_is_refused()
    {
        using var assembler = new DimseMessageAssembler(Accepted, new RecordingHandler());
        var e = await Assert.ThrowsAsync<DimseProtocolException>(() => assembler.ProcessAsync(Data([1], last: true)).AsTask());
        Assert.Equal(DimseProtocolError.DataSetWithoutCommand, e.Error);
    }

    [Fact]
    public async Task Data_set_fragment_before_the_command_is_complete_is_refused()
    {
        var bytes = CommandSetCodec.Encode(Store);
        using var assembler = new DimseMessageAssembler(Accepted, new RecordingHandler());
        await assembler.ProcessAsync(Command(bytes[..20], last: false));
        var e = await Assert.ThrowsAsync<DimseProtocolException>(() => assembler.ProcessAsync(Data([1], last: true)).AsTask());
        Assert.Equal(DimseProtocolError.DataSetWithoutCommand, e.Error);
    }

    [Fact]
    public async Task Data_set_after_a_command_without_data_set_is_refused()
    {
        using var assembler = new DimseMessageAssembler(Accepted, new RecordingHandler());
        await assembler.ProcessAsync(Command(CommandSetCodec.Encode(new CEchoRequest(1))));
        var e = await Assert.ThrowsAsync<DimseProtocolException>(() => assembler.ProcessAsync(Data([1], last: true)).AsTask());
        Assert.Equal(DimseProtocolError.DataSetWithoutCommand, e.Error);
    }

    [Fact]
    public async Task Data_set_the_handler_does_not_expect_is_refused()
    {
        // movescu --pending-ignore: a data set after a pending C-MOVE-RSP that is not read is a protocol error.
        var pending = new CMoveResponse(1, 0xFF00, "1.2.840.10008.5.1.4.1.2.2.2") { HasIdentifier = true };
        var handler = new RecordingHandler(expectDataSets: false);
        using var assembler = new DimseMessageAssembler(Accepted, handler);
        await assembler.ProcessAsync(Command(CommandSetCodec.Encode(pending)));
        Assert.True(assembler.IsIdle);
        var e = await Assert.ThrowsAsync<DimseProtocolException>(() => assembler.ProcessAsync(Data([1], last: true)).AsTask());
        Assert.Equal(DimseProtocolError.DataSetWithoutCommand, e.Error);
    }

    [Fact]
    public async Task Command_fragment_while_a_data_set_is_expected_is_refused()
    {
        var handler = new RecordingHandler();
        using var assembler = new DimseMessageAssembler(Accepted, handler);
        await assembler.ProcessAsync(Command(CommandSetCodec.Encode(Store)));
        await assembler.ProcessAsync(Data([1, 2, 3], last: false));
        var e = await Assert.ThrowsAsync<DimseProtocolException>(() => assembler.ProcessAsync(Command(CommandSetCodec.Encode(new CEchoRequest(2)))).AsTask());
        Assert.Equal(DimseProtocolError.CommandDuringDataSet, e.Error);
        Assert.Equal(AbortReasons.UnexpectedPduParameter, e.AbortReason);
        Assert.Equal(0, handler.Sinks[0].Completions);
    }

    [Fact]
    public async Task Context_change_inside_a_command_is_refused()
    {
        var bytes = CommandSetCodec.Encode(Store);
        using var assembler = new DimseMessageAssembler(Accepted, new RecordingHandler());
        await assembler.ProcessAsync(Command(bytes[..20], last: false, context: 1));
        var e = await Assert.ThrowsAsync<DimseProtocolException>(() => assembler.ProcessAsync(Command(bytes[20..], context: 3)).AsTask());
        Assert.Equal(DimseProtocolError.PresentationContextChanged, e.Error);
    }

    [Fact]
    public async Task Context_change_between_command_and_data_set_is_refused()
    {
        using var assembler = new DimseMessageAssembler(Accepted, new RecordingHandler());
        await assembler.ProcessAsync(Command(CommandSetCodec.Encode(Store), context: 1));
        var e = await Assert.ThrowsAsync<DimseProtocolException>(() => assembler.ProcessAsync(Data([1], last: true, context: 3)).AsTask());
        Assert.Equal(DimseProtocolError.PresentationContextChanged, e.Error);
    }

    [Fact]
    public async Task Unparsable_command_is_refused_and_no_command_is_delivered()
    {
        var handler = new RecordingHandler();
        using var assembler = new DimseMessageAssembler(Accepted, handler);
        var bytes = CommandSetCodec.Encode(new CEchoRequest(1));
        bytes[8] = 0xFF; // group length value: harmless; now break an element length instead
        bytes[16] = 0xFF;
        var e = await Assert.ThrowsAsync<DimseProtocolException>(() => assembler.ProcessAsync(Command(bytes)).AsTask());
        Assert.Equal(DimseProtocolError.MalformedCommand, e.Error);
        Assert.Empty(handler.Commands);
    }

    [Fact]
    public async Task Endless_command_fragments_are_refused_at_the_limit()
    {
        using var assembler = new DimseMessageAssembler(Accepted, new RecordingHandler(), maxCommandLength: 1024);
        await assembler.ProcessAsync(Command(new byte[1000], last: false));
        var e = await Assert.ThrowsAsync<DimseProtocolException>(() => assembler.ProcessAsync(Command(new byte[25], last: false)).AsTask());
        Assert.Equal(DimseProtocolError.CommandTooLarge, e.Error);
    }

    [Fact]
    public async Task Ending_inside_a_message_is_reported()
    {
        using var assembler = new DimseMessageAssembler(Accepted, new RecordingHandler());
        assembler.ThrowIfIncomplete();
        await assembler.ProcessAsync(Command(CommandSetCodec.Encode(Store)[..10], last: false));
        Assert.Equal(DimseProtocolError.IncompleteMessage, Assert.Throws<DimseProtocolException>(assembler.ThrowIfIncomplete).Error);

        using var second = new DimseMessageAssembler(Accepted, new RecordingHandler());
        await second.ProcessAsync(Command(CommandSetCodec.Encode(Store)));
        await second.ProcessAsync(Data([1], last: false));
        Assert.Equal(DimseProtocolError.IncompleteMessage, Assert.Throws<DimseProtocolException>(second.ThrowIfIncomplete).Error);
        await second.ProcessAsync(Data([2], last: true));
        second.ThrowIfIncomplete();
    }

    private static ReadOnlySequence<byte> TwoSegments(byte[] bytes)
    {
        if (bytes.Length < 2)
        {
            return new ReadOnlySequence<byte>(bytes);
        }

        var first = new Segment(bytes.AsMemory(0, bytes.Length / 2), 0);
        var last = first.Append(bytes.AsMemory(bytes.Length / 2));
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
