using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace ActorMove.Network.Tests;

/// <summary>Hand-building of byte vectors, independent of the encoder under test.</summary>
internal static class Bytes
{
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "").Replace("\n", ""));

    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    public static byte[] Cat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public static byte[] U16(int value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)value);
        return bytes;
    }

    public static byte[] U32(long value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)value);
        return bytes;
    }

    /// <summary>Item: type, reserved, 2-byte big-endian length, value.</summary>
    public static byte[] Item(byte type, params byte[][] value)
    {
        var body = Cat(value);
        return Cat([type, 0], U16(body.Length), body);
    }

    /// <summary>PDU: type, reserved, 4-byte big-endian length, body.</summary>
    public static byte[] PduBytes(byte type, params byte[][] body)
    {
        var all = Cat(body);
        return Cat([type, 0], U32(all.Length), all);
    }

    public static byte[] AeTitle(string title) => Ascii(title.PadRight(16));

    /// <summary>Splits a buffer into a chain of segments of <paramref name="segmentLength"/> bytes, as a socket pipe delivers them.</summary>
    public static ReadOnlySequence<byte> Segmented(byte[] data, int segmentLength)
    {
        if (data.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        Segment? first = null;
        Segment? last = null;
        for (int offset = 0; offset < data.Length; offset += segmentLength)
        {
            var memory = data.AsMemory(offset, Math.Min(segmentLength, data.Length - offset));
            if (first is null)
            {
                first = last = new Segment(memory, 0);
            }
            else
            {
                last = last!.Append(memory);
            }
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
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
