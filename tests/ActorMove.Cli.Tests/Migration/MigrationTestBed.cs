using System.Diagnostics;
using System.Globalization;
using System.Text;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Dictionary;
using ActorMove.Engine.Migration;
using ActorMove.Engine.Storage;
using ActorMove.Testing;
using ActorMove.Testing.Archive;
using ActorMove.Testing.Dcmtk;
using Xunit;

namespace ActorMove.Cli.Tests.Migration;

/// <summary>
/// The tests that run the whole CLI against an archive. Program.Run sets Serilog's global logger and starts an engine,
/// so these run one at a time and never alongside another test collection.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CliRunCollection
{
    public const string Name = "actormove CLI runs";
}

/// <summary>
/// An in-process <see cref="TestArchive"/> holding synthetic studies (each in its own folder, each with its own image
/// count so that a file credited to the wrong move shows), a free +P port mapped as the move destination, an output
/// folder, and the command line that moves from the archive into that folder.
/// </summary>
internal sealed class MigrationTestBed : IAsyncDisposable
{
    public const string DestinationAeTitle = "MIGDEST";
    public static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(2);

    private MigrationTestBed(TempDirectory temp, TestArchive archive, int storePort, IReadOnlyList<IReadOnlyList<GeneratedImage>> studies)
    {
        Temp = temp;
        Archive = archive;
        StorePort = storePort;
        Studies = studies;
    }

    public TempDirectory Temp { get; }

    public TestArchive Archive { get; }

    public int StorePort { get; }

    public string OutputFolder => Temp.Combine("received");

    /// <summary>The images of each study, in study order.</summary>
    public IReadOnlyList<IReadOnlyList<GeneratedImage>> Studies { get; }

    /// <summary>The -k keys every test passes, as the manifest applies them (to find the journal's row keys).</summary>
    public static ManifestOptions RowKeyOptions { get; } = new()
    {
        Keys = [new ManifestKey(DicomTags.QueryRetrieveLevel, DicomVR.CS, "STUDY")],
    };

    public static async Task<MigrationTestBed> StartAsync(IReadOnlyList<int> imagesPerStudy, TimeSpan subOperationDelay = default)
    {
        var temp = new TempDirectory("actormove-migration");
        try
        {
            var studies = new List<IReadOnlyList<GeneratedImage>>();
            for (int i = 0; i < imagesPerStudy.Count; i++)
            {
                studies.Add(SyntheticStudies.Generate(temp.Combine("archive", $"study{i + 1}"), imagesPerSeries: imagesPerStudy[i], rows: 32,
                    columns: 32));
            }

            Directory.CreateDirectory(temp.Combine("received"));
            int storePort = LoopbackPort.GetFree();
            var archive = await TestArchive.StartAsync(new TestArchiveOptions
            {
                Folder = temp.Combine("archive"),
                SubOperationDelay = subOperationDelay,
                Destinations = new Dictionary<string, ArchiveDestination> { [DestinationAeTitle] = new("127.0.0.1", storePort) },
            });
            return new MigrationTestBed(temp, archive, storePort, studies);
        }
        catch
        {
            temp.Dispose();
            throw;
        }
    }

    /// <summary>A CSV manifest: a StudyInstanceUID header, then one row per given study.</summary>
    public string WriteManifest(string name, IEnumerable<IReadOnlyList<GeneratedImage>> studies)
    {
        var text = new StringBuilder("StudyInstanceUID\n");
        foreach (var study in studies)
        {
            text.Append(study[0].StudyInstanceUid).Append('\n');
        }

        string path = Temp.Combine(name);
        File.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>Study root, STUDY level, from the archive to our +P port, files into <see cref="OutputFolder"/>.</summary>
    public string[] Arguments(string callingAeTitle, params string[] extra) =>
    [
        "-S", "-aet", callingAeTitle, "-aec", Archive.AeTitle, "-aem", DestinationAeTitle,
        "+P", StorePort.ToString(CultureInfo.InvariantCulture), "-od", OutputFolder, "-k", "QueryRetrieveLevel=STUDY",
        "-to", "10", "-ta", "10", "-td", "30",
        Archive.Host, Archive.Port.ToString(CultureInfo.InvariantCulture), .. extra,
    ];

    /// <summary>The file each image of the study must have become, movescu-named.</summary>
    public IEnumerable<string> ExpectedFiles(IReadOnlyList<GeneratedImage> study) =>
        study.Select(image => OutputFileNames.PathIn(OutputFolder, OutputFileNames.For(image.SopClassUid, image.SopInstanceUid).FileName));

    public void AssertStudyArrived(IReadOnlyList<GeneratedImage> study)
    {
        foreach (string file in ExpectedFiles(study))
        {
            Assert.True(File.Exists(file), $"{file} is missing");
        }
    }

    public string[] TemporaryFilesLeft() =>
        Directory.GetFiles(OutputFolder).Where(f => f.EndsWith(".partial", StringComparison.Ordinal) || f.EndsWith(".converted", StringComparison.Ordinal))
            .ToArray();

    /// <summary>The journal's entry for each study's manifest row, in study order.</summary>
    public IReadOnlyList<JournalEntry> JournalEntries(string manifestPath, string journalPath) =>
        new MigrationTestBedJournal(manifestPath, journalPath).Entries();

    /// <summary>Runs the CLI in-process with captured output.</summary>
    public static (int ExitCode, string StdOut, string StdErr) Run(params string[] arguments)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exitCode = Program.Run(arguments, stdout, stderr);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// The actormove executable as a separate process (dotnet actormove.dll, copied next to the test assembly), started
    /// through <paramref name="launcher"/> when given (a program and its arguments, such as prlimit's).
    /// </summary>
    public static Process StartProcess(IEnumerable<string> arguments, StringBuilder output, IReadOnlyList<string>? launcher = null)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "actormove.dll");
        Assert.True(File.Exists(dll), $"{dll} not found next to the tests");
        string[] command = [.. launcher ?? [], "dotnet", dll, .. arguments];
        var process = new Process { StartInfo = DcmtkTool.CreateStartInfo(command[0], command[1..]) };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static async Task<int> WaitForExitAsync(Process process, StringBuilder output)
    {
        using var timeout = new CancellationTokenSource(ProcessTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"actormove did not finish within {ProcessTimeout}; output:\n{Text(output)}");
        }

        return process.ExitCode;
    }

    public static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Archive.DisposeAsync();
        Temp.Dispose();
    }
}

/// <summary>Reads a journal back row by row, with the row keys the tests' -k QueryRetrieveLevel=STUDY gives.</summary>
internal sealed record MigrationTestBedJournal(string ManifestPath, string JournalPath)
{
    public IReadOnlyList<JournalEntry> Entries()
    {
        var manifest = Manifest.Open(ManifestPath, MigrationTestBed.RowKeyOptions);
        using var journal = MigrationJournal.Open(JournalPath, manifest.Identity);
        return manifest.ReadRows().Select(row => journal.Get(row.Key) ?? throw new Xunit.Sdk.XunitException($"row {row.Row} not in the journal"))
            .ToList();
    }
}
