using System.Net.Sockets;
using System.Text;
using ActorMove.Cli.Tests.Migration;
using Xunit;

namespace ActorMove.Cli.Tests.Retrieval;

/// <summary>
/// More connections on the store port than the process has file descriptors for: the listener takes them only up to
/// its descriptor budget (the rest wait in the kernel's backlog), the move under way completes, and the process ends
/// normally. Without the budget the flood took every descriptor and the runtime aborted. The limit is set with prlimit
/// on a separate actormove process.
/// </summary>
public class DescriptorExhaustionTests
{
    private const int DescriptorLimit = 160;
    private const int Connections = 300;

    [Fact]
    public async Task A_flood_of_connections_past_the_descriptor_limit_neither_spins_nor_ends_the_move()
    {
        // Three sub-operations 4 s apart: the flood holds every descriptor between the first and the second (a store that
        // arrived meanwhile could not create its file, and would be refused, correctly, with A700).
        await using var bed = await MigrationTestBed.StartAsync([3], subOperationDelay: TimeSpan.FromSeconds(4));
        var output = new StringBuilder();
        using var process = MigrationTestBed.StartProcess(
            [.. bed.Arguments("FLOODED"), "-k", $"StudyInstanceUID={bed.Studies[0][0].StudyInstanceUid}"], output,
            launcher: ["prlimit", $"--nofile={DescriptorLimit}:{DescriptorLimit}"]);

        await WaitForFirstFileAsync(bed.OutputFolder, process, output);
        var flood = new List<TcpClient>();
        try
        {
            for (int i = 0; i < Connections; i++)
            {
                var client = new TcpClient();
                flood.Add(client);
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                    await client.ConnectAsync("127.0.0.1", bed.StorePort, timeout.Token);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException)
                {
                    // Past the listen backlog the kernel may refuse or drop: that is the point of the flood.
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        finally
        {
            flood.ForEach(client => client.Dispose());
        }

        int exitCode = await MigrationTestBed.WaitForExitAsync(process, output);

        string text = MigrationTestBed.Text(output);
        Assert.True(exitCode == 0, text);
        bed.AssertStudyArrived(bed.Studies[0]);
        // The listener stopped taking connections at its budget, so the process never ran out of descriptors (the runtime
        // aborts with "Out of memory" when it does); the rest of the flood waited in the backlog and was served after.
        Assert.DoesNotContain("Too many open files", text);
        Assert.DoesNotContain("Out of memory", text);
        // Said once, with the numbers: (160 - 64 reserved) / 5 descriptors per association (socket, spool, the reader's
        // handle on it, inflated, converted).
        const string busy = "W: Store port busy: 19 associations at once, all that the open-file limit (160, ulimit -n) leaves room for";
        Assert.True(text.Split('\n').Count(line => line.StartsWith(busy, StringComparison.Ordinal)) == 1, text);
    }

    [Fact]
    public async Task With_max_associations_a_connection_past_the_limit_waits_and_the_move_completes()
    {
        // Three sub-operations 2 s apart keep the archive's store association open while another connection knocks.
        await using var bed = await MigrationTestBed.StartAsync([3], subOperationDelay: TimeSpan.FromSeconds(2));
        var output = new StringBuilder();
        using var process = MigrationTestBed.StartProcess(
            [.. bed.Arguments("LIMITED", "--max-associations", "1"), "-k", $"StudyInstanceUID={bed.Studies[0][0].StudyInstanceUid}"], output);

        await WaitForFirstFileAsync(bed.OutputFolder, process, output);
        using (var waiting = new TcpClient())
        {
            await waiting.ConnectAsync("127.0.0.1", bed.StorePort);
            int exitCode = await MigrationTestBed.WaitForExitAsync(process, output);

            string text = MigrationTestBed.Text(output);
            Assert.True(exitCode == 0, text);
            bed.AssertStudyArrived(bed.Studies[0]);
            const string busy = "W: Store port busy: 1 associations at once, its configured maximum (max-associations); further ones wait until one ends";
            Assert.True(text.Split('\n').Count(line => line.TrimEnd('\r') == busy) == 1, text);
        }
    }

    private static async Task WaitForFirstFileAsync(string folder, System.Diagnostics.Process process, StringBuilder output)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (Directory.GetFiles(folder).Length == 0)
        {
            Assert.False(process.HasExited, MigrationTestBed.Text(output));
            await Task.Delay(50, timeout.Token);
        }
    }
}
