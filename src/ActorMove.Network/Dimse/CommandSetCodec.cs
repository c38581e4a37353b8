using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using ActorMove.Dicom.Core;

namespace ActorMove.Network.Dimse;

/// <summary>
/// Reads and writes command sets: implicit VR little endian, group 0000 only, (0000,0000) Command Group Length first
/// and holding the byte count of the elements after it (PS3.7 6.3.1, E.1).
/// </summary>
public static class CommandSetCodec
{
    // Implicit VR element header: group (2), element (2), value length (4).
    private const int GroupOffset = 0;
    private const int ElementOffset = 2;
    private const int LengthOffset = 4;
    public const int ElementHeaderLength = 8;

    private const uint UndefinedLength = 0xFFFF_FFFF;
    private const int GroupLengthElementLength = ElementHeaderLength + sizeof(uint);

    /// <summary>
    /// Parses a complete command set. Elements of group 0000 that PS3.7 does not use are kept but ignored by the message
    /// decoder; anything outside group 0000, an undefined length or a length running past the end is refused.
    /// </summary>
    public static CommandSet Read(ReadOnlySpan<byte> command)
    {
        // Values are sliced out of one private copy: a command is small, and the caller's buffer is usually pooled.
        var owned = command.ToArray();
        var elements = new List<KeyValuePair<uint, ReadOnlyMemory<byte>>>(16);
        int offset = 0;
        while (offset < owned.Length)
        {
            if (owned.Length - offset < ElementHeaderLength)
            {
                throw Malformed($"{owned.Length - offset} bytes left, too few for an element header", offset);
            }

            var header = owned.AsSpan(offset, ElementHeaderLength);
            ushort group = BinaryPrimitives.ReadUInt16LittleEndian(header[GroupOffset..]);
            ushort element = BinaryPrimitives.ReadUInt16LittleEndian(header[ElementOffset..]);
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(header[LengthOffset..]);
            if (group != 0x0000)
            {
                throw Malformed($"element {new DicomTag(group, element)} is outside the command group 0000", offset);
            }

            if (length == UndefinedLength)
            {
                throw Malformed($"element {new DicomTag(group, element)} has undefined length", offset);
            }

            int valueOffset = offset + ElementHeaderLength;
            if (length > (uint)(owned.Length - valueOffset))
            {
                throw Malformed($"element {new DicomTag(group, element)} claims {length} bytes, only {owned.Length - valueOffset} remain", offset);
            }

            uint tag = element;
            if (elements.Any(e => e.Key == tag))
            {
                throw Malformed($"element {new DicomTag(tag)} occurs twice", offset);
            }

            elements.Add(new(tag, owned.AsMemory(valueOffset, (int)length)));
            offset = valueOffset + (int)length;
        }

        if (elements.Count == 0)
        {
            throw Malformed("the command set is empty", 0);
        }

        return new CommandSet(elements);
    }

    /// <summary>Encodes a message's command set; the bytes are what one or more command PDVs carry.</summary>
    public static byte[] Encode(DimseMessage message)
    {
        var builder = new CommandSetBuilder();
        message.WriteCommand(builder);
        return builder.ToArray();
    }

    /// <summary>Encodes into a buffer writer (e.g. straight into a PDU under construction).</summary>
    public static void Encode(DimseMessage message, IBufferWriter<byte> output)
    {
        var builder = new CommandSetBuilder();
        message.WriteCommand(builder);
        var span = output.GetSpan(builder.EncodedLength);
        builder.WriteTo(span);
        output.Advance(builder.EncodedLength);
    }

    private static DimseProtocolException Malformed(string what, long offset) =>
        new(DimseProtocolError.MalformedCommand, $"Command set does not parse: {what}", offset);

    /// <summary>Collects elements in any order and writes them sorted, behind a computed group length.</summary>
    public sealed class CommandSetBuilder
    {
        private readonly SortedDictionary<uint, byte[]> _values = new();

        public CommandSetBuilder Add(uint tag, ushort value)
        {
            var bytes = new byte[sizeof(ushort)];
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
            return Set(tag, bytes);
        }

        /// <summary>A string padded to even length the way its VR wants: UI with NUL, everything else with a space.</summary>
        public CommandSetBuilder Add(uint tag, string value)
        {
            var vr = CommandTags.GetVR(tag);
            int length = Encoding.ASCII.GetByteCount(value);
            var bytes = new byte[length + (length & 1)];
            Encoding.ASCII.GetBytes(value, bytes);
            if ((length & 1) == 1)
            {
                bytes[^1] = vr == DicomVR.UI ? (byte)0 : (byte)' ';
            }

            return Set(tag, bytes);
        }

        public CommandSetBuilder Add(uint tag, IReadOnlyList<DicomTag> tags)
        {
            var bytes = new byte[tags.Count * 4];
            for (int i = 0; i < tags.Count; i++)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 4), tags[i].Group);
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan((i * 4) + 2), tags[i].Element);
            }

            return Set(tag, bytes);
        }

        public CommandSetBuilder AddRaw(uint tag, byte[] value) => Set(tag, value);

        private CommandSetBuilder Set(uint tag, byte[] value)
        {
            if (tag == CommandTags.CommandGroupLength || tag > 0xFFFF)
            {
                throw new ArgumentOutOfRangeException(nameof(tag), $"{new DicomTag(tag)} cannot be set by hand in a command set");
            }

            _values[tag] = value;
            return this;
        }

        private int ElementsLength => _values.Values.Sum(v => ElementHeaderLength + v.Length);

        public int EncodedLength => GroupLengthElementLength + ElementsLength;

        public void WriteTo(Span<byte> destination)
        {
            if (destination.Length < EncodedLength)
            {
                throw new ArgumentException($"Needs {EncodedLength} bytes, got {destination.Length}", nameof(destination));
            }

            int offset = WriteHeader(destination, CommandTags.CommandGroupLength, sizeof(uint));
            BinaryPrimitives.WriteUInt32LittleEndian(destination[offset..], (uint)ElementsLength);
            offset += sizeof(uint);
            foreach (var (tag, value) in _values)
            {
                offset += WriteHeader(destination[offset..], tag, value.Length);
                value.CopyTo(destination[offset..]);
                offset += value.Length;
            }
        }

        public byte[] ToArray()
        {
            var bytes = new byte[EncodedLength];
            WriteTo(bytes);
            return bytes;
        }

        private static int WriteHeader(Span<byte> destination, uint tag, int length)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination[GroupOffset..], (ushort)(tag >> 16));
            BinaryPrimitives.WriteUInt16LittleEndian(destination[ElementOffset..], (ushort)tag);
            BinaryPrimitives.WriteUInt32LittleEndian(destination[LengthOffset..], (uint)length);
            return ElementHeaderLength;
        }
    }
}
