using ActorMove.Engine.Dispatch;
using Xunit;

namespace ActorMove.Engine.Tests.Dispatch;

public class ThreadParkingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>The kind <see cref="ThreadParking.Create"/> gives here (an eventfd on Linux), and the monitor it falls back to.</summary>
    public static TheoryData<string> Kinds => ["default", "monitor"];

    private static ThreadParking Create(string kind) => kind == "monitor" ? ThreadParking.CreateMonitor() : ThreadParking.Create();

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_wake_that_comes_first_is_kept_for_the_next_park(string kind)
    {
        using var parking = Create(kind);
        parking.Unpark();

        var parked = Task.Factory.StartNew(parking.Park, TaskCreationOptions.LongRunning);

        await parked.WaitAsync(Patience);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_parked_thread_sleeps_until_it_is_woken_once_per_wake(string kind)
    {
        using var parking = Create(kind);
        int laps = 0;
        using var lapDone = new SemaphoreSlim(0);
        var sleeper = Task.Factory.StartNew(() =>
        {
            for (int lap = 0; lap < 3; lap++)
            {
                parking.Park();
                Interlocked.Increment(ref laps);
                lapDone.Release();
            }
        }, TaskCreationOptions.LongRunning);

        for (int lap = 1; lap <= 3; lap++)
        {
            // Asleep: no lap completes without a wake.
            Assert.False(await lapDone.WaitAsync(TimeSpan.FromMilliseconds(100)));
            Assert.Equal(lap - 1, Volatile.Read(ref laps));
            parking.Unpark();
            Assert.True(await lapDone.WaitAsync(Patience), $"lap {lap} was not woken");
        }

        await sleeper.WaitAsync(Patience);
        Assert.Equal(3, laps);
    }
}
