using System.Collections.Concurrent;
using Akka.Actor;

namespace ActorMove.Engine.Actors;

/// <summary>
/// The stores that inbound associations have finished and the retrieve manager has not taken in yet. Whoever finishes
/// an object records it here before its C-STORE-RSP may go out: the archive ends a move only after that response, so
/// the move's <see cref="RetrieveManager.FlushStores"/>, which takes in everything recorded first, always finds it.
/// The manager is told (<see cref="Waiting"/>) only by the first record after it re-armed the ledger, and it re-arms it
/// at most once per <see cref="RetrieveManager.LedgerWindow"/>: a stream of objects then wakes an engine thread about
/// twice per window, instead of once per object from the file writer's thread while the archive waits for the
/// response (bench/README.md, sixth round).
/// </summary>
public sealed class StoreLedger(IActorRef manager)
{
    /// <summary>Told to the manager when records are waiting and it has not been told since it last re-armed the ledger.</summary>
    public sealed record Waiting
    {
        public static Waiting Instance { get; } = new();
    }

    private readonly ConcurrentQueue<StoreAssociation.StoreCompleted> _records = new();
    private int _told;

    /// <summary>Safe from any thread. Tells the manager unless it has been told already and has not re-armed.</summary>
    public void Record(StoreAssociation.StoreCompleted completed)
    {
        _records.Enqueue(completed);
        // After the enqueue: a manager that re-arms between the two still takes the record in, in its next Take.
        if (Interlocked.CompareExchange(ref _told, 1, 0) == 0)
        {
            manager.Tell(Waiting.Instance);
        }
    }

    /// <summary>The manager's side: the next record, oldest first.</summary>
    public bool TryTake(out StoreAssociation.StoreCompleted completed) => _records.TryDequeue(out completed!);

    /// <summary>The manager's side: the next <see cref="Record"/> tells it again. Take what is waiting after this, not before.</summary>
    /// <remarks>
    /// A full fence, not a release store: the take that follows must not read the queue before this store is seen, or a
    /// record enqueued meanwhile whose exchange still saw the old flag would wait with nobody told.
    /// </remarks>
    public void Rearm() => Interlocked.Exchange(ref _told, 0);
}
