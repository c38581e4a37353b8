namespace ActorMove.Dicom.Tests.Writing;

/// <summary>A write-only sink that counts bytes and keeps only the first and last few, for values too large to keep.</summary>
internal sealed class CountingStream(int keep, long windowStart = 0) : Stream
{
    private readonly byte[] _head = new byte[keep];
    private readonly byte[] _window = new byte[keep];
    private readonly byte[] _tail = new byte[keep];

    public long Count { get; private set; }

    /// <summary>The <c>keep</c> bytes from <c>windowStart</c> on (zeros where nothing was written).</summary>
    public byte[] Window => _window;

    public byte[] Head => _head[..(int)Math.Min(Count, keep)];

    /// <summary>The last bytes written, oldest first.</summary>
    public byte[] Tail
    {
        get
        {
            int n = (int)Math.Min(Count, keep);
            var result = new byte[n];
            for (int i = 0; i < n; i++)
            {
                result[i] = _tail[(int)((Count - n + i) % keep)];
            }

            return result;
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        long headRoom = keep - Count;
        if (headRoom > 0)
        {
            buffer[..(int)Math.Min(headRoom, buffer.Length)].CopyTo(_head.AsSpan((int)Count));
        }

        long from = Math.Max(windowStart, Count);
        long to = Math.Min(windowStart + keep, Count + buffer.Length);
        if (from < to)
        {
            buffer.Slice((int)(from - Count), (int)(to - from)).CopyTo(_window.AsSpan((int)(from - windowStart)));
        }

        var last = buffer.Length > keep ? buffer[^keep..] : buffer;
        long start = Count + buffer.Length - last.Length;
        for (int i = 0; i < last.Length; i++)
        {
            _tail[(int)((start + i) % keep)] = last[i];
        }

        Count += buffer.Length;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => Count;
    public override long Position { get => Count; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
