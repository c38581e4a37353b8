using System.Globalization;
using ActorMove.Cli.Retrieval;
using ActorMove.Engine.Storage;
using ActorMove.Testing;
using ActorMove.Testing.Archive;
using ActorMove.Testing.Dcmtk;
using Xunit;

namespace ActorMove.Cli.Tests.Retrieval;

/// <summary>
/// A disk that fills up in the middle of an object: the object that cannot be written is refused (A700) and leaves no
/// file, the move running beside it completes, and the process ends normally. The "disk" is the process's file-size limit
/// (<c>ulimit -f</c>, with SIGXFSZ ignored, so a write past it fails with EFBIG as a write to a full disk fails with
/// ENOSPC); the archive is DCMTK's dcmqrscp.
/// </summary>
public class FullDiskTests
{
    private const string DestinationAeTitle = "FULLDISK";
    private const int FileSizeLimitKiB = 256;

    [Fact]
    public async Task An_object_the_disk_cannot_hold_is_refused_and_absent_while_the_other_move_completes()
    {
        using var work = new TempDirectory();
        var small = await Dump2DcmStudies.GenerateAsync(work.Combine("in", "small"), imagesPerSeries: 3, pixelBytes: 20_000);
        var large = await Dump2DcmStudies.GenerateAsync(work.Combine("in", "large"), imagesPerSeries: 1, pixelBytes: 600_000);
        int storePort = LoopbackPort.GetFree();
        await using var archive = await DcmqrscpArchive.StartAsync([new MoveDestination(DestinationAeTitle, storePort)]);
        await archive.LoadAsync(work.Combine("in"));
        string output = work.Combine("out");
        Directory.CreateDirectory(output);
        string manifest = work.Combine("studies.csv");
        await File.WriteAllTextAsync(manifest, $"StudyInstanceUID\n{small[0].StudyInstanceUid}\n{large[0].StudyInstanceUid}\n");

        string actormove = Path.Combine(AppContext.BaseDirectory, "actormove.dll");
        string[] moveArguments =
        [
            actormove, "-S", "-aet", "MOVESCU", "-aec", archive.AeTitle, "-aem", DestinationAeTitle,
            "+P", storePort.ToString(CultureInfo.InvariantCulture), "-od", output, "-k", "QueryRetrieveLevel=STUDY",
            "--manifest", manifest, "--parallel", "2", "-to", "10", "-ta", "10", "-td", "30",
            "127.0.0.1", archive.Port.ToString(CultureInfo.InvariantCulture),
        ];
        // The runtime's executable memory is a memory file as large as the code it maps unless W^X double mapping is off,
        // and the file-size limit would stop the runtime from starting at all.
        var result = await DcmtkTool.RunAsync("bash",
            ["-c", $"trap '' XFSZ; ulimit -f {FileSizeLimitKiB}; exec dotnet \"$@\"", "bash", .. moveArguments], TimeSpan.FromMinutes(2),
            environment: new Dictionary<string, string> { ["DOTNET_EnableWriteXorExecute"] = "0" });

        // Ended by itself, not by a signal: dcmqrscp answers the move whose only sub-operation failed with A702, which is
        // movescu's exit code 69.
        Assert.True(result.ExitCode == ExitCodes.MoveError, result.ToString());
        foreach (var image in small)
        {
            string file = Path.Combine(output, OutputFileNames.For(image.SopClassUid, image.SopInstanceUid).FileName);
            Assert.Equal(Dcmdump.DatasetText(image.Path), Dcmdump.DatasetText(file));
        }

        string largeFile = Path.Combine(output, OutputFileNames.For(large[0].SopClassUid, large[0].SopInstanceUid).FileName);
        Assert.False(File.Exists(largeFile), "the object the disk could not hold was kept");
        Assert.Equal(small.Count, Directory.GetFiles(output).Length);
        // Reported as the store's failure, not as a crash of the writer.
        Assert.Contains("W: Store 1 failed: cannot write", result.StdErr);
        Assert.DoesNotContain("Exception", result.StdErr);
    }

