using System.Globalization;
using ActorMove.Network.Dimse;
using ActorMove.Testing;
using ActorMove.Testing.Archive;
using ActorMove.Testing.Dcmtk;
using Xunit;

namespace ActorMove.Testing.Tests.Archive;

/// <summary>
/// DCMTK's movescu and echoscu against the in-process archive: files must arrive as they were generated, and movescu's
/// exit codes must be those it gets from dcmqrscp in the same situations.
/// </summary>
public class TestArchiveMovescuTests
{
    private const string Destination = "MOVESCU";

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A generated data set, an archive serving it with MOVESCU mapped to a free port, and movescu's output folder.</summary>
    private sealed class Setup : IAsyncDisposable
    {
        private Setup(TempDirectory work, IReadOnlyList<GeneratedImage> images, TestArchive archive, int storePort)
        {
            Work = work;
            Images = images;
            Archive = archive;
            StorePort = storePort;
            Directory.CreateDirectory(Output);
        }

        public TempDirectory Work { get; }
        public IReadOnlyList<GeneratedImage> Images { get; }
        public TestArchive Archive { get; }
        public int StorePort { get; }
        public string Output => Work.Combine("out");

        public static async Task<Setup> StartAsync(int patients = 1, int seriesPerStudy = 1, int imagesPerSeries = 2,
            TimeSpan? subOperationDelay = null, bool acceptAnyCalledAeTitle = false, string transferSyntax = "+te")
        {
            var work = new TempDirectory("testarchive");
            try
            {
                var images = await Dump2DcmStudies.GenerateAsync(work.Combine("in"), patients: patients, seriesPerStudy: seriesPerStudy,
                    imagesPerSeries: imagesPerSeries, pixelBytes: 512, transferSyntax: transferSyntax);
                int storePort = LoopbackPort.GetFree();
                var archive = await TestArchive.StartAsync(new TestArchiveOptions
                {
                    Folder = work.Combine("in"),
                    Destinations = new Dictionary<string, ArchiveDestination> { [Destination] = new("127.0.0.1", storePort) },
                    SubOperationDelay = subOperationDelay ?? TimeSpan.Zero,
                    AcceptAnyCalledAeTitle = acceptAnyCalledAeTitle,
                });
                return new Setup(work, images, archive, storePort);
            }
            catch
            {
                work.Dispose();
                throw;
            }
        }

        public Task<ProcessResult> MovescuAsync(string model, IEnumerable<string> keys, string calledAe = "ARCHIVE", string moveDestination = Destination,
            IEnumerable<string>? extra = null)
        {
            var arguments = new List<string> { "-v", model, "-aec", calledAe, "-aem", moveDestination, "+P", Text(StorePort), "-od", Output };
            arguments.AddRange(extra ?? []);
            foreach (string key in keys)
            {
                arguments.Add("-k");
                arguments.Add(key);
            }

            arguments.Add("127.0.0.1");
            arguments.Add(Text(Archive.Port));
            return DcmtkTool.RunAsync("movescu", arguments);
        }

        public IEnumerable<string> ReceivedNames() => Directory.GetFiles(Output).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

        public string Diagnostics(ProcessResult result) =>
            $"{result}\narchive failures:\n{string.Join('\n', Archive.Failures)}\nmoves:\n{string.Join('\n', Archive.Moves)}";

        public async ValueTask DisposeAsync()
        {
            await Archive.DisposeAsync();
            Work.Dispose();
        }
    }

    public static TheoryData<string, string> ModelsAndLevels() => new()
    {
        { "-P", "PATIENT" },
        { "-P", "STUDY" },
        { "-P", "SERIES" },
        { "-P", "IMAGE" },
        { "-S", "STUDY" },
        { "-S", "SERIES" },
        { "-S", "IMAGE" },
        { "-O", "PATIENT" },
        { "-O", "STUDY" },
    };

    [Theory]
    [MemberData(nameof(ModelsAndLevels))]
    public async Task Movescu_receives_exactly_the_selected_files_with_their_content(string model, string level)
    {
        await using var setup = await Setup.StartAsync(patients: 2, seriesPerStudy: 2, imagesPerSeries: 2);
        var target = setup.Images[^1];
        var expected = setup.Images.Where(i => level switch
        {
            "PATIENT" => i.PatientId == target.PatientId,
            "STUDY" => i.StudyInstanceUid == target.StudyInstanceUid,
            "SERIES" => i.SeriesInstanceUid == target.SeriesInstanceUid,
            _ => i.SopInstanceUid == target.SopInstanceUid,
        }).ToArray();

        var result = await setup.MovescuAsync(model, KeysFor(model, level, target));

        Assert.True(result.ExitCode == 0, setup.Diagnostics(result));
        Assert.Equal(expected.Select(i => "CT." + i.SopInstanceUid).Order(StringComparer.Ordinal), setup.ReceivedNames());
        foreach (var image in expected)
        {
            Assert.Equal(Dcmdump.DatasetText(image.Path), Dcmdump.DatasetText(Path.Combine(setup.Output, "CT." + image.SopInstanceUid)));
        }

        var move = Assert.Single(setup.Archive.Moves);
        Assert.Equal(DimseStatus.Success, move.Status);
        Assert.Equal(expected.Length, move.Completed);
    }

