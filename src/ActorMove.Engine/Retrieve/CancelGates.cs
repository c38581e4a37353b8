using System.Collections.Concurrent;

namespace ActorMove.Engine.Retrieve;

/// <summary>
/// movescu's order for --cancel n: one thread reads the move's responses and serves the stores in turn, so its
/// C-CANCEL-RQ is on the wire before it answers the archive's sub-operation after the n-th, and an archive that looks for
/// a cancel between sub-operations stops after that one (n + 1 files). Here the move and the stores are separate
/// associations on separate loops, so the order is made: the response to the move's (n + 1)-th store, and to any store
/// once the n-th pending response has been read, waits until the C-CANCEL has gone out. Counting stores, not only
/// responses, keeps the order even when the move's loop reads the n-th response late (a JIT-compiled build decoding its
/// first responses); the archive cannot send that response before our answer to its n-th store, so the wait is short.
/// </summary>
public sealed class CancelGate(int limit)
{
    /// <summary>
    /// The longest a store's response is held for a cancel that has not come: an archive that sends no pending responses
    /// never makes us cancel (nor movescu). After one such wait the gate stays open.
    /// </summary>
    public static readonly TimeSpan LongestHold = TimeSpan.FromSeconds(1);

    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _responses;
    private int _stores;

    /// <summary>The move's socket loop: one more response read, counted before anything else happens with it.</summary>
    public void ResponseRead() => Interlocked.Increment(ref _responses);

    /// <summary>The C-CANCEL is out (or will never be sent: it failed, or the move is over). Stores go on from now.</summary>
    public void Open() => _open.TrySetResult();

    /// <summary>
    /// A store of the move is about to be answered: what its response waits for. Nothing up to the n-th store while fewer
    /// than n responses have been read; otherwise the C-CANCEL, for at most <see cref="LongestHold"/>.
    /// </summary>
    public Task BeforeStoreResponse()
    {
        int store = Interlocked.Increment(ref _stores);
        if (_open.Task.IsCompleted || (store <= limit && Volatile.Read(ref _responses) < limit))
        {
            return Task.CompletedTask;
        }

        return HoldAsync();
    }

    private async Task HoldAsync()
    {
        if (await Task.WhenAny(_open.Task, Task.Delay(LongestHold)).ConfigureAwait(false) != _open.Task)
        {
            Open();
        }
    }
}

/// <summary>The gates of the running moves that have --cancel, by their message ID: their sub-operations carry it as Move Originator Message ID.</summary>
public sealed class CancelGates
{
    private readonly ConcurrentDictionary<ushort, CancelGate> _byMessageId = new();

    public CancelGate Add(ushort messageId, int limit)
    {
        var gate = new CancelGate(limit);
        _byMessageId[messageId] = gate;
        return gate;
    }

    public void Remove(ushort messageId, CancelGate gate)
    {
        gate.Open();
        _byMessageId.TryRemove(KeyValuePair.Create(messageId, gate));
    }

    /// <summary>
    /// A store for the move with this message ID is about to be answered: what its response waits for (nothing for stores
    /// of other moves or of none). Called once per store.
    /// </summary>
    public Task BeforeStoreResponse(ushort? moveOriginatorMessageId) =>
        moveOriginatorMessageId is { } id && _byMessageId.TryGetValue(id, out var gate) ? gate.BeforeStoreResponse() : Task.CompletedTask;
}
