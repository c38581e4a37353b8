using Microsoft.Win32.SafeHandles;

namespace ActorMove.Dicom.IO;

/// <summary>
/// Every write that grows a file of ours (a received object's spool and converted file, an inflated data set's scratch
/// file) goes through here, so that a file the file system refuses to grow fails as an <see cref="IOException"/>
/// wherever it happens. .NET reports EFBIG (the file system's or the process's file-size limit) as an
/// <see cref="ArgumentOutOfRangeException"/>, which the file writer took for a bug of its own: it restarted, with a
/// stack trace in the log, where a full disk only fails the one store.
/// </summary>
public static class FileWrites
{
    /// <summary>Writes <paramref name="bytes"/> at <paramref name="offset"/> of <paramref name="path"/>'s open handle.</summary>
    public static void WriteAt(SafeFileHandle handle, string path, ReadOnlySpan<byte> bytes, long offset)
    {
        try
        {
            RandomAccess.Write(handle, bytes, offset);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new IOException($"the file system refused {path} at {offset + bytes.Length} bytes: {e.Message}", e);
        }
    }
}

/// <summary>
/// A write-only stream that appends to an open file handle through <see cref="FileWrites.WriteAt"/>: what a converted
/// file is encoded into and an inflated data set is copied into. It does not buffer.
/// </summary>
public sealed class AppendingFileStream(SafeFileHandle handle, string path) : WriteOnlyStream
{
    private long _position;

    protected override long Written => _position;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        FileWrites.WriteAt(handle, path, buffer, _position);
        _position += buffer.Length;
    }
}
