using Microsoft.Win32.SafeHandles;

namespace ActorMove.Dicom.Data;

/// <summary>
/// Random access to the bytes a data set was read from, so that large values stay where they are and are
/// copied to their destination in chunks instead of being held in memory.
/// </summary>
public interface IValueSource
{
    /// <summary>Reads exactly <paramref name="destination"/>.Length bytes starting at <paramref name="offset"/>.</summary>
    void ReadExactly(long offset, Span<byte> destination);

    ValueTask ReadExactlyAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken = default);
}

/// <summary>A file opened for positional reads; safe to share between readers because no file position is kept.</summary>
public sealed class FileValueSource : IValueSource, IDisposable
{
    private readonly SafeFileHandle _handle;

    public FileValueSource(string path)
    {
        Path = path;
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
    }

    public string Path { get; }

    public long Length => RandomAccess.GetLength(_handle);

    public void ReadExactly(long offset, Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            int read = RandomAccess.Read(_handle, destination, offset);
            if (read == 0)
            {
                throw new DicomFormatException($"File ends before a value of {destination.Length} more bytes", offset);
            }

            destination = destination[read..];
            offset += read;
        }
    }

    public async ValueTask ReadExactlyAsync(long offset, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        while (!destination.IsEmpty)
        {
            int read = await RandomAccess.ReadAsync(_handle, destination, offset, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new DicomFormatException($"File ends before a value of {destination.Length} more bytes", offset);
            }

            destination = destination[read..];
            offset += read;
        }
    }

    public void Dispose() => _handle.Dispose();
}
