using System.Globalization;
using System.Net;
using ActorMove.Engine.AccessControl;
using ActorMove.Engine.Hosting;
using ActorMove.Engine.Retrieve;
using ActorMove.Testing;
using ActorMove.Testing.Dcmtk;
using Xunit;

namespace ActorMove.Engine.Tests.Engine;

/// <summary>+ac on the store port: a refused host gets an association rejection, an allowed one stores, nothing crashes.</summary>
public class AccessControlTests
{
    private static async Task<(ProcessResult Result, string[] Files)> StoreWithRulesAsync(string allow, string deny)
    {
        using var work = new TempDirectory();
        var images = await Dump2DcmStudies.GenerateAsync(work.Combine("in"), imagesPerSeries: 2);
        Directory.CreateDirectory(work.Combine("out"));
        await using var engine = ActorMoveEngine.Start(new ActorMoveOptions
        {
            Store = new StoreSettings
            {
                EndPoint = new IPEndPoint(IPAddress.Loopback, 0),
                OutputDirectory = work.Combine("out"),
                AccessControl = HostAccessRules.Parse(allow, deny),
            },
        });
        int port = (await engine.Client.GetStorePortAsync())!.Value;

        var result = await DcmtkTool.RunAsync("storescu", ["127.0.0.1", port.ToString(CultureInfo.InvariantCulture), .. images.Select(i => i.Path)]);
        // The engine keeps serving after a refusal: a second, allowed-or-not attempt gets the same answer, not a dead port.
        var again = await DcmtkTool.RunAsync("echoscu", ["127.0.0.1", port.ToString(CultureInfo.InvariantCulture)]);
        Assert.Equal(result.ExitCode == 0, again.ExitCode == 0);
        return (result, Directory.GetFiles(work.Combine("out")));
    }

    [Fact]
    public async Task A_denied_host_is_rejected_and_nothing_is_written()
    {
        var (result, files) = await StoreWithRulesAsync(allow: "", deny: "ALL: 127.0.0.0/8\n");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Association Rejected", result.StdErr + result.StdOut);
        Assert.Empty(files);
    }

    [Fact]
    public async Task An_allowed_host_stores_even_when_everything_else_is_denied()
    {
        var (result, files) = await StoreWithRulesAsync(allow: "actormove: 127.0.0.1\n", deny: "ALL: ALL\n");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(2, files.Length);
    }
}