    [Fact]
    public async Task An_object_whose_converted_file_the_disk_cannot_hold_is_refused_and_absent()
    {
        // The spool (the object as received) fits the limit; the file the output options ask for does not: +p pads it
        // to a multiple of 300,000 bytes, past the limit. So the converted file is the one refused, not the spool.
        const int FilePadding = 300_000;
        using var work = new TempDirectory();
        var image = SyntheticStudies.Generate(work.Combine("archive"), imagesPerSeries: 1, rows: 256, columns: 300).Single();
        long received = new FileInfo(image.Path).Length;
        Assert.True(received < FileSizeLimitKiB * 1024 - 4096, $"the object as received ({received} bytes) must fit the limit");
        Assert.True(FilePadding > FileSizeLimitKiB * 1024, "the padded file must not fit the limit");

        await MoveTheOnlyObjectAndExpectItRefusedAsync(work, image, ["+p", FilePadding.ToString(CultureInfo.InvariantCulture), "0"]);
    }

    [Fact]
    public async Task A_deflated_object_the_disk_cannot_hold_inflated_is_refused_and_absent()
    {
        // The object arrives deflated, small enough for the limit, and is to be written inflated (+te): the spool fits,
        // the inflated data set (first a scratch file, then the converted file) does not.
        using var work = new TempDirectory();
        var image = SyntheticStudies.Generate(work.Combine("archive"), imagesPerSeries: 1, rows: 512, columns: 600).Single();
        string deflated = image.Path + ".deflated";
        var conversion = await DcmtkTool.RunAsync("dcmconv", ["+td", image.Path, deflated]);
        Assert.True(conversion.ExitCode == 0, conversion.ToString());
        File.Move(deflated, image.Path, overwrite: true);
        Assert.True(new FileInfo(image.Path).Length < FileSizeLimitKiB * 1024 / 4, "the deflated object must fit well within the limit");

        await MoveTheOnlyObjectAndExpectItRefusedAsync(work, image, ["+xd", "+te"]);
    }

    /// <summary>
    /// Moves <paramref name="image"/>, the only object of a <see cref="TestArchive"/> in <c>work/archive</c>, with
    /// actormove under the file-size limit and the given output options, and checks that it was refused and left nothing.
    /// </summary>
    private static async Task MoveTheOnlyObjectAndExpectItRefusedAsync(TempDirectory work, GeneratedImage image, string[] outputOptions)
    {
        int storePort = LoopbackPort.GetFree();
        await using var archive = await TestArchive.StartAsync(new TestArchiveOptions
        {
            Folder = work.Combine("archive"),
            Destinations = new Dictionary<string, ArchiveDestination> { [DestinationAeTitle] = new("127.0.0.1", storePort) },
        });
        string output = work.Combine("out");
        Directory.CreateDirectory(output);
        string[] moveArguments =
        [
            Path.Combine(AppContext.BaseDirectory, "actormove.dll"), "-S", "-aet", "MOVESCU", "-aec", archive.AeTitle,
            "-aem", DestinationAeTitle, "+P", storePort.ToString(CultureInfo.InvariantCulture), "-od", output, .. outputOptions,
            "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={image.StudyInstanceUid}", "-to", "10", "-ta", "10", "-td", "30",
            archive.Host, archive.Port.ToString(CultureInfo.InvariantCulture),
        ];
        var result = await DcmtkTool.RunAsync("bash",
            ["-c", $"trap '' XFSZ; ulimit -f {FileSizeLimitKiB}; exec dotnet \"$@\"", "bash", .. moveArguments], TimeSpan.FromMinutes(2),
            environment: new Dictionary<string, string> { ["DOTNET_EnableWriteXorExecute"] = "0" });

        // The store was answered A700, the archive counted it failed and ended the move with B000 (sub-operations complete,
        // with failures): movescu's exit code for a warning. Ended by itself, not by a signal or a timeout.
        Assert.True(result.ExitCode == ExitCodes.MoveWarning, result.ToString());
        Assert.True(archive.Moves.Count == 1, $"{result}\narchive failures: {string.Join('\n', archive.Failures)}");
        var move = archive.Moves[0];
        Assert.Equal((0, 1), (move.Completed, move.Failed));
        // Neither the final file nor a temporary one.
        Assert.Empty(Directory.GetFiles(output));
        // Reported as the store's failure, not as a crash of the writer.
        Assert.Contains("W: Could not complete", result.StdErr);
        Assert.Contains("the file system refused", result.StdErr);
        Assert.DoesNotContain("Exception", result.StdErr);
    }
}
