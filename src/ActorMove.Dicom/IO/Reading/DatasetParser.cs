using System.Buffers;
using System.Buffers.Binary;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Dicom.Dictionary;

namespace ActorMove.Dicom.IO.Reading;

/// <summary>How the elements of one data set or item are encoded (PS3.5 7.1).</summary>
internal readonly record struct DatasetEncoding(bool ExplicitVR, bool LittleEndian)
{
    public static readonly DatasetEncoding ImplicitLittle = new(false, true);
    public static readonly DatasetEncoding ExplicitLittle = new(true, true);

    public static DatasetEncoding Of(TransferSyntax syntax) => new(syntax.IsExplicitVR, syntax.IsLittleEndian);
}

/// <summary>
/// Parses data elements from a range of an <see cref="IValueSource"/> through a pooled read-ahead buffer. Every
/// position is an absolute offset into the source; every length read from the input is checked against the bytes of
/// the enclosing item (or the data) before anything is allocated or read, and every loop iteration consumes bytes.
/// Values above the inline limit are skipped and kept as deferred ranges, so large values are never read.
/// </summary>
internal sealed class DatasetParser : IDisposable
{
    private const uint UndefinedLength = DicomConstants.UndefinedLength;
    private const int TagSize = 4;
    private const int VROffset = 4;
    private const int ShortLengthOffset = 6;
    private const int LongLengthOffset = 8;
    private const int ImplicitLengthOffset = 4;
    private const int ShortHeaderSize = 8;
    private const int LongHeaderSize = 12;
    private const int ImplicitHeaderSize = 8;
    private const int ItemHeaderSize = 8;
    private const int MinimumBufferSize = 256;

    /// <summary>Values up to this size share arena chunks instead of getting an array each (most values are tiny).</summary>
    private const int ArenaValueLimit = 256;
    private const int ArenaChunkSize = 16 * 1024;
    private const int FirstArenaChunkSize = 1024;

    /// <summary>LO holds at most 64 characters; a longer "creator" is not one.</summary>
    private const int MaxCreatorLength = 64;
    private const string CreatorPadding = " \0";

    private const byte UnknownVR = 0;
    private const byte ShortHeaderVR = 1;
    private const byte LongHeaderVR = 2;

    /// <summary>Explicit VR header kind by the VR's two characters, so a header needs one array lookup.</summary>
    private static readonly byte[] VRKinds = BuildVRKinds();

    private readonly IValueSource _source;
    private readonly long _end;
    private readonly int _inlineLimit;
    private readonly int _maxDepth;
    private readonly DicomDictionary _dictionary;
    private byte[] _buffer;
    private long _bufferOrigin;
    private int _bufferLength;
    private int _index;
    private byte[] _arena = [];
    private int _arenaUsed;

    public DatasetParser(IValueSource source, long offset, long length, DicomReadOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _source = source;
        _end = offset + length;
        _inlineLimit = options.InlineValueLimit;
        _maxDepth = options.MaxSequenceDepth;
        _dictionary = options.Dictionary ?? DicomDictionary.Default;
        _bufferOrigin = offset;
        int size = (int)Math.Max(MinimumBufferSize, Math.Min(options.ReadBufferSize, length));
        _buffer = ArrayPool<byte>.Shared.Rent(size);
    }

    public long Position => _bufferOrigin + _index;

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads elements up to the end of the range into <paramref name="target"/>.</summary>
    public void ParseTopLevel(DicomDataset target, DatasetEncoding encoding) =>
        ParseElements(target, _end, untilItemDelimiter: false, encoding, depth: 0);

    /// <summary>
    /// Reads the leading elements of group <paramref name="group"/> (the file meta information); stops at the first
    /// element of another group, or at the end.
    /// </summary>
    public void ParseGroup(DicomDataset target, ushort group, DatasetEncoding encoding)
    {
        while (Position < _end)
        {
            if (_end - Position < TagSize)
            {
                break;
            }

            Ensure(TagSize);
            var tag = ReadTag(0, encoding.LittleEndian);
            if (tag.Group != group)
            {
                break;
            }

            target.AddOrUpdate(ReadElement(target, tag, Position, _end, encoding, depth: 0));
        }
    }

