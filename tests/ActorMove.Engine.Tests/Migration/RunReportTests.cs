using System.Text.Json;
using ActorMove.Engine.Migration;
using ActorMove.Engine.Retrieve;
using ActorMove.Testing;
using Xunit;

namespace ActorMove.Engine.Tests.Migration;

public class RunReportTests
{
    [Theory]
    [InlineData(5, 15)]
    [InlineData(30, 20)]
    [InlineData(40, 20)]
    [InlineData(50, 35)]
    [InlineData(100, 50)]
    public void Nearest_rank_on_the_textbook_example(double percentile, double expected)
    {
        Assert.Equal(expected, Percentiles.NearestRank([15, 20, 35, 40, 50], percentile));
    }

    [Fact]
    public void Nearest_rank_on_one_to_n()
    {
        double[] hundred = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();
        double[] twenty = Enumerable.Range(1, 20).Select(i => (double)i).ToArray();

        Assert.Equal(50, Percentiles.NearestRank(hundred, 50));
        Assert.Equal(95, Percentiles.NearestRank(hundred, 95));
        Assert.Equal(99, Percentiles.NearestRank(hundred, 99));
        Assert.Equal(19, Percentiles.NearestRank(twenty, 95)); // 0.95 * 20 is exactly 19
        Assert.Equal(20, Percentiles.NearestRank(twenty, 99));
        Assert.Equal(7, Percentiles.NearestRank([7], 50));
        Assert.Throws<ArgumentException>(() => Percentiles.NearestRank([], 50));
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.NearestRank([1], 0));
    }

    private static (RunStatistics Statistics, ManualClock Clock) Sample()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 29, 15, 0, 0, TimeSpan.Zero));
        var statistics = new RunStatistics(clock);
        // Latencies out of order: 40, 10, 30, 20, 50, 60 ms.
        statistics.Record(MigrationTestData.Result(completed: 2, fileSizes: [1_000_000, 3_000_000], milliseconds: 40));
        statistics.Record(MigrationTestData.Result(completed: 1, fileSizes: [2_000_000], milliseconds: 10));
        statistics.Record(MigrationTestData.Result(MoveOutcome.Failed, 0xA801, milliseconds: 30));
        statistics.Record(MigrationTestData.Result(MoveOutcome.AssociationFailed, null, milliseconds: 20, error: "rejected"));
        statistics.Record(MigrationTestData.Result(MoveOutcome.Failed, 0xA801, milliseconds: 50));
        statistics.Record(MigrationTestData.Result(MoveOutcome.Warning, 0xB000, completed: 1, failed: 1, fileSizes: [4_000_000], milliseconds: 60));
        clock.Now += TimeSpan.FromSeconds(2);
        return (statistics, clock);
    }

    [Fact]
    public void Report_totals_rates_latency_and_failures()
    {
        var (statistics, clock) = Sample();

        var report = statistics.ToReport();

        Assert.Equal(clock.Now, report.FinishedUtc);
        Assert.Equal(2, report.DurationSeconds);
        Assert.Equal((6, 2, 1, 3), (report.Moves, report.Succeeded, report.Warnings, report.Failed));
        Assert.Equal(4, report.Images);
        Assert.Equal(10_000_000, report.Bytes);
        Assert.Equal(2, report.ImagesPerSecond);
        Assert.Equal(5, report.MegabytesPerSecond);
        Assert.Equal(new SubOperationTotals(4, 1, 0), report.SubOperations);
        Assert.Equal(new LatencyReport("nearest-rank", 6, 10, 35, 30, 60, 60, 60), report.LatencyMs);
        Assert.Equal(
            [new FailureGroup("A801", "Failed", 2), new FailureGroup("B000", "Warning", 1), new FailureGroup(null, "AssociationFailed", 1)],
            report.Failures);
    }

    [Fact]
    public void Report_json_has_the_documented_shape()
    {
        using var folder = new TempDirectory("report");
        string path = folder.Combine("report.json");
        Sample().Statistics.ToReport().WriteTo(path);

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;

        Assert.Equal(
            ["schemaVersion", "startedUtc", "finishedUtc", "durationSeconds", "moves", "succeeded", "warnings", "failed",
             "images", "bytes", "megabytes", "imagesPerSecond", "megabytesPerSecond", "subOperations", "latencyMs", "failures"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("2026-11-29T15:00:00+00:00", root.GetProperty("startedUtc").GetString());
        Assert.Equal(6, root.GetProperty("moves").GetInt32());
        Assert.Equal(10_000_000, root.GetProperty("bytes").GetInt64());
        Assert.Equal(10.0, root.GetProperty("megabytes").GetDouble());
        Assert.Equal(5.0, root.GetProperty("megabytesPerSecond").GetDouble());
        Assert.Equal(4, root.GetProperty("subOperations").GetProperty("completed").GetInt64());

        var latency = root.GetProperty("latencyMs");
        Assert.Equal(["method", "count", "min", "mean", "p50", "p95", "p99", "max"], latency.EnumerateObject().Select(p => p.Name));
        Assert.Equal("nearest-rank", latency.GetProperty("method").GetString());
        Assert.Equal(30.0, latency.GetProperty("p50").GetDouble());
        Assert.Equal(60.0, latency.GetProperty("p99").GetDouble());

        var failures = root.GetProperty("failures").EnumerateArray().ToList();
        Assert.Equal(3, failures.Count);
        Assert.Equal("A801", failures[0].GetProperty("status").GetString());
        Assert.Equal("Failed", failures[0].GetProperty("outcome").GetString());
        Assert.Equal(2, failures[0].GetProperty("count").GetInt32());
        Assert.Equal(JsonValueKind.Null, failures[2].GetProperty("status").ValueKind);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void Empty_run_reports_no_latency_and_zero_rates()
    {
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        var report = new RunStatistics(clock).ToReport();

        Assert.Equal(0, report.Moves);
        Assert.Null(report.LatencyMs);
        Assert.Equal(0, report.ImagesPerSecond);
        Assert.Empty(report.Failures);
        using var document = JsonDocument.Parse(report.ToJson());
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("latencyMs").ValueKind);
    }

    [Fact]
    public void Progress_line_shows_rows_volume_rates_eta_and_failures()
    {
        var progress = new ProgressSnapshot(RowsDone: 150, RowsTotal: 1000, Failures: 3, Images: 2400, Bytes: 1_200_000_000,
            Elapsed: TimeSpan.FromSeconds(60), RowsThisRun: 100);

        Assert.Equal(
            "rows 150/1000 (15.0%), 2400 images, 1200.0 MB, 40.0 images/s, 20.0 MB/s, ETA 0:08:30, 3 failed",
            ProgressLine.Format(progress));
    }

    [Fact]
    public void Progress_line_before_the_first_row_and_at_the_end()
    {
        Assert.Contains("ETA --", ProgressLine.Format(new ProgressSnapshot(0, 10, 0, 0, 0, TimeSpan.Zero, 0)));
        Assert.Contains("ETA 0:00:00", ProgressLine.Format(new ProgressSnapshot(10, 10, 0, 5, 5, TimeSpan.FromSeconds(3), 10)));
        Assert.Contains("ETA 27:46:40", ProgressLine.Format(new ProgressSnapshot(1, 100001, 0, 0, 0, TimeSpan.FromSeconds(1), 1)));
    }

    [Fact]
    public void Snapshot_counts_rows_finished_by_earlier_runs()
    {
        var (statistics, _) = Sample();

        var snapshot = statistics.Snapshot(rowsTotal: 20, rowsAlreadyDone: 4);

        Assert.Equal((10, 20, 6, 4, 4L, 10_000_000L), (snapshot.RowsDone, snapshot.RowsTotal, snapshot.RowsThisRun, snapshot.Failures, snapshot.Images, snapshot.Bytes));
        Assert.Equal(TimeSpan.FromSeconds(2), snapshot.Elapsed);
    }
}
