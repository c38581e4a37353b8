using ActorMove.Testing;
using ActorMove.Testing.Dcmtk;
using Xunit;

namespace ActorMove.Cli.Tests.Acceptance;

/// <summary>
/// One dcmqrscp for the whole acceptance class, loaded with 2 patients × 2 studies × 2 series × 3 images (8 KB pixel data),
/// plus a third study of PAT001 with one series of 12 images for --cancel. Its AE table knows
/// <see cref="SideBySide.MovescuDestination"/> and <see cref="SideBySide.ActorMoveDestination"/>, each on its own port.
/// </summary>
public sealed class UncompressedArchiveFixture : IAsyncLifetime
{
    public const int ImagesPerSeries = 3;
    public const int CancelStudyImages = 12;

    private readonly TempDirectory _files = new("accept-files");

    public int MovescuPort { get; } = LoopbackPort.GetFree();
    public int ActorMovePort { get; } = LoopbackPort.GetFree();
    public DcmqrscpArchive Archive { get; private set; } = null!;

    /// <summary>The grid's images, in patient, study, series, image order.</summary>
    public IReadOnlyList<GeneratedImage> Images { get; private set; } = [];

    /// <summary>The 12-image study (patient PAT001, like the grid's first patient).</summary>
    public IReadOnlyList<GeneratedImage> CancelStudy { get; private set; } = [];

    /// <summary>The image the cases select by: PAT002, its second study, second series, second image.</summary>
    public GeneratedImage Target => Images[12 + 6 + 3 + 1];

    /// <summary>PAT002's first study: the -k override of the query file case moves this one instead.</summary>
    public GeneratedImage OtherStudyImage => Images[12];

    public async Task InitializeAsync()
    {
        Images = await Dump2DcmStudies.GenerateAsync(_files.Combine("grid"), patients: 2, studiesPerPatient: 2, seriesPerStudy: 2,
            imagesPerSeries: ImagesPerSeries, pixelBytes: 8192);
        CancelStudy = await Dump2DcmStudies.GenerateAsync(_files.Combine("cancel"), imagesPerSeries: CancelStudyImages, pixelBytes: 2048);
        Archive = await DcmqrscpArchive.StartAsync(
            [new MoveDestination(SideBySide.MovescuDestination, MovescuPort), new MoveDestination(SideBySide.ActorMoveDestination, ActorMovePort)]);
        await Archive.LoadAsync(_files.Path);
    }

    public async Task DisposeAsync()
    {
        if (Archive is not null)
        {
            await Archive.DisposeAsync();
        }

        _files.Dispose();
    }
}
