using System.Globalization;
using ActorMove.Testing;
using Xunit;

namespace ActorMove.Cli.Tests.Acceptance;

/// <summary>
/// movescu and actormove side by side against archives holding JPEG lossless and RLE files: with +xa (or the matching
/// preference) both accept the compressed syntax, store the objects compressed, and the data set bytes are identical.
/// </summary>
public class CompressedMoveAcceptanceTests : IClassFixture<CompressedArchiveFixture>
{
    private const string JpegLossless = "JPEGLossless:Non-hierarchical-1stOrderPrediction";
    private const string RleLossless = "RLELossless";

    private readonly CompressedArchiveFixture _archives;

    public CompressedMoveAcceptanceTests(CompressedArchiveFixture archives)
    {
        _archives = archives;
    }

    [Theory]
    [InlineData("jpeg", "+xa")]
    [InlineData("jpeg", "+xs")]
    [InlineData("rle", "+xa")]
    [InlineData("rle", "+xr")]
    public async Task Compressed_objects_are_stored_as_received_like_movescu(string archiveName, string preference)
    {
        using var work = new TempDirectory("accept");
        var archive = archiveName == "jpeg" ? _archives.JpegArchive : _archives.RleArchive;
        var (movescu, actorMove) = await RunBothAsync(work, archiveName,
            ["-S", preference, "-k", "0008,0052=STUDY", "-k", $"StudyInstanceUID={_archives.Images[0].StudyInstanceUid}"]);

        await SideBySide.AssertSameResultAsync(movescu, actorMove, FileComparison.DatasetBytes);
        Assert.True(movescu.Process.ExitCode == 0, SideBySide.Describe(movescu, actorMove) + archive.Log);
        Assert.Equal(_archives.Images.Count, movescu.FileNames.Count);
        // Stored as received: still compressed.
        string compressed = archiveName == "jpeg" ? JpegLossless : RleLossless;
        int compressedFiles = 0;
        foreach (string name in actorMove.FileNames)
        {
            if ((await SideBySide.ComparableDumpAsync(Path.Combine(actorMove.OutputDirectory, name))).Contains($"(0002,0010) UI ={compressed} ", StringComparison.Ordinal))
            {
                compressedFiles++;
            }
        }

        Assert.Equal(_archives.Images.Count, compressedFiles);
    }

    /// <summary>
    /// Without a compressed syntax on offer, dcmqrscp cannot send the compressed objects (it does not decompress):
    /// every sub-operation fails, and both tools must report the same failure.
    /// </summary>
    [Theory]
    [InlineData("jpeg")]
    [InlineData("rle")]
    public async Task Compressed_objects_without_a_compressed_syntax_fail_like_movescu(string archiveName)
    {
        using var work = new TempDirectory("accept");
        var (movescu, actorMove) = await RunBothAsync(work, archiveName,
            ["-S", "-k", "0008,0052=STUDY", "-k", $"StudyInstanceUID={_archives.Images[0].StudyInstanceUid}"]);

        await SideBySide.AssertSameResultAsync(movescu, actorMove, FileComparison.Content);
        Assert.NotEqual(0, movescu.Process.ExitCode);
        Assert.Empty(movescu.FileNames);
    }

    private async Task<(SideResult Movescu, SideResult ActorMove)> RunBothAsync(TempDirectory work, string archiveName, string[] arguments)
    {
        var archive = archiveName == "jpeg" ? _archives.JpegArchive : _archives.RleArchive;
        string[] resolved = [.. arguments, "-aec", archive.AeTitle, "127.0.0.1", archive.Port.ToString(CultureInfo.InvariantCulture)];
        return await SideBySide.RunAsync(work, resolved, _archives.MovescuPort, _archives.ActorMovePort);
    }
}
