using System.Globalization;
using ActorMove.Cli.Options;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Dictionary;
using ActorMove.Engine.Hosting;
using ActorMove.Engine.Migration;
using ActorMove.Engine.Retrieve;
using Serilog;
using Serilog.Events;

namespace ActorMove.Cli.Retrieval;

/// <summary>
/// Runs a command line that uses ActorMove's extensions: the query files × --repeat, or the --manifest rows, as up to
/// --parallel concurrent moves over the one engine (so all share the +P store port), with --retry, the --journal and
/// the --report. The exit code is movescu's, over all moves: a failure (69) beats a warning (68) beats success; an
/// association that cannot be made (61, 66) ends the run once its retries are spent, as it ends movescu's.
/// Progress goes to stderr as a plain <see cref="ProgressLine"/> every <see cref="ProgressInterval"/>.
/// A live terminal display (Spectre.Console) is not done yet: a terminal gets the same plain lines.
/// </summary>
internal sealed class MigrationRunner : IDisposable
{
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    private readonly MoveOptions _options;
    private readonly IMoveWorkQueue _queue;
    private readonly ILogger _logger;
    private readonly TextWriter? _progressOutput;
    private readonly bool _liveProgress;
    private readonly RetryPolicy _retryPolicy;
    private readonly RunStatistics _statistics = new();
    private readonly Lock _gate = new();
    private readonly bool _journaled;
    private int _exitCode = ExitCodes.NoError;
    private int? _associationFailure;
    private int _finished;
    private int _failedForGood;
    private volatile bool _stopping;

    private MigrationRunner(MoveOptions options, IMoveWorkQueue queue, ILogger logger, TextWriter? progressOutput, bool journaled, bool liveProgress = false)
    {
        _options = options;
        _queue = queue;
        _logger = logger;
        _progressOutput = progressOutput;
        _liveProgress = liveProgress && progressOutput is not null;
        _journaled = journaled;
        _retryPolicy = options.Extensions.Retries > 0 ? RetryPolicy.FromRetries(options.Extensions.Retries) : RetryPolicy.None;
    }

    /// <summary>
    /// Opens the manifest (reading every row once, so a bad row stops the run before anything is moved) and the journal,
    /// before any network activity. Returns <see cref="ExitCodes.NoError"/> and the runner, or the exit code of the
    /// problem after logging it.
    /// </summary>
    public static int TryCreate(MoveOptions options, IReadOnlyList<QueryIdentifier> identifiers, ILogger logger, TextWriter errorOutput,
        out MigrationRunner? runner, bool stderrIsTerminal = false)
    {
        runner = null;
        var extensions = options.Extensions;
        // Progress lines are information; -q and -ll error/fatal/off silence them like any other.
        bool showProgress = (extensions.ManifestFile is not null || extensions.Parallel > 1) && options.LogLevel <= Options.LogLevel.Warn;
        var progressOutput = showProgress ? errorOutput : null;
        if (options.RepeatCount > 1 && extensions.Parallel > 1 && options.IncomingPort is not null && !options.IgnoreStoreData)
        {
            logger.Warning("--repeat with --parallel receives and writes the same objects several times over; use --ignore for stress runs");
        }

        if (extensions.ManifestFile is null)
        {
            int total = (int)Math.Min((ulong)identifiers.Count * options.RepeatCount, int.MaxValue);
            runner = new MigrationRunner(options, new InMemoryMoveQueue(QueryItems(identifiers, options.RepeatCount), total), logger,
                progressOutput, journaled: false, stderrIsTerminal);
            return ExitCodes.NoError;
        }

        MigrationJournal? journal = null;
        try
        {
            var manifest = Manifest.Open(extensions.ManifestFile, new ManifestOptions { Keys = ManifestKeys(options.OverrideKeysAsApplied) });
            if (extensions.JournalFile is null)
            {
                int rows = manifest.ReadRows().Count();
                int total = (int)Math.Min((ulong)rows * options.RepeatCount, int.MaxValue);
                logger.Information("Manifest {Manifest}: {Rows} rows", manifest.Path, rows);
                runner = new MigrationRunner(options, new InMemoryMoveQueue(ManifestItems(manifest, options.RepeatCount), total), logger,
                    progressOutput, journaled: false, stderrIsTerminal);
                return ExitCodes.NoError;
            }

            journal = MigrationJournal.Open(extensions.JournalFile, manifest.Identity, extensions.ForceJournal);
            var plan = journal.Plan(manifest.ReadRows());
            logger.Information(
                "Journal {Journal}: {Rows} rows, {Done} already done, {Pending} to move ({New} new, {Failed} failed before, {Interrupted} interrupted)",
                extensions.JournalFile, plan.Rows, plan.AlreadyDone, plan.Pending, plan.New, plan.RequeuedFailed, plan.RequeuedRunning);
            runner = new MigrationRunner(options, new JournalMoveQueue(journal, plan), logger, progressOutput, journaled: true, stderrIsTerminal);
            return ExitCodes.NoError;
        }
        catch (Exception e) when (e is ManifestException or JournalException or IOException or UnauthorizedAccessException
                                      or ArgumentException or Microsoft.Data.Sqlite.SqliteException)
        {
            journal?.Dispose();
            logger.Fatal("{Error}", e.Message);
            return ExitCodes.CommandLineSyntaxError;
        }
    }

