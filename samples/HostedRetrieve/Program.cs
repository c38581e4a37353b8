// The engine embedded in a generic-host application through Akka.Hosting: WithActorMove adds the actors,
// AddRetrieveClient gives services an IRetrieveClient. A hosted service moves one study from the in-process
// test archive (stand-in for a PACS) and stops the application.
using System.Net;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Engine.Hosting;
using ActorMove.Engine.Retrieve;
using ActorMove.Network.Negotiation;
using ActorMove.Network.Transport;
using ActorMove.Testing.Archive;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// This application blocks in none of its own socket code, so socket completions may run on the polling threads; the
// runtime reads the setting once, at the first socket operation (README, "Embedding").
InlineSocketCompletions.PreferForThisProcess();

string root = Path.Combine(Path.GetTempPath(), $"actormove-hosted-{DateTime.Now:yyyyMMdd-HHmmss}");
Directory.CreateDirectory(Path.Combine(root, "received"));

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddAkka("hosted-retrieve", (akka, _) => akka.WithActorMove(new ActorMoveOptions
{
    Move = new MoveSettings { AeTitle = "HOSTED" },
    Store = new StoreSettings { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), OutputDirectory = Path.Combine(root, "received") },
}));
builder.Services.AddRetrieveClient();
builder.Services.AddHostedService(provider => new MoveOneStudy(
    provider.GetRequiredService<IRetrieveClient>(), provider.GetRequiredService<IHostApplicationLifetime>(), root));
await builder.Build().RunAsync();

internal sealed class MoveOneStudy(IRetrieveClient client, IHostApplicationLifetime lifetime, string root) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var images = SyntheticStudies.Generate(Path.Combine(root, "archive"), imagesPerSeries: 5);
            await using var archive = await TestArchive.StartAsync(new TestArchiveOptions { Folder = Path.Combine(root, "archive") });
            int port = await client.GetStorePortAsync(stoppingToken) ?? throw new InvalidOperationException("No store port");
            archive.MapDestination("HOSTED", "127.0.0.1", port);

            var identifier = new DicomDataset();
            identifier.AddOrUpdate(new DicomTag(0x0008, 0x0052), DicomVR.CS, "STUDY");
            identifier.AddOrUpdate(new DicomTag(0x0020, 0x000D), DicomVR.UI, images[0].StudyInstanceUid);
            var result = await client.MoveAsync(new MoveRequest("127.0.0.1", archive.Port, identifier, QueryRetrieveModel.StudyRoot, archive.AeTitle),
                cancellationToken: stoppingToken);
            Console.WriteLine($"{result.Outcome}: {result.Files.Count} files in {Path.Combine(root, "received")} ({result.Duration.TotalMilliseconds:F0} ms)");
            Environment.ExitCode = result.Outcome == MoveOutcome.Success ? 0 : 1;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}
