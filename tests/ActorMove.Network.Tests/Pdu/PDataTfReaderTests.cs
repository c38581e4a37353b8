using System.Buffers;
using ActorMove.Network.Pdu;
using Xunit;
using static ActorMove.Network.Tests.Association.Peers;
using static ActorMove.Network.Tests.Bytes;

namespace ActorMove.Network.Tests.Pdu;

/// <summary>A P-DATA-TF body read as it arrives: every way of cutting the bytes must hand over the same PDV values.</summary>
public class PDataTfReaderTests
{
    private sealed record Piece(byte ContextId, bool IsCommand, bool IsLast, bool StartsValue, byte[] Data);

    /// <summary>Feeds <paramref name="body"/> in arrivals of <paramref name="arrival"/> bytes, as a socket would, and collects every piece.</summary>
    private static List<Piece> ReadInArrivals(byte[] body, int arrival)
    {
        var progress = PDataTfReader.Begin((uint)body.Length);
        var pieces = new List<Piece>();
        int received = 0;
        int consumed = 0;
        while (progress.IsActive)
        {
            Assert.True(received < body.Length, "the reader wants more bytes than the body has");
            received = Math.Min(body.Length, received + arrival);
            // What the pipe holds: everything not consumed yet, cut into segments as a pipe may hold it.
            var buffer = Segmented(body[consumed..received], 5);
            long before = buffer.Length;
            while (PDataTfReader.TryReadPiece(ref buffer, ref progress, out var piece, out bool startsValue))
            {
                pieces.Add(new Piece(piece.PresentationContextId, piece.IsCommand, piece.IsLastFragment, startsValue, piece.Data.ToArray()));
            }

            consumed += (int)(before - buffer.Length);
        }

        Assert.Equal(body.Length, consumed);
        return pieces;
    }