    public async Task<int> RunAsync(IRetrieveClient client)
    {
        using var progressStop = new CancellationTokenSource();
        var progress = _progressOutput is null ? Task.CompletedTask
            : _liveProgress ? LiveProgress.RunAsync(LiveProgress.StderrConsole(), Snapshot, progressStop.Token)
            : ReportProgressAsync(progressStop.Token);
        try
        {
            await DispatchAsync(client).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ManifestException or JournalException or Microsoft.Data.Sqlite.SqliteException)
        {
            _logger.Fatal("{Error}", e.Message);
            Finish(ExitCodes.CommandLineSyntaxError);
        }
        finally
        {
            await progressStop.CancelAsync().ConfigureAwait(false);
            await progress.ConfigureAwait(false);
        }

        if (!_liveProgress)
        {
            WriteProgress();
        }

        if (_journaled)
        {
            _logger.Information("Journal: {Finished} rows finished this run, {Failed} failed", _finished, _failedForGood);
        }

        int exitCode = _associationFailure ?? _exitCode;
        // Each slot's association went from row to row; they end here, as movescu's one association ends after its moves.
        foreach (var failure in await client.CloseKeptAssociationsAsync().ConfigureAwait(false))
        {
            MovescuFailures.LogReleaseFailure(_logger, failure);
            exitCode = ExitCodes.Worse(exitCode, ExitCodes.CannotCloseAssociation);
        }

        if (_options.Extensions.ReportFile is { } reportFile)
        {
            try
            {
                _statistics.ToReport().WriteTo(reportFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _logger.Error("cannot write report {Report}: {Error}", reportFile, e.Message);
                exitCode = ExitCodes.Worse(exitCode, ExitCodes.CannotWriteOutputFile);
            }
        }

        return exitCode;
    }

    public void Dispose() => _queue.Dispose();

    /// <summary>
    /// Starts moves while a slot is free and a move is ready; when none is ready but moves are running or retries are
    /// waiting, sleeps until one of the running moves ends or the earliest retry is due.
    /// </summary>
    private async Task DispatchAsync(IRetrieveClient client)
    {
        using var slots = new SemaphoreSlim(_options.Extensions.Parallel);
        var running = new List<Task>();
        while (!_stopping)
        {
            await slots.WaitAsync().ConfigureAwait(false);
            var item = _stopping ? null : _queue.TryTake(DateTimeOffset.UtcNow);
            if (item is not null)
            {
                running.Add(RunMoveAsync(client, item, slots));
                await ObserveFinished(running).ConfigureAwait(false);
                continue;
            }

            slots.Release();
            if (_stopping)
            {
                break;
            }

            var retryAt = _queue.NextRetryAt();
            if (running.Count == 0 && retryAt is null)
            {
                break;
            }

            var delay = retryAt is { } at ? Max(at - DateTimeOffset.UtcNow, TimeSpan.Zero) : Timeout.InfiniteTimeSpan;
            using var wakeUp = new CancellationTokenSource();
            var sleep = Task.Delay(delay, wakeUp.Token);
            await (running.Count == 0 ? sleep : Task.WhenAny(Task.WhenAny(running), sleep)).ConfigureAwait(false);
            await wakeUp.CancelAsync().ConfigureAwait(false);
            await ObserveFinished(running).ConfigureAwait(false);
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>Drops finished moves, rethrowing what a move could not handle itself (a journal that fails).</summary>
    private static async Task ObserveFinished(List<Task> running)
    {
        for (int i = running.Count - 1; i >= 0; i--)
        {
            if (running[i].IsCompleted)
            {
                var finished = running[i];
                running.RemoveAt(i);
                await finished.ConfigureAwait(false);
            }
        }
    }

    private async Task RunMoveAsync(IRetrieveClient client, MoveWorkItem item, SemaphoreSlim slots)
    {
        try
        {
            var request = new MoveRequest(_options.Peer, _options.Port, item.Identifier, _options.QueryModel, _options.CalledAETitle,
                _options.CallingAETitle, _options.EffectiveMoveDestination, _options.EffectiveCancelAfterResponses, _options.AbortAssociation,
                item.Syntax, item.ReadSyntax, KeepAssociation: true);
            var result = await client.MoveAsync(request).ConfigureAwait(false);
            _statistics.Record(result);
            int code = ExitCodes.For(result);
            if (!IsFailure(result.Outcome))
            {
                _queue.Done(item, result);
                _logger.Information("{Move} (job {JobId}): {Outcome}, {Files} files", item.Label, result.JobId, result.Outcome, result.Files.Count);
                RetrieveEntryPoint.LogResult(_logger, result, _options.Peer, LogEventLevel.Information);
                Finish(code);
                return;
            }

            string error = Describe(result);
            var decision = _retryPolicy.Decide(item.Attempts, Random.Shared);
            if (decision.Retry && !_stopping)
            {
                _logger.Warning("{Move}: attempt {Attempt} of {Attempts} failed ({Error}); retrying in {Delay} s", item.Label,
                    item.Attempts, _retryPolicy.MaxAttempts, error, decision.Delay.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture));
                _queue.Failed(item, error, result, DateTimeOffset.UtcNow + decision.Delay);
                return;
            }

            _queue.Failed(item, error, result, null);
            _logger.Information("{Move} (job {JobId}): failed after {Attempts} attempt(s)", item.Label, result.JobId, item.Attempts);
            RetrieveEntryPoint.LogResult(_logger, result, _options.Peer, LogEventLevel.Information);
            Finish(code, failedForGood: true);
        }
        finally
        {
            slots.Release();
        }
    }

    private void Finish(int code, bool failedForGood = false)
    {
        lock (_gate)
        {
            _finished++;
            if (failedForGood)
            {
                _failedForGood++;
            }

            if (code is ExitCodes.CannotNegotiateAssociation or ExitCodes.NoPresentationContext)
            {
                // As in movescu, an association that cannot be made ends the run; moves already running finish.
                _associationFailure ??= code;
                _stopping = true;
            }

            _exitCode = ExitCodes.Worse(_exitCode, code);
        }
    }

    private static bool IsFailure(MoveOutcome outcome) =>
        outcome is MoveOutcome.Failed or MoveOutcome.AssociationFailed or MoveOutcome.NoPresentationContext or MoveOutcome.ConnectionLost;

    private static string Describe(MoveResult result) =>
        result.Error
        ?? (result.FinalStatus is { } status ? $"status {status:X4}" : result.Outcome.ToString());

    private async Task ReportProgressAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(ProgressInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                WriteProgress();
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over; the caller writes the last line.
        }
    }

    private void WriteProgress()
    {
        if (_progressOutput is null)
        {
            return;
        }

        _progressOutput.WriteLine(ProgressLine.Format(Snapshot()));
        _progressOutput.Flush();
    }

    private ProgressSnapshot Snapshot()
    {
        int finished, failed;
        lock (_gate)
        {
            finished = _finished;
            failed = _failedForGood;
        }

        // Rows, not moves: a retried row is one row however many attempts it took.
        return _statistics.Snapshot(_queue.Total, _queue.AlreadyDone) with
        {
            RowsDone = _queue.AlreadyDone + finished,
            RowsThisRun = finished,
            Failures = failed,
        };
    }

    private static IEnumerable<MoveWorkItem> QueryItems(IReadOnlyList<QueryIdentifier> identifiers, ulong repeat)
    {
        for (ulong i = 0; i < repeat; i++)
        {
            foreach (var identifier in identifiers)
            {
                // Concurrent moves share the data set: the engine only reads an identifier.
                yield return new MoveWorkItem(identifier.Source, null, identifier.Dataset, identifier.Syntax, identifier.ReadSyntax);
            }
        }
    }

    private static IEnumerable<MoveWorkItem> ManifestItems(Manifest manifest, ulong repeat)
    {
        for (ulong i = 0; i < repeat; i++)
        {
            foreach (var row in manifest.ReadRows())
            {
                yield return new MoveWorkItem($"row {row.Row}", row.Key, row.Identifier, null);
            }
        }
    }

    /// <summary>-k keys as the manifest applies them to every row; a keyword the parser left unresolved is resolved here.</summary>
    private static IReadOnlyList<ManifestKey> ManifestKeys(IEnumerable<OverrideKey> keys)
    {
        var dictionary = DicomDictionary.Default;
        var result = new List<ManifestKey>();
        foreach (var key in keys)
        {
            DicomTag tag = key.Tag ?? (key.Keyword is not null && dictionary.TryGetTag(key.Keyword, out var found)
                ? found
                : throw new ArgumentException($"unknown key: {key.Text}"));
            result.Add(new ManifestKey(tag, dictionary.GetVR(tag), key.Value ?? ""));
        }

        return result;
    }
}
