// ActorMove quick start: no PACS needed. It starts the in-process test archive with a generated study on a free
// loopback port, moves the study through the engine (C-MOVE out, C-STOREs back in) and prints a summary.
using System.Diagnostics;
using System.Net;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Engine.Hosting;
using ActorMove.Engine.Retrieve;
using ActorMove.Network.Negotiation;
using ActorMove.Testing.Archive;

const string OurAeTitle = "QUICKSTART";
string root = Path.Combine(Path.GetTempPath(), $"actormove-quickstart-{DateTime.Now:yyyyMMdd-HHmmss}");
string archiveFolder = Path.Combine(root, "archive");
string outputFolder = Path.Combine(root, "received");
Directory.CreateDirectory(outputFolder);

var images = SyntheticStudies.Generate(archiveFolder, seriesPerStudy: 2, imagesPerSeries: 10);
await using var archive = await TestArchive.StartAsync(new TestArchiveOptions { Folder = archiveFolder });
await using var engine = ActorMoveEngine.Start(new ActorMoveOptions
{
    Move = new MoveSettings { AeTitle = OurAeTitle },
    Store = new StoreSettings { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), OutputDirectory = outputFolder },
});
int storePort = await engine.Client.GetStorePortAsync() ?? throw new InvalidOperationException("The store port did not open.");
archive.MapDestination(OurAeTitle, "127.0.0.1", storePort);

var identifier = new DicomDataset();
identifier.AddOrUpdate(new DicomTag(0x0008, 0x0052), DicomVR.CS, "STUDY");
identifier.AddOrUpdate(new DicomTag(0x0020, 0x000D), DicomVR.UI, images[0].StudyInstanceUid);
Console.WriteLine($"Archive {archive.AeTitle} on 127.0.0.1:{archive.Port} holds {images.Count} images of study {images[0].StudyInstanceUid}");
Console.WriteLine($"Moving it to {OurAeTitle} (store port {storePort}) ...");

var clock = Stopwatch.StartNew();
var result = await engine.Client.MoveAsync(
    new MoveRequest("127.0.0.1", archive.Port, identifier, QueryRetrieveModel.StudyRoot, archive.AeTitle),
    new Progress<MoveProgress>(p => Console.WriteLine($"  pending: {p.Counts.Completed} completed, {p.Counts.Remaining} remaining")));
clock.Stop();

long bytes = result.Files.Sum(f => f.Bytes);
Console.WriteLine();
Console.WriteLine($"Outcome:   {result.Outcome} (final status {result.FinalStatus:X4})");
Console.WriteLine($"Images:    {result.Counts.Completed} completed, {result.Counts.Failed} failed, {result.Counts.Warning} warning");
Console.WriteLine($"Written:   {result.Files.Count} files, {bytes / 1e6:F1} MB in {clock.Elapsed.TotalSeconds:F2} s");
Console.WriteLine($"Folder:    {outputFolder}");
return result.Outcome == MoveOutcome.Success && result.Files.Count == images.Count ? 0 : 1;
