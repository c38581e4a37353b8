using System.Buffers;
using ActorMove.Dicom.IO.Writing;
using ActorMove.Engine.Actors;
using ActorMove.Engine.Configuration;
using ActorMove.Engine.Storage;
using ActorMove.Network.Dimse;
using ActorMove.Testing;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorMove.Engine.Tests.Actors;

public class FileWriterTests : TestKit
{
    private readonly TempDirectory _work = new();

    public FileWriterTests()
        : base(ActorMoveSettings.ReferenceConfig)
    {
    }

    private static FileMetaInformation Meta => new()
    {
        MediaStorageSopClassUid = "1.2.840.10008.5.1.4.1.1.7",
        MediaStorageSopInstanceUid = "1.2.3",
        TransferSyntaxUid = "1.2.840.10008.1.2.1",
    };

    /// <summary>A tiny explicit VR LE data set: SOP Class UID and SOP Instance UID.</summary>
    private static readonly byte[] Dataset =
    [
        0x08, 0x00, 0x16, 0x00, (byte)'U', (byte)'I', 26, 0, .. "1.2.840.10008.5.1.4.1.1.7\0"u8,
        0x08, 0x00, 0x18, 0x00, (byte)'U', (byte)'I', 6, 0, .. "1.2.3\0"u8,
    ];

    /// <summary>A writer with its own credit, and a ledger that tells a probe in the retrieve manager's place.</summary>
    private (IActorRef Writer, ByteCredit Credit, TestProbe Manager, StoreLedger Ledger) NewWriter()
    {
        var credit = new ByteCredit(1024 * 1024);
        var manager = CreateTestProbe();
        return (Sys.ActorOf(FileWriter.Props(credit)), credit, manager, new StoreLedger(manager.Ref));
    }

    private static StoreResponder Responder(StoreLedger ledger, string sopInstanceUid = "1.2.3") =>
        new(ledger, new CStoreRequest(1, "1.2.840.10008.5.1.4.1.1.7", sopInstanceUid));

    /// <summary>The one store recorded for the manager, which was told of it.</summary>
    private static StoreAssociation.StoreCompleted TheRecordedStore(TestProbe manager, StoreLedger ledger)
    {
        manager.ExpectMsg<StoreLedger.Waiting>(TimeSpan.Zero);
        Assert.True(ledger.TryTake(out var completed));
        Assert.False(ledger.TryTake(out _));
        return completed;
    }

