using System.Diagnostics;

namespace ActorMove.Network.Association;

/// <summary>
/// When traffic last arrived somewhere else that a DIMSE timeout should count as activity. movescu waits for its C-MOVE
/// responses and serves the archive's store sub-operations in one loop, so images that keep arriving keep a move alive
/// under -td even when the archive sends no pending responses (they are optional); ActorMove's moves and stores are
/// separate associations, and the stores touch this clock for the moves to see (<see cref="AssociationOptions.DimseActivityElsewhere"/>).
/// Safe from any thread.
/// </summary>
public sealed class ActivityClock
{
    private const long Never = 0;
    private long _lastTouch = Never;

    public void Touch() => Volatile.Write(ref _lastTouch, Stopwatch.GetTimestamp());

    /// <summary>How long ago the last touch was; <see cref="TimeSpan.MaxValue"/> before the first.</summary>
    public TimeSpan SinceLastTouch
    {
        get
        {
            long last = Volatile.Read(ref _lastTouch);
            return last == Never ? TimeSpan.MaxValue : Stopwatch.GetElapsedTime(last);
        }
    }
}
