using ActorMove.Engine.Storage;
using Xunit;

namespace ActorMove.Engine.Tests.Storage;

public class ByteCreditTests
{
    [Fact]
    public async Task A_spent_budget_holds_the_reader_until_the_writer_gives_credit_back()
    {
        var credit = new ByteCredit(100);
        await credit.AcquireAsync(60, CancellationToken.None);
        await credit.AcquireAsync(40, CancellationToken.None);

        var blocked = credit.AcquireAsync(10, CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(blocked.IsCompleted);
        Assert.Equal(100, credit.InFlight);

        credit.Release(60);
        await blocked.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(50, credit.InFlight);
    }

    [Fact]
    public async Task A_chunk_larger_than_the_budget_passes_alone()
    {
        var credit = new ByteCredit(100);
        await credit.AcquireAsync(500, CancellationToken.None);
        var next = credit.AcquireAsync(1, CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(next.IsCompleted);

        credit.Release(500);
        await next.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Waiting_can_be_cancelled()
    {
        var credit = new ByteCredit(10);
        await credit.AcquireAsync(10, CancellationToken.None);
        using var cancel = new CancellationTokenSource(50);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => credit.AcquireAsync(5, cancel.Token).AsTask());
    }
}
