using System.Buffers;
using ActorMove.Dicom.Dictionary;
using ActorMove.Dicom.IO.Writing;
using ActorMove.Engine.Configuration;
using ActorMove.Engine.Retrieve;
using ActorMove.Engine.Storage;
using ActorMove.Network.Association;
using ActorMove.Network.Services;
using Akka.Actor;
using Akka.Event;

namespace ActorMove.Engine.Actors;

/// <summary>
/// Owns one inbound store association. Its socket loop (<see cref="StoreScp"/>, a task, not a thread of ours) streams each
/// C-STORE data set to this association's <see cref="FileWriter"/> as it arrives, within a byte budget that only the
/// writer replenishes; the C-STORE-RSP goes out once the writer has the file complete under its final name (A700 when it
/// could not be written). Supervision: the writer is restarted when it throws, which fails only the object it was
/// writing; a writer that keeps failing is stopped, and this association ends with it. This actor stops when its
/// association ends, whatever the way, and never takes another association with it.
/// </summary>
public sealed class StoreAssociation : ReceiveActor
{
    /// <summary>Recorded for the retrieve manager, in its <see cref="StoreLedger"/>, for every object received, written or not (by its <see cref="StoreResponder"/>).</summary>
    public sealed record StoreCompleted(StoreOrigin Origin, StoredObject Object);

    private sealed record SessionEnded(SessionOutcome? Outcome, Exception? Error);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly DicomAssociation _association;
    private readonly TaskCompletionSource _done;
    private readonly StoreSettings _settings;
    private readonly StoreLinks _links;
    private readonly ByteCredit _credit;
    private readonly CancellationTokenSource _stopping = new();
    private IActorRef _writer = ActorRefs.Nobody;

    public StoreAssociation(DicomAssociation association, TaskCompletionSource done, StoreSettings settings, StoreLinks links)
    {
        _association = association;
        _done = done;
        _settings = settings;
        _links = links;
        _credit = new ByteCredit(settings.BufferPerAssociation);

        Receive<SessionEnded>(ended =>
        {
            if (ended.Error is not null)
            {
                _log.Warning("Store association from {Peer} failed: {Error}", _association.Connection.RemotePeerName, ended.Error.Message);
            }
            else if (ended.Outcome is { IsOrderlyRelease: false } outcome)
            {
                _log.Warning("Store association from {Peer} ended: {Outcome}", _association.Connection.RemotePeerName, outcome);
            }
            else
            {
                _log.Debug("Store association from {Peer} released", _association.Connection.RemotePeerName);
            }

            Context.Stop(Self);
        });
        Receive<Terminated>(terminated => terminated.ActorRef.Equals(_writer), _ =>
        {
            _log.Error("The file writer of the store association from {Peer} kept failing; ending the association", _association.Connection.RemotePeerName);
            Context.Stop(Self);
        });
    }

    /// <summary>Refused: out of resources (PS3.4 GG.4), what movescu answers when it cannot write a file.</summary>
    public const ushort StoreFailedStatus = 0xA700;

    public static Props Props(DicomAssociation association, TaskCompletionSource done, StoreSettings settings, StoreLinks links) =>
        Akka.Actor.Props.Create(() => new StoreAssociation(association, done, settings, links)).WithDispatcher(ActorMoveSettings.EngineDispatcherId);

    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(maxNrOfRetries: 10, withinTimeRange: TimeSpan.FromMinutes(1), localOnlyDecider: _ => Directive.Restart);

    protected override void PreStart()
    {
        if (!_settings.IgnoreData)
        {
            _writer = Context.ActorOf(_settings.WriterProps?.Invoke(_credit) ?? FileWriter.Props(_credit), "writer");
            Context.Watch(_writer);
        }

        var self = Self;
        var handler = new Handler(_links, _writer, _credit, _settings, _log);
        StoreScp.ServeAsync(_association, handler, _stopping.Token)
            .PipeTo(self, success: outcome => new SessionEnded(outcome, null), failure: e => new SessionEnded(null, e));
    }

    protected override void PostStop()
    {
        // Ends the socket loop, and with it any wait for a C-STORE-RSP status.
        _stopping.Cancel();
        _done.TrySetResult();
        base.PostStop();
    }

    /// <summary>The socket loop's side: runs on the loop's task, talks to the actors only by messages.</summary>
    private sealed class Handler(StoreLinks links, IActorRef writer, ByteCredit credit, StoreSettings settings, ILoggingAdapter log) : IStoreHandler
    {
        private long _nextStoreId;

        public ValueTask<IStoreTarget> BeginStoreAsync(StoreRequestContext request, CancellationToken cancellationToken)
        {
            links.Activity.Touch();
            long storeId = ++_nextStoreId;
            if (log.IsInfoEnabled)
            {
                // movescu names the SOP class as it names the file, with the prefix of file-name-prefixes.tsv.
                log.Info("Received Store Request (MsgID {MessageId}, {Modality})", request.Request.MessageId,
                    StorageSopClasses.FileNamePrefix(request.Request.AffectedSopClassUid) ?? OutputFileNames.UnknownPrefix);
            }

            var responder = new StoreResponder(links.Ledger, request.Request);
            if (!settings.IgnoreData)
            {
                var (name, sanitised) = OutputFileNames.For(request.Request.AffectedSopClassUid, request.Request.AffectedSopInstanceUid);
                string path = OutputFileNames.PathIn(settings.OutputDirectory, name);
                if (sanitised)
                {
                    log.Warning(
                        "SOP Instance UID '{Uid}' is not a plain UID; writing it as {FileName}", request.Request.AffectedSopInstanceUid, name);
                }

                var meta = new FileMetaInformation
                {
                    MediaStorageSopClassUid = request.Request.AffectedSopClassUid,
                    MediaStorageSopInstanceUid = request.Request.AffectedSopInstanceUid,
                    TransferSyntaxUid = request.TransferSyntax.Uid,
                    // movescu's +B files (DCMTK's DIMSE_storeProvider writing straight to file) name the sender in
                    // (0002,0016); its converted files do not.
                    SourceApplicationEntityTitle = settings.Output.BitPreserving ? request.CallingAeTitle.Trim() : null,
                };
                var begin = new FileWriter.Begin(storeId, path, meta, settings.Output, responder);
                return ValueTask.FromResult<IStoreTarget>(new Target(storeId, responder, writer, credit, begin, links, settings.ReceiveProgress));
            }

            return ValueTask.FromResult<IStoreTarget>(new Target(storeId, responder, writer, credit, begin: null, links, settings.ReceiveProgress));
        }
    }

