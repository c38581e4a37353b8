using System.Globalization;
using System.Text;
using ActorMove.Dicom.IO.Reading;
using ActorMove.Testing;
using ActorMove.Testing.Dcmtk;
using Xunit;

namespace ActorMove.Cli.Tests.Acceptance;

/// <summary>How strictly two received files must agree.</summary>
public enum FileComparison
{
    /// <summary>dcmdump of meta header and data set equal (transfer syntax line included), implementation UID/name aside.</summary>
    Content,

    /// <summary>
    /// As <see cref="Content"/> but the trailing padding (fffc,fffc) may differ in length: +p pads the whole file, meta
    /// header included, and the meta headers differ in length with the implementation UID and name.
    /// </summary>
    ContentExceptTrailingPadding,

    /// <summary>As <see cref="Content"/>, and the data set bytes after the meta header identical (+B, compressed pass-through).</summary>
    DatasetBytes,

    /// <summary>The whole files identical (-F: bare data sets, no meta header to differ in).</summary>
    WholeFile,
}

/// <summary>What one side (movescu or actormove) did: its process result and the files it left in its output folder.</summary>
public sealed record SideResult(string Program, ProcessResult Process, string OutputDirectory)
{
    public IReadOnlyList<string> FileNames =>
        Directory.Exists(OutputDirectory)
            ? [.. Directory.EnumerateFiles(OutputDirectory).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)]
            : [];
}

/// <summary>
/// Runs DCMTK's movescu and our actormove (as a real process: it sets the global Serilog logger) with the same arguments,
/// each with its own move destination, incoming port and output folder, and compares what they did.
/// </summary>
public static class SideBySide
{
    public const string MovescuDestination = "MOVESCU";
    public const string ActorMoveDestination = "ACTORMOVE";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    /// <summary>The actormove built next to this test assembly (the test project references ActorMove.Cli).</summary>
    public static string ActorMoveDll
    {
        get
        {
            string path = Path.Combine(AppContext.BaseDirectory, "actormove.dll");
            Assert.True(File.Exists(path), $"actormove.dll is not next to the test assembly at {path}");
            return path;
        }
    }

    /// <param name="arguments">Everything both get: peer, port, model, keys, options.</param>
    /// <param name="movescuPort">movescu's +P (the archive's AE table maps <see cref="MovescuDestination"/> there).</param>
    /// <param name="actorMovePort">actormove's +P (mapped to <see cref="ActorMoveDestination"/>).</param>
    /// <param name="ownDestinations">False when the case sets -aem itself (both then ask for the same destination).</param>
    /// <param name="createOutputDirectories">False for the missing output folder case.</param>
    public static async Task<(SideResult Movescu, SideResult ActorMove)> RunAsync(TempDirectory work, IReadOnlyList<string> arguments,
        int movescuPort, int actorMovePort, bool ownDestinations = true, bool createOutputDirectories = true)
    {
        string movescuOut = work.Combine("movescu");
        string actorMoveOut = work.Combine("actormove");
        if (createOutputDirectories)
        {
            Directory.CreateDirectory(movescuOut);
            Directory.CreateDirectory(actorMoveOut);
        }

        string[] movescuArguments = [.. Own(MovescuDestination, movescuPort, movescuOut, ownDestinations), .. arguments];
        string[] actorMoveArguments = [ActorMoveDll, .. Own(ActorMoveDestination, actorMovePort, actorMoveOut, ownDestinations), .. arguments];

        // Each runs in its own output folder: movescu 3.6.7 with +B writes into the current directory and ignores -od
        // (its bit-preserving path builds the file name without the output directory), where actormove honours -od.
        // One after the other: both could run at once (dcmqrscp forks per association), but the machine is small.
        var movescu = await DcmtkTool.RunAsync("movescu", movescuArguments, RunTimeout,
            workingDirectory: createOutputDirectories ? movescuOut : work.Path);
        var actorMove = await DcmtkTool.RunAsync("dotnet", actorMoveArguments, RunTimeout,
            workingDirectory: createOutputDirectories ? actorMoveOut : work.Path);
        return (new SideResult("movescu", movescu, movescuOut), new SideResult("actormove", actorMove, actorMoveOut));
    }

    private static string[] Own(string destination, int port, string outputDirectory, bool ownDestination)
    {
        string portText = port.ToString(CultureInfo.InvariantCulture);
        return ownDestination
            ? ["-aem", destination, "+P", portText, "-od", outputDirectory]
            : ["+P", portText, "-od", outputDirectory];
    }

