namespace ActorMove.Dicom.Data;

/// <summary>An <see cref="IValueSource"/> over bytes already in memory, for small inputs such as DIMSE command and data sets.</summary>
public sealed class MemoryValueSource : IValueSource
{
    private readonly ReadOnlyMemory<byte> _memory;

    public MemoryValueSource(ReadOnlyMemory<byte> memory) => _memory = memory;

    public long Length => _memory.Length;

    public void ReadExactly(long offset, Span<byte> destination)
    {
        if (offset < 0 || offset > _memory.Length - destination.Length)
        {
            throw new DicomFormatException($"Data ends before a value of {destination.Length} bytes", offset);
        }

        _memory.Span.Slice((int)offset, destination.Length).CopyTo(destination);
    }

    /// <summary>The bytes at <paramref name="offset"/> themselves, without copying them (writers pass them straight on).</summary>
    public ReadOnlyMemory<byte> Slice(long offset, int length)
    {
        if (offset < 0 || length < 0 || offset > _memory.Length - length)
        {
            throw new DicomFormatException($"Data ends before a value of {length} bytes", offset);
        }

        return _memory.Slice((int)offset, length);
    }

    public ValueTask ReadExactlyAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ReadExactly(offset, destination.Span);
        return ValueTask.CompletedTask;
    }
}