    /// <summary>The keys dcmqrscp needs: the unique key of every level of the model down to the query level.</summary>
    private static IEnumerable<string> KeysFor(string model, string level, GeneratedImage target)
    {
        yield return "QueryRetrieveLevel=" + level;
        string[] order = ["PATIENT", "STUDY", "SERIES", "IMAGE"];
        int depth = Array.IndexOf(order, level);
        if (model != "-S")
        {
            yield return "PatientID=" + target.PatientId;
        }

        if (depth >= 1)
        {
            yield return "StudyInstanceUID=" + target.StudyInstanceUid;
        }

        if (depth >= 2)
        {
            yield return "SeriesInstanceUID=" + target.SeriesInstanceUid;
        }

        if (depth >= 3)
        {
            yield return "SOPInstanceUID=" + target.SopInstanceUid;
        }
    }

    [Fact]
    public async Task A_backslash_list_of_uids_selects_each_listed_instance()
    {
        await using var setup = await Setup.StartAsync(imagesPerSeries: 3);
        var chosen = new[] { setup.Images[0], setup.Images[2] };

        var result = await setup.MovescuAsync("-S",
        [
            "QueryRetrieveLevel=IMAGE", "StudyInstanceUID=" + chosen[0].StudyInstanceUid, "SeriesInstanceUID=" + chosen[0].SeriesInstanceUid,
            "SOPInstanceUID=" + string.Join('\\', chosen.Select(i => i.SopInstanceUid)),
        ]);

        Assert.True(result.ExitCode == 0, setup.Diagnostics(result));
        Assert.Equal(chosen.Select(i => "CT." + i.SopInstanceUid).Order(StringComparer.Ordinal), setup.ReceivedNames());
    }

    [Fact]
    public async Task Unknown_move_destination_gives_exit_code_69_and_no_files()
    {
        await using var setup = await Setup.StartAsync(imagesPerSeries: 1);

        var result = await setup.MovescuAsync("-S", ["QueryRetrieveLevel=STUDY", "StudyInstanceUID=" + setup.Images[0].StudyInstanceUid],
            moveDestination: "NOWHERE");

        Assert.True(result.ExitCode == 69, setup.Diagnostics(result));
        Assert.Empty(setup.ReceivedNames());
        Assert.Equal(DimseStatus.MoveDestinationUnknown, Assert.Single(setup.Archive.Moves).Status);
    }

    [Fact]
    public async Task Unknown_called_ae_title_is_rejected_with_exit_code_61()
    {
        await using var setup = await Setup.StartAsync(imagesPerSeries: 1);

        var result = await setup.MovescuAsync("-S", ["QueryRetrieveLevel=STUDY", "StudyInstanceUID=" + setup.Images[0].StudyInstanceUid],
            calledAe: "SOMEONE");

        Assert.True(result.ExitCode == 61, setup.Diagnostics(result));
        Assert.Contains("Called AE Title Not Recognized", result.StdOut + result.StdErr, StringComparison.Ordinal);
        Assert.Empty(setup.ReceivedNames());
    }

    [Fact]
    public async Task Any_called_ae_title_is_served_when_the_options_say_so()
    {
        await using var setup = await Setup.StartAsync(imagesPerSeries: 1, acceptAnyCalledAeTitle: true);

        var result = await setup.MovescuAsync("-S", ["QueryRetrieveLevel=STUDY", "StudyInstanceUID=" + setup.Images[0].StudyInstanceUid],
            calledAe: "SOMEONE");

        Assert.True(result.ExitCode == 0, setup.Diagnostics(result));
        Assert.Equal(["CT." + setup.Images[0].SopInstanceUid], setup.ReceivedNames());
    }

