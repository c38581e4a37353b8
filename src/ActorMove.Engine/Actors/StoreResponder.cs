using ActorMove.Engine.Retrieve;
using ActorMove.Network.Dimse;

namespace ActorMove.Engine.Actors;

/// <summary>
/// The answer to one inbound C-STORE, given once by whoever finishes the object (the file writer, or the socket loop
/// when data is ignored). The object is recorded in the retrieve manager's <see cref="StoreLedger"/> before the socket
/// loop may send the C-STORE-RSP: the archive sends its final C-MOVE-RSP only after that response, so a move never
/// ends before its last store is counted. Completing it directly, rather than through the association actor, keeps one
/// thread hand-off off the path every object's response waits on.
/// </summary>
public sealed class StoreResponder(StoreLedger ledger, CStoreRequest request)
{
    // Continuations run on the completing thread (the file writer's): that is where the socket loop's C-STORE-RSP is
    // sent from (IStoreTarget.CompleteAsync), one hand-off fewer on the way of every response.
    private readonly TaskCompletionSource<ushort> _status = new();
    private int _completed;

    /// <summary>The C-STORE-RSP status, once the object is finished.</summary>
    public Task<ushort> Status => _status.Task;

    public bool IsCompleted => _status.Task.IsCompleted;

    /// <summary>(0000,1031) of the request: the message ID of the C-MOVE this store is a sub-operation of, when the archive says.</summary>
    public ushort? MoveOriginatorMessageId => request.MoveOriginatorMessageId;

    public void Succeeded(string? path, long bytes, string? studyInstanceUid, string? seriesInstanceUid) =>
        Complete(DimseStatus.Success, path, bytes, studyInstanceUid, seriesInstanceUid);

    /// <summary>The file is written, and <paramref name="status"/> says what else there is to tell (an error about its data set, say).</summary>
    public void Written(ushort status, string path, long bytes, string? studyInstanceUid, string? seriesInstanceUid) =>
        Complete(status, path, bytes, studyInstanceUid, seriesInstanceUid);

    /// <summary>Refused: out of resources (PS3.4 GG.4), what movescu answers when it cannot write a file.</summary>
    public void Failed() => Complete(StoreAssociation.StoreFailedStatus, null, 0, null, null);

    private void Complete(ushort status, string? path, long bytes, string? studyInstanceUid, string? seriesInstanceUid)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return;
        }

        ledger.Record(new StoreAssociation.StoreCompleted(
            new StoreOrigin(request.MoveOriginatorAeTitle, request.MoveOriginatorMessageId, request.AffectedSopInstanceUid, studyInstanceUid, seriesInstanceUid),
            new StoredObject(request.AffectedSopClassUid, request.AffectedSopInstanceUid, path, bytes, status)));
        _status.TrySetResult(status);
    }
}
