using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Engine.Migration;
using ActorMove.Engine.Retrieve;

namespace ActorMove.Cli.Retrieval;

/// <summary>One move of a run: a query file's or a manifest row's identifier, and how often it has been tried.</summary>
/// <param name="Label">Names the move in log lines: the query file, "-k", or "row N" of the manifest.</param>
/// <param name="Key">The manifest row's key (journal runs), else null.</param>
/// <param name="ReadSyntax">A query file's own transfer syntax where it is not <paramref name="Syntax"/> (deflated), for the -v dump.</param>
internal sealed record MoveWorkItem(string Label, string? Key, DicomDataset Identifier, TransferSyntax? Syntax, TransferSyntax? ReadSyntax = null)
{
    /// <summary>Attempts so far, counting the one about to run (what <see cref="RetryPolicy.Decide"/> counts).</summary>
    public int Attempts { get; set; }
}

/// <summary>
/// Where a run's moves come from and where their outcomes go. <see cref="TryTake"/> and <see cref="NextRetryAt"/> are
/// called by the one dispatching loop; <see cref="Done"/> and <see cref="Failed"/> by the moves as they finish.
/// </summary>
internal interface IMoveWorkQueue : IDisposable
{
    /// <summary>Moves in the whole run, for progress (including <see cref="AlreadyDone"/>).</summary>
    int Total { get; }

    /// <summary>Moves a previous run finished (journal), which this run skips.</summary>
    int AlreadyDone { get; }

    /// <summary>The next move that may start at <paramref name="now"/>, or null when none is ready.</summary>
    MoveWorkItem? TryTake(DateTimeOffset now);

    /// <summary>When the earliest move waiting for a retry becomes ready; null when no move waits.</summary>
    DateTimeOffset? NextRetryAt();

    void Done(MoveWorkItem item, MoveResult result);

    /// <summary>A failed move: ready again at <paramref name="retryAt"/>, or failed for good when it is null.</summary>
    void Failed(MoveWorkItem item, string error, MoveResult result, DateTimeOffset? retryAt);
}

/// <summary>Moves from query files or a manifest without journal: streamed from <paramref name="items"/>, retries kept in memory.</summary>
internal sealed class InMemoryMoveQueue(IEnumerable<MoveWorkItem> items, int total) : IMoveWorkQueue
{
    private readonly IEnumerator<MoveWorkItem> _source = items.GetEnumerator();
    private readonly Lock _gate = new();
    private readonly List<(DateTimeOffset At, MoveWorkItem Item)> _waiting = [];
    private bool _sourceDrained;

    public int Total => total;

    public int AlreadyDone => 0;

    public MoveWorkItem? TryTake(DateTimeOffset now)
    {
        MoveWorkItem? item = null;
        lock (_gate)
        {
            // Retries that are due go before new moves, so a failing row does not wait behind the whole manifest.
            int due = _waiting.FindIndex(w => w.At <= now);
            if (due >= 0)
            {
                item = _waiting[due].Item;
                _waiting.RemoveAt(due);
            }
        }

        if (item is null && !_sourceDrained)
        {
            if (_source.MoveNext())
            {
                item = _source.Current;
            }
            else
            {
                _sourceDrained = true;
            }
        }

        if (item is not null)
        {
            item.Attempts++;
        }

        return item;
    }

    public DateTimeOffset? NextRetryAt()
    {
        lock (_gate)
        {
            return _waiting.Count == 0 ? null : _waiting.Min(w => w.At);
        }
    }

    public void Done(MoveWorkItem item, MoveResult result)
    {
    }

    public void Failed(MoveWorkItem item, string error, MoveResult result, DateTimeOffset? retryAt)
    {
        if (retryAt is { } at)
        {
            lock (_gate)
            {
                _waiting.Add((at, item));
            }
        }
    }

    public void Dispose() => _source.Dispose();
}

/// <summary>Manifest rows through the journal: claimed one by one, marked done or failed as each move ends.</summary>
internal sealed class JournalMoveQueue(MigrationJournal journal, JournalPlan plan) : IMoveWorkQueue
{
    public int Total => plan.Rows;

    public int AlreadyDone => plan.AlreadyDone;

    public MoveWorkItem? TryTake(DateTimeOffset now) =>
        journal.ClaimNext(now) is { } entry
            ? new MoveWorkItem($"row {entry.Row}", entry.Key, entry.Identifier, null) { Attempts = entry.Attempts }
            : null;

    public DateTimeOffset? NextRetryAt() => journal.EarliestRetry();

    public void Done(MoveWorkItem item, MoveResult result) => journal.MarkDone(item.Key!, result);

    public void Failed(MoveWorkItem item, string error, MoveResult result, DateTimeOffset? retryAt) =>
        journal.MarkFailed(item.Key!, error, result, retryAt);

    public void Dispose() => journal.Dispose();
}