    /// <summary>Whether the two bytes at <paramref name="relative"/> from the position name a VR (for detection).</summary>
    public bool LooksLikeExplicitVR(int relative)
    {
        if (_end - Position < relative + 2)
        {
            return false;
        }

        Ensure(relative + 2);
        return VRKinds[(_buffer[_index + relative] << 8) | _buffer[_index + relative + 1]] != UnknownVR;
    }

    /// <summary>The next bytes without consuming them; fewer when the data ends.</summary>
    public ReadOnlySpan<byte> Peek(int count)
    {
        count = (int)Math.Min(count, _end - Position);
        Ensure(count);
        return _buffer.AsSpan(_index, count);
    }

    private void ParseElements(DicomDataset target, long limit, bool untilItemDelimiter, DatasetEncoding encoding, int depth)
    {
        while (true)
        {
            long start = Position;
            if (start == limit)
            {
                if (untilItemDelimiter)
                {
                    throw new DicomFormatException("Item of undefined length ends without an item delimitation item", start);
                }

                return;
            }

            Require(TagSize, limit, "Data element tag");
            var tag = ReadTag(0, encoding.LittleEndian);
            if (tag.IsDelimitation)
            {
                if (tag == DicomTag.ItemDelimitationItem && untilItemDelimiter)
                {
                    // PS3.5 7.5.2: the delimiter's length is zero; a writer's non-zero length does not change its meaning.
                    Require(ItemHeaderSize, limit, "Item delimitation item");
                    Consume(ItemHeaderSize);
                    return;
                }

                throw new DicomFormatException($"{DescribeDelimiter(tag)} {tag} where a data element is expected", start);
            }

            target.AddOrUpdate(ReadElement(target, tag, start, limit, encoding, depth));
        }
    }

    /// <summary>
    /// Reads the element whose tag (at <paramref name="start"/>) is already in the buffer; <paramref name="target"/>
    /// is the data set it goes into, where an implicit VR private element finds its creator.
    /// </summary>
    private DicomElement ReadElement(DicomDataset target, DicomTag tag, long start, long limit, DatasetEncoding encoding, int depth)
    {
        DicomVR vr;
        uint length;
        if (encoding.ExplicitVR)
        {
            Require(ShortHeaderSize, limit, "Data element header");
            ushort code = (ushort)((_buffer[_index + VROffset] << 8) | _buffer[_index + VROffset + 1]);
            byte kind = VRKinds[code];
            if (kind == UnknownVR)
            {
                throw new DicomFormatException($"Unknown VR {DescribeVR(code)} in element {tag}", start);
            }

            vr = DicomVR.FromCode(code);
            if (kind == ShortHeaderVR)
            {
                length = ReadUInt16(ShortLengthOffset, encoding.LittleEndian);
                Consume(ShortHeaderSize);
            }
            else
            {
                Require(LongHeaderSize, limit, "Data element header");
                length = ReadUInt32(LongLengthOffset, encoding.LittleEndian);
                Consume(LongHeaderSize);
            }
        }
        else
        {
            Require(ImplicitHeaderSize, limit, "Data element header");
            length = ReadUInt32(ImplicitLengthOffset, encoding.LittleEndian);
            Consume(ImplicitHeaderSize);
            vr = ImplicitVR(target, tag);
        }

        if (length == UndefinedLength)
        {
            return ReadUndefinedLengthElement(tag, vr, start, limit, encoding, depth);
        }

        if (length > limit - Position)
        {
            throw new DicomFormatException(
                $"Value length {length} of element {tag} runs past the end of its enclosing item or of the data ({limit - Position} bytes left)", start);
        }

        if (vr == DicomVR.SQ)
        {
            return ReadSequence(tag, vr, length, start, limit, encoding, depth);
        }

        return new DicomPrimitiveElement(tag, vr, ReadValue(length)) { SourceLength = length };
    }

