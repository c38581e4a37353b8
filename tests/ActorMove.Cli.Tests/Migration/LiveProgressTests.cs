using ActorMove.Cli.Retrieval;
using ActorMove.Engine.Migration;
using Spectre.Console.Testing;
using Xunit;

namespace ActorMove.Cli.Tests.Migration;

public class LiveProgressTests
{
    [Fact]
    public void The_table_shows_rows_images_rates_eta_and_failures()
    {
        var console = new TestConsole().Width(120);

        console.Write(LiveProgress.Render(new ProgressSnapshot(RowsDone: 30, RowsTotal: 100, Failures: 2, Images: 600, Bytes: 300_000_000,
            Elapsed: TimeSpan.FromSeconds(60), RowsThisRun: 30)));

        string output = console.Output;
        foreach (string heading in new[] { "rows", "images", "MB", "images/s", "MB/s", "ETA", "failures" })
        {
            Assert.Contains(heading, output);
        }

        Assert.Contains("30/100", output);
        Assert.Contains("300.0", output); // MB
        Assert.Contains("10.0", output); // images/s
        Assert.Contains("5.0", output); // MB/s
        Assert.Contains("0:02:20", output); // 70 rows left at 0.5 rows/s
        Assert.Contains(" 2 ", output);
    }

    [Fact]
    public async Task The_live_display_ends_with_the_final_figures()
    {
        var console = new TestConsole().Width(120).Interactive();
        int done = 0;
        using var stop = new CancellationTokenSource();

        var live = LiveProgress.RunAsync(console,
            () => new ProgressSnapshot(Volatile.Read(ref done), 4, 0, Volatile.Read(ref done) * 3, 1_000_000, TimeSpan.FromSeconds(2), Volatile.Read(ref done)),
            stop.Token);
        Volatile.Write(ref done, 4);
        await stop.CancelAsync();
        await live.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains("4/4", console.Output);
    }

    [Fact]
    public void A_redirected_or_foreign_writer_is_no_terminal()
    {
        Assert.False(LiveProgress.IsTerminal(new StringWriter()));
    }
}
