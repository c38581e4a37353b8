using System.Globalization;
using ActorMove.Engine.Migration;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ActorMove.Cli.Retrieval;

/// <summary>
/// The live progress display of manifest and parallel runs on a terminal (Spectre.Console, on stderr so that stdout
/// stays clean); redirected output gets the plain <see cref="ProgressLine"/> instead.
/// </summary>
internal static class LiveProgress
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>A live display only makes sense on the process's own stderr when it is a terminal.</summary>
    public static bool IsTerminal(TextWriter stderr) => ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;

    public static IAnsiConsole StderrConsole() =>
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    /// <summary>Redraws the table until <paramref name="stop"/>, then once more with the final figures.</summary>
    public static Task RunAsync(IAnsiConsole console, Func<ProgressSnapshot> snapshot, CancellationToken stop) =>
        console.Live(Render(snapshot())).AutoClear(false).StartAsync(async context =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(RefreshInterval, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // The run is over: draw the last figures below.
                }

                context.UpdateTarget(Render(snapshot()));
            }
        });

    /// <summary>rows done/total, images, MB, images/s, MB/s, ETA and failures, as one table row.</summary>
    public static IRenderable Render(ProgressSnapshot snapshot)
    {
        double seconds = Math.Max(snapshot.Elapsed.TotalSeconds, 0.001);
        double imagesPerSecond = snapshot.Images / seconds;
        double megabytes = snapshot.Bytes / 1e6;
        double rowsPerSecond = snapshot.RowsThisRun / seconds;
        int rowsLeft = Math.Max(snapshot.RowsTotal - snapshot.RowsDone, 0);
        string eta = rowsPerSecond > 0 && rowsLeft > 0 ? TimeSpan.FromSeconds(rowsLeft / rowsPerSecond).ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : "-";
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("rows", "images", "MB", "images/s", "MB/s", "ETA", "failures");
        table.AddRow(
            $"{snapshot.RowsDone}/{snapshot.RowsTotal}",
            snapshot.Images.ToString(CultureInfo.InvariantCulture),
            megabytes.ToString("F1", CultureInfo.InvariantCulture),
            imagesPerSecond.ToString("F1", CultureInfo.InvariantCulture),
            (megabytes / seconds).ToString("F1", CultureInfo.InvariantCulture),
            eta,
            snapshot.Failures == 0 ? "0" : $"[red]{snapshot.Failures}[/]");
        return table;
    }
}
