using ActorMove.Engine.Retrieve;

namespace ActorMove.Engine.Migration;

/// <summary>
/// Collects the results of a run's moves (--repeat/--parallel stress runs, migrations) into a <see cref="RunReport"/>
/// and progress snapshots. Safe to call from several threads. Keeps one double per move for exact percentiles.
/// </summary>
public sealed class RunStatistics
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _clock;
    private readonly List<double> _latenciesMs = [];
    private readonly Dictionary<(ushort? Status, MoveOutcome Outcome), int> _failures = [];
    private int _succeeded;
    private int _warnings;
    private int _failed;
    private long _images;
    private long _bytes;
    private long _completed;
    private long _failedSubOperations;
    private long _warningSubOperations;

    public RunStatistics(TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        StartedUtc = _clock.GetUtcNow();
    }

    public DateTimeOffset StartedUtc { get; }

    public int Moves
    {
        get
        {
            lock (_gate)
            {
                return _latenciesMs.Count;
            }
        }
    }

    public void Record(MoveResult result)
    {
        long bytes = 0;
        foreach (var file in result.Files)
        {
            bytes += file.Bytes;
        }

        lock (_gate)
        {
            _latenciesMs.Add(result.Duration.TotalMilliseconds);
            _images += result.Files.Count;
            _bytes += bytes;
            _completed += result.Counts.Completed;
            _failedSubOperations += result.Counts.Failed;
            _warningSubOperations += result.Counts.Warning;
            switch (result.Outcome)
            {
                case MoveOutcome.Success:
                    _succeeded++;
                    return;
                case MoveOutcome.Warning:
                    _warnings++;
                    break;
                default:
                    _failed++;
                    break;
            }

            var group = (result.FinalStatus, result.Outcome);
            _failures[group] = _failures.GetValueOrDefault(group) + 1;
        }
    }

    /// <summary>Progress so far; rows counted as the moves recorded plus <paramref name="rowsAlreadyDone"/> (from a journal).</summary>
    public ProgressSnapshot Snapshot(int rowsTotal, int rowsAlreadyDone = 0)
    {
        lock (_gate)
        {
            return new ProgressSnapshot(
                RowsDone: rowsAlreadyDone + _latenciesMs.Count,
                RowsTotal: rowsTotal,
                Failures: _failed + _warnings,
                Images: _images,
                Bytes: _bytes,
                Elapsed: _clock.GetUtcNow() - StartedUtc,
                RowsThisRun: _latenciesMs.Count);
        }
    }

    public RunReport ToReport(DateTimeOffset? finishedUtc = null)
    {
        lock (_gate)
        {
            var finished = finishedUtc ?? _clock.GetUtcNow();
            double seconds = Math.Max(0, (finished - StartedUtc).TotalSeconds);
            double megabytes = _bytes / 1e6;
            return new RunReport(
                RunReport.CurrentSchemaVersion,
                StartedUtc,
                finished,
                seconds,
                _latenciesMs.Count,
                _succeeded,
                _warnings,
                _failed,
                _images,
                _bytes,
                megabytes,
                seconds > 0 ? _images / seconds : 0,
                seconds > 0 ? megabytes / seconds : 0,
                new SubOperationTotals(_completed, _failedSubOperations, _warningSubOperations),
                Latency(),
                _failures
                    .OrderByDescending(pair => pair.Value)
                    .ThenBy(pair => pair.Key.Status ?? int.MaxValue)
                    .ThenBy(pair => pair.Key.Outcome)
                    .Select(pair => new FailureGroup(pair.Key.Status?.ToString("X4"), pair.Key.Outcome.ToString(), pair.Value))
                    .ToList());
        }
    }

    private LatencyReport? Latency()
    {
        if (_latenciesMs.Count == 0)
        {
            return null;
        }

        double[] sorted = _latenciesMs.ToArray();
        Array.Sort(sorted);
        return new LatencyReport(
            "nearest-rank",
            sorted.Length,
            sorted[0],
            sorted.Average(),
            Percentiles.NearestRank(sorted, 50),
            Percentiles.NearestRank(sorted, 95),
            Percentiles.NearestRank(sorted, 99),
            sorted[^1]);
    }
}