    /// <summary>
    /// Collects the data set's PDVs into a pooled block of <see cref="StoreBatch.BlockBytes"/> and hands the writer each
    /// <see cref="StoreBatch.HandOffBytes"/> of it as they gather, so that the file is written while the object is still
    /// arriving. The block stays here while it fills (the writer reads only the parts handed to it) and goes to the
    /// writer, which returns it to the pool, once it is full, the data set is complete or the store is dropped. An object
    /// that fits in one block thus reaches the writer whole in memory, and memory stays bounded whatever its size.
    /// </summary>
    private sealed class Target(long storeId, StoreResponder responder, IActorRef writer, ByteCredit credit, FileWriter.Begin? begin, StoreLinks links,
        TextWriter? progress)
        : IStoreTarget
    {
        private readonly bool _ignore = begin is null;
        private readonly int _blockBytes = StoreBatch.BlockBytes(credit.Capacity);
        private readonly int _handOffBytes = StoreBatch.HandOffBytes(StoreBatch.BlockBytes(credit.Capacity));
        private FileWriter.Begin? _unsentBegin = begin;
        private byte[]? _block;
        private int _filled;
        private int _handedOff;
        private int _pdvs;

        public void OnPdvStarted() => _pdvs++;

        public async ValueTask WriteAsync(ReadOnlySequence<byte> fragment, CancellationToken cancellationToken)
        {
            links.Activity.Touch();
            if (_ignore)
            {
                return;
            }

            while (!fragment.IsEmpty)
            {
                _block ??= ArrayPool<byte>.Shared.Rent(_blockBytes);
                int take = (int)Math.Min(fragment.Length, _blockBytes - _filled);
                // Credit is taken before the bytes are copied, so that what is held here and in the writer's mailbox
                // never exceeds the association's budget (a block is at most a quarter of it).
                await credit.AcquireAsync(take, cancellationToken).ConfigureAwait(false);
                fragment.Slice(0, take).CopyTo(_block.AsSpan(_filled));
                _filled += take;
                fragment = fragment.Slice(take);
                if (_filled == _blockBytes)
                {
                    TellWriter(new FileWriter.Chunk(storeId, _block, _handedOff, _filled - _handedOff, ReturnsBlock: true));
                    _block = null;
                    _filled = 0;
                    _handedOff = 0;
                }
                else if (_filled - _handedOff >= _handOffBytes)
                {
                    TellWriter(new FileWriter.Chunk(storeId, _block, _handedOff, _filled - _handedOff, ReturnsBlock: false));
                    _handedOff = _filled;
                }
            }
        }

        public async ValueTask<ushort> CompleteAsync(CancellationToken cancellationToken)
        {
            progress?.Write(ProgressLine(_pdvs));
            if (_ignore)
            {
                responder.Succeeded(null, 0, null, null);
            }
            else
            {
                TellWriter(new FileWriter.End(storeId, _block, _handedOff, _filled - _handedOff));
                _block = null;
                _filled = 0;
                _handedOff = 0;
            }

            ushort status = await responder.Status.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (links.CancelGates.BeforeStoreResponse(responder.MoveOriginatorMessageId) is { IsCompleted: false } gate)
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            return status;
        }

        public ValueTask AbortAsync()
        {
            if (!_ignore)
            {
                // Bytes not yet handed off hold credit that no writer will give back. The block itself goes with the
                // discard: the writer may still be writing a part of it that was handed off before.
                credit.Release(_filled - _handedOff);
                if (_unsentBegin is not null)
                {
                    // The writer never heard of this object: it has nothing to drop, and the block is still ours.
                    _unsentBegin = null;
                    if (_block is not null)
                    {
                        ArrayPool<byte>.Shared.Return(_block);
                    }
                }
                else
                {
                    writer.Tell(new FileWriter.Discard(storeId, _block));
                }

                _block = null;
                _filled = 0;
                _handedOff = 0;
            }

            return ValueTask.CompletedTask;
        }

        /// <summary>movescu -v's line for an object: "RECV: " and a dot per PDV (its progress callback runs once per PDV).</summary>
        private static string ProgressLine(int pdvs) => string.Create("RECV: ".Length + pdvs + 1, pdvs, static (line, dots) =>
        {
            "RECV: ".CopyTo(line);
            line[6..^1].Fill('.');
            line[^1] = '\n';
        });

        /// <summary>
        /// The object's <see cref="FileWriter.Begin"/> goes with its first bytes rather than with its command: the two
        /// messages then usually reach an idle writer together, one wake-up of its thread instead of two.
        /// </summary>
        private void TellWriter(object message)
        {
            if (_unsentBegin is { } first)
            {
                _unsentBegin = null;
                writer.Tell(first);
            }

            writer.Tell(message);
        }
    }
}
