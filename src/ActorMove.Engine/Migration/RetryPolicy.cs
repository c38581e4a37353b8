namespace ActorMove.Engine.Migration;

/// <summary>Whether a failed row runs again, and when.</summary>
/// <param name="Retry">False: the row is failed for good.</param>
/// <param name="Delay">How long to wait before the next attempt (zero when <paramref name="Retry"/> is false).</param>
public readonly record struct RetryDecision(bool Retry, TimeSpan Delay);

/// <summary>
/// --retry n: a failed row is tried up to <see cref="MaxAttempts"/> times in all (n retries = n + 1 attempts). The wait
/// before retry k (k = 1 after the first failure) is <see cref="BaseDelay"/> * 2^(k-1), capped at <see cref="MaxDelay"/>,
/// then shortened by a random fraction of up to <see cref="Jitter"/> so that rows failing together (an archive restart)
/// do not come back in lock step. Jitter only shortens, so no wait exceeds the cap.
/// </summary>
public sealed record RetryPolicy
{
    public RetryPolicy(int maxAttempts, TimeSpan baseDelay, TimeSpan maxDelay, double jitter = 0.5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, baseDelay);
        if (jitter is < 0 or > 1 || double.IsNaN(jitter))
        {
            throw new ArgumentOutOfRangeException(nameof(jitter), jitter, "between 0 and 1");
        }

        MaxAttempts = maxAttempts;
        BaseDelay = baseDelay;
        MaxDelay = maxDelay;
        Jitter = jitter;
    }

    /// <summary>No retry: every failure is final (the default without --retry).</summary>
    public static RetryPolicy None { get; } = new(1, TimeSpan.Zero, TimeSpan.Zero, 0);

    /// <summary>--retry n with the default backoff: 1 s doubling up to 60 s, up to half of it jittered away.</summary>
    public static RetryPolicy FromRetries(int retries) =>
        new(checked(retries + 1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

    public int MaxAttempts { get; }

    public TimeSpan BaseDelay { get; }

    public TimeSpan MaxDelay { get; }

    /// <summary>The largest fraction of a wait that jitter may take away (0: exact exponential waits).</summary>
    public double Jitter { get; }

    /// <summary>
    /// After attempt number <paramref name="attemptsMade"/> (1-based, counting the one that just failed) failed:
    /// retry or give up. <paramref name="random"/> is the jitter source (seed it for repeatable waits).
    /// </summary>
    public RetryDecision Decide(int attemptsMade, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attemptsMade, 1);
        if (attemptsMade >= MaxAttempts)
        {
            return new RetryDecision(false, TimeSpan.Zero);
        }

        return new RetryDecision(true, DelayBeforeRetry(attemptsMade, random.NextDouble()));
    }

    /// <summary>The wait before retry <paramref name="retry"/> (1-based) given a uniform sample <paramref name="unit"/> in [0, 1).</summary>
    public TimeSpan DelayBeforeRetry(int retry, double unit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        // 2^62 ticks is far past any cap; stop doubling before the shift overflows.
        int doublings = Math.Min(retry - 1, 62);
        double ticks = Math.Min(BaseDelay.Ticks * Math.Pow(2, doublings), MaxDelay.Ticks);
        return TimeSpan.FromTicks((long)(ticks * (1 - (Jitter * unit))));
    }
}
