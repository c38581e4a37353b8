using System.Text;
using ActorMove.Testing;
using Xunit;

namespace ActorMove.Cli.Tests.Acceptance;

/// <summary>
/// -v: actormove prints movescu's lines. Stores and pending responses arrive on two associations, and movescu's single loop
/// fixes an order between them that ours need not share, so the lines are compared as a multiset (each line as often in
/// one as in the other), and the RECV progress lines on stdout likewise.
/// </summary>
public partial class MoveAcceptanceTests
{
    [Theory]
    [InlineData("study root, study", new[] { "-S", "-k", "0008,0052=STUDY", "-k", "StudyInstanceUID={study}" })]
    [InlineData("patient root, series, keys in tag form", new[] { "-P", "-k", "0008,0052=SERIES", "-k", "0010,0020={patient}",
        "-k", "0020,000d={study}", "-k", "0020,000e={series}", "-k", "PatientName" })]
    [InlineData("query file in explicit VR", new[] { "-S", QueryFile })]
    [InlineData("query file in implicit VR, with an empty key", new[] { "-S", ImplicitQueryFile, "-k", "PatientName" })]
    [InlineData("--abort", new[] { "-S", "--abort", "-k", "0008,0052=STUDY", "-k", "StudyInstanceUID={study}" })]
    [InlineData("--ignore", new[] { "-S", "--ignore", "-k", "0008,0052=STUDY", "-k", "StudyInstanceUID={study}" })]
    [InlineData("-ll info", new[] { "-ll", "info", "-S", "-k", "0008,0052=STUDY", "-k", "StudyInstanceUID={study}" })]
    public async Task Verbose_prints_movescus_lines(string name, string[] arguments)
    {
        using var work = new TempDirectory("accept");
        string[] verbose = arguments.Contains("-ll") ? arguments : ["-v", .. arguments];
        var (movescu, actorMove) = await RunBothAsync(work, verbose);

        SideBySide.AssertSameExitCode(movescu, actorMove);
        Assert.Equal(0, movescu.Process.ExitCode);
        AssertSameLines(name + ", stderr", movescu.Process.StdErr, actorMove.Process.StdErr);
        AssertSameLines(name + ", stdout", movescu.Process.StdOut, actorMove.Process.StdOut);
        // The case must have shown what it is about: the request, and (but for --ignore's files) one RECV line per store.
        Assert.Contains("I: Request Identifiers:", actorMove.Process.StdErr);
        Assert.Contains("I: Received Final Move Response (Success)", actorMove.Process.StdErr);
        Assert.Equal(Occurrences(movescu.Process.StdErr, "I: Received Store Request ("), Occurrences(actorMove.Process.StdOut, "RECV: "));
        Assert.True(Occurrences(actorMove.Process.StdOut, "RECV: ") > 0, SideBySide.Describe(movescu, actorMove));
    }

    [Fact]
    public async Task Verbose_names_an_implicit_vr_query_files_transfer_syntax_like_movescu()
    {
        using var work = new TempDirectory("accept");
        var (movescu, actorMove) = await RunBothAsync(work, ["-v", "-S", ImplicitQueryFile]);

        Assert.Contains("I: # Used TransferSyntax: Little Endian Implicit", movescu.Process.StdErr);
        Assert.Contains("I: # Used TransferSyntax: Little Endian Implicit", actorMove.Process.StdErr);
    }

    [Fact]
    public async Task Verbose_prints_movescus_lines_for_an_unknown_move_destination()
    {
        using var work = new TempDirectory("accept");
        var (movescu, actorMove) = await RunBothAsync(work,
            ["-v", "-aem", "NOWHERE", "-S", "-k", "0008,0052=STUDY", "-k", $"StudyInstanceUID={Study}"], ownDestinations: false);

        SideBySide.AssertSameExitCode(movescu, actorMove);
        Assert.Equal(69, movescu.Process.ExitCode);
        // The info lines; the warning says it in other words (README: documented differences).
        AssertSameLines("A801, info lines", InfoLines(movescu.Process.StdErr), InfoLines(actorMove.Process.StdErr));
        Assert.Contains("I: Received Final Move Response (Refused: MoveDestinationUnknown)", actorMove.Process.StdErr);
    }

    [Fact]
    public async Task Verbose_prints_movescus_lines_for_each_repetition()
    {
        using var work = new TempDirectory("accept");
        var (movescu, actorMove) = await RunBothAsync(work, ["-v", "-S", "--repeat", "2", "-k", "0008,0052=STUDY", "-k", $"StudyInstanceUID={Study}"]);

        SideBySide.AssertSameExitCode(movescu, actorMove);
        // Both number the requests 1 and 2, on one association that both moves share.
        Assert.Contains("I: Sending Move Request (MsgID 2)", actorMove.Process.StdErr);
        foreach (string line in (string[])["I: Requesting Association", "I: Association Accepted (", "I: Releasing Association"])
        {
            Assert.Equal(1, Occurrences(movescu.Process.StdErr, line));
            Assert.Equal(1, Occurrences(actorMove.Process.StdErr, line));
        }

        string Comparable(SideResult side) => string.Join('\n', Lines(side.Process.StdErr)
            // The overwrite warnings name each side's own output folder.
            .Select(l => l.Replace(side.OutputDirectory, "<od>", StringComparison.Ordinal)));
        AssertSameLines("--repeat 2, stderr", Comparable(movescu), Comparable(actorMove));
        AssertSameLines("--repeat 2, stdout", movescu.Process.StdOut, actorMove.Process.StdOut);
    }

    [Fact]
    public async Task Debug_prints_no_progress_lines_like_movescu()
    {
        using var work = new TempDirectory("accept");
        var (movescu, actorMove) = await RunBothAsync(work, ["-d", "-S", "-k", "0008,0052=STUDY", "-k", $"StudyInstanceUID={Study}"]);

        Assert.Equal(0, movescu.Process.ExitCode);
        Assert.Equal(6, movescu.FileNames.Count);
        Assert.Equal("", movescu.Process.StdOut);
        Assert.Equal("", actorMove.Process.StdOut);
    }

    private static string InfoLines(string stderr) => string.Join('\n', Lines(stderr).Where(l => l.StartsWith("I: ", StringComparison.Ordinal)));

    private static IEnumerable<string> Lines(string text) => text.ReplaceLineEndings("\n").Split('\n').Where(l => l.Length > 0);

    /// <summary>The same lines, each as many times, in whatever order; the message lists what only one side has.</summary>
    private static void AssertSameLines(string what, string movescu, string actorMove)
    {
        var theirs = Lines(movescu).Order(StringComparer.Ordinal).ToList();
        var ours = Lines(actorMove).Order(StringComparer.Ordinal).ToList();
        if (theirs.SequenceEqual(ours))
        {
            return;
        }

        var message = new StringBuilder($"{what}: the lines differ\n");
        foreach (var group in theirs.GroupBy(l => l))
        {
            int difference = group.Count() - ours.Count(l => l == group.Key);
            if (difference != 0)
            {
                message.Append($"movescu {difference:+#;-#}: {group.Key}\n");
            }
        }

        foreach (string line in ours.Distinct().Where(l => !theirs.Contains(l)))
        {
            message.Append($"actormove only: {line}\n");
        }

        message.Append($"--- movescu:\n{movescu}\n--- actormove:\n{actorMove}");
        Assert.Fail(message.ToString());
    }
}
