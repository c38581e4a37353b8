using ActorMove.Engine.Actors;
using ActorMove.Engine.Configuration;
using ActorMove.Engine.Retrieve;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorMove.Engine.Tests.Actors;

public class StoreLedgerTests() : TestKit(ActorMoveSettings.ReferenceConfig)
{
    private static StoreAssociation.StoreCompleted Store(int n) =>
        new(new StoreOrigin("MOVESCU", 1, $"1.2.{n}", null, null), new StoredObject("1.2.840.10008.5.1.4.1.1.7", $"1.2.{n}", null, 0, 0));

    [Fact]
    public void A_burst_of_records_tells_the_manager_once_and_the_next_record_after_it_rearms_tells_it_again()
    {
        var manager = CreateTestProbe();
        var ledger = new StoreLedger(manager.Ref);

        ledger.Record(Store(1));
        ledger.Record(Store(2));
        ledger.Record(Store(3));

        manager.ExpectMsg<StoreLedger.Waiting>();
        manager.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        var taken = new List<string>();
        while (ledger.TryTake(out var completed))
        {
            taken.Add(completed.Object.SopInstanceUid);
        }

        Assert.Equal(["1.2.1", "1.2.2", "1.2.3"], taken);

        // Taken, but not re-armed: still no message.
        ledger.Record(Store(4));
        manager.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        ledger.Rearm();
        ledger.Record(Store(5));
        manager.ExpectMsg<StoreLedger.Waiting>();
        Assert.True(ledger.TryTake(out var fourth));
        Assert.Equal("1.2.4", fourth.Object.SopInstanceUid);
        Assert.True(ledger.TryTake(out var fifth));
        Assert.Equal("1.2.5", fifth.Object.SopInstanceUid);
        Assert.False(ledger.TryTake(out _));
    }

    [Fact]
    public async Task Records_from_many_threads_are_all_taken_by_a_manager_that_takes_on_each_message_and_after_each_rearm()
    {
        const int Threads = 4;
        const int PerThread = 5_000;
        var manager = CreateTestProbe();
        var ledger = new StoreLedger(manager.Ref);
        var taken = new HashSet<string>();

        var writers = Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            for (int i = 0; i < PerThread; i++)
            {
                ledger.Record(Store(t * PerThread + i));
                if (i % 500 == 0)
                {
                    Thread.Sleep(1);
                }
            }
        })).ToArray();

        // The manager's protocol: take on the message, then (after its window) re-arm and take again. A record that
        // slipped between a take and a re-arm without telling anyone would leave this loop waiting for a message.
        while (taken.Count < Threads * PerThread)
        {
            manager.ExpectMsg<StoreLedger.Waiting>(TimeSpan.FromSeconds(10));
            TakeAll();
            Thread.Sleep(1);
            ledger.Rearm();
            TakeAll();
        }

        await Task.WhenAll(writers);
        Assert.Equal(Threads * PerThread, taken.Count);
        Assert.False(ledger.TryTake(out _));

        void TakeAll()
        {
            while (ledger.TryTake(out var completed))
            {
                Assert.True(taken.Add(completed.Object.SopInstanceUid), "taken twice: " + completed.Object.SopInstanceUid);
            }
        }
    }
}
