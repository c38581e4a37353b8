using System.Collections.Concurrent;

namespace ActorMove.Engine.Retrieve;

/// <summary>
/// movescu's order for --cancel n: one thread reads the move's responses and serves the stores in turn, so its
/// C-CANCEL-RQ is on the wire before it answers the archive's next sub-operation, and an archive that looks for a cancel
/// between sub-operations stops after that one. Here the move and the stores are separate associations on separate
/// loops: a store's C-STORE-RSP waits at its move's gate from the moment the n-th response is read until the C-CANCEL
/// has gone out (a few milliseconds at most), so that the archive sees the cancel where movescu's would be.
/// </summary>
public sealed class CancelGate(int limit)
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _responses;

    /// <summary>The move's socket loop: one more response read, counted before anything else happens with it.</summary>
    public void ResponseRead() => Interlocked.Increment(ref _responses);

    /// <summary>The C-CANCEL is out (or will never be sent: it failed, or the move is over). Stores go on from now.</summary>
    public void Open() => _open.TrySetResult();

    /// <summary>What a store's response waits for: nothing, unless the n-th response has been read and the gate is not open yet.</summary>
    public Task WhenOpen => Volatile.Read(ref _responses) >= limit ? _open.Task : Task.CompletedTask;
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

    /// <summary>What the response to a store for the move with this message ID waits for (nothing for stores of other moves or of none).</summary>
    public Task WhenOpen(ushort? moveOriginatorMessageId) =>
        moveOriginatorMessageId is { } id && _byMessageId.TryGetValue(id, out var gate) ? gate.WhenOpen : Task.CompletedTask;
}