    public static void AssertSameExitCode(SideResult movescu, SideResult actorMove) =>
        Assert.True(movescu.Process.ExitCode == actorMove.Process.ExitCode,
            $"exit codes differ: movescu {movescu.Process.ExitCode}, actormove {actorMove.Process.ExitCode}\n{Describe(movescu, actorMove)}");

    /// <summary>Same exit code, same file names, each pair of files equal as <paramref name="comparison"/> asks.</summary>
    public static async Task AssertSameResultAsync(SideResult movescu, SideResult actorMove, FileComparison comparison)
    {
        AssertSameExitCode(movescu, actorMove);
        var names = movescu.FileNames;
        Assert.True(names.SequenceEqual(actorMove.FileNames, StringComparer.Ordinal),
            $"file names differ:\nmovescu:   {string.Join(' ', names)}\nactormove: {string.Join(' ', actorMove.FileNames)}\n{Describe(movescu, actorMove)}");

        foreach (string name in names)
        {
            string ours = Path.Combine(actorMove.OutputDirectory, name);
            string theirs = Path.Combine(movescu.OutputDirectory, name);
            if (comparison == FileComparison.WholeFile)
            {
                byte[] theirBytes = await File.ReadAllBytesAsync(theirs);
                byte[] ourBytes = await File.ReadAllBytesAsync(ours);
                Assert.True(theirBytes.AsSpan().SequenceEqual(ourBytes), $"{name}: file bytes differ");
                continue;
            }

            string theirDump = await ComparableDumpAsync(theirs, comparison == FileComparison.ContentExceptTrailingPadding);
            string ourDump = await ComparableDumpAsync(ours, comparison == FileComparison.ContentExceptTrailingPadding);
            Assert.True(theirDump == ourDump, $"{name}: dcmdump differs\n{LineDifferences(theirDump, ourDump)}");
            if (comparison == FileComparison.DatasetBytes)
            {
                Assert.True(DatasetBytes(theirs).AsSpan().SequenceEqual(DatasetBytes(ours)), $"{name}: data set bytes differ");
            }
        }
    }

    /// <summary>
    /// <c>dcmdump +L</c> of the whole file (meta header, "# Used TransferSyntax" line and data set), without the lines that
    /// legitimately differ: the implementation class UID and version name name the writing program, and the meta group
    /// length follows their lengths. dcmdump must read the file without complaint.
    /// </summary>
    public static async Task<string> ComparableDumpAsync(string path, bool withoutTrailingPadding = false)
    {
        var result = await DcmtkTool.RunAsync("dcmdump", ["+L", path]);
        Assert.True(result.ExitCode == 0 && result.StdErr.Length == 0, $"dcmdump did not read {path} cleanly: {result}");
        var lines = result.StdOut.ReplaceLineEndings("\n").Split('\n')
            .Where(line => !line.StartsWith("(0002,0000)", StringComparison.Ordinal)
                && !line.StartsWith("(0002,0012)", StringComparison.Ordinal)
                && !line.StartsWith("(0002,0013)", StringComparison.Ordinal)
                && !(withoutTrailingPadding && line.StartsWith("(fffc,fffc)", StringComparison.Ordinal)));
        return string.Join('\n', lines).Trim();
    }

    /// <summary>The file's bytes after the meta header, located by our reader.</summary>
    public static byte[] DatasetBytes(string path)
    {
        long offset;
        using (var file = DicomReader.ReadFile(path))
        {
            offset = file.DatasetOffset;
        }

        return File.ReadAllBytes(path)[(int)offset..];
    }

    /// <summary>The lines only one dump has (shortened), enough to see what differs without pages of pixel data.</summary>
    private static string LineDifferences(string movescuDump, string actorMoveDump)
    {
        static string Short(string line) => line.Length <= 160 ? line : line[..160] + "...";
        string[] theirs = movescuDump.Split('\n');
        string[] ours = actorMoveDump.Split('\n');
        var text = new StringBuilder();
        foreach (string line in theirs.Except(ours))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"movescu only:   {Short(line)}");
        }

        foreach (string line in ours.Except(theirs))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"actormove only: {Short(line)}");
        }

        return text.Length == 0 ? "(same lines in another order)" : text.ToString();
    }

    public static string Describe(params SideResult[] sides)
    {
        var text = new StringBuilder();
        foreach (var side in sides)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"--- {side.Program}: {side.Process}");
        }

        return text.ToString();
    }
}