    private DicomElement ReadUndefinedLengthElement(DicomTag tag, DicomVR vr, long start, long limit, DatasetEncoding encoding, int depth)
    {
        if (!encoding.ExplicitVR)
        {
            // PS3.5 7.5.1: in implicit VR, undefined length can only mean a sequence, whatever the dictionary says,
            // except for pixel data, which DCMTK also reads as fragments when a writer encapsulated it anyway.
            return tag == DicomTag.PixelData
                ? ReadFragments(tag, DicomVR.OB, start, limit, encoding)
                : ReadSequence(tag, DicomVR.SQ, UndefinedLength, start, limit, encoding, depth);
        }

        if (vr == DicomVR.SQ)
        {
            return ReadSequence(tag, vr, UndefinedLength, start, limit, encoding, depth);
        }

        if (vr == DicomVR.UN)
        {
            // PS3.5 6.2.2: UN of undefined length holds a sequence encoded in implicit VR little endian.
            return ReadSequence(tag, DicomVR.UN, UndefinedLength, start, limit, DatasetEncoding.ImplicitLittle, depth);
        }

        if (vr == DicomVR.OB || vr == DicomVR.OW)
        {
            return ReadFragments(tag, vr, start, limit, encoding);
        }

        throw new DicomFormatException($"Undefined length is not allowed for element {tag} with VR {vr}", start);
    }

    private DicomSequence ReadSequence(DicomTag tag, DicomVR vr, uint length, long start, long limit, DatasetEncoding encoding, int depth)
    {
        if (depth >= _maxDepth)
        {
            throw new DicomFormatException($"Sequence {tag} nests deeper than {_maxDepth} levels", start);
        }

        bool undefined = length == UndefinedLength;
        long sequenceEnd = undefined ? limit : Position + length;
        var sequence = new DicomSequence(tag, vr) { SourceLength = length };
        while (true)
        {
            long itemStart = Position;
            if (itemStart == sequenceEnd)
            {
                if (undefined)
                {
                    throw new DicomFormatException($"Sequence {tag} of undefined length ends without a sequence delimitation item", itemStart);
                }

                return sequence;
            }

            Require(ItemHeaderSize, sequenceEnd, "Item header");
            var itemTag = ReadTag(0, encoding.LittleEndian);
            uint itemLength = ReadUInt32(TagSize, encoding.LittleEndian);
            if (itemTag == DicomTag.SequenceDelimitationItem && undefined)
            {
                Consume(ItemHeaderSize);
                return sequence;
            }

            if (itemTag != DicomTag.Item)
            {
                throw new DicomFormatException($"{DescribeDelimiter(itemTag)} {itemTag} where an item of sequence {tag} is expected", itemStart);
            }

            Consume(ItemHeaderSize);
            var item = new DicomDataset(encoding.LittleEndian) { SourceItemLength = itemLength };
            if (itemLength == UndefinedLength)
            {
                ParseElements(item, sequenceEnd, untilItemDelimiter: true, encoding, depth + 1);
            }
            else
            {
                if (itemLength > sequenceEnd - Position)
                {
                    throw new DicomFormatException(
                        $"Item length {itemLength} in sequence {tag} runs past the end of the sequence or of the data ({sequenceEnd - Position} bytes left)", itemStart);
                }

                ParseElements(item, Position + itemLength, untilItemDelimiter: false, encoding, depth + 1);
            }

            sequence.Items.Add(item);
        }
    }

