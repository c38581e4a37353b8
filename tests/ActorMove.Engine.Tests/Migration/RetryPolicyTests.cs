using ActorMove.Engine.Migration;
using Xunit;

namespace ActorMove.Engine.Tests.Migration;

public class RetryPolicyTests
{
    [Fact]
    public void Retry_n_allows_n_more_attempts_then_gives_up()
    {
        var policy = RetryPolicy.FromRetries(3);
        var random = new Random(1);

        Assert.Equal(4, policy.MaxAttempts);
        Assert.True(policy.Decide(1, random).Retry);
        Assert.True(policy.Decide(2, random).Retry);
        Assert.True(policy.Decide(3, random).Retry);
        Assert.Equal(new RetryDecision(false, TimeSpan.Zero), policy.Decide(4, random));
        Assert.False(policy.Decide(5, random).Retry);
    }

    [Fact]
    public void No_retry_policy_gives_up_after_the_first_failure()
    {
        Assert.False(RetryPolicy.None.Decide(1, new Random(1)).Retry);
        Assert.False(RetryPolicy.FromRetries(0).Decide(1, new Random(1)).Retry);
    }

    [Fact]
    public void Without_jitter_waits_double_up_to_the_cap()
    {
        var policy = new RetryPolicy(20, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), jitter: 0);
        var random = new Random(7);

        var delays = Enumerable.Range(1, 8).Select(attempt => policy.Decide(attempt, random).Delay.TotalSeconds).ToArray();

        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60], delays);
    }

    [Fact]
    public void Jitter_only_shortens_and_a_seed_repeats_the_waits()
    {
        var policy = new RetryPolicy(10, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10), jitter: 0.5);

        var first = Enumerable.Range(1, 9).Select(a => policy.Decide(a, new Random(42 + a)).Delay).ToArray();
        var second = Enumerable.Range(1, 9).Select(a => policy.Decide(a, new Random(42 + a)).Delay).ToArray();

        Assert.Equal(first, second);
        for (int attempt = 1; attempt <= 9; attempt++)
        {
            double capped = Math.Min(500 * Math.Pow(2, attempt - 1), 10000);
            Assert.InRange(first[attempt - 1].TotalMilliseconds, capped * 0.5, capped);
        }

        var sampled = Enumerable.Range(1, 50).Select(_ => policy.Decide(3, Random.Shared).Delay).Distinct().Count();
        Assert.True(sampled > 1, "jitter spreads the waits");
    }

    [Fact]
    public void Delay_follows_the_sample_exactly()
    {
        var policy = new RetryPolicy(5, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30), jitter: 0.25);

        Assert.Equal(TimeSpan.FromSeconds(8), policy.DelayBeforeRetry(3, 0));
        Assert.Equal(TimeSpan.FromSeconds(7), policy.DelayBeforeRetry(3, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(30), policy.DelayBeforeRetry(10, 0));
    }

    [Fact]
    public void Huge_attempt_numbers_stay_at_the_cap()
    {
        var policy = new RetryPolicy(int.MaxValue, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), jitter: 0);

        Assert.Equal(TimeSpan.FromMinutes(5), policy.Decide(100000, new Random(1)).Delay);
    }

    [Fact]
    public void Nonsense_settings_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy(0, TimeSpan.Zero, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy(2, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy(2, TimeSpan.Zero, TimeSpan.Zero, jitter: 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => RetryPolicy.None.Decide(0, new Random(1)));
    }
}
