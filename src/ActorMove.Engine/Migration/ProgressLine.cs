using System.Globalization;

namespace ActorMove.Engine.Migration;

/// <summary>Where a run stands.</summary>
/// <param name="RowsDone">Rows finished, including those a previous run finished.</param>
/// <param name="RowsThisRun">Rows finished by this run; the rates and ETA use these.</param>
public sealed record ProgressSnapshot(
    int RowsDone,
    int RowsTotal,
    int Failures,
    long Images,
    long Bytes,
    TimeSpan Elapsed,
    int RowsThisRun);

/// <summary>One plain line of progress for logs and non-terminal output (no cursor movement, no colours).</summary>
public static class ProgressLine
{
    /// <summary>
    /// E.g. "rows 120/5000 (2.4%), 3456 images, 1234.5 MB, 56.7 images/s, 12.3 MB/s, ETA 1:23:45, 3 failed".
    /// MB are 10^6 bytes; the ETA assumes the remaining rows go at this run's pace so far ("ETA --" before any row).
    /// </summary>
    public static string Format(ProgressSnapshot progress)
    {
        var c = CultureInfo.InvariantCulture;
        double seconds = progress.Elapsed.TotalSeconds;
        double megabytes = progress.Bytes / 1e6;
        double percent = progress.RowsTotal > 0 ? 100.0 * progress.RowsDone / progress.RowsTotal : 100.0;
        string imagesPerSecond = seconds > 0 ? (progress.Images / seconds).ToString("0.0", c) : "0.0";
        string megabytesPerSecond = seconds > 0 ? (megabytes / seconds).ToString("0.0", c) : "0.0";
        string eta = "--";
        int remaining = Math.Max(0, progress.RowsTotal - progress.RowsDone);
        if (remaining == 0)
        {
            eta = "0:00:00";
        }
        else if (progress.RowsThisRun > 0)
        {
            var left = TimeSpan.FromSeconds(seconds / progress.RowsThisRun * remaining);
            eta = $"{(long)left.TotalHours}:{left.Minutes:00}:{left.Seconds:00}";
        }

        return string.Create(c,
            $"rows {progress.RowsDone}/{progress.RowsTotal} ({percent:0.0}%), {progress.Images} images, {megabytes:0.0} MB, " +
            $"{imagesPerSecond} images/s, {megabytesPerSecond} MB/s, ETA {eta}, {progress.Failures} failed");
    }
}