    /// <summary>Encapsulated pixel data (PS3.5 A.4): the basic offset table item, fragment items, a sequence delimiter.</summary>
    private DicomFragmentSequence ReadFragments(DicomTag tag, DicomVR vr, long start, long limit, DatasetEncoding encoding)
    {
        DicomValue? offsetTable = null;
        var fragments = new List<DicomValue>();
        while (true)
        {
            long itemStart = Position;
            if (itemStart == limit)
            {
                throw new DicomFormatException($"Encapsulated pixel data {tag} ends without a sequence delimitation item", itemStart);
            }

            Require(ItemHeaderSize, limit, "Fragment item header");
            var itemTag = ReadTag(0, encoding.LittleEndian);
            uint itemLength = ReadUInt32(TagSize, encoding.LittleEndian);
            if (itemTag == DicomTag.SequenceDelimitationItem)
            {
                Consume(ItemHeaderSize);
                return new DicomFragmentSequence(tag, vr, offsetTable ?? DicomValue.Empty, fragments) { SourceLength = UndefinedLength };
            }

            if (itemTag != DicomTag.Item)
            {
                throw new DicomFormatException($"{DescribeDelimiter(itemTag)} {itemTag} where a fragment of {tag} is expected", itemStart);
            }

            Consume(ItemHeaderSize);
            if (itemLength == UndefinedLength)
            {
                throw new DicomFormatException($"Fragment of {tag} has undefined length", itemStart);
            }

            if (itemLength > limit - Position)
            {
                throw new DicomFormatException(
                    $"Fragment length {itemLength} of {tag} runs past the end of its enclosing item or of the data ({limit - Position} bytes left)", itemStart);
            }

            var value = ReadValue(itemLength);
            if (offsetTable is null)
            {
                offsetTable = value;
            }
            else
            {
                fragments.Add(value);
            }
        }
    }

    /// <summary>The dictionary VR; a private data element is looked up under the creator that reserved its block (PS3.5 7.8.1).</summary>
    private DicomVR ImplicitVR(DicomDataset target, DicomTag tag)
    {
        if (!tag.IsPrivate || tag.IsGroupLength || tag.IsPrivateCreator || (tag.Element >> 8) < 0x10)
        {
            return _dictionary.GetVR(tag);
        }

        var creatorTag = new DicomTag(tag.Group, (ushort)(tag.Element >> 8));
        if (!target.TryGet(creatorTag, out var element) || element is not DicomPrimitiveElement { Value.IsDeferred: false } creator
            || creator.Value.Length > MaxCreatorLength)
        {
            return _dictionary.GetVR(tag);
        }

        var bytes = creator.Value.Bytes.Span;
        Span<char> name = stackalloc char[MaxCreatorLength];
        for (int i = 0; i < bytes.Length; i++)
        {
            name[i] = (char)bytes[i];
        }

        return _dictionary.GetVR(tag, name[..bytes.Length].Trim(CreatorPadding));
    }

    /// <summary>A value whose length is already checked against the enclosing limit.</summary>
    private DicomValue ReadValue(uint length)
    {
        if (length == 0)
        {
            return DicomValue.Empty;
        }

        long valueStart = Position;
        if (length > (uint)_inlineLimit)
        {
            Skip(length);
            return DicomValue.Deferred(_source, valueStart, length);
        }

        var bytes = Allocate((int)length);
        var destination = bytes.Span;
        int buffered = Math.Min(_bufferLength - _index, (int)length);
        _buffer.AsSpan(_index, buffered).CopyTo(destination);
        _index += buffered;
        int rest = (int)length - buffered;
        if (rest > 0)
        {
            if (rest <= _buffer.Length / 2)
            {
                Ensure(rest);
                _buffer.AsSpan(_index, rest).CopyTo(destination[buffered..]);
                _index += rest;
            }
            else
            {
                _source.ReadExactly(Position, destination[buffered..]);
                Skip(rest);
            }
        }

        return DicomValue.FromBytes(bytes);
    }

