using ActorMove.Dicom.Data;

namespace ActorMove.Dicom.IO.Reading;

/// <summary>
/// A scratch file that values are read from positionally, e.g. an inflated data set: deleted when closed, or (where an open
/// file can lose its name) as soon as it is created.
/// </summary>
public sealed class TemporaryFileValueSource : IValueSource, IDisposable
{
    private readonly FileStream _stream;

    private TemporaryFileValueSource(FileStream stream, string path)
    {
        _stream = stream;
        Stream = new AppendingFileStream(stream.SafeFileHandle, path);
    }

    public long Length => _stream.Length;

    /// <summary>Creates an empty scratch file in <paramref name="directory"/> (null for the system temp folder).</summary>
    public static TemporaryFileValueSource Create(string? directory)
    {
        string path = Path.Combine(directory ?? Path.GetTempPath(), $"actormove-{Guid.NewGuid():N}.tmp");
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 0,
            OperatingSystem.IsWindows() ? FileOptions.DeleteOnClose : FileOptions.None);
        if (!OperatingSystem.IsWindows())
        {
            // Unlinked at once, where an open file outlives its name: a process killed while using it leaves nothing.
            File.Delete(path);
        }

        return new TemporaryFileValueSource(stream, path);
    }

    /// <summary>The file for filling it (sequentially, before any positional read; a refused write is an <see cref="IOException"/>).</summary>
    public Stream Stream { get; }

    public void ReadExactly(long offset, Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            int read = RandomAccess.Read(_stream.SafeFileHandle, destination, offset);
            if (read == 0)
            {
                throw new DicomFormatException($"Data ends before a value of {destination.Length} more bytes", offset);
            }

            destination = destination[read..];
            offset += read;
        }
    }

    public async ValueTask ReadExactlyAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        while (!destination.IsEmpty)
        {
            int read = await RandomAccess.ReadAsync(_stream.SafeFileHandle, destination, offset, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new DicomFormatException($"Data ends before a value of {destination.Length} more bytes", offset);
            }

            destination = destination[read..];
            offset += read;
        }
    }

    public void Dispose() => _stream.Dispose();
}

/// <summary>A read-only, forward-only stream over a range of an <see cref="IValueSource"/> (to feed a decompressor).</summary>
internal sealed class ValueSourceStream : Stream
{
    private readonly IValueSource _source;
    private readonly long _start;
    private readonly long _end;
    private long _position;

    public ValueSourceStream(IValueSource source, long offset, long length)
    {
        _source = source;
        _start = offset;
        _position = offset;
        _end = offset + length;
    }

    /// <summary>Bytes handed out so far.</summary>
    public long Consumed => _position - _start;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _end - _start;

    public override long Position
    {
        get => Consumed;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int count = (int)Math.Min(buffer.Length, _end - _position);
        if (count <= 0)
        {
            return 0;
        }

        _source.ReadExactly(_position, buffer[..count]);
        _position += count;
        return count;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
