using System.Globalization;
using ActorMove.Network.Dimse;
using ActorMove.Network.Negotiation;
using ActorMove.Network.Services;
using ActorMove.Testing;
using ActorMove.Testing.Archive;
using Xunit;

namespace ActorMove.Cli.Tests.Acceptance;

/// <summary>
/// movescu and actormove against archives that answer badly: every final status a C-MOVE can end with, an association
/// the archive rejects, one that accepts no MOVE context, a port nobody listens on. Both must print the same lines and
/// end with the same exit code; the archive is the in-process <see cref="TestArchive"/>, which can be told to answer so.
/// </summary>
public class ArchiveAnswerTests
{
    private static async Task<(SideResult Movescu, SideResult ActorMove)> RunBothAsync(TempDirectory work, TestArchiveOptions options, params string[] extra)
    {
        Directory.CreateDirectory(options.Folder);
        await using var archive = await TestArchive.StartAsync(options);
        return await SideBySide.RunAsync(work,
            ["-S", "-aec", archive.AeTitle, "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=1.2.3", .. extra, archive.Host,
                archive.Port.ToString(CultureInfo.InvariantCulture)],
            LoopbackPort.GetFree(), LoopbackPort.GetFree());
    }

    private static void AssertSameOutput(SideResult movescu, SideResult actorMove, int exitCode)
    {
        SideBySide.AssertSameExitCode(movescu, actorMove);
        Assert.True(movescu.Process.ExitCode == exitCode, SideBySide.Describe(movescu, actorMove));
        Assert.True(movescu.Process.StdErr.ReplaceLineEndings("\n") == actorMove.Process.StdErr.ReplaceLineEndings("\n"),
            "stderr differs\n" + SideBySide.Describe(movescu, actorMove));
    }

    [Theory]
    [InlineData((ushort)0xB000, 68)] // the one warning status movescu exits 68 for
    [InlineData((ushort)0xB006, 69)] // other warning statuses are "error status" to movescu
    [InlineData((ushort)0x0107, 69)]
    [InlineData((ushort)0xA801, 69)]
    [InlineData((ushort)0xA702, 69)]
    [InlineData((ushort)0xA900, 69)]
    [InlineData((ushort)0xC123, 69)]
    [InlineData((ushort)0xFE00, 0)]
    public async Task A_final_status_gives_movescus_line_and_exit_code(ushort status, int exitCode)
    {
        using var work = new TempDirectory("answer");
        var (movescu, actorMove) = await RunBothAsync(work, new TestArchiveOptions { Folder = work.Combine("archive"), AnswerEveryMoveWith = status });

        AssertSameOutput(movescu, actorMove, exitCode);
        if (exitCode != 0)
        {
            Assert.Contains($"({DimseStatus.DcmtkMoveStatusText(status)})", actorMove.Process.StdErr);
        }
    }

    [Fact]
    public async Task A_rejected_association_gives_movescus_three_lines()
    {
        using var work = new TempDirectory("answer");
        var (movescu, actorMove) = await RunBothAsync(work, new TestArchiveOptions { Folder = work.Combine("archive") }, "-aec", "NOT-THE-ARCHIVE");

        AssertSameOutput(movescu, actorMove, 61);
        Assert.Contains("F: Reason: Called AE Title Not Recognized", actorMove.Process.StdErr);
    }

    [Fact]
    public async Task An_archive_that_accepts_no_context_at_all_gives_movescus_exit_code_66()
    {
        using var work = new TempDirectory("answer");
        var options = new TestArchiveOptions { Folder = work.Combine("archive"), RefusedSopClasses = TestArchive.ServedSopClasses };

        var (movescu, actorMove) = await RunBothAsync(work, options);

        AssertSameOutput(movescu, actorMove, 66);
        Assert.Contains("F: No Acceptable Presentation Contexts", actorMove.Process.StdErr);
    }