    /// <summary>Memory for a held value whose length is already checked against the data.</summary>
    private Memory<byte> Allocate(int length)
    {
        if (length > ArenaValueLimit)
        {
            return new byte[length];
        }

        if (_arena.Length - _arenaUsed < length)
        {
            // Chunks start small and double: a meta header or a small data set needs a few hundred bytes, not 16 KiB.
            int size = Math.Min(ArenaChunkSize, Math.Max(Math.Max(_arena.Length * 2, FirstArenaChunkSize), length));
            _arena = new byte[size];
            _arenaUsed = 0;
        }

        var memory = _arena.AsMemory(_arenaUsed, length);
        _arenaUsed += length;
        return memory;
    }

    /// <summary>Makes <paramref name="count"/> bytes available at the position, or fails if the enclosing limit comes first.</summary>
    private void Require(int count, long limit, string what)
    {
        long left = limit - Position;
        if (left < count)
        {
            string where = limit == _end ? "the data ends" : "its enclosing item or sequence ends";
            throw new DicomFormatException($"{what} needs {count} bytes but {where} after {left}", Position);
        }

        Ensure(count);
    }

    /// <summary>Refills the buffer so that <paramref name="count"/> bytes (known to exist before the end) are at the index.</summary>
    private void Ensure(int count)
    {
        if (_bufferLength - _index >= count)
        {
            return;
        }

        int kept = _bufferLength - _index;
        if (kept > 0)
        {
            Buffer.BlockCopy(_buffer, _index, _buffer, 0, kept);
        }

        _bufferOrigin += _index;
        _index = 0;
        _bufferLength = kept;
        int toRead = (int)Math.Min(_buffer.Length - kept, _end - (_bufferOrigin + kept));
        if (toRead > 0)
        {
            _source.ReadExactly(_bufferOrigin + kept, _buffer.AsSpan(kept, toRead));
            _bufferLength += toRead;
        }

        if (_bufferLength < count)
        {
            throw new DicomFormatException($"Data ends {count - _bufferLength} bytes too early", Position);
        }
    }

    private void Consume(int count) => _index += count;

    /// <summary>Moves past a range without reading it: within the buffer, or by moving the buffer's origin.</summary>
    private void Skip(long count)
    {
        if (count <= _bufferLength - _index)
        {
            _index += (int)count;
            return;
        }

        _bufferOrigin = Position + count;
        _bufferLength = 0;
        _index = 0;
    }

    private DicomTag ReadTag(int at, bool littleEndian)
    {
        var span = _buffer.AsSpan(_index + at, TagSize);
        return littleEndian
            ? new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(span), BinaryPrimitives.ReadUInt16LittleEndian(span[2..]))
            : new DicomTag(BinaryPrimitives.ReadUInt16BigEndian(span), BinaryPrimitives.ReadUInt16BigEndian(span[2..]));
    }

    private ushort ReadUInt16(int at, bool littleEndian)
    {
        var span = _buffer.AsSpan(_index + at, 2);
        return littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(span) : BinaryPrimitives.ReadUInt16BigEndian(span);
    }

    private uint ReadUInt32(int at, bool littleEndian)
    {
        var span = _buffer.AsSpan(_index + at, 4);
        return littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(span) : BinaryPrimitives.ReadUInt32BigEndian(span);
    }

    private static string DescribeDelimiter(DicomTag tag) =>
        tag == DicomTag.Item ? "Item"
        : tag == DicomTag.ItemDelimitationItem ? "Item delimitation item"
        : tag == DicomTag.SequenceDelimitationItem ? "Sequence delimitation item"
        : "Element";

    private static string DescribeVR(ushort code)
    {
        char first = (char)(code >> 8);
        char second = (char)(code & 0xFF);
        return char.IsAsciiLetterOrDigit(first) && char.IsAsciiLetterOrDigit(second)
            ? $"\"{first}{second}\""
            : $"0x{code:X4}";
    }

    private static byte[] BuildVRKinds()
    {
        var kinds = new byte[ushort.MaxValue + 1];
        foreach (var vr in DicomVR.All)
        {
            kinds[vr.Code] = vr.HasLongExplicitHeader ? LongHeaderVR : ShortHeaderVR;
        }

        return kinds;
    }
}
