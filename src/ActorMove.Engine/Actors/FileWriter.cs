using System.Buffers;
using ActorMove.Dicom.IO.Writing;
using ActorMove.Engine.Configuration;
using ActorMove.Engine.Storage;
using ActorMove.Network.Dimse;
using Akka.Actor;
using Akka.Event;

namespace ActorMove.Engine.Actors;

/// <summary>
/// Writes the objects of one inbound store association, one at a time, on the file I/O dispatcher
/// (<see cref="ActorMoveSettings.FileIoDispatcherId"/>), so that blocking file calls never run on the actors' threads.
/// Every chunk's bytes go back to the association's <see cref="ByteCredit"/> once they are on disk, which bounds what
/// the socket loop has read but not yet written; each object's <see cref="StoreResponder"/> is completed here, as soon
/// as the file is whole under its final name (or has failed).
/// </summary>
public sealed class FileWriter : ReceiveActor
{
    /// <summary>Start a new object; any object still open is discarded first, unanswered (its association has moved on).</summary>
    public sealed record Begin(long StoreId, string FinalPath, FileMetaInformation Meta, StoreOutputOptions Options, StoreResponder Responder);

    /// <summary>
    /// The next bytes of the data set: <paramref name="Length"/> bytes of <paramref name="Block"/> from
    /// <paramref name="Offset"/>. The block is rented from <see cref="ArrayPool{T}.Shared"/>, and the socket loop may
    /// still be filling it beyond these bytes; with <paramref name="ReturnsBlock"/> they are its last, and the writer
    /// returns it after writing them.
    /// </summary>
    public sealed record Chunk(long StoreId, byte[] Block, int Offset, int Length, bool ReturnsBlock);

    /// <summary>
    /// The data set is complete: append its last bytes, if any (<paramref name="Length"/> bytes of
    /// <paramref name="Block"/> from <paramref name="Offset"/>), and finish the file under its final name. The block,
    /// which then holds everything received since it was started, is returned by the writer. An object that fits in
    /// one block is converted from memory.
    /// </summary>
    public sealed record End(long StoreId, byte[]? Block = null, int Offset = 0, int Length = 0);

    /// <summary>The peer went away or the store was refused: drop what was written, and return the block if there is one.</summary>
    public sealed record Discard(long StoreId, byte[]? Block = null);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ByteCredit _credit;
    private ReceivedObjectFile? _current;
    private StoreResponder? _responder;
    private long _currentStoreId = -1;

    public FileWriter(ByteCredit credit)
    {
        _credit = credit;
        Receive<Begin>(OnBegin);
        Receive<Chunk>(OnChunk);
        Receive<End>(OnEnd);
        Receive<Discard>(d =>
        {
            if (d.StoreId == _currentStoreId)
            {
                DiscardCurrent();
            }

            if (d.Block is not null)
            {
                ArrayPool<byte>.Shared.Return(d.Block);
            }
        });
    }

    public static Props Props(ByteCredit credit) =>
        Akka.Actor.Props.Create(() => new FileWriter(credit)).WithDispatcher(ActorMoveSettings.FileIoDispatcherId);

