using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace ActorMove.Engine.Storage;

/// <summary>
/// A write-only stream that, instead of writing, checks that what it is given equals a file's bytes at the same
/// positions. Used to learn whether converting a received object would change it at all: most objects arrive exactly
/// as movescu's default options would write them, and then the spooled file can simply become the final one instead of
/// being written a second time. Stops comparing at the first difference.
/// </summary>
internal sealed class ComparingStream(SafeFileHandle expected) : Stream
{
    private const int CompareBlockSize = 64 * 1024;

    private long _position;

    /// <summary>False once any written byte differed from the file, or ran past its end.</summary>
    public bool Matches { get; private set; } = true;

    /// <summary>True when everything written so far equals the file and the file holds nothing more.</summary>
    public bool MatchesWholeFile => Matches && _position == RandomAccess.GetLength(expected);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _position;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!Matches)
        {
            _position += buffer.Length;
            return;
        }

        byte[] block = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length, CompareBlockSize));
        try
        {
            while (!buffer.IsEmpty)
            {
                int wanted = Math.Min(buffer.Length, block.Length);
                int read = RandomAccess.Read(expected, block.AsSpan(0, wanted), _position);
                if (read == 0 || !block.AsSpan(0, read).SequenceEqual(buffer[..read]))
                {
                    Matches = false;
                    _position += buffer.Length;
                    return;
                }

                _position += read;
                buffer = buffer[read..];
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
