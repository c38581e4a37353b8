using ActorMove.Network.Association;
using Xunit;
using static ActorMove.Network.Tests.Association.Peers;

namespace ActorMove.Network.Tests.Association;

public class ConnectionLimitTests
{
    [Fact]
    public async Task Past_the_limit_a_connection_waits_until_one_ends_and_the_limit_is_reported_once()
    {
        var serving = new System.Collections.Concurrent.ConcurrentQueue<TaskCompletionSource>();
        var arrived = new SemaphoreSlim(0);
        var reports = new System.Collections.Concurrent.ConcurrentQueue<int>();
        var reported = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = Options(acseTimeout: TimeSpan.FromSeconds(1)) with { Connection = Options().Connection with { MaxInboundConnections = 2 } };
        var patientRequestor = Options(acseTimeout: Patience);
        await using var listener = AssociationListener.Start(AnyLoopbackPort, AcceptVerification, async (association, ct) =>
        {
            var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            serving.Enqueue(finish);
            arrived.Release();
            // Returning aborts the association; the requestors read nothing, so the slot frees when ARTIM (the 1 s ACSE
            // timeout) gives up waiting for them to close. A release would wait for their answer as long.
            await finish.Task.WaitAsync(ct);
        }, options, onConnectionLimit: limit =>
        {
            reports.Enqueue(limit);
            reported.TrySetResult();
        });

        Assert.Equal(2, listener.ConnectionLimit);
        var first = DicomAssociation.RequestAsync("127.0.0.1", listener.Port, VerificationRequest(Options()), Options());
        var second = DicomAssociation.RequestAsync("127.0.0.1", listener.Port, VerificationRequest(Options()), Options());
        Assert.True(await arrived.WaitAsync(Patience));
        Assert.True(await arrived.WaitAsync(Patience));
        // Full, but nobody waits: nothing to report yet (the listener looks every second).
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Empty(reports);

        // The third TCP connection completes in the kernel's backlog, but nobody reads its A-ASSOCIATE-RQ yet.
        var third = DicomAssociation.RequestAsync("127.0.0.1", listener.Port, VerificationRequest(patientRequestor), patientRequestor);
        Assert.False(await arrived.WaitAsync(TimeSpan.FromMilliseconds(500)));
        Assert.False(third.IsCompleted);
        await reported.Task.WaitAsync(Patience);
        Assert.Equal([2], reports);

        Assert.True(serving.TryDequeue(out var done));
        done.SetResult();
        Assert.True(await arrived.WaitAsync(Patience));
        await using var thirdAssociation = await third.WaitAsync(Patience);
        Assert.Equal(AssociationState.Sta6, thirdAssociation.State);

        // Full again, with the third one served: still reported only once.
        Assert.Equal([2], reports);
        while (serving.TryDequeue(out var rest))
        {
            rest.SetResult();
        }

        await using var a = await first.WaitAsync(Patience);
        await using var b = await second.WaitAsync(Patience);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(null, 0)]
    public void A_listener_that_could_take_no_connection_is_refused(int? maxInbound, int perConnection)
    {
        var options = Options() with
        {
            Connection = Options().Connection with { MaxInboundConnections = maxInbound, DescriptorsPerInboundConnection = perConnection },
        };

        Assert.Throws<ArgumentOutOfRangeException>(() => AssociationListener.Start(AnyLoopbackPort, AcceptVerification, (_, _) => Task.CompletedTask, options));
    }
}