    private void OnBegin(Begin begin)
    {
        DiscardCurrent();
        _currentStoreId = begin.StoreId;
        _responder = begin.Responder;
        try
        {
            _current = new ReceivedObjectFile(begin.FinalPath, begin.Meta, begin.Options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail($"cannot create {begin.FinalPath}: {e.Message}");
        }
    }

    private void OnChunk(Chunk chunk)
    {
        try
        {
            // After a failure the rest of the object still arrives; it is dropped, but its credit is given back.
            if (chunk.StoreId == _currentStoreId && _current is not null)
            {
                try
                {
                    _current.Append(chunk.Block.AsSpan(chunk.Offset, chunk.Length));
                }
                catch (IOException e)
                {
                    Fail($"cannot write {_current.FinalPath}: {e.Message}");
                }
            }
        }
        finally
        {
            if (chunk.ReturnsBlock)
            {
                ArrayPool<byte>.Shared.Return(chunk.Block);
            }

            _credit.Release(chunk.Length);
        }
    }

    private void OnEnd(End end)
    {
        try
        {
            Finish(end);
        }
        finally
        {
            if (end.Block is not null)
            {
                ArrayPool<byte>.Shared.Return(end.Block);
            }

            _credit.Release(end.Length);
        }
    }

    private void Finish(End end)
    {
        if (end.StoreId != _currentStoreId)
        {
            return;
        }

        var file = _current;
        var responder = _responder;
        _current = null;
        _responder = null;
        if (file is null)
        {
            // Failed earlier: its responder has already been answered.
            return;
        }

        try
        {
            int blockBytes = end.Offset + end.Length;
            file.Append(end.Block.AsSpan(end.Offset, end.Length));
            // The whole data set is in this block when nothing was appended from an earlier one.
            var completed = end.Block is not null && file.ReceivedBytes == blockBytes
                ? file.Complete(end.Block.AsMemory(0, blockBytes))
                : file.Complete();
            if (file.Replaced)
            {
                _log.Warning("DICOM file already exists, overwriting: {Path}", file.FinalPath);
            }

            ushort status = DataSetStatus(completed, file.Meta);
            if (status != DimseStatus.Success)
            {
                _log.Warning("{Path}: the data set's SOP class {Class} and instance {Instance} are not those of its C-STORE request ({RequestClass}, {RequestInstance}): kept, and answered {Status:X4}",
                    file.FinalPath, completed.SopClassUid ?? "(none)", completed.SopInstanceUid ?? "(none)", file.Meta.MediaStorageSopClassUid,
                    file.Meta.MediaStorageSopInstanceUid, status);
            }

            responder?.Written(status, file.FinalPath, completed.Bytes, completed.StudyInstanceUid, completed.SeriesInstanceUid);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Dicom.DicomFormatException or DicomWriteException)
        {
            _log.Warning("Could not complete {Path}: {Reason}", file.FinalPath, e.Message);
            responder?.Failed();
        }
        catch
        {
            // Unexpected: the writer restarts, but this store is no longer its current one (PreRestart answers only
            // that), so it is answered here; unanswered, its association would wait for the status until a timeout.
            responder?.Failed();
            throw;
        }
        finally
        {
            file.Dispose();
        }
    }

    /// <summary>
    /// movescu's check of a written object (not under +B, where nothing is parsed): the data set must name the SOP class
    /// and instance of its request, or the store is answered A900 (C000 when it names none); the file stays either way.
    /// </summary>
    private static ushort DataSetStatus(CompletedObject completed, FileMetaInformation request)
    {
        if (!completed.Parsed)
        {
            return DimseStatus.Success;
        }

        if (string.IsNullOrEmpty(completed.SopClassUid) || string.IsNullOrEmpty(completed.SopInstanceUid))
        {
            return DimseStatus.StoreCannotUnderstand;
        }

        return completed.SopClassUid == request.MediaStorageSopClassUid && completed.SopInstanceUid == request.MediaStorageSopInstanceUid
            ? DimseStatus.Success
            : DimseStatus.StoreDataSetDoesNotMatchSopClass;
    }

    private void Fail(string reason)
    {
        _log.Warning("Store {StoreId} failed: {Reason}", _currentStoreId, reason);
        _current?.Discard();
        _current = null;
        _responder?.Failed();
        _responder = null;
    }

    /// <summary>Drops the open object without answering it: its association is gone or has given up on it.</summary>
    private void DiscardCurrent()
    {
        _current?.Discard();
        _current = null;
        _responder = null;
    }

    /// <summary>
    /// An unexpected failure restarts the writer (the association's strategy): the store it was working on is answered
    /// as failed, so that only that object is lost, and <see cref="PostStop"/> removes its temporary file.
    /// </summary>
    protected override void PreRestart(Exception reason, object message)
    {
        _log.Warning("Store {StoreId} failed: {Reason}", _currentStoreId, reason.Message);
        _responder?.Failed();
        if (message is Begin begin)
        {
            begin.Responder.Failed();
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
