using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;

namespace ActorMove.Dicom.IO.Writing;

/// <summary>
/// Turns a laid-out data set into bytes, one pooled buffer at a time. <see cref="Encode"/> yields whenever the buffer is
/// full; the caller writes <see cref="Pending"/> (synchronously or not), calls <see cref="Drained"/> and continues. Deferred
/// values are read straight into the buffer and swapped there, so nothing grows with the size of a value. A large value
/// that is already in memory and needs no swapping is not copied at all: <see cref="Pending"/> is then the value itself.
/// </summary>
internal sealed class DatasetEncoder : IDisposable
{
    public const int BufferSize = 256 * 1024;

    /// <summary>Room kept free for any header (12 bytes) and for a whole swap unit (8 bytes).</summary>
    private const int HeaderRoom = 16;

    /// <summary>From this size on, a value in memory is handed over as it is instead of being copied into the buffer.</summary>
    private const int PassThroughMinimum = 64 * 1024;

    private readonly TargetEncoding _target;
    private byte[] _buffer;
    private int _filled;
    private ReadOnlyMemory<byte> _passThrough;

    public DatasetEncoder(TargetEncoding target)
    {
        _target = target;
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    }

    public ReadOnlyMemory<byte> Pending => _passThrough.IsEmpty ? _buffer.AsMemory(0, _filled) : _passThrough;

    public void Drained()
    {
        if (_passThrough.IsEmpty)
        {
            _filled = 0;
        }
        else
        {
            _passThrough = default;
        }
    }

    private int Free => _buffer.Length - _filled;

    /// <summary>Yields each time the buffer must be drained; after the last step <see cref="Pending"/> holds the rest.</summary>
    public IEnumerable<bool> Encode(ItemLayout dataset) => EncodeContent(dataset);

    private IEnumerable<bool> EncodeContent(ItemLayout item)
    {
        foreach (var entry in item.Entries)
        {
            if (Free < HeaderRoom)
            {
                yield return true;
            }

            switch (entry.Kind)
            {
                case LayoutEntryKind.GroupLength:
                    WriteElementHeader(entry.Tag, DicomVR.UL, 4);
                    WriteUInt32((uint)entry.ValueLength);
                    break;

                case LayoutEntryKind.Padding:
                    WriteElementHeader(entry.Tag, DicomVR.OB, (uint)entry.ValueLength);
                    foreach (bool step in CopyValue(DicomValue.Empty, 0, entry.ValueLength, 1))
                    {
                        yield return step;
                    }

                    break;

                case LayoutEntryKind.Primitive:
                {
                    var value = ((DicomPrimitiveElement)entry.Element!).Value;
                    WriteElementHeader(entry.Tag, entry.WriteVR, (uint)entry.ValueLength);
                    foreach (bool step in CopyValue(value, value.Length, entry.ValueLength, entry.SwapUnit))
                    {
                        yield return step;
                    }

                    break;
                }

                case LayoutEntryKind.Sequence:
                    foreach (bool step in EncodeSequence(entry))
                    {
                        yield return step;
                    }

                    break;

                case LayoutEntryKind.Fragments:
                    foreach (bool step in EncodeFragments(entry))
                    {
                        yield return step;
                    }

                    break;
            }
        }
    }

    private IEnumerable<bool> EncodeSequence(LayoutEntry entry)
    {
        var sequence = entry.Sequence!;
        WriteElementHeader(entry.Tag, DicomVR.SQ, sequence.UndefinedLength ? DicomConstants.UndefinedLength : (uint)sequence.ContentLength);
        foreach (var item in sequence.Items)
        {
            if (Free < HeaderRoom)
            {
                yield return true;
            }

            WriteItemHeader(DicomTag.Item, item.UndefinedLength ? DicomConstants.UndefinedLength : (uint)item.ContentLength);
            foreach (bool step in EncodeContent(item))
            {
                yield return step;
            }

            if (item.UndefinedLength)
            {
                if (Free < HeaderRoom)
                {
                    yield return true;
                }

                WriteItemHeader(DicomTag.ItemDelimitationItem, 0);
            }
        }

        if (sequence.UndefinedLength)
        {
            if (Free < HeaderRoom)
            {
                yield return true;
            }

            WriteItemHeader(DicomTag.SequenceDelimitationItem, 0);
        }
    }

    /// <summary>Encapsulated pixel data always has undefined length; the offset table and fragments pass through untouched.</summary>
    private IEnumerable<bool> EncodeFragments(LayoutEntry entry)
    {
        var fragments = (DicomFragmentSequence)entry.Element!;
        WriteElementHeader(entry.Tag, entry.WriteVR, DicomConstants.UndefinedLength);
        foreach (var value in fragments.Fragments.Prepend(fragments.OffsetTable))
        {
            if (Free < HeaderRoom)
            {
                yield return true;
            }

            WriteItemHeader(DicomTag.Item, value.Length);
            foreach (bool step in CopyValue(value, value.Length, value.Length, 1))
            {
                yield return step;
            }
        }

        if (Free < HeaderRoom)
        {
            yield return true;
        }

        WriteItemHeader(DicomTag.SequenceDelimitationItem, 0);
    }

