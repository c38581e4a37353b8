using System.Globalization;
using System.Text;
using System.Text.Json;
using ActorMove.Engine.Migration;
using ActorMove.Network.Dimse;
using Xunit;
using static ActorMove.Cli.Tests.Migration.MigrationTestBed;

namespace ActorMove.Cli.Tests.Migration;

/// <summary>
/// actormove with --parallel, --manifest, --journal, --retry and --report, end to end against the in-process archive:
/// the files on disk, the exit code, the journal and the report must all agree with what the archive holds.
/// </summary>
[Collection(CliRunCollection.Name)]
public class MigrationRunTests
{
    [Fact]
    public async Task Eight_studies_in_parallel_each_row_credited_with_exactly_its_own_images()
    {
        int[] imageCounts = [1, 2, 3, 4, 5, 6, 7, 8];
        await using var bed = await StartAsync(imageCounts);
        string manifest = bed.WriteManifest("studies.csv", bed.Studies);
        string journal = bed.Temp.Combine("studies.db");
        string report = bed.Temp.Combine("report.json");

        var (exitCode, _, stderr) = Run(bed.Arguments("ACTORMOVE", "--manifest", manifest, "--journal", journal, "--parallel", "8",
            "--report", report));

        Assert.True(exitCode == 0, stderr + string.Join("\n", bed.Archive.Failures));
        foreach (var study in bed.Studies)
        {
            bed.AssertStudyArrived(study);
        }

        Assert.Equal(imageCounts.Sum(), Directory.GetFiles(bed.OutputFolder).Length);
        Assert.Equal(8, bed.Archive.Moves.Count);

        var entries = bed.JournalEntries(manifest, journal);
        for (int i = 0; i < imageCounts.Length; i++)
        {
            Assert.Equal(JournalRowState.Done, entries[i].State);
            Assert.Equal(1, entries[i].TotalAttempts);
            Assert.Equal(imageCounts[i], entries[i].Files);
            Assert.Equal(imageCounts[i], entries[i].Completed);
            Assert.Equal(0, entries[i].Failed);
        }

        using var json = JsonDocument.Parse(File.ReadAllText(report));
        var root = json.RootElement;
        Assert.Equal(8, root.GetProperty("moves").GetInt32());
        Assert.Equal(8, root.GetProperty("succeeded").GetInt32());
        Assert.Equal(0, root.GetProperty("failed").GetInt32());
        Assert.Equal(imageCounts.Sum(), root.GetProperty("images").GetInt64());
        Assert.Equal(imageCounts.Sum(), root.GetProperty("subOperations").GetProperty("completed").GetInt64());
        Assert.Equal(8, root.GetProperty("latencyMs").GetProperty("count").GetInt32());
        Assert.Equal(0, root.GetProperty("failures").GetArrayLength());

        // The progress line ends the run's output (stderr is not a terminal here).
        Assert.Contains("rows 8/8 (100.0%), 36 images", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parallel_manifest_against_dcmqrscp_credits_each_row_with_exactly_its_study()
    {
        int[] imageCounts = [1, 2, 3, 4, 5];
        using var temp = new ActorMove.Testing.TempDirectory("actormove-dcmqrscp-migration");
        var studies = new List<IReadOnlyList<ActorMove.Testing.Dcmtk.GeneratedImage>>();
        for (int i = 0; i < imageCounts.Length; i++)
        {
            studies.Add(await ActorMove.Testing.Dcmtk.Dump2DcmStudies.GenerateAsync(temp.Combine("source", $"study{i + 1}"),
                imagesPerSeries: imageCounts[i]));
        }

        int storePort = ActorMove.Testing.LoopbackPort.GetFree();
        await using var archive = await ActorMove.Testing.Dcmtk.DcmqrscpArchive.StartAsync(
            [new ActorMove.Testing.Dcmtk.MoveDestination(DestinationAeTitle, storePort)]);
        await archive.LoadAsync(temp.Combine("source"));
        string manifest = temp.Combine("studies.tsv");
        File.WriteAllText(manifest, "StudyInstanceUID\n" + string.Join("\n", studies.Select(s => s[0].StudyInstanceUid)) + "\n");
        string journal = temp.Combine("studies.db");
        string output = temp.Combine("received");
        Directory.CreateDirectory(output);

        var (exitCode, _, stderr) = Run("-S", "-aet", "ACTORMOVE", "-aec", archive.AeTitle, "-aem", DestinationAeTitle,
            "+P", storePort.ToString(CultureInfo.InvariantCulture), "-od", output, "-k", "QueryRetrieveLevel=STUDY", "-to", "10",
            "127.0.0.1", archive.Port.ToString(CultureInfo.InvariantCulture), "--manifest", manifest, "--journal", journal, "--parallel", "5");

        Assert.True(exitCode == 0, stderr + archive.Log);
        foreach (var image in studies.SelectMany(s => s))
        {
            string file = ActorMove.Engine.Storage.OutputFileNames.PathIn(output,
                ActorMove.Engine.Storage.OutputFileNames.For(image.SopClassUid, image.SopInstanceUid).FileName);
            Assert.True(File.Exists(file), $"{file} is missing");
        }

        Assert.Equal(imageCounts.Sum(), Directory.GetFiles(output).Length);
        var entries = new MigrationTestBedJournal(manifest, journal).Entries();
        Assert.Equal(imageCounts, entries.Select(e => e.Files));
        Assert.All(entries, e => Assert.Equal(JournalRowState.Done, e.State));
    }

    [Fact]
    public async Task Repeat_with_parallel_runs_every_repetition_and_reports_each_move()
    {
        await using var bed = await StartAsync([3]);
        string report = bed.Temp.Combine("stress.json");

        // --ignore: concurrent repetitions of one study would otherwise write the same files at the same time.
        var (exitCode, _, stderr) = Run([.. bed.Arguments("STRESS", "--repeat", "5", "--parallel", "3", "--report", report, "--ignore"),
            "-k", $"StudyInstanceUID={bed.Studies[0][0].StudyInstanceUid}"]);

        Assert.True(exitCode == 0, stderr);
        Assert.Empty(Directory.GetFiles(bed.OutputFolder));
        Assert.Equal(5, bed.Archive.Moves.Count);
        Assert.All(bed.Archive.Moves, move => Assert.Equal(3, move.Completed));
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        Assert.Equal(5, json.RootElement.GetProperty("moves").GetInt32());
        Assert.Equal(5, json.RootElement.GetProperty("succeeded").GetInt32());
        Assert.Equal(15, json.RootElement.GetProperty("images").GetInt64());
        Assert.Equal(15, json.RootElement.GetProperty("subOperations").GetProperty("completed").GetInt64());
    }

    [Fact]
    public async Task Of_two_keys_for_one_attribute_the_leftmost_overrides_every_row_as_in_movescu()
    {
        await using var bed = await StartAsync([2, 3]);
        string manifest = bed.WriteManifest("studies.csv", [bed.Studies[1]]);

        var (exitCode, _, stderr) = Run([.. bed.Arguments("ACTORMOVE", "--manifest", manifest),
            "-k", $"StudyInstanceUID={bed.Studies[0][0].StudyInstanceUid}", "-k", "StudyInstanceUID=1.2.826.0.1.3680043.2.1143.999"]);

        Assert.True(exitCode == 0, stderr);
        bed.AssertStudyArrived(bed.Studies[0]);
        Assert.Equal(2, Directory.GetFiles(bed.OutputFolder).Length);
    }

    [Fact]
    public async Task A_rerun_after_a_kill_moves_only_the_rows_not_done()
    {
        // Slow sub-operations, so the process is still busy with a later row when the first is done.
        await using var bed = await StartAsync([3, 3, 3, 3], subOperationDelay: TimeSpan.FromMilliseconds(400));
        string manifest = bed.WriteManifest("studies.csv", bed.Studies);
        string journal = bed.Temp.Combine("studies.db");
        var output = new StringBuilder();

        using (var first = StartProcess(bed.Arguments("FIRSTRUN", "--manifest", manifest, "--journal", journal, "--parallel", "1"), output))
        {
            try
            {
                await WaitForFirstRowDoneAsync(first, manifest, journal, output);
            }
            finally
            {
                // SIGKILL: no chance to tidy up, as after a crash or an OOM kill.
                first.Kill(entireProcessTree: true);
                await first.WaitForExitAsync();
            }
        }

        var afterKill = bed.JournalEntries(manifest, journal);
        var doneInFirstRun = afterKill.Select((entry, index) => (entry, index)).Where(e => e.entry.State == JournalRowState.Done)
            .Select(e => e.index).ToArray();
        Assert.NotEmpty(doneInFirstRun);
        Assert.True(doneInFirstRun.Length < bed.Studies.Count, "the first run was killed before it finished");

        var secondOutput = new StringBuilder();
        using (var second = StartProcess(bed.Arguments("RERUN", "--manifest", manifest, "--journal", journal, "--parallel", "1"), secondOutput))
        {
            int exitCode = await WaitForExitAsync(second, secondOutput);
            Assert.True(exitCode == 0, Text(secondOutput));
        }

        foreach (var study in bed.Studies)
        {
            bed.AssertStudyArrived(study);
        }

        Assert.Empty(bed.TemporaryFilesLeft());
        var afterRerun = bed.JournalEntries(manifest, journal);
        Assert.All(afterRerun, entry => Assert.Equal(JournalRowState.Done, entry.State));
        foreach (int index in doneInFirstRun)
        {
            Assert.Equal(1, afterRerun[index].TotalAttempts);
        }

        // The archive saw the rerun (its calling AE title) move exactly the rows the first run had not finished.
        Assert.Equal(bed.Studies.Count - doneInFirstRun.Length, bed.Archive.Moves.Count(m => m.CallingAeTitle.Trim() == "RERUN"));
        Assert.All(afterRerun, entry => Assert.Equal(3, entry.Files));
    }

    [Fact]
    public async Task A_refused_row_is_retried_then_failed_and_the_others_still_move()
    {
        await using var bed = await StartAsync([2, 4]);
        string manifest = bed.Temp.Combine("levels.csv");
        // Row 2 names no valid query/retrieve level: the archive refuses it (A900) every time.
        File.WriteAllText(manifest, "QueryRetrieveLevel,StudyInstanceUID\n"
            + $"STUDY,{bed.Studies[0][0].StudyInstanceUid}\nBOGUS,{bed.Studies[1][0].StudyInstanceUid}\nSTUDY,{bed.Studies[1][0].StudyInstanceUid}\n");
        string journal = bed.Temp.Combine("levels.db");
        string report = bed.Temp.Combine("levels.json");
        string[] arguments = bed.Arguments("ACTORMOVE", "--manifest", manifest, "--journal", journal, "--retry", "2", "--parallel", "2",
            "--report", report);
        // The shared arguments set the level with -k, which would override the manifest's column.
        int key = Array.IndexOf(arguments, "QueryRetrieveLevel=STUDY");
        arguments = [.. arguments[..(key - 1)], .. arguments[(key + 1)..]];

        var (exitCode, _, stderr) = Run(arguments);

        Assert.True(exitCode == 69, stderr);
        bed.AssertStudyArrived(bed.Studies[0]);
        bed.AssertStudyArrived(bed.Studies[1]);
        var manifestRows = Manifest.Open(manifest).ReadRows().ToList();
        using (var opened = MigrationJournal.Open(journal, Manifest.Open(manifest).Identity))
        {
            var failed = opened.Get(manifestRows[1].Key)!;
            Assert.Equal(JournalRowState.Failed, failed.State);
            Assert.Equal(3, failed.Attempts);
            Assert.Equal(DimseStatus.MoveIdentifierDoesNotMatchSopClass, failed.FinalStatus);
            Assert.Equal(JournalRowState.Done, opened.Get(manifestRows[0].Key)!.State);
            Assert.Equal(2, opened.Get(manifestRows[0].Key)!.Files);
            Assert.Equal(JournalRowState.Done, opened.Get(manifestRows[2].Key)!.State);
            Assert.Equal(4, opened.Get(manifestRows[2].Key)!.Files);
        }

        using var json = JsonDocument.Parse(File.ReadAllText(report));
        var root = json.RootElement;
        Assert.Equal(5, root.GetProperty("moves").GetInt32());
        Assert.Equal(2, root.GetProperty("succeeded").GetInt32());
        Assert.Equal(3, root.GetProperty("failed").GetInt32());
        var failure = Assert.Single(root.GetProperty("failures").EnumerateArray());
        Assert.Equal(DimseStatus.MoveIdentifierDoesNotMatchSopClass.ToString("X4", CultureInfo.InvariantCulture),
            failure.GetProperty("status").GetString());
        Assert.Equal("Failed", failure.GetProperty("outcome").GetString());
        Assert.Equal(3, failure.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task An_unknown_move_destination_fails_every_attempt_with_exit_code_69()
    {
        await using var bed = await StartAsync([2]);
        string manifest = bed.WriteManifest("one.csv", bed.Studies);
        string report = bed.Temp.Combine("unknown.json");
        string[] arguments = bed.Arguments("ACTORMOVE", "--manifest", manifest, "--retry", "1", "--report", report);
        arguments[Array.IndexOf(arguments, DestinationAeTitle)] = "NOBODY";

        var (exitCode, _, stderr) = Run(arguments);

        Assert.True(exitCode == 69, stderr);
        Assert.Equal(2, bed.Archive.Moves.Count);
        Assert.All(bed.Archive.Moves, move => Assert.Equal(DimseStatus.MoveDestinationUnknown, move.Status));
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        var failure = Assert.Single(json.RootElement.GetProperty("failures").EnumerateArray());
        Assert.Equal("A801", failure.GetProperty("status").GetString());
        Assert.Equal(2, failure.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task A_rejected_association_ends_the_run_with_61_leaving_later_rows_pending()
    {
        await using var bed = await StartAsync([1, 1]);
        string manifest = bed.WriteManifest("two.csv", bed.Studies);
        string journal = bed.Temp.Combine("two.db");
        string report = bed.Temp.Combine("rejected.json");
        string[] arguments = bed.Arguments("ACTORMOVE", "--manifest", manifest, "--journal", journal, "--report", report);
        arguments[Array.IndexOf(arguments, bed.Archive.AeTitle)] = "NOT-THE-ARCHIVE";

        var (exitCode, _, stderr) = Run(arguments);

        Assert.True(exitCode == 61, stderr);
        var entries = bed.JournalEntries(manifest, journal);
        Assert.Equal(JournalRowState.Failed, entries[0].State);
        Assert.Equal(1, entries[0].Attempts);
        Assert.Equal(JournalRowState.Pending, entries[1].State);
        Assert.Equal(0, entries[1].TotalAttempts);
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        var failure = Assert.Single(json.RootElement.GetProperty("failures").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, failure.GetProperty("status").ValueKind);
        Assert.Equal("AssociationFailed", failure.GetProperty("outcome").GetString());
        Assert.Equal(1, failure.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task A_journal_of_another_manifest_is_refused_unless_forced()
    {
        await using var bed = await StartAsync([2]);
        string first = bed.WriteManifest("first.csv", bed.Studies);
        string second = bed.WriteManifest("second.csv", bed.Studies);
        string journal = bed.Temp.Combine("shared.db");
        Assert.Equal(0, Run(bed.Arguments("ACTORMOVE", "--manifest", first, "--journal", journal)).ExitCode);

        var refused = Run(bed.Arguments("ACTORMOVE", "--manifest", second, "--journal", journal));
        var forced = Run(bed.Arguments("ACTORMOVE", "--manifest", second, "--journal", journal, "--force-journal"));

        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith("F: ", refused.StdErr, StringComparison.Ordinal);
        Assert.Contains("belongs to manifest", refused.StdErr, StringComparison.Ordinal);
        Assert.True(forced.ExitCode == 0, forced.StdErr);
        // The forced journal still knows the row (same key), so nothing is moved again.
        Assert.Single(bed.Archive.Moves);
    }

    [Fact]
    public void A_manifest_that_cannot_be_read_stops_before_any_move_with_exit_code_one()
    {
        using var temp = new ActorMove.Testing.TempDirectory();
        string badHeader = temp.Combine("bad.csv");
        File.WriteAllText(badHeader, "NoSuchKeyword\nx\n");
        string port = ActorMove.Testing.LoopbackPort.GetFree().ToString(CultureInfo.InvariantCulture);

        var missing = Run("127.0.0.1", port, "--manifest", temp.Combine("missing.csv"));
        var bad = Run("127.0.0.1", port, "--manifest", badHeader);

        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("F: ", missing.StdErr, StringComparison.Ordinal);
        Assert.Contains("missing.csv", missing.StdErr, StringComparison.Ordinal);
        Assert.Equal(1, bad.ExitCode);
        Assert.StartsWith($"F: {badHeader}, row 1, column 1 (NoSuchKeyword): unknown keyword 'NoSuchKeyword'", bad.StdErr, StringComparison.Ordinal);
    }

    private static async Task WaitForFirstRowDoneAsync(System.Diagnostics.Process process, string manifest, string journal, StringBuilder output)
    {
        using var timeout = new CancellationTokenSource(ProcessTimeout);
        while (true)
        {
            Assert.False(process.HasExited, $"actormove ended before a row was done:\n{Text(output)}");
            if (File.Exists(journal) && CountDone(manifest, journal) > 0)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
        }
    }

    private static int CountDone(string manifest, string journal)
    {
        try
        {
            var identity = Manifest.Open(manifest, RowKeyOptions);
            using var opened = MigrationJournal.Open(journal, identity.Identity);
            return identity.ReadRows().Count(row => opened.Get(row.Key)?.State == JournalRowState.Done);
        }
        catch (JournalException)
        {
            return 0; // still being created by the process
        }
    }
}