    [Fact]
    public async Task No_match_succeeds_without_files()
    {
        await using var setup = await Setup.StartAsync(imagesPerSeries: 1);

        var result = await setup.MovescuAsync("-S", ["QueryRetrieveLevel=STUDY", "StudyInstanceUID=" + Dump2DcmStudies.NewUid()]);

        Assert.True(result.ExitCode == 0, setup.Diagnostics(result));
        Assert.Empty(setup.ReceivedNames());
        var move = Assert.Single(setup.Archive.Moves);
        Assert.Equal(DimseStatus.Success, move.Status);
        Assert.Equal(0, move.Completed);
    }

    [Fact]
    public async Task Cancel_after_the_first_response_stops_the_move()
    {
        // The delay is cut short by the cancel, so it only makes sure the cancel arrives before the second sub-operation.
        await using var setup = await Setup.StartAsync(imagesPerSeries: 4, subOperationDelay: TimeSpan.FromSeconds(30));

        var result = await setup.MovescuAsync("-S", ["QueryRetrieveLevel=STUDY", "StudyInstanceUID=" + setup.Images[0].StudyInstanceUid],
            extra: ["--cancel", "1"]);

        Assert.True(result.ExitCode == 0, setup.Diagnostics(result));
        Assert.Contains("Sending Cancel Request", result.StdOut + result.StdErr, StringComparison.Ordinal);
        Assert.Equal(["CT." + setup.Images[0].SopInstanceUid], setup.ReceivedNames());
        var move = Assert.Single(setup.Archive.Moves);
        Assert.Equal(DimseStatus.Cancel, move.Status);
        Assert.Equal((1, 3), (move.Completed, move.Remaining));
    }

    [Theory]
    [InlineData("+tb")]
    [InlineData("+ti")]
    public async Task Files_in_other_transfer_syntaxes_arrive_with_the_same_content(string transferSyntax)
    {
        await using var setup = await Setup.StartAsync(imagesPerSeries: 2, transferSyntax: transferSyntax);

        var result = await setup.MovescuAsync("-S", ["QueryRetrieveLevel=STUDY", "StudyInstanceUID=" + setup.Images[0].StudyInstanceUid]);

        Assert.True(result.ExitCode == 0, setup.Diagnostics(result));
        Assert.Equal(setup.Images.Select(i => "CT." + i.SopInstanceUid).Order(StringComparer.Ordinal), setup.ReceivedNames());
        foreach (var image in setup.Images)
        {
            Assert.Equal(Dcmdump.DatasetText(image.Path), Dcmdump.DatasetText(Path.Combine(setup.Output, "CT." + image.SopInstanceUid)));
        }
    }

    [Fact]
    public async Task Unreachable_destination_fails_every_sub_operation_with_exit_code_69()
    {
        await using var setup = await Setup.StartAsync(imagesPerSeries: 2);
        setup.Archive.MapDestination("DEAD", "127.0.0.1", LoopbackPort.GetFree());

        var result = await setup.MovescuAsync("-S", ["QueryRetrieveLevel=STUDY", "StudyInstanceUID=" + setup.Images[0].StudyInstanceUid],
            moveDestination: "DEAD");

        // dcmqrscp answers this case with A702 and the failed count, which movescu turns into exit code 69.
        Assert.True(result.ExitCode == 69, setup.Diagnostics(result));
        var move = Assert.Single(setup.Archive.Moves);
        Assert.Equal((DimseStatus.MoveOutOfResourcesSubOperations, 0, 2), (move.Status, move.Completed, move.Failed));
    }

    [Fact]
    public async Task A_c_find_is_not_answered_but_aborted()
    {
        await using var setup = await Setup.StartAsync(imagesPerSeries: 1);

        var result = await DcmtkTool.RunAsync("findscu",
            ["-S", "-aec", setup.Archive.AeTitle, "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID", "127.0.0.1", Text(setup.Archive.Port)]);

        // findscu 3.6.7 exits 0 even then; its log says what happened.
        Assert.True(result.StdErr.Contains("Peer aborted Association", StringComparison.Ordinal), setup.Diagnostics(result));
        // The archive records the failure once its abort is out, so findscu may have exited before that: wait for it.
        await Poll.UntilAsync(() => setup.Archive.Failures.Any(f => f is DimseProtocolException), TimeSpan.FromSeconds(20));
        Assert.Contains(setup.Archive.Failures, f => f is DimseProtocolException);
    }

    [Fact]
    public async Task Echoscu_succeeds()
    {
        await using var setup = await Setup.StartAsync(imagesPerSeries: 1);

        var result = await DcmtkTool.RunAsync("echoscu", ["-aec", setup.Archive.AeTitle, "127.0.0.1", Text(setup.Archive.Port)]);

        Assert.True(result.ExitCode == 0, setup.Diagnostics(result));
    }
}
