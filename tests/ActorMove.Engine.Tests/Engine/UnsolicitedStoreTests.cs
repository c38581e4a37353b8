using System.Globalization;
using ActorMove.Engine.Actors;
using ActorMove.Engine.Hosting;
using ActorMove.Engine.Retrieve;
using ActorMove.Testing;
using ActorMove.Testing.Dcmtk;
using Akka.Actor;
using Xunit;

namespace ActorMove.Engine.Tests.Engine;

/// <summary>Stores that no move asked for are kept and counted, however fast they come.</summary>
public class UnsolicitedStoreTests
{
    [Fact]
    public async Task Every_store_of_a_fast_stream_no_move_asked_for_is_written_and_counted()
    {
        using var work = new TempDirectory();
        // Small objects, one association: dozens finish within one ledger window of each other, and nothing flushes them.
        var images = await Dump2DcmStudies.GenerateAsync(work.Combine("in"), patients: 2, seriesPerStudy: 2, imagesPerSeries: 10, pixelBytes: 512);
        Directory.CreateDirectory(work.Combine("out"));
        await using var engine = ActorMoveEngine.Start(new ActorMoveOptions
        {
            Store = new StoreSettings { EndPoint = new(System.Net.IPAddress.Loopback, 0), OutputDirectory = work.Combine("out") },
        });
        int port = (await engine.Client.GetStorePortAsync())!.Value;

        var sent = await DcmtkTool.RunAsync("storescu", ["127.0.0.1", port.ToString(CultureInfo.InvariantCulture), .. images.Select(i => i.Path)]);

        Assert.True(sent.ExitCode == 0, sent.ToString());
        Assert.Equal(images.Count, Directory.GetFiles(work.Combine("out")).Length);
        long counted = 0;
        await Poll.UntilAsync(async () =>
        {
            counted = (await engine.Manager.Ask<RetrieveManager.Status>(RetrieveManager.GetStatus.Instance, TimeSpan.FromSeconds(5))).UnsolicitedStores;
            return counted >= images.Count;
        }, TimeSpan.FromSeconds(5));

        Assert.Equal(images.Count, counted);
    }
}
