namespace ActorMove.Testing;

/// <summary>
/// Waits for something another thread or process makes true, by looking again every few milliseconds. The caller asserts
/// afterwards, with its own message, so that a timeout fails as what was expected, not as a cancelled wait.
/// </summary>
public static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);

    /// <summary>True as soon as <paramref name="condition"/> holds; false if it still does not after <paramref name="timeout"/>.</summary>
    public static Task<bool> UntilAsync(Func<bool> condition, TimeSpan timeout) =>
        UntilAsync(() => Task.FromResult(condition()), timeout);

    /// <inheritdoc cref="UntilAsync(Func{bool}, TimeSpan)"/>
    public static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition().ConfigureAwait(false))
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(Interval).ConfigureAwait(false);
        }

        return true;
    }
}
