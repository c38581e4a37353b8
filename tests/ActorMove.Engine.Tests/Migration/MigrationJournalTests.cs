using System.Diagnostics;
using ActorMove.Dicom.Dictionary;
using ActorMove.Engine.Migration;
using ActorMove.Engine.Retrieve;
using ActorMove.Testing;
using Microsoft.Data.Sqlite;
using Xunit;

namespace ActorMove.Engine.Tests.Migration;

public sealed class MigrationJournalTests : IDisposable
{
    private readonly TempDirectory _folder = new("journal");
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _folder.Dispose();

    private string JournalPath => _folder.Combine("journal.db");

    private Manifest WriteManifest(int rows, string name = "m.csv")
    {
        string path = _folder.Combine(name);
        File.WriteAllLines(path, ["QueryRetrieveLevel,StudyInstanceUID", .. Enumerable.Range(1, rows).Select(i => $"STUDY,1.2.{i}")]);
        return Manifest.Open(path);
    }

    private MigrationJournal Open(Manifest manifest, bool force = false) =>
        MigrationJournal.Open(JournalPath, manifest.Identity, force, clock: _clock);

    [Fact]
    public void Plan_makes_every_row_pending_in_row_order()
    {
        var manifest = WriteManifest(3);
        using var journal = Open(manifest);

        var plan = journal.Plan(manifest.ReadRows());
        var pending = journal.Pending();

        Assert.Equal(new JournalPlan(3, 3, 0, 0, 0, 0), plan);
        Assert.Equal(3, plan.Pending);
        Assert.Equal([2, 3, 4], pending.Select(e => e.Row));
        Assert.All(pending, e => Assert.Equal(JournalRowState.Pending, e.State));
        Assert.Equal("1.2.1", pending[0].Identifier.GetString(DicomTags.StudyInstanceUID));
        Assert.Equal("STUDY", pending[0].Identifier.GetString(DicomTags.QueryRetrieveLevel));
        Assert.Equal(_clock.Now, pending[0].CreatedUtc);
        Assert.Equal(pending[0].Key, journal.NextPending()!.Key);
    }

