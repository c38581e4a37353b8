using ActorMove.Engine.Retrieve;
using Xunit;

namespace ActorMove.Engine.Tests.Retrieve;

public class CancelGatesTests
{
    [Fact]
    public void A_gate_closes_at_the_nth_response_and_opens_when_the_cancel_is_out()
    {
        var gates = new CancelGates();
        var gate = gates.Add(7, limit: 2);

        gate.ResponseRead();
        Assert.True(gates.WhenOpen(7).IsCompleted);
        gate.ResponseRead();
        var held = gates.WhenOpen(7);
        Assert.False(held.IsCompleted);
        // Stores of other moves, or of none, never wait.
        Assert.True(gates.WhenOpen(8).IsCompleted);
        Assert.True(gates.WhenOpen(null).IsCompleted);

        gate.Open();

        Assert.True(held.IsCompleted);
        Assert.True(gates.WhenOpen(7).IsCompleted);
    }

    [Fact]
    public void Removing_a_gate_releases_what_waits_on_it()
    {
        var gates = new CancelGates();
        var gate = gates.Add(3, limit: 1);
        gate.ResponseRead();
        var held = gates.WhenOpen(3);

        gates.Remove(3, gate);

        Assert.True(held.IsCompleted);
        Assert.True(gates.WhenOpen(3).IsCompleted);
    }
}
