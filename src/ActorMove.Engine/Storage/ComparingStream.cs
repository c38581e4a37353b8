using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ActorMove.Dicom.Data;
using ActorMove.Dicom.IO;

namespace ActorMove.Engine.Storage;

/// <summary>
/// A write-only stream that, instead of writing, checks that what it is given equals some expected bytes (a file, or
/// bytes in memory) at the same positions. Used to learn whether converting a received object would change it at all:
/// most objects arrive exactly as movescu's default options would write them, and then the received bytes can simply
/// become the file instead of being encoded and written a second time. Stops comparing at the first difference.
/// </summary>
internal sealed class ComparingStream : WriteOnlyStream
{
    private const int CompareBlockSize = 256 * 1024;

    private readonly IValueSource? _source;
    private readonly long _sourceLength;
    private readonly ReadOnlyMemory<byte> _first;
    private readonly ReadOnlyMemory<byte> _second;
    private long _position;

    /// <summary>
    /// Compares with the first <paramref name="length"/> bytes of <paramref name="expected"/> (the file a reader has open
    /// already, so that it is not opened a second time).
    /// </summary>
    public ComparingStream(IValueSource expected, long length)
    {
        _source = expected;
        _sourceLength = length;
    }

    /// <summary>Compares with <paramref name="first"/> followed by <paramref name="second"/> (e.g. a meta header, then a data set).</summary>
    public ComparingStream(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second)
    {
        _first = first;
        _second = second;
    }

    /// <summary>False once any written byte differed from the expected ones, or ran past their end.</summary>
    public bool Matches { get; private set; } = true;

    /// <summary>True when everything written so far equals the expected bytes and nothing of them is left over.</summary>
    public bool MatchesAll => Matches && _position == ExpectedLength;

    private long ExpectedLength => _source is not null ? _sourceLength : _first.Length + _second.Length;

    protected override long Written => _position;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (Matches)
        {
            Matches = _source is not null ? MatchesSource(_source, buffer) : MatchesMemory(buffer);
        }

        _position += buffer.Length;
    }

    private bool MatchesSource(IValueSource source, ReadOnlySpan<byte> buffer)
    {
        if (_position > _sourceLength - buffer.Length)
        {
            return false;
        }

        byte[] block = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length, CompareBlockSize));
        try
        {
            long position = _position;
            while (!buffer.IsEmpty)
            {
                int count = Math.Min(buffer.Length, block.Length);
                source.ReadExactly(position, block.AsSpan(0, count));
                if (!block.AsSpan(0, count).SequenceEqual(buffer[..count]))
                {
                    return false;
                }

                position += count;
                buffer = buffer[count..];
            }

            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    private bool MatchesMemory(ReadOnlySpan<byte> buffer)
    {
        long position = _position;
        while (!buffer.IsEmpty)
        {
            ReadOnlySpan<byte> expected = position < _first.Length
                ? _first.Span[(int)position..]
                : position - _first.Length < _second.Length ? _second.Span[(int)(position - _first.Length)..] : [];
            int count = Math.Min(expected.Length, buffer.Length);
            // A large value of a data set parsed from these very bytes arrives as those bytes themselves (the encoder
            // passes it through): written where it was read, it is equal without being compared.
            bool same = count > 0 && Unsafe.AreSame(ref MemoryMarshal.GetReference(expected), ref MemoryMarshal.GetReference(buffer));
            if (count == 0 || (!same && !expected[..count].SequenceEqual(buffer[..count])))
            {
                return false;
            }

            position += count;
            buffer = buffer[count..];
        }

        return true;
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
}
