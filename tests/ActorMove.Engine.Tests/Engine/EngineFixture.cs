using System.Net;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Engine.Hosting;
using ActorMove.Engine.Retrieve;
using ActorMove.Network.Negotiation;
using ActorMove.Testing;
using ActorMove.Testing.Dcmtk;

namespace ActorMove.Engine.Tests.Engine;

/// <summary>A dcmqrscp archive with generated studies, and an engine whose store port it knows as move destination.</summary>
internal sealed class EngineFixture : IAsyncDisposable
{
    public const string OurAeTitle = "ACTORMOVE";

    private EngineFixture(TempDirectory work, DcmqrscpArchive archive, ActorMoveEngine engine, IReadOnlyList<GeneratedImage> images)
    {
        Work = work;
        Archive = archive;
        Engine = engine;
        Images = images;
    }

    public TempDirectory Work { get; }
    public DcmqrscpArchive Archive { get; }
    public ActorMoveEngine Engine { get; }
    public IReadOnlyList<GeneratedImage> Images { get; }
    public string Output => Work.Combine("out");

    public static async Task<EngineFixture> StartAsync(int patients = 2, int studiesPerPatient = 1, int imagesPerSeries = 2,
        Func<StoreSettings, StoreSettings>? store = null)
    {
        var work = new TempDirectory("engine");
        var images = await Dump2DcmStudies.GenerateAsync(work.Combine("in"), patients, studiesPerPatient, imagesPerSeries: imagesPerSeries, pixelBytes: 20_000);
        Directory.CreateDirectory(work.Combine("out"));
        var storeSettings = new StoreSettings { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), OutputDirectory = work.Combine("out") };
        var engine = ActorMoveEngine.Start(new ActorMoveOptions
        {
            Move = new MoveSettings { AeTitle = OurAeTitle },
            Store = store?.Invoke(storeSettings) ?? storeSettings,
        });
        int port = await engine.Client.GetStorePortAsync() ?? throw new InvalidOperationException("The store port did not open");
        var archive = await DcmqrscpArchive.StartAsync([new MoveDestination(OurAeTitle, port)]);
        await archive.LoadAsync(work.Combine("in"));
        return new EngineFixture(work, archive, engine, images);
    }

    public MoveRequest StudyMove(string studyInstanceUid, int? cancelAfter = null)
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(new DicomTag(0x0008, 0x0052), DicomVR.CS, "STUDY");
        identifier.AddOrUpdate(new DicomTag(0x0020, 0x000D), DicomVR.UI, studyInstanceUid);
        return new MoveRequest("127.0.0.1", Archive.Port, identifier, QueryRetrieveModel.StudyRoot, Archive.AeTitle, CancelAfterResponses: cancelAfter);
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Archive.DisposeAsync();
        Work.Dispose();
    }
}
