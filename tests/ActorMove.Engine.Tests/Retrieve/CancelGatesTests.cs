using ActorMove.Engine.Retrieve;
using Xunit;

namespace ActorMove.Engine.Tests.Retrieve;

public class CancelGatesTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task The_store_after_the_nth_waits_for_the_cancel_even_before_the_nth_response_is_read()
    {
        var gates = new CancelGates();
        var gate = gates.Add(7, limit: 2);

        Assert.True(gates.BeforeStoreResponse(7).IsCompleted);
        gate.ResponseRead();
        Assert.True(gates.BeforeStoreResponse(7).IsCompleted);
        // The third store's answer is due while the move's loop has not read the second response yet (a slow decoder).
        var third = gates.BeforeStoreResponse(7);
        Assert.False(third.IsCompleted);
        // Stores of other moves, or of none, never wait.
        Assert.True(gates.BeforeStoreResponse(8).IsCompleted);
        Assert.True(gates.BeforeStoreResponse(null).IsCompleted);

        gate.ResponseRead();
        gate.Open();

        await third.WaitAsync(Patience);
        Assert.True(gates.BeforeStoreResponse(7).IsCompleted);
    }

    [Fact]
    public void Once_the_nth_response_is_read_every_store_waits_for_the_cancel()
    {
        var gates = new CancelGates();
        var gate = gates.Add(4, limit: 1);
        gate.ResponseRead();

        Assert.False(gates.BeforeStoreResponse(4).IsCompleted);
    }

    [Fact]
    public async Task A_cancel_that_does_not_come_holds_one_store_for_a_moment_and_then_none()
    {
        // An archive that sends no pending responses: we never cancel (as movescu), and its stores must go on.
        var gates = new CancelGates();
        gates.Add(5, limit: 1);
        Assert.True(gates.BeforeStoreResponse(5).IsCompleted);

        var second = gates.BeforeStoreResponse(5);
        Assert.False(second.IsCompleted);
        await second.WaitAsync(Patience);

        Assert.True(gates.BeforeStoreResponse(5).IsCompleted);
    }

    [Fact]
    public async Task Removing_a_gate_releases_what_waits_on_it()
    {
        var gates = new CancelGates();
        var gate = gates.Add(3, limit: 1);
        gate.ResponseRead();
        var held = gates.BeforeStoreResponse(3);

        gates.Remove(3, gate);

        // Well within the hold's own limit: released by the removal, not by the time running out.
        await held.WaitAsync(CancelGate.LongestHold / 2);
        Assert.True(gates.BeforeStoreResponse(3).IsCompleted);
    }
}
