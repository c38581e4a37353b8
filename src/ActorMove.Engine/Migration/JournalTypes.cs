using ActorMove.Dicom.Data;

namespace ActorMove.Engine.Migration;

/// <summary>Where a manifest row stands. Stored as the lower-case name.</summary>
public enum JournalRowState
{
    Pending,
    Running,
    Done,
    Failed,
}

/// <summary>
/// How hard the journal makes commits stick. Both survive the process being killed (SIGKILL) the moment a call returns:
/// in WAL mode a commit has been written to the WAL file, i.e. handed to the operating system, before it returns.
/// <see cref="Full"/> also fsyncs the WAL on every commit, so a commit survives a power cut or kernel crash too.
/// </summary>
public enum JournalDurability
{
    /// <summary>synchronous=NORMAL: a power cut may lose the last commits; such rows are moved again on rerun.</summary>
    Normal,

    /// <summary>synchronous=FULL: one fsync per call.</summary>
    Full,
}

/// <summary>One row of the journal.</summary>
/// <param name="Attempts">Attempts in the current plan (what the retry policy counts); reset when a rerun requeues the row.</param>
/// <param name="TotalAttempts">Attempts over all runs.</param>
/// <param name="NotBefore">A retry waits until then (null: ready).</param>
public sealed record JournalEntry(
    string Key,
    int Row,
    JournalRowState State,
    int Attempts,
    int TotalAttempts,
    ushort? FinalStatus,
    string? Outcome,
    int Completed,
    int Failed,
    int Warning,
    long Bytes,
    int Files,
    TimeSpan? Duration,
    string? LastError,
    DateTimeOffset? NotBefore,
    DateTimeOffset CreatedUtc,
    DateTimeOffset? StartedUtc,
    DateTimeOffset? FinishedUtc,
    DicomDataset Identifier);

/// <summary>What <see cref="MigrationJournal.Plan"/> did.</summary>
/// <param name="Rows">Rows in the manifest.</param>
/// <param name="New">Rows the journal had not seen.</param>
/// <param name="AlreadyDone">Rows a previous run finished; they are skipped.</param>
/// <param name="RequeuedFailed">Rows a previous run gave up on; pending again, with a fresh retry budget.</param>
/// <param name="RequeuedRunning">Rows a previous run died in the middle of; pending again.</param>
/// <param name="StillPending">Rows a previous run had not reached.</param>
public sealed record JournalPlan(int Rows, int New, int AlreadyDone, int RequeuedFailed, int RequeuedRunning, int StillPending)
{
    public int Pending => New + RequeuedFailed + RequeuedRunning + StillPending;
}

/// <summary>The rows of the current plan by state, and the totals of their moves.</summary>
public sealed record JournalSummary(
    int Rows,
    int Pending,
    int Running,
    int Done,
    int Failed,
    long Completed,
    long FailedSubOperations,
    long Warning,
    long Bytes,
    long Files,
    TimeSpan Duration);

/// <summary>A journal that cannot be opened or used as asked (e.g. made for another manifest).</summary>
public sealed class JournalException(string message) : Exception(message);