    /// <summary>
    /// Copies <paramref name="sourceLength"/> bytes of the value followed by NULs up to <paramref name="totalLength"/>, reversing
    /// each whole unit of <paramref name="swapUnit"/> bytes; a trailing partial unit is left as it is, as DCMTK does.
    /// </summary>
    private IEnumerable<bool> CopyValue(DicomValue value, long sourceLength, long totalLength, int swapUnit)
    {
        long position = 0;
        if (swapUnit == 1 && sourceLength >= PassThroughMinimum && InMemory(value, sourceLength) is { IsEmpty: false } bytes)
        {
            if (_filled > 0)
            {
                yield return true;
            }

            _passThrough = bytes;
            yield return true;
            position = sourceLength;
        }

        while (position < totalLength)
        {
            if (Free < HeaderRoom)
            {
                yield return true;
            }

            long remaining = totalLength - position;
            int count = (int)Math.Min(Free, remaining);
            if (count < remaining)
            {
                count -= count % swapUnit;
            }

            var chunk = _buffer.AsSpan(_filled, count);
            int fromValue = (int)Math.Clamp(sourceLength - position, 0, count);
            if (fromValue > 0)
            {
                if (value.IsDeferred)
                {
                    value.Source!.ReadExactly(value.Offset + position, chunk[..fromValue]);
                }
                else
                {
                    value.Bytes.Span.Slice((int)position, fromValue).CopyTo(chunk);
                }
            }

            chunk[fromValue..].Clear();
            if (swapUnit > 1)
            {
                Swap(chunk, swapUnit);
            }

            _filled += count;
            position += count;
        }
    }

    /// <summary>The value's bytes if they are in memory (its own, or a range of a data set read from memory); else empty.</summary>
    private static ReadOnlyMemory<byte> InMemory(DicomValue value, long length) => value switch
    {
        { IsDeferred: false } => value.Bytes[..(int)length],
        { Source: MemoryValueSource memory } when length <= int.MaxValue => memory.Slice(value.Offset, (int)length),
        _ => ReadOnlyMemory<byte>.Empty,
    };

    internal static void Swap(Span<byte> bytes, int unit)
    {
        var whole = bytes[..(bytes.Length - bytes.Length % unit)];
        switch (unit)
        {
            case 2:
                var shorts = MemoryMarshal.Cast<byte, ushort>(whole);
                BinaryPrimitives.ReverseEndianness(shorts, shorts);
                break;
            case 4:
                var ints = MemoryMarshal.Cast<byte, uint>(whole);
                BinaryPrimitives.ReverseEndianness(ints, ints);
                break;
            case 8:
                var longs = MemoryMarshal.Cast<byte, ulong>(whole);
                BinaryPrimitives.ReverseEndianness(longs, longs);
                break;
        }
    }

    private void WriteElementHeader(DicomTag tag, DicomVR vr, uint length)
    {
        var header = _buffer.AsSpan(_filled);
        WriteTag(header, tag);
        if (!_target.ExplicitVR)
        {
            WriteUInt32(header[4..], length);
            _filled += 8;
        }
        else if (vr.HasLongExplicitHeader)
        {
            BinaryPrimitives.WriteUInt16BigEndian(header[4..], vr.Code);
            header[6] = 0;
            header[7] = 0;
            WriteUInt32(header[8..], length);
            _filled += 12;
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(header[4..], vr.Code);
            if (_target.LittleEndian)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)length);
            }
            else
            {
                BinaryPrimitives.WriteUInt16BigEndian(header[6..], (ushort)length);
            }

            _filled += 8;
        }
    }

    /// <summary>Items and delimiters have no VR in either encoding.</summary>
    private void WriteItemHeader(DicomTag tag, uint length)
    {
        var header = _buffer.AsSpan(_filled);
        WriteTag(header, tag);
        WriteUInt32(header[4..], length);
        _filled += 8;
    }

    private void WriteTag(Span<byte> destination, DicomTag tag)
    {
        if (_target.LittleEndian)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination, tag.Group);
            BinaryPrimitives.WriteUInt16LittleEndian(destination[2..], tag.Element);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination, tag.Group);
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], tag.Element);
        }
    }

    private void WriteUInt32(uint value)
    {
        WriteUInt32(_buffer.AsSpan(_filled), value);
        _filled += 4;
    }

    private void WriteUInt32(Span<byte> destination, uint value)
    {
        if (_target.LittleEndian)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(destination, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, value);
        }
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
