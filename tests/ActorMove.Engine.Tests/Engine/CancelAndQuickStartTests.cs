using System.Collections.Concurrent;
using System.Net;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Engine.Hosting;
using ActorMove.Engine.Retrieve;
using ActorMove.Network.Association;
using ActorMove.Network.Negotiation;
using ActorMove.Testing;
using ActorMove.Testing.Archive;
using ActorMove.Testing.Dcmtk;
using Akka.Actor;
using Akka.Event;
using Xunit;

namespace ActorMove.Engine.Tests.Engine;

/// <summary>The engine against the in-process test archive: --cancel n, caller cancellation, and the QuickStart flow.</summary>
public class CancelAndQuickStartTests
{
    /// <param name="archiveOptions">Changes to the archive's options (the folder and the delay are set already).</param>
    private static async Task<(TempDirectory Work, TestArchive Archive, ActorMoveEngine Engine, IReadOnlyList<GeneratedImage> Images)> StartAsync(
        int images, TimeSpan delay, Func<TestArchiveOptions, TestArchiveOptions>? archiveOptions = null)
    {
        var work = new TempDirectory("cancel");
        var generated = SyntheticStudies.Generate(work.Combine("archive"), imagesPerSeries: images, rows: 64, columns: 64);
        Directory.CreateDirectory(work.Combine("out"));
        var options = new TestArchiveOptions { Folder = work.Combine("archive"), SubOperationDelay = delay };
        var archive = await TestArchive.StartAsync(archiveOptions?.Invoke(options) ?? options);
        var engine = ActorMoveEngine.Start(new ActorMoveOptions
        {
            Move = new MoveSettings { AeTitle = "ENGINE" },
            Store = new StoreSettings { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), OutputDirectory = work.Combine("out") },
        });
        archive.MapDestination("ENGINE", "127.0.0.1", (await engine.Client.GetStorePortAsync())!.Value);
        return (work, archive, engine, generated);
    }

    private static MoveRequest StudyMove(TestArchive archive, string study, int? cancelAfter = null)
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(new DicomTag(0x0008, 0x0052), DicomVR.CS, "STUDY");
        identifier.AddOrUpdate(new DicomTag(0x0020, 0x000D), DicomVR.UI, study);
        return new MoveRequest("127.0.0.1", archive.Port, identifier, QueryRetrieveModel.StudyRoot, archive.AeTitle, CancelAfterResponses: cancelAfter);
    }

    [Fact]
    public async Task Cancel_after_n_sends_one_cancel_and_ends_with_the_archives_final_status()
    {
        var (work, archive, engine, images) = await StartAsync(images: 8, delay: TimeSpan.FromMilliseconds(300));
        using (work)
        await using (archive)
        await using (engine)
        {
            var result = await engine.Client.MoveAsync(StudyMove(archive, images[0].StudyInstanceUid, cancelAfter: 2));

            Assert.Equal(MoveOutcome.Cancelled, result.Outcome);
            Assert.Equal((ushort)0xFE00, result.FinalStatus);
            // At least the two responses the cancel waited for; how many more finish before the archive sees the
            // C-CANCEL depends on scheduling (0.3 s between sub-operations), but never the whole study.
            Assert.InRange(result.Counts.Completed, 2, images.Count - 1);
            Assert.True(result.Counts.Remaining > 0);
            Assert.Equal(result.Counts.Completed, result.Files.Count);
            Assert.Equal(result.Files.Count, Directory.GetFiles(work.Combine("out")).Length);
            var recorded = Assert.Single(archive.Moves);
            Assert.Equal((ushort)0xFE00, recorded.Status);
        }
    }

    [Fact]
    public async Task Cancel_after_zero_responses_never_cancels_as_movescus_cancel_0()
    {
        var (work, archive, engine, images) = await StartAsync(images: 3, delay: TimeSpan.Zero);
        using (work)
        await using (archive)
        await using (engine)
        {
            var errors = new ConcurrentQueue<string>();
            engine.System.EventStream.Subscribe(engine.System.ActorOf(Props.Create(() => new ErrorCollector(errors))), typeof(Error));

            var result = await engine.Client.MoveAsync(StudyMove(archive, images[0].StudyInstanceUid, cancelAfter: 0));

            Assert.Equal(MoveOutcome.Success, result.Outcome);
            Assert.Equal(images.Count, result.Counts.Completed);
            Assert.Equal(images.Count, result.Files.Count);
            // No actor of the move failed on the way (a cancel actor started with 0 did, and the move still succeeded).
            Assert.Empty(errors);
        }
    }

    [Fact]
    public async Task Stores_that_keep_arriving_keep_a_move_without_pending_responses_alive_under_the_dimse_timeout()
    {
        // Four sub-operations 1.2 s apart and no pending responses: 3.6 s of silence on the move association, against a
        // 2 s DIMSE timeout. movescu counts the stores as activity; so must we.
        using var work = new TempDirectory("dimsetimeout");
        var images = SyntheticStudies.Generate(work.Combine("archive"), imagesPerSeries: 4, rows: 16, columns: 16);
        Directory.CreateDirectory(work.Combine("out"));
        await using var archive = await TestArchive.StartAsync(new TestArchiveOptions
        {
            Folder = work.Combine("archive"), SubOperationDelay = TimeSpan.FromMilliseconds(1200), SendPendingResponses = false,
        });
        await using var engine = ActorMoveEngine.Start(new ActorMoveOptions
        {
            Move = new MoveSettings { AeTitle = "ENGINE", Association = AssociationOptions.Default with { DimseTimeout = TimeSpan.FromSeconds(2) } },
            Store = new StoreSettings { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), OutputDirectory = work.Combine("out") },
        });
        archive.MapDestination("ENGINE", "127.0.0.1", (await engine.Client.GetStorePortAsync())!.Value);
        var study = images.Where(i => i.StudyInstanceUid == images[0].StudyInstanceUid).ToList();

        var result = await engine.Client.MoveAsync(StudyMove(archive, images[0].StudyInstanceUid));

        Assert.True(result.Outcome == MoveOutcome.Success, $"{result.Outcome}: {result.Error}; files {result.Files.Count} of {study.Count}; archive: {string.Join(" | ", archive.Failures.Select(f => f.Message))}");
        Assert.Equal(study.Count, result.Files.Count);
        Assert.True(study.Count >= 4, $"the study has {study.Count} images");
    }

    [Fact]
    public async Task Cancel_after_n_against_an_archive_without_pending_responses_never_cancels_and_holds_no_store_for_good()
    {
        // No pending response ever arrives, so the n-th never does and no C-CANCEL is sent (as with movescu). The store
        // after the n-th is held for a cancel at most CancelGate.LongestHold; the archive, waiting for that answer before
        // its next sub-operation, must get it and finish the move.
        var (work, archive, engine, images) = await StartAsync(images: 4, delay: TimeSpan.Zero, o => o with { SendPendingResponses = false });
        using (work)
        await using (archive)
        await using (engine)
        {
            var result = await engine.Client.MoveAsync(StudyMove(archive, images[0].StudyInstanceUid, cancelAfter: 1)).WaitAsync(TimeSpan.FromSeconds(60));

            Assert.True(result.Outcome == MoveOutcome.Success, $"{result.Outcome}: {result.Error}");
            Assert.Equal(images.Count, result.Files.Count);
            Assert.Equal((ushort)0x0000, Assert.Single(archive.Moves).Status);
        }
    }

    [Fact]
    public async Task Moves_that_keep_their_association_share_one_until_it_is_closed()
    {
        var (work, archive, engine, images) = await StartAsync(images: 2, delay: TimeSpan.Zero);
        using (work)
        await using (archive)
        await using (engine)
        {
            var keep = StudyMove(archive, images[0].StudyInstanceUid) with { KeepAssociation = true };

            var results = new List<MoveResult>();
            for (int i = 0; i < 3; i++)
            {
                results.Add(await engine.Client.MoveAsync(keep));
            }

            var closing = await engine.Client.CloseKeptAssociationsAsync();
            var separate = await engine.Client.MoveAsync(StudyMove(archive, images[0].StudyInstanceUid));

            Assert.All(results, result => Assert.Equal(MoveOutcome.Success, result.Outcome));
            Assert.All(results, result => Assert.Equal(images.Count, result.Files.Count));
            Assert.Empty(closing);
            Assert.Equal(MoveOutcome.Success, separate.Outcome);
            // Three moves on one association, then one on its own; each move had its own message ID on the shared one.
            Assert.Equal(2, archive.AssociationsAccepted);
            Assert.Equal(4, archive.Moves.Select(m => m.MessageId).Distinct().Count());
            // Nothing is left open: closing again finds nothing to close.
            Assert.Empty(await engine.Client.CloseKeptAssociationsAsync());
        }
    }

    [Fact]
    public async Task A_kept_association_the_archive_closed_meanwhile_is_replaced_by_a_new_one()
    {
        // The archive gives up on an association that has been idle for 300 ms, as archives with an idle timeout do.
        var (work, archive, engine, images) = await StartAsync(images: 1, delay: TimeSpan.Zero,
            o => o with { Association = AssociationOptions.Default with { DimseTimeout = TimeSpan.FromMilliseconds(300) } });
        using (work)
        await using (archive)
        await using (engine)
        {
            var keep = StudyMove(archive, images[0].StudyInstanceUid) with { KeepAssociation = true };

            var first = await engine.Client.MoveAsync(keep);
            // Well past the archive's idle timeout, and past our seeing its abort.
            await Task.Delay(TimeSpan.FromSeconds(2));
            var second = await engine.Client.MoveAsync(keep);

            Assert.Equal(MoveOutcome.Success, first.Outcome);
            Assert.True(second.Outcome == MoveOutcome.Success, $"{second.Outcome}: {second.Error}");
            Assert.Equal(2, archive.AssociationsAccepted);
        }
    }

    [Fact]
    public async Task A_move_whose_kept_association_is_dropped_as_it_asks_starts_over_on_a_new_one()
    {
        var (work, archive, engine, images) = await StartAsync(images: 2, delay: TimeSpan.Zero, o => o with { MovesPerAssociation = 1 });
        using (work)
        await using (archive)
        await using (engine)
        {
            var keep = StudyMove(archive, images[0].StudyInstanceUid) with { KeepAssociation = true };

            var first = await engine.Client.MoveAsync(keep);
            var second = await engine.Client.MoveAsync(keep);

            Assert.Equal(MoveOutcome.Success, first.Outcome);
            Assert.True(second.Outcome == MoveOutcome.Success, $"{second.Outcome}: {second.Error}");
            Assert.Equal(images.Count, second.Files.Count);
            Assert.Equal(2, archive.AssociationsAccepted);
            Assert.Empty(await engine.Client.CloseKeptAssociationsAsync());
        }
    }

    [Fact]
    public async Task Moves_that_ran_side_by_side_keep_one_association_each_for_the_next()
    {
        var (work, archive, engine, images) = await StartAsync(images: 2, delay: TimeSpan.FromMilliseconds(100));
        using (work)
        await using (archive)
        await using (engine)
        {
            var keep = StudyMove(archive, images[0].StudyInstanceUid) with { KeepAssociation = true };

            var together = await Task.WhenAll(engine.Client.MoveAsync(keep), engine.Client.MoveAsync(keep));
            var after = await Task.WhenAll(engine.Client.MoveAsync(keep), engine.Client.MoveAsync(keep));

            Assert.All(together.Concat(after), result => Assert.Equal(MoveOutcome.Success, result.Outcome));
            // Two at once needed two associations; the next two found both open.
            Assert.Equal(2, archive.AssociationsAccepted);
            Assert.Empty(await engine.Client.CloseKeptAssociationsAsync());
        }
    }

    private sealed class ErrorCollector : ReceiveActor
    {
        public ErrorCollector(ConcurrentQueue<string> errors) => Receive<Error>(error => errors.Enqueue(error.ToString()));
    }

    [Fact]
    public async Task Cancelling_the_callers_token_sends_a_cancel()
    {
        var (work, archive, engine, images) = await StartAsync(images: 8, delay: TimeSpan.FromMilliseconds(300));
        using (work)
        await using (archive)
        await using (engine)
        {
            using var cancel = new CancellationTokenSource();
            var progress = new Progress<MoveProgress>(p =>
            {
                if (p.Counts.Completed >= 1)
                {
                    cancel.Cancel();
                }
            });

            var result = await engine.Client.MoveAsync(StudyMove(archive, images[0].StudyInstanceUid), progress, cancel.Token);

            Assert.Equal(MoveOutcome.Cancelled, result.Outcome);
            Assert.True(result.Counts.Completed < images.Count);
        }
    }

    [Fact]
    public async Task The_quick_start_flow_moves_a_generated_study_that_dcmtk_reads()
    {
        var (work, archive, engine, images) = await StartAsync(images: 3, delay: TimeSpan.Zero);
        using (work)
        await using (archive)
        await using (engine)
        {
            var result = await engine.Client.MoveAsync(StudyMove(archive, images[0].StudyInstanceUid));

            Assert.Equal(MoveOutcome.Success, result.Outcome);
            Assert.Equal(images.Count, result.Files.Count);
            foreach (var image in images)
            {
                Assert.Equal(Dcmdump.DatasetText(image.Path), Dcmdump.DatasetText(Path.Combine(work.Combine("out"), "CT." + image.SopInstanceUid)));
            }
        }
    }
}
