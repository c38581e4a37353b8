using System.Net;
using ActorMove.Engine.Hosting;
using ActorMove.Engine.Retrieve;
using ActorMove.Testing;
using ActorMove.Testing.Dcmtk;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace ActorMove.Engine.Tests.Engine;

public class HostingTests
{
    [Fact]
    public async Task WithActorMove_runs_the_engine_inside_a_generic_host()
    {
        using var work = new TempDirectory();
        var images = await Dump2DcmStudies.GenerateAsync(work.Combine("in"), imagesPerSeries: 2);
        Directory.CreateDirectory(work.Combine("out"));
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddAkka("hosted", (akka, _) => akka.WithActorMove(new ActorMoveOptions
        {
            Move = new MoveSettings { AeTitle = "HOSTED" },
            Store = new StoreSettings { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), OutputDirectory = work.Combine("out") },
        }));
        builder.Services.AddRetrieveClient();
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var client = host.Services.GetRequiredService<IRetrieveClient>();
            int port = (await client.GetStorePortAsync())!.Value;
            await using var archive = await DcmqrscpArchive.StartAsync([new MoveDestination("HOSTED", port)]);
            await archive.LoadAsync(work.Combine("in"));
            var identifier = new ActorMove.Dicom.Data.DicomDataset();
            identifier.AddOrUpdate(new(0x0008, 0x0052), ActorMove.Dicom.Core.DicomVR.CS, "STUDY");
            identifier.AddOrUpdate(new(0x0020, 0x000D), ActorMove.Dicom.Core.DicomVR.UI, images[0].StudyInstanceUid);

            var result = await client.MoveAsync(new MoveRequest("127.0.0.1", archive.Port, identifier,
                ActorMove.Network.Negotiation.QueryRetrieveModel.StudyRoot, archive.AeTitle));

            Assert.Equal(MoveOutcome.Success, result.Outcome);
            Assert.Equal(2, Directory.GetFiles(work.Combine("out")).Length);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}

public class StorePortTests
{
    [Fact]
    public async Task A_port_in_use_is_reported_at_once_and_the_engine_keeps_serving()
    {
        using var occupied = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        var endPoint = (IPEndPoint)occupied.LocalEndpoint;
        await using var engine = ActorMoveEngine.Start(new ActorMoveOptions
        {
            Store = new StoreSettings { EndPoint = endPoint, OutputDirectory = "." },
        });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => engine.Client.GetStorePortAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("in use", error.Message);

        // The manager is still there: a move to a closed port ends with a result, not a hang.
        var result = await engine.Client.MoveAsync(new MoveRequest("127.0.0.1", LoopbackPort.GetFree(), new ActorMove.Dicom.Data.DicomDataset()))
            .WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(MoveOutcome.AssociationFailed, result.Outcome);
    }
}
