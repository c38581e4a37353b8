namespace ActorMove.Dicom.Data;

/// <summary>
/// The bytes of one value, in the byte order of the data set it was read from (see <see cref="DicomDataset.SourceIsLittleEndian"/>).
/// Small values are held; large ones are a range of an <see cref="IValueSource"/>, copied only when written.
/// </summary>
public readonly struct DicomValue
{
    private readonly ReadOnlyMemory<byte> _inline;

    private DicomValue(ReadOnlyMemory<byte> inline, IValueSource? source, long offset, uint length)
    {
        _inline = inline;
        Source = source;
        Offset = offset;
        Length = length;
    }

    public static DicomValue Empty => default;

    public static DicomValue FromBytes(ReadOnlyMemory<byte> bytes) => new(bytes, null, 0, (uint)bytes.Length);

    public static DicomValue Deferred(IValueSource source, long offset, uint length) => new(default, source, offset, length);

    public uint Length { get; }

    /// <summary>Null for a held value.</summary>
    public IValueSource? Source { get; }

    /// <summary>The value's first byte in <see cref="Source"/>.</summary>
    public long Offset { get; }

    public bool IsDeferred => Source is not null;

    /// <summary>The held bytes; throws for a deferred value so that nobody loads a large value by accident.</summary>
    public ReadOnlyMemory<byte> Bytes =>
        Source is null ? _inline : throw new InvalidOperationException("The value is deferred; copy it with CopyTo.");

    /// <summary>Copies the value to <paramref name="destination"/> in chunks of <paramref name="chunk"/>, calling <paramref name="sink"/> for each.</summary>
    public void CopyTo(Span<byte> chunk, Action<ReadOnlySpan<byte>> sink) => CopyTo<Action<ReadOnlySpan<byte>>>(chunk, sink, static (s, b) => s(b));

    public void CopyTo<TState>(Span<byte> chunk, TState state, SpanSink<TState> sink)
    {
        if (Source is null)
        {
            sink(state, _inline.Span);
            return;
        }

        long remaining = Length;
        long offset = Offset;
        while (remaining > 0)
        {
            int n = (int)Math.Min(remaining, chunk.Length);
            var part = chunk[..n];
            Source.ReadExactly(offset, part);
            sink(state, part);
            offset += n;
            remaining -= n;
        }
    }

    /// <summary>Reads a deferred value whole; only for values known to be small (used by tests and lookups).</summary>
    public byte[] ToArray()
    {
        if (Source is null)
        {
            return _inline.ToArray();
        }

        var bytes = new byte[Length];
        Source.ReadExactly(Offset, bytes);
        return bytes;
    }
}

public delegate void SpanSink<in TState>(TState state, ReadOnlySpan<byte> bytes);
