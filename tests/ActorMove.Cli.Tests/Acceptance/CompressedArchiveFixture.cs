using ActorMove.Testing;
using ActorMove.Testing.Dcmtk;
using Xunit;

namespace ActorMove.Cli.Tests.Acceptance;

/// <summary>
/// Two dcmqrscp archives holding one study of 2 series × 2 images: JPEG lossless (dcmcjpeg) in one, RLE (dcmcrle) in the
/// other. dcmqrscp only stores and sends a compressed syntax it was told to accept (+xs/+xr) and to propose (-xs/-xr), so
/// each archive gets its own. No uncompressed objects: dcmqrscp proposes one context per SOP class with the compressed and
/// the uncompressed syntaxes together, and once the compressed one is accepted it cannot send an uncompressed file on it.
/// </summary>
public sealed class CompressedArchiveFixture : IAsyncLifetime
{
    private readonly TempDirectory _files = new("accept-compressed");

    public int MovescuPort { get; } = LoopbackPort.GetFree();
    public int ActorMovePort { get; } = LoopbackPort.GetFree();
    public DcmqrscpArchive JpegArchive { get; private set; } = null!;
    public DcmqrscpArchive RleArchive { get; private set; } = null!;
    public IReadOnlyList<GeneratedImage> Images { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Images = await Dump2DcmStudies.GenerateAsync(_files.Combine("raw"), seriesPerStudy: 2, imagesPerSeries: 2, pixelBytes: 8192);
        await CompressAsync("dcmcjpeg", "jpeg");
        await CompressAsync("dcmcrle", "rle");

        MoveDestination[] destinations =
            [new(SideBySide.MovescuDestination, MovescuPort), new(SideBySide.ActorMoveDestination, ActorMovePort)];
        JpegArchive = await DcmqrscpArchive.StartAsync(destinations, extraArguments: ["+xs", "-xs"]);
        await JpegArchive.LoadAsync(_files.Combine("jpeg"), "-xs");
        RleArchive = await DcmqrscpArchive.StartAsync(destinations, extraArguments: ["+xr", "-xr"]);
        await RleArchive.LoadAsync(_files.Combine("rle"), "-xr");
    }

    /// <summary>Every image compressed with <paramref name="program"/> into <paramref name="folder"/>.</summary>
    private async Task CompressAsync(string program, string folder)
    {
        Directory.CreateDirectory(_files.Combine(folder));
        foreach (var image in Images)
        {
            string target = _files.Combine(folder, Path.GetFileName(image.Path));
            var result = await DcmtkTool.RunAsync(program, [image.Path, target]);
            Assert.True(result.ExitCode == 0, $"{program} failed: {result}");
        }
    }

    public async Task DisposeAsync()
    {
        if (JpegArchive is not null)
        {
            await JpegArchive.DisposeAsync();
        }

        if (RleArchive is not null)
        {
            await RleArchive.DisposeAsync();
        }

        _files.Dispose();
    }
}
