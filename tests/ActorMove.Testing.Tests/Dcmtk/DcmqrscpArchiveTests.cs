using System.Globalization;
using ActorMove.Testing.Dcmtk;
using Xunit;

namespace ActorMove.Testing.Tests.Dcmtk;

/// <summary>
/// The reference chain the acceptance tests stand on: generated studies load into a real dcmqrscp,
/// and DCMTK's own movescu retrieves exactly the selected study into its store port.
/// </summary>
public class DcmqrscpArchiveTests
{
    [Fact]
    public async Task Movescu_retrieves_exactly_the_requested_study_from_the_archive()
    {
        using var work = new TempDirectory();
        var images = await Dump2DcmStudies.GenerateAsync(work.Combine("in"), patients: 2, imagesPerSeries: 3);
        int storePort = LoopbackPort.GetFree();
        await using var archive = await DcmqrscpArchive.StartAsync([new MoveDestination("MOVESCU", storePort)]);
        await archive.LoadAsync(work.Combine("in"));

        string output = work.Combine("out");
        Directory.CreateDirectory(output);
        string study = images[0].StudyInstanceUid;
        var result = await DcmtkTool.RunAsync("movescu",
        [
            "-S", "-aec", archive.AeTitle, "-aem", "MOVESCU", "+P", storePort.ToString(CultureInfo.InvariantCulture), "-od", output,
            "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={study}",
            "127.0.0.1", archive.Port.ToString(CultureInfo.InvariantCulture),
        ]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var expected = images.Where(i => i.StudyInstanceUid == study).Select(i => "CT." + i.SopInstanceUid).Order();
        Assert.Equal(expected, Directory.GetFiles(output).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Unknown_move_destination_gives_movescu_exit_code_69()
    {
        using var work = new TempDirectory();
        var images = await Dump2DcmStudies.GenerateAsync(work.Combine("in"), imagesPerSeries: 1);
        await using var archive = await DcmqrscpArchive.StartAsync([]);
        await archive.LoadAsync(work.Combine("in"));

        var result = await DcmtkTool.RunAsync("movescu",
        [
            "-S", "-aec", archive.AeTitle, "-aem", "NOWHERE",
            "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={images[0].StudyInstanceUid}",
            "127.0.0.1", archive.Port.ToString(CultureInfo.InvariantCulture),
        ]);

        Assert.Equal(69, result.ExitCode);
    }
}
