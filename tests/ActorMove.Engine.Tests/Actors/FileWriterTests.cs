using System.Buffers;
using ActorMove.Dicom.IO.Writing;
using ActorMove.Engine.Actors;
using ActorMove.Engine.Configuration;
using ActorMove.Engine.Storage;
using ActorMove.Testing;
using Akka.Actor;
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

    private static FileWriter.Chunk Chunk(long storeId, ReadOnlySpan<byte> bytes)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.CopyTo(buffer);
        return new FileWriter.Chunk(storeId, buffer, bytes.Length);
    }

    [Fact]
    public void Runs_on_the_file_io_dispatcher()
    {
        Assert.Equal(ActorMoveSettings.FileIoDispatcherId, FileWriter.Props().Dispatcher);
        Assert.True(Sys.Dispatchers.HasDispatcher(ActorMoveSettings.FileIoDispatcherId));
    }

    [Fact]
    public void Writes_an_object_and_acknowledges_every_chunk()
    {
        var writer = Sys.ActorOf(FileWriter.Props());
        string path = Path.Combine(_work.Path, "SC.1.2.3");

        writer.Tell(new FileWriter.Begin(1, path, Meta, StoreOutputOptions.Default));
        writer.Tell(Chunk(1, Dataset.AsSpan(0, 20)));
        writer.Tell(Chunk(1, Dataset.AsSpan(20)));
        writer.Tell(new FileWriter.End(1));

        Assert.Equal(20, ExpectMsg<FileWriter.ChunkDone>().Length);
        Assert.Equal(Dataset.Length - 20, ExpectMsg<FileWriter.ChunkDone>().Length);
        var written = ExpectMsg<FileWriter.Written>();
        Assert.Equal(path, written.Path);
        Assert.Equal(new FileInfo(path).Length, written.Bytes);
        Assert.Equal([path], Directory.GetFiles(_work.Path));
    }

    [Fact]
    public void A_folder_that_cannot_be_written_fails_the_store_but_still_returns_credit()
    {
        var writer = Sys.ActorOf(FileWriter.Props());
        string path = Path.Combine(_work.Path, "missing-folder", "SC.1.2.3");

        writer.Tell(new FileWriter.Begin(7, path, Meta, StoreOutputOptions.Default));
        writer.Tell(Chunk(7, Dataset));
        writer.Tell(new FileWriter.End(7));

        Assert.Equal(7, ExpectMsg<FileWriter.WriteFailed>().StoreId);
        Assert.Equal(Dataset.Length, ExpectMsg<FileWriter.ChunkDone>().Length);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Discard_and_a_stopped_writer_leave_no_file()
    {
        var writer = Sys.ActorOf(FileWriter.Props());
        writer.Tell(new FileWriter.Begin(1, Path.Combine(_work.Path, "SC.1"), Meta, StoreOutputOptions.Default));
        writer.Tell(Chunk(1, Dataset.AsSpan(0, 10)));
        writer.Tell(new FileWriter.Discard(1));
        writer.Tell(new FileWriter.Begin(2, Path.Combine(_work.Path, "SC.2"), Meta, StoreOutputOptions.Default));
        writer.Tell(Chunk(2, Dataset.AsSpan(0, 10)));
        ExpectMsg<FileWriter.ChunkDone>();
        ExpectMsg<FileWriter.ChunkDone>();

        Watch(writer);
        writer.Tell(PoisonPill.Instance);
        ExpectTerminated(writer);

        Assert.Empty(Directory.GetFiles(_work.Path));
    }

    [Fact]
    public void A_truncated_data_set_fails_at_the_end_and_leaves_no_file()
    {
        var writer = Sys.ActorOf(FileWriter.Props());
        writer.Tell(new FileWriter.Begin(3, Path.Combine(_work.Path, "SC.3"), Meta, StoreOutputOptions.Default));
        writer.Tell(Chunk(3, Dataset.AsSpan(0, Dataset.Length - 3)));
        writer.Tell(new FileWriter.End(3));

        ExpectMsg<FileWriter.ChunkDone>();
        Assert.Equal(3, ExpectMsg<FileWriter.WriteFailed>().StoreId);
        Assert.Empty(Directory.GetFiles(_work.Path));
    }

    [Fact]
    public void A_writer_that_throws_fails_only_its_own_store_and_is_restarted_for_the_next()
    {
        var writer = Sys.ActorOf(FileWriter.Props());
        // A NUL in the path is not an I/O error the writer expects: it throws, and its supervisor restarts it.
        writer.Tell(new FileWriter.Begin(1, Path.Combine(_work.Path, "SC.1\0bad"), Meta, StoreOutputOptions.Default));
        Assert.Equal(1, ExpectMsg<FileWriter.WriteFailed>().StoreId);

        string path = Path.Combine(_work.Path, "SC.2");
        writer.Tell(new FileWriter.Begin(2, path, Meta, StoreOutputOptions.Default));
        writer.Tell(Chunk(2, Dataset));
        writer.Tell(new FileWriter.End(2));
        ExpectMsg<FileWriter.ChunkDone>();
        Assert.Equal(path, ExpectMsg<FileWriter.Written>().Path);
        Assert.Equal([path], Directory.GetFiles(_work.Path));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _work.Dispose();
    }
}
