using System.Buffers;
using ActorMove.Dicom.IO.Writing;
using ActorMove.Engine.Configuration;
using ActorMove.Engine.Storage;
using Akka.Actor;
using Akka.Event;

namespace ActorMove.Engine.Actors;

/// <summary>
/// Writes the objects of one inbound store association, one at a time, on the file I/O dispatcher
/// (<see cref="ActorMoveSettings.FileIoDispatcherId"/>), so that blocking file calls never run on the actors' threads.
/// Every chunk is acknowledged once it is on disk: the association counts those credits to bound what it has
/// read off the socket but not yet written.
/// </summary>
public sealed class FileWriter : ReceiveActor
{
    /// <summary>Start a new object; any object still open is discarded first.</summary>
    public sealed record Begin(long StoreId, string FinalPath, FileMetaInformation Meta, StoreOutputOptions Options);

    /// <summary>
    /// The next bytes of the data set. <paramref name="Buffer"/> is rented from <see cref="ArrayPool{T}.Shared"/>;
    /// the writer returns it after writing.
    /// </summary>
    public sealed record Chunk(long StoreId, byte[] Buffer, int Length);

    /// <summary>The last chunk arrived: finish the file under its final name.</summary>
    public sealed record End(long StoreId);

    /// <summary>The peer went away or the store was refused: drop what was written.</summary>
    public sealed record Discard(long StoreId);

    /// <summary>Credit: <paramref name="Length"/> bytes of a chunk are written (or dropped) and its buffer is back in the pool.</summary>
    public sealed record ChunkDone(long StoreId, int Length);

    public sealed record Written(long StoreId, string Path, long Bytes, string? StudyInstanceUid, string? SeriesInstanceUid);

    public sealed record WriteFailed(long StoreId, string Reason);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ReceivedObjectFile? _current;
    private long _currentStoreId = -1;
    private bool _failed;

    public FileWriter()
    {
        Receive<Begin>(OnBegin);
        Receive<Chunk>(OnChunk);
        Receive<End>(OnEnd);
        Receive<Discard>(d =>
        {
            if (d.StoreId == _currentStoreId)
            {
                DiscardCurrent();
            }
        });
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new FileWriter()).WithDispatcher(ActorMoveSettings.FileIoDispatcherId);

    private void OnBegin(Begin begin)
    {
        DiscardCurrent();
        _currentStoreId = begin.StoreId;
        _failed = false;
        try
        {
            _current = new ReceivedObjectFile(begin.FinalPath, begin.Meta, begin.Options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail(begin.StoreId, $"cannot create {begin.FinalPath}: {e.Message}");
        }
    }

    private void OnChunk(Chunk chunk)
    {
        try
        {
            // After a failure the rest of the object still arrives; it is dropped, but its credit is given back.
            if (chunk.StoreId == _currentStoreId && !_failed && _current is not null)
            {
                try
                {
                    _current.Append(chunk.Buffer.AsSpan(0, chunk.Length));
                }
                catch (IOException e)
                {
                    Fail(chunk.StoreId, $"cannot write {_current.FinalPath}: {e.Message}");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk.Buffer);
            Sender.Tell(new ChunkDone(chunk.StoreId, chunk.Length));
        }
    }

    private void OnEnd(End end)
    {
        if (end.StoreId != _currentStoreId || _failed || _current is null)
        {
            if (!_failed)
            {
                Sender.Tell(new WriteFailed(end.StoreId, "no object was begun"));
            }

            return;
        }

        var file = _current;
        _current = null;
        try
        {
            var completed = file.Complete();
            Sender.Tell(new Written(end.StoreId, file.FinalPath, completed.Bytes, completed.StudyInstanceUid, completed.SeriesInstanceUid));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Dicom.DicomFormatException or DicomWriteException)
        {
            _log.Warning("Could not complete {Path}: {Reason}", file.FinalPath, e.Message);
            Sender.Tell(new WriteFailed(end.StoreId, e.Message));
        }
        finally
        {
            file.Dispose();
        }
    }

    private void Fail(long storeId, string reason)
    {
        _log.Warning("Store {StoreId} failed: {Reason}", storeId, reason);
        _failed = true;
        DiscardCurrent();
        Sender.Tell(new WriteFailed(storeId, reason));
    }

    private void DiscardCurrent()
    {
        _current?.Discard();
        _current = null;
    }

    /// <summary>
    /// An unexpected failure restarts the writer (the association's strategy); the store it was working on is reported
    /// failed so that only that object is lost, and <see cref="PostStop"/> removes its temporary file.
    /// </summary>
    protected override void PreRestart(Exception reason, object message)
    {
        long? storeId = message switch
        {
            Begin b => b.StoreId,
            Chunk c => c.StoreId,
            End e => e.StoreId,
            _ => null,
        };
        if (storeId is { } failed && !_failed)
        {
            Sender.Tell(new WriteFailed(failed, reason.Message));
        }

        base.PreRestart(reason, message);
    }

    protected override void PostStop()
    {
        // A stopped or restarted writer leaves no temporary file behind.
        DiscardCurrent();
        base.PostStop();
    }
}
