namespace ActorMove.Engine.Storage;

/// <summary>
/// Bounds the bytes one association has read off its socket but not yet written to disk. The socket loop acquires
/// before handing a chunk on and waits when the budget is spent, so a slow disk slows the sender through TCP flow
/// control instead of growing memory. One waiter (the loop), any number of releasers.
/// </summary>
public sealed class ByteCredit(long capacity)
{
    private readonly SemaphoreSlim _released = new(0);
    private long _inFlight;

    public long InFlight => Volatile.Read(ref _inFlight);

    public long Capacity => capacity;

    /// <summary>Waits until <paramref name="bytes"/> fit; a chunk larger than the whole budget passes once nothing else is in flight.</summary>
    public async ValueTask AcquireAsync(int bytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            long current = Volatile.Read(ref _inFlight);
            if (current == 0 || current + bytes <= capacity)
            {
                if (Interlocked.CompareExchange(ref _inFlight, current + bytes, current) == current)
                {
                    return;
                }

                continue;
            }

            await _released.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Release(int bytes)
    {
        Interlocked.Add(ref _inFlight, -bytes);
        if (_released.CurrentCount == 0)
        {
            _released.Release();
        }
    }
}