    [Fact]
    public async Task An_archive_that_accepts_other_contexts_but_not_the_move_gets_movescus_line_and_exit_code_66()
    {
        using var work = new TempDirectory("answer");
        var options = new TestArchiveOptions
        {
            Folder = work.Combine("archive"),
            RefusedSopClasses = new HashSet<string> { MoveAssociationProposals.MoveSopClass(QueryRetrieveModel.StudyRoot) },
        };

        var (movescu, actorMove) = await RunBothAsync(work, options);

        // movescu says so in the same words and exits 0; ours exits 66, so that a script sees nothing was moved (README).
        Assert.True(movescu.Process.StdErr.ReplaceLineEndings("\n") == actorMove.Process.StdErr.ReplaceLineEndings("\n"),
            "stderr differs\n" + SideBySide.Describe(movescu, actorMove));
        Assert.Equal("E: Move SCU Failed: 0006:0208 DIMSE No valid Presentation Context ID\n", actorMove.Process.StdErr.ReplaceLineEndings("\n"));
        Assert.Equal(0, movescu.Process.ExitCode);
        Assert.Equal(66, actorMove.Process.ExitCode);
    }

    [Fact]
    public async Task A_port_nobody_listens_on_gives_movescus_two_lines()
    {
        using var work = new TempDirectory("answer");
        string closedPort = LoopbackPort.GetFree().ToString(CultureInfo.InvariantCulture);

        var (movescu, actorMove) = await SideBySide.RunAsync(work, ["-S", "-k", "QueryRetrieveLevel=STUDY", "127.0.0.1", closedPort],
            LoopbackPort.GetFree(), LoopbackPort.GetFree());

        AssertSameOutput(movescu, actorMove, 61);
        Assert.Contains("F: 0006:031c TCP Initialization Error: Connection refused", actorMove.Process.StdErr);
    }

    [Fact]
    public async Task A_store_port_in_use_gives_movescus_line_and_exit_code_60()
    {
        using var work = new TempDirectory("answer");
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.IPv6Any, 0);
        holder.Server.DualMode = true;
        holder.Start();
        int busyPort = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;

        var (movescu, actorMove) = await SideBySide.RunAsync(work, ["-S", "-k", "QueryRetrieveLevel=STUDY", "127.0.0.1", "104"], busyPort, busyPort);

        AssertSameOutput(movescu, actorMove, 60);
        Assert.Equal("F: cannot create network: 0006:031c TCP Initialization Error: Address already in use\n",
            actorMove.Process.StdErr.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("0A000000000400000000", "0006:0321 Unrecognized PDU type:  a")] // no such PDU type
    [InlineData("48454C4C4F0A00000000", "0006:0321 Unrecognized PDU type: 48")] // text, not DICOM
    [InlineData("07000000000400000201", "0006:0317 Peer aborted Association (or never connected)")] // A-ABORT
    [InlineData("", "0006:0317 Peer aborted Association (or never connected)")] // the connection closes
    public async Task A_peer_answering_the_association_request_badly_gives_movescus_lines(string answerHex, string condition)
    {
        using var work = new TempDirectory("answer");
        byte[] answer = Convert.FromHexString(answerHex);
        using var peer = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        peer.Start();
        using var stop = new CancellationTokenSource();
        var serving = Task.Run(async () =>
        {
            // movescu's connection, then actormove's: read the A-ASSOCIATE-RQ, answer, close.
            for (int i = 0; i < 2; i++)
            {
                using var client = await peer.AcceptTcpClientAsync(stop.Token);
                var stream = client.GetStream();
                // The whole A-ASSOCIATE-RQ or a part of it: the answer is the same.
                _ = await stream.ReadAsync(new byte[65536], stop.Token);
                await stream.WriteAsync(answer, stop.Token);
                await stream.FlushAsync(stop.Token);
                await Task.Delay(200, stop.Token);
            }
        });
        string port = ((System.Net.IPEndPoint)peer.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);

        var (movescu, actorMove) = await SideBySide.RunAsync(work, ["-S", "-k", "QueryRetrieveLevel=STUDY", "127.0.0.1", port],
            LoopbackPort.GetFree(), LoopbackPort.GetFree());
        await stop.CancelAsync();
        try
        {
            await serving.WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (OperationCanceledException)
        {
            // Both connections were served before it stopped, or it was waiting for a third that never comes.
        }

        AssertSameOutput(movescu, actorMove, 61);
        Assert.Equal($"F: Association Request Failed:\nF: {condition}\n", actorMove.Process.StdErr.ReplaceLineEndings("\n"));
    }
}