    /// <summary>A pooled block holding <paramref name="bytes"/>, with credit taken for them as the socket loop takes it.</summary>
    private static byte[] Block(ByteCredit credit, ReadOnlySpan<byte> bytes)
    {
        credit.AcquireAsync(bytes.Length, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        byte[] block = ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.CopyTo(block);
        return block;
    }

    /// <summary>Takes credit as the socket loop does before telling a chunk.</summary>
    private static FileWriter.Chunk Chunk(ByteCredit credit, long storeId, ReadOnlySpan<byte> bytes) =>
        new(storeId, Block(credit, bytes), 0, bytes.Length, ReturnsBlock: true);

    private void AwaitAllCreditBack(ByteCredit credit) => AwaitCondition(() => credit.InFlight == 0, TimeSpan.FromSeconds(5));

    [Fact]
    public void Runs_on_the_file_io_dispatcher()
    {
        Assert.Equal(ActorMoveSettings.FileIoDispatcherId, FileWriter.Props(new ByteCredit(1)).Dispatcher);
        Assert.True(Sys.Dispatchers.HasDispatcher(ActorMoveSettings.FileIoDispatcherId));
    }

    [Fact]
    public async Task Writes_an_object_gives_back_every_chunks_credit_and_reports_before_it_answers()
    {
        var (writer, credit, manager, ledger) = NewWriter();
        var responder = Responder(ledger);
        string path = Path.Combine(_work.Path, "SC.1.2.3");

        writer.Tell(new FileWriter.Begin(1, path, Meta, StoreOutputOptions.Default, responder));
        writer.Tell(Chunk(credit, 1, Dataset.AsSpan(0, 20)));
        writer.Tell(Chunk(credit, 1, Dataset.AsSpan(20)));
        writer.Tell(new FileWriter.End(1));

        Assert.Equal(DimseStatus.Success, await responder.Status.WaitAsync(TimeSpan.FromSeconds(5)));
        // Recorded, and the manager told, before the status was set: both are there already.
        var completed = TheRecordedStore(manager, ledger);
        Assert.Equal(path, completed.Object.Path);
        Assert.Equal(new FileInfo(path).Length, completed.Object.Bytes);
        Assert.Equal("1.2.3", completed.Origin.SopInstanceUid);
        Assert.Equal([path], Directory.GetFiles(_work.Path));
        AwaitAllCreditBack(credit);
    }

    /// <summary>movescu's check after writing: a data set naming another SOP instance, or none, is kept and answered A900 or C000.</summary>
    [Theory]
    [InlineData("1.2.4", false, DimseStatus.StoreDataSetDoesNotMatchSopClass)]
    [InlineData("1.2.3", true, DimseStatus.StoreCannotUnderstand)]
    [InlineData("1.2.3", false, DimseStatus.Success)]
    public async Task A_data_set_that_is_not_what_its_request_names_is_kept_and_answered_as_movescu_does(string requestInstance, bool withoutUids, ushort expected)
    {
        var (writer, credit, manager, ledger) = NewWriter();
        var responder = Responder(ledger, requestInstance);
        string path = Path.Combine(_work.Path, "SC." + requestInstance);
        byte[] dataset = withoutUids ? [0x10, 0x00, 0x20, 0x00, (byte)'L', (byte)'O', 4, 0, .. "ID1 "u8] : Dataset;
        var whole = Chunk(credit, 1, dataset);

        writer.Tell(new FileWriter.Begin(1, path, Meta with { MediaStorageSopInstanceUid = requestInstance }, StoreOutputOptions.Default, responder));
        writer.Tell(new FileWriter.End(1, whole.Block, 0, whole.Length));

        Assert.Equal(expected, await responder.Status.WaitAsync(TimeSpan.FromSeconds(5)));
        var recorded = TheRecordedStore(manager, ledger);
        Assert.Equal(expected, recorded.Object.Status);
        Assert.Equal(path, recorded.Object.Path);
        Assert.Equal([path], Directory.GetFiles(_work.Path));
    }

    [Fact]
    public async Task An_object_that_arrives_whole_with_its_end_is_written_and_its_credit_returned()
    {
        var (writer, credit, manager, ledger) = NewWriter();
        var responder = Responder(ledger);
        string path = Path.Combine(_work.Path, "SC.1.2.3");
        var whole = Chunk(credit, 1, Dataset);

        writer.Tell(new FileWriter.Begin(1, path, Meta, StoreOutputOptions.Default, responder));
        writer.Tell(new FileWriter.End(1, whole.Block, 0, whole.Length));

        Assert.Equal(DimseStatus.Success, await responder.Status.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(path, TheRecordedStore(manager, ledger).Object.Path);
        using var written = Dicom.IO.Reading.DicomReader.ReadFile(path);
        Assert.Equal(Dataset.Length, written.DatasetLength);
        AwaitAllCreditBack(credit);
    }

    private byte[] WrittenDataset(string path)
    {
        using var written = Dicom.IO.Reading.DicomReader.ReadFile(path);
        byte[] file = File.ReadAllBytes(path);
        return file[^(int)written.DatasetLength..];
    }

    [Fact]
    public async Task Parts_of_one_block_handed_off_before_the_end_make_the_whole_file()
    {
        var (writer, credit, manager, ledger) = NewWriter();
        var responder = Responder(ledger);
        string path = Path.Combine(_work.Path, "SC.1.2.3");
        byte[] block = Block(credit, Dataset);

        // The socket loop hands off what has gathered while the rest is still arriving, then ends with the rest.
        writer.Tell(new FileWriter.Begin(1, path, Meta, StoreOutputOptions.Default, responder));
        writer.Tell(new FileWriter.Chunk(1, block, 0, 20, ReturnsBlock: false));
        writer.Tell(new FileWriter.Chunk(1, block, 20, 10, ReturnsBlock: false));
        writer.Tell(new FileWriter.End(1, block, 30, Dataset.Length - 30));

        Assert.Equal(DimseStatus.Success, await responder.Status.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(Dataset, WrittenDataset(path));
        AwaitAllCreditBack(credit);
    }

    [Fact]
    public async Task An_object_over_more_than_one_block_is_finished_from_the_spool()
    {
        var (writer, credit, manager, ledger) = NewWriter();
        var responder = Responder(ledger);
        string path = Path.Combine(_work.Path, "SC.1.2.3");
        byte[] first = Block(credit, Dataset.AsSpan(0, 24));
        byte[] second = Block(credit, Dataset.AsSpan(24));

        writer.Tell(new FileWriter.Begin(1, path, Meta, StoreOutputOptions.Default, responder));
        writer.Tell(new FileWriter.Chunk(1, first, 0, 24, ReturnsBlock: true));
        writer.Tell(new FileWriter.End(1, second, 0, Dataset.Length - 24));

        Assert.Equal(DimseStatus.Success, await responder.Status.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(Dataset, WrittenDataset(path));
        AwaitAllCreditBack(credit);
    }

    [Fact]
    public void A_discard_after_parts_were_handed_off_leaves_no_file_and_gives_back_their_credit()
    {
        var (writer, credit, manager, ledger) = NewWriter();
        var responder = Responder(ledger);
        byte[] block = Block(credit, Dataset.AsSpan(0, 20));

        writer.Tell(new FileWriter.Begin(1, Path.Combine(_work.Path, "SC.1"), Meta, StoreOutputOptions.Default, responder));
        writer.Tell(new FileWriter.Chunk(1, block, 0, 20, ReturnsBlock: false));
        writer.Tell(new FileWriter.Discard(1, block));

        AwaitAllCreditBack(credit);
        AwaitAssert(() => Assert.Empty(Directory.GetFiles(_work.Path)), TimeSpan.FromSeconds(5));
        Assert.False(responder.IsCompleted);
    }

    [Fact]
    public async Task A_folder_that_cannot_be_written_fails_the_store_but_still_returns_credit()
    {
        var (writer, credit, manager, ledger) = NewWriter();
        var responder = Responder(ledger);
        string path = Path.Combine(_work.Path, "missing-folder", "SC.1.2.3");

        writer.Tell(new FileWriter.Begin(7, path, Meta, StoreOutputOptions.Default, responder));
        writer.Tell(Chunk(credit, 7, Dataset));
        writer.Tell(new FileWriter.End(7));

        Assert.Equal(StoreAssociation.StoreFailedStatus, await responder.Status.WaitAsync(TimeSpan.FromSeconds(5)));
        var completed = TheRecordedStore(manager, ledger);
        Assert.Equal(StoreAssociation.StoreFailedStatus, completed.Object.Status);
        Assert.Null(completed.Object.Path);
        AwaitAllCreditBack(credit);
        manager.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.False(ledger.TryTake(out _));
    }

    [Fact]
    public void Discard_and_a_stopped_writer_leave_no_file()
    {
        var (writer, credit, manager, ledger) = NewWriter();
        var discarded = Responder(ledger, "1");
        var open = Responder(ledger, "2");
        writer.Tell(new FileWriter.Begin(1, Path.Combine(_work.Path, "SC.1"), Meta, StoreOutputOptions.Default, discarded));
        writer.Tell(Chunk(credit, 1, Dataset.AsSpan(0, 10)));
        writer.Tell(new FileWriter.Discard(1));
        writer.Tell(new FileWriter.Begin(2, Path.Combine(_work.Path, "SC.2"), Meta, StoreOutputOptions.Default, open));
        writer.Tell(Chunk(credit, 2, Dataset.AsSpan(0, 10)));
        AwaitAllCreditBack(credit);

        Watch(writer);
        writer.Tell(PoisonPill.Instance);
        ExpectTerminated(writer);

        Assert.Empty(Directory.GetFiles(_work.Path));
        // Nobody waits for an answer to an abandoned store: neither is reported as stored nor as failed.
        Assert.False(discarded.IsCompleted);
        Assert.False(open.IsCompleted);
        manager.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.False(ledger.TryTake(out _));
    }

    [Fact]
    public async Task A_truncated_data_set_fails_at_the_end_and_leaves_no_file()
    {
        var (writer, credit, manager, ledger) = NewWriter();
        var responder = Responder(ledger);
        writer.Tell(new FileWriter.Begin(3, Path.Combine(_work.Path, "SC.3"), Meta, StoreOutputOptions.Default, responder));
        writer.Tell(Chunk(credit, 3, Dataset.AsSpan(0, Dataset.Length - 3)));
        writer.Tell(new FileWriter.End(3));

        Assert.Equal(StoreAssociation.StoreFailedStatus, await responder.Status.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Empty(Directory.GetFiles(_work.Path));
        AwaitAllCreditBack(credit);
    }

    [Fact]
    public async Task A_writer_that_throws_fails_only_its_own_store_and_is_restarted_for_the_next()
    {
        var (writer, credit, manager, ledger) = NewWriter();
        // A NUL in the path is not an I/O error the writer expects: it throws, and its supervisor restarts it.
        var failing = Responder(ledger, "1");
        writer.Tell(new FileWriter.Begin(1, Path.Combine(_work.Path, "SC.1\0bad"), Meta, StoreOutputOptions.Default, failing));
        Assert.Equal(StoreAssociation.StoreFailedStatus, await failing.Status.WaitAsync(TimeSpan.FromSeconds(5)));

        string path = Path.Combine(_work.Path, "SC.2");
        var next = Responder(ledger, "2");
        writer.Tell(new FileWriter.Begin(2, path, Meta, StoreOutputOptions.Default, next));
        writer.Tell(Chunk(credit, 2, Dataset));
        writer.Tell(new FileWriter.End(2));
        Assert.Equal(DimseStatus.Success, await next.Status.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal([path], Directory.GetFiles(_work.Path));
        AwaitAllCreditBack(credit);
    }

    [Fact]
    public async Task A_writer_that_throws_while_finishing_still_answers_that_store()
    {
        var (writer, credit, manager, ledger) = NewWriter();
        string path = Path.Combine(_work.Path, "SC.1");
        var responder = Responder(ledger);
        writer.Tell(new FileWriter.Begin(1, path, Meta, StoreOutputOptions.Default, responder));
        writer.Tell(Chunk(credit, 1, Dataset));
        // An end that claims more bytes than its block holds: a bug, not an I/O error, thrown after the store has stopped
        // being the writer's current one.
        await credit.AcquireAsync(100, CancellationToken.None);
        writer.Tell(new FileWriter.End(1, ArrayPool<byte>.Shared.Rent(16), 0, 100));

        Assert.Equal(StoreAssociation.StoreFailedStatus, await responder.Status.WaitAsync(TimeSpan.FromSeconds(5)));
        AwaitCondition(() => Directory.GetFiles(_work.Path).Length == 0, TimeSpan.FromSeconds(5));
        AwaitAllCreditBack(credit);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _work.Dispose();
    }
}