    private static byte[] Pdv(byte contextId, byte control, byte[] value) => Cat(U32(value.Length + 2), [contextId, control], value);

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(1000)]
    [InlineData(100_000)]
    public void Pieces_of_a_large_value_join_to_it_and_only_the_last_carries_the_last_fragment_bit(int arrival)
    {
        var value = RandomBytes(20_000, 1);
        var pieces = ReadInArrivals(Pdv(3, 0x02, value), arrival);

        Assert.Equal(value, pieces.SelectMany(p => p.Data).ToArray());
        Assert.All(pieces, p => Assert.Equal((byte)3, p.ContextId));
        Assert.All(pieces, p => Assert.False(p.IsCommand));
        Assert.True(pieces[^1].IsLast);
        Assert.All(pieces[..^1], p => Assert.False(p.IsLast));
        Assert.True(pieces[0].StartsValue);
        Assert.All(pieces[1..], p => Assert.False(p.StartsValue));
        Assert.All(pieces, p => Assert.NotEmpty(p.Data));
        if (arrival < value.Length)
        {
            Assert.True(pieces.Count > 1, "a value that arrives in parts is handed over in parts");
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(9)]
    [InlineData(1000)]
    public void Several_values_in_one_body_keep_their_contexts_bits_and_bounds(int arrival)
    {
        var command = RandomBytes(150, 2);
        var first = RandomBytes(300, 3);
        var second = RandomBytes(40, 4);
        var body = Cat(Pdv(1, 0x03, command), Pdv(5, 0x00, first), Pdv(5, 0x02, second));

        var pieces = ReadInArrivals(body, arrival);

        var values = new List<(byte Context, bool Command, bool Last, byte[] Data)>();
        foreach (var piece in pieces)
        {
            if (piece.StartsValue)
            {
                values.Add((piece.ContextId, piece.IsCommand, piece.IsLast, piece.Data));
            }
            else
            {
                var (context, isCommand, _, data) = values[^1];
                Assert.Equal(context, piece.ContextId);
                values[^1] = (context, isCommand, piece.IsLast, Cat(data, piece.Data));
            }
        }

        Assert.Equal(3, values.Count);
        Assert.Equal((1, true, true), (values[0].Context, values[0].Command, values[0].Last));
        Assert.Equal(command, values[0].Data);
        Assert.Equal((5, false, false), (values[1].Context, values[1].Command, values[1].Last));
        Assert.Equal(first, values[1].Data);
        Assert.Equal((5, false, true), (values[2].Context, values[2].Command, values[2].Last));
        Assert.Equal(second, values[2].Data);
    }

    [Fact]
    public void An_empty_value_is_one_empty_piece()
    {
        var pieces = ReadInArrivals(Cat(Pdv(1, 0x01, []), Pdv(1, 0x03, [0xAB])), 3);

        Assert.Equal(2, pieces.Count);
        Assert.Equal((1, true, false, true), (pieces[0].ContextId, pieces[0].IsCommand, pieces[0].IsLast, pieces[0].StartsValue));
        Assert.Empty(pieces[0].Data);
        Assert.Equal([0xAB], pieces[1].Data);
        Assert.True(pieces[1].IsLast && pieces[1].StartsValue);
    }

    [Fact]
    public void A_header_without_its_value_yet_is_consumed_and_the_next_bytes_start_the_value()
    {
        var progress = PDataTfReader.Begin(6 + 4);
        var buffer = new ReadOnlySequence<byte>(Hex("00000006 07 02"));

        Assert.False(PDataTfReader.TryReadPiece(ref buffer, ref progress, out _, out _));
        Assert.Equal(0, buffer.Length);
        Assert.True(progress.IsActive);

        buffer = new ReadOnlySequence<byte>(Hex("0102"));
        Assert.True(PDataTfReader.TryReadPiece(ref buffer, ref progress, out var piece, out bool starts));
        Assert.True(starts);
        Assert.False(piece.IsLastFragment);
        buffer = new ReadOnlySequence<byte>(Hex("0304"));
        Assert.True(PDataTfReader.TryReadPiece(ref buffer, ref progress, out piece, out starts));
        Assert.False(starts);
        Assert.True(piece.IsLastFragment);
        Assert.Equal((byte)7, piece.PresentationContextId);
        Assert.False(progress.IsActive);
    }

    [Fact]
    public void A_piece_never_takes_bytes_past_the_body()
    {
        // The next PDU's header is already buffered behind this body: it must be left where it is.
        var body = Pdv(1, 0x02, RandomBytes(10, 5));
        var buffer = new ReadOnlySequence<byte>(Cat(body, Hex("05 00 00000004 00000000")));
        var progress = PDataTfReader.Begin((uint)body.Length);

        Assert.True(PDataTfReader.TryReadPiece(ref buffer, ref progress, out var piece, out _));
        Assert.Equal(10, piece.Data.Length);
        Assert.False(progress.IsActive);
        Assert.False(PDataTfReader.TryReadPiece(ref buffer, ref progress, out _, out _));
        Assert.Equal(10, buffer.Length);
    }

    public static TheoryData<string, uint, byte[]> MalformedBodies() => new()
    {
        { "item length past the body", 10, Hex("00000010 01 03 AABBCCDD") },
        { "item length under 2", 6, Hex("00000001 01 03") },
        { "body too short for an item header", 3, Hex("000000") },
        { "second item past the body", 14, Hex("00000004 01 00 AABB 00000009 01 02") },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public void A_bad_item_header_is_refused_before_any_of_its_value_is_handed_over(string what, uint bodyLength, byte[] bytes)
    {
        var progress = PDataTfReader.Begin(bodyLength);
        var buffer = new ReadOnlySequence<byte>(bytes);
        var error = Assert.Throws<PduFormatException>(() =>
        {
            while (PDataTfReader.TryReadPiece(ref buffer, ref progress, out var piece, out _))
            {
                // Only the good first item of the last case may come out, whole.
                Assert.Equal(Hex("AABB"), piece.Data.ToArray());
            }
        });
        Assert.True(error.Reason == AbortReason.InvalidPduParameterValue, what);
    }

    [Fact]
    public void An_empty_body_is_refused()
    {
        var error = Assert.Throws<PduFormatException>(() => PDataTfReader.Begin(0));
        Assert.Equal(AbortReason.InvalidPduParameterValue, error.Reason);
    }
}
