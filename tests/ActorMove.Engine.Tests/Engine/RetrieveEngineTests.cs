using ActorMove.Engine.Retrieve;
using ActorMove.Testing.Dcmtk;
using Xunit;

namespace ActorMove.Engine.Tests.Engine;

/// <summary>The whole engine against DCMTK's dcmqrscp: moves, parallel correlation, failures.</summary>
public class RetrieveEngineTests
{
    [Fact]
    public async Task A_study_move_writes_every_image_complete_and_reports_it()
    {
        await using var fixture = await EngineFixture.StartAsync(patients: 1, imagesPerSeries: 3);
        var study = fixture.Images[0].StudyInstanceUid;
        var progress = new List<MoveProgress>();

        var result = await fixture.Engine.Client.MoveAsync(fixture.StudyMove(study), new SynchronousProgress<MoveProgress>(progress.Add));

        Assert.Equal(MoveOutcome.Success, result.Outcome);
        Assert.Equal((ushort)0, result.FinalStatus);
        Assert.Equal(3, result.Counts.Completed);
        Assert.Equal(3, progress.Count);
        Assert.Equal(fixture.Images.Select(i => "CT." + i.SopInstanceUid).Order(), result.Files.Select(f => Path.GetFileName(f.Path!)).Order());
        Assert.Equal(result.Files.Select(f => f.Path).Order(), Directory.GetFiles(fixture.Output).Order());
        foreach (var image in fixture.Images)
        {
            Assert.Equal(Dcmdump.DatasetText(image.Path), Dcmdump.DatasetText(Path.Combine(fixture.Output, "CT." + image.SopInstanceUid)));
        }
    }

    [Fact]
    public async Task Parallel_moves_each_receive_exactly_their_own_files()
    {
        await using var fixture = await EngineFixture.StartAsync(patients: 4, imagesPerSeries: 3);
        var studies = fixture.Images.Select(i => i.StudyInstanceUid).Distinct().ToArray();
        Assert.Equal(4, studies.Length);

        var results = await Task.WhenAll(studies.Select(study => fixture.Engine.Client.MoveAsync(fixture.StudyMove(study))));

        for (int i = 0; i < studies.Length; i++)
        {
            Assert.Equal(MoveOutcome.Success, results[i].Outcome);
            var expected = fixture.Images.Where(image => image.StudyInstanceUid == studies[i]).Select(image => image.SopInstanceUid).Order();
            Assert.Equal(expected, results[i].Files.Select(f => f.SopInstanceUid).Order());
        }

        Assert.Equal(fixture.Images.Count, Directory.GetFiles(fixture.Output).Length);
        Assert.Equal(4, results.Select(r => r.JobId).Distinct().Count());
    }

    [Fact]
    public async Task An_unknown_called_ae_title_ends_the_job_as_association_failed()
    {
        await using var fixture = await EngineFixture.StartAsync(patients: 1, imagesPerSeries: 1);

        var result = await fixture.Engine.Client.MoveAsync(fixture.StudyMove(fixture.Images[0].StudyInstanceUid) with { CalledAeTitle = "NOBODY" });

        Assert.Equal(MoveOutcome.AssociationFailed, result.Outcome);
        Assert.Contains("Called AE Title Not Recognized", result.Error);
        Assert.Empty(Directory.GetFiles(fixture.Output));
    }

    [Fact]
    public async Task An_unknown_move_destination_is_the_archives_failure_status()
    {
        await using var fixture = await EngineFixture.StartAsync(patients: 1, imagesPerSeries: 1);

        var result = await fixture.Engine.Client.MoveAsync(fixture.StudyMove(fixture.Images[0].StudyInstanceUid) with { MoveDestination = "NOWHERE" });

        Assert.Equal(MoveOutcome.Failed, result.Outcome);
        Assert.Equal((ushort)0xA801, result.FinalStatus);
    }

    [Fact]
    public async Task A_refused_connection_ends_the_job_as_association_failed()
    {
        await using var fixture = await EngineFixture.StartAsync(patients: 1, imagesPerSeries: 1);

        var result = await fixture.Engine.Client.MoveAsync(fixture.StudyMove("1.2.3") with { Port = ActorMove.Testing.LoopbackPort.GetFree() });

        Assert.Equal(MoveOutcome.AssociationFailed, result.Outcome);
    }

    [Fact]
    public async Task A_file_that_cannot_be_written_fails_only_its_own_store()
    {
        await using var fixture = await EngineFixture.StartAsync(patients: 1, imagesPerSeries: 3);
        // A folder where one file should go makes its final rename fail: that store gets A700, the others are written.
        string victim = Path.Combine(fixture.Output, "CT." + fixture.Images[1].SopInstanceUid);
        Directory.CreateDirectory(victim);

        var result = await fixture.Engine.Client.MoveAsync(fixture.StudyMove(fixture.Images[0].StudyInstanceUid));

        Assert.Equal(2, result.Counts.Completed);
        Assert.Equal(1, result.Counts.Failed);
        var failed = Assert.Single(result.Files, f => f.Status != 0);
        Assert.Equal(fixture.Images[1].SopInstanceUid, failed.SopInstanceUid);
        Assert.Equal((ushort)0xA700, failed.Status);
        Assert.Equal(2, Directory.GetFiles(fixture.Output).Length);
        Assert.Empty(Directory.GetFiles(victim));
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