    [Fact]
    public void Journal_file_is_in_wal_mode()
    {
        var manifest = WriteManifest(1);
        using (Open(manifest))
        {
        }

        using var connection = new SqliteConnection($"Data Source={JournalPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public void Done_row_keeps_its_result()
    {
        var manifest = WriteManifest(2);
        using var journal = Open(manifest);
        journal.Plan(manifest.ReadRows());
        string key = journal.NextPending()!.Key;

        _clock.Now += TimeSpan.FromSeconds(1);
        journal.MarkRunning(key);
        var running = journal.Get(key)!;
        _clock.Now += TimeSpan.FromSeconds(2);
        journal.MarkDone(key, MigrationTestData.Result(MoveOutcome.Warning, 0xB000, completed: 2, failed: 1, fileSizes: [1000, 2500], milliseconds: 2000));
        var done = journal.Get(key)!;

        Assert.Equal(JournalRowState.Running, running.State);
        Assert.Equal(1, running.Attempts);
        Assert.Equal(_clock.Now - TimeSpan.FromSeconds(2), running.StartedUtc);
        Assert.Equal(JournalRowState.Done, done.State);
        Assert.Equal((ushort)0xB000, done.FinalStatus);
        Assert.Equal("Warning", done.Outcome);
        Assert.Equal((2, 1, 0), (done.Completed, done.Failed, done.Warning));
        Assert.Equal(3500, done.Bytes);
        Assert.Equal(2, done.Files);
        Assert.Equal(TimeSpan.FromSeconds(2), done.Duration);
        Assert.Equal(_clock.Now, done.FinishedUtc);
        Assert.NotEqual(key, journal.NextPending()!.Key);

        var summary = journal.Summary();
        Assert.Equal((2, 1, 0, 1, 0), (summary.Rows, summary.Pending, summary.Running, summary.Done, summary.Failed));
        Assert.Equal((2L, 1L, 3500L, 2L), (summary.Completed, summary.FailedSubOperations, summary.Bytes, summary.Files));
    }

    [Fact]
    public void Rerun_skips_done_and_requeues_failed_and_running_rows()
    {
        var manifest = WriteManifest(4);
        string[] keys;
        using (var journal = Open(manifest))
        {
            journal.Plan(manifest.ReadRows());
            keys = journal.Pending().Select(e => e.Key).ToArray();
            journal.MarkRunning(keys[0]);
            journal.MarkDone(keys[0], MigrationTestData.Result());
            journal.MarkRunning(keys[1]);
            journal.MarkFailed(keys[1], "A801 move destination unknown", MigrationTestData.Result(MoveOutcome.Failed, 0xA801));
            journal.MarkRunning(keys[2]); // the run "dies" here
        }

        using var rerun = Open(manifest);
        var plan = rerun.Plan(manifest.ReadRows());
        var pending = rerun.Pending();
        var failedBefore = rerun.Get(keys[1])!;

        Assert.Equal(new JournalPlan(4, 0, 1, 1, 1, 1), plan);
        Assert.Equal(keys[1..], pending.Select(e => e.Key));
        Assert.Equal(0, failedBefore.Attempts);
        Assert.Equal(1, failedBefore.TotalAttempts);
        Assert.Equal("A801 move destination unknown", failedBefore.LastError);
        Assert.Equal(JournalRowState.Done, rerun.Get(keys[0])!.State);
        Assert.Equal(3, rerun.Summary().Pending);
    }

    [Fact]
    public void Failed_for_good_stays_failed_within_the_run()
    {
        var manifest = WriteManifest(1);
        using var journal = Open(manifest);
        journal.Plan(manifest.ReadRows());
        string key = journal.NextPending()!.Key;
        journal.MarkRunning(key);
        journal.MarkFailed(key, "association rejected");

        Assert.Null(journal.NextPending());
        Assert.Empty(journal.Pending());
        Assert.Equal(JournalRowState.Failed, journal.Get(key)!.State);
        Assert.Equal(1, journal.Summary().Failed);
        Assert.Throws<JournalException>(() => journal.MarkRunning(key));
    }

    [Fact]
    public void Retry_waits_until_its_time_and_counts_attempts()
    {
        var manifest = WriteManifest(2);
        using var journal = Open(manifest);
        journal.Plan(manifest.ReadRows());
        var first = journal.ClaimNext()!;
        var retryAt = _clock.Now + TimeSpan.FromSeconds(30);
        journal.MarkFailed(first.Key, "connection lost", retryAt: retryAt);

        var second = journal.NextPending()!;
        Assert.NotEqual(first.Key, second.Key);
        journal.MarkRunning(second.Key);
        journal.MarkDone(second.Key, MigrationTestData.Result());

        Assert.Null(journal.NextPending());
        Assert.Equal(retryAt, journal.EarliestRetry());
        Assert.Equal(retryAt, journal.Get(first.Key)!.NotBefore);
        Assert.Single(journal.Pending());

        _clock.Now = retryAt;
        var again = journal.ClaimNext()!;
        Assert.Equal(first.Key, again.Key);
        Assert.Equal(2, again.Attempts);
        Assert.Null(again.NotBefore);
    }

    [Fact]
    public void ClaimNext_never_hands_out_a_row_twice()
    {
        var manifest = WriteManifest(3);
        using var journal = Open(manifest);
        journal.Plan(manifest.ReadRows());

        var claimed = new[] { journal.ClaimNext(), journal.ClaimNext(), journal.ClaimNext() };

        Assert.Equal(3, claimed.Select(e => e!.Key).Distinct().Count());
        Assert.All(claimed, e => Assert.Equal(JournalRowState.Running, e!.State));
        Assert.Null(journal.ClaimNext());
    }

    [Fact]
    public void Another_manifest_is_refused_unless_forced()
    {
        var manifest = WriteManifest(2);
        using (var journal = Open(manifest))
        {
            journal.Plan(manifest.ReadRows());
            var key = journal.ClaimNext()!.Key;
            journal.MarkDone(key, MigrationTestData.Result());
        }

        var other = WriteManifest(2, "other.csv");
        var error = Assert.Throws<JournalException>(() => Open(other));
        Assert.Contains(manifest.Identity, error.Message);
        Assert.Contains(other.Identity, error.Message);

        using var forced = Open(other, force: true);
        var plan = forced.Plan(other.ReadRows());
        Assert.Equal(other.Identity, forced.ManifestIdentity);
        Assert.Equal(1, plan.AlreadyDone); // same rows at the same positions are the same moves
    }

    [Fact]
    public void Manifest_error_half_way_leaves_the_journal_as_it_was()
    {
        string path = _folder.Combine("broken.csv");
        File.WriteAllText(path, "StudyInstanceUID\n1.1\n1.2\n\"1.3\n");
        var manifest = Manifest.Open(path);
        using var journal = Open(manifest);

        Assert.Throws<ManifestException>(() => journal.Plan(manifest.ReadRows()));

        Assert.Equal(0, journal.Summary().Rows);
        Assert.Null(journal.NextPending());
    }

    [Fact]
    public void Rows_edited_out_of_the_manifest_take_no_part_in_the_rerun()
    {
        var manifest = WriteManifest(3);
        using (var journal = Open(manifest))
        {
            journal.Plan(manifest.ReadRows());
        }

        File.WriteAllLines(manifest.Path, ["QueryRetrieveLevel,StudyInstanceUID", "STUDY,1.2.1", "STUDY,1.2.99"]);
        var edited = Manifest.Open(manifest.Path);
        using var rerun = Open(edited);
        var plan = rerun.Plan(edited.ReadRows());

        Assert.Equal(new JournalPlan(2, 1, 0, 0, 0, 1), plan);
        Assert.Equal(["1.2.1", "1.2.99"], rerun.Pending().Select(e => e.Identifier.GetString(DicomTags.StudyInstanceUID)));
        Assert.Equal(2, rerun.Summary().Rows);
    }

    [Fact]
    public async Task Row_marked_done_survives_sigkill_of_the_process_holding_the_journal()
    {
        var manifest = WriteManifest(3);
        string testAssembly = typeof(MigrationJournalTests).Assembly.Location;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(testAssembly);
        start.Environment["DOTNET_STARTUP_HOOKS"] = testAssembly;
        start.Environment[StartupHook.Variable] = $"{JournalPath}|{manifest.Path}";

        using (var child = Process.Start(start)!)
        {
            try
            {
                // A TimeoutException here means the helper never got ready.
                string? line = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
                if (line != "ready")
                {
                    child.Kill();
                    Assert.Fail($"helper said '{line}': {await child.StandardError.ReadToEndAsync()}");
                }
            }
            finally
            {
                child.Kill(); // SIGKILL on Unix: no finaliser, no Dispose, no checkpoint
                Assert.True(child.WaitForExit(30000));
            }

            Assert.NotEqual(0, child.ExitCode);
        }

        Assert.True(File.Exists(JournalPath + "-wal"), "a killed process leaves its WAL behind");
        using var journal = Open(manifest);
        var before = journal.Summary();
        var rows = journal.Pending().ToList();
        var plan = journal.Plan(manifest.ReadRows());
        var done = journal.Get(Manifest.Open(manifest.Path).ReadRows().First().Key)!;

        Assert.Equal((1, 1, 1), (before.Done, before.Running, before.Pending));
        Assert.Single(rows);
        Assert.Equal(new JournalPlan(3, 0, 1, 0, 1, 1), plan);
        Assert.Equal(JournalRowState.Done, done.State);
        Assert.Equal(600, done.Bytes);
        Assert.Equal(TimeSpan.FromMilliseconds(1234), done.Duration);
        Assert.Equal([3, 4], journal.Pending().Select(e => e.Row));
    }
}
