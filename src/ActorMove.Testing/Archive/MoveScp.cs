using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Compression;
using ActorMove.Dicom;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Dicom.Dictionary;
using ActorMove.Dicom.IO.Reading;
using ActorMove.Network.Association;
using ActorMove.Network.Dimse;
using ActorMove.Network.Negotiation;
using ActorMove.Network.Pdu;
using ActorMove.Network.Services;

namespace ActorMove.Testing.Archive;

/// <summary>
/// The archive's side of one association. The receive loop only dispatches: each C-MOVE runs as its own task that sends
/// its responses through the session, so the loop keeps reading and sees a C-CANCEL-RQ while sub-operations run.
/// </summary>
internal static class MoveScp
{
    public static async Task ServeAsync(TestArchive archive, DicomAssociation association, CancellationToken stopping)
    {
        var session = new DimseSession(association);
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var dispatcher = new Dispatcher(archive, session, ending.Token);
        try
        {
            var outcome = await session.RunAsync(dispatcher, stopping).ConfigureAwait(false);
            if (outcome.ProtocolError is not null)
            {
                archive.ReportFailure(outcome.ProtocolError);
            }
        }
        finally
        {
            // The association is over: moves still running have nobody to answer to.
            await ending.CancelAsync().ConfigureAwait(false);
            await dispatcher.WaitForMovesAsync().ConfigureAwait(false);
        }
    }

    private sealed class Dispatcher(TestArchive archive, DimseSession session, CancellationToken ending) : IDimseMessageHandler
    {
        private readonly ConcurrentDictionary<ushort, MoveOperation> _moves = new();
        private readonly ConcurrentBag<Task> _running = [];
        private int _movesRequested;

        public async ValueTask<IDataSetSink?> OnCommandAsync(byte presentationContextId, DimseMessage message, CancellationToken cancellationToken)
        {
            switch (message)
            {
                case CEchoRequest echo:
                    await session.SendAsync(presentationContextId, new CEchoResponse(echo.MessageId, DimseStatus.Success, echo.AffectedSopClassUid),
                        cancellationToken).ConfigureAwait(false);
                    return null;
                case CMoveRequest when archive.Options.MovesPerAssociation is { } most && ++_movesRequested > most:
                    // The archive has had enough of this association: dropped with the request unanswered.
                    await session.Association.AbortAsync().ConfigureAwait(false);
                    return null;
                case CMoveRequest move:
                    return new IdentifierSink(this, presentationContextId, move);
                case CCancelRequest cancel:
                    // A cancel for a move that already finished (or never was) is ignored, as PS3.7 9.3.2.3 allows.
                    if (_moves.TryGetValue(cancel.MessageIdBeingRespondedTo, out var running))
                    {
                        running.RequestCancel();
                    }

                    return null;
                default:
                    throw new DimseProtocolException(DimseProtocolError.InvalidCommand,
                        $"{message.CommandField} is not served by the test archive");
            }
        }

        private void Start(byte presentationContextId, CMoveRequest request, ReadOnlyMemory<byte> identifier)
        {
            var operation = new MoveOperation(archive, session, presentationContextId, request, identifier.ToArray());
            if (!_moves.TryAdd(request.MessageId, operation))
            {
                throw new DimseProtocolException(DimseProtocolError.InvalidCommand,
                    $"C-MOVE-RQ with message id {request.MessageId} while one with that id is still running");
            }

            _running.Add(Task.Run(async () =>
            {
                try
                {
                    await operation.RunAsync(ending).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ending.IsCancellationRequested)
                {
                    archive.ReportFailure(e);
                    await session.Association.AbortAsync().ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // The association ended under the move.
                }
                finally
                {
                    _moves.TryRemove(request.MessageId, out _);
                }
            }, CancellationToken.None));
        }

        public async Task WaitForMovesAsync()
        {
            await Task.WhenAll(_running).ConfigureAwait(false);
        }

        private sealed class IdentifierSink(Dispatcher owner, byte presentationContextId, CMoveRequest request) : IDataSetSink
        {
            private readonly BoundedDataSetBuffer _buffer = new();

            public ValueTask OnFragmentAsync(ReadOnlySequence<byte> fragment, CancellationToken cancellationToken) =>
                _buffer.OnFragmentAsync(fragment, cancellationToken);

            public ValueTask OnCompleteAsync(CancellationToken cancellationToken)
            {
                owner.Start(presentationContextId, request, _buffer.Data);
                return ValueTask.CompletedTask;
            }
        }
    }

    /// <summary>One C-MOVE: match, open one store association to the destination, store each match, report as it goes.</summary>
    private sealed class MoveOperation(TestArchive archive, DimseSession session, byte presentationContextId, CMoveRequest request, byte[] identifier)
    {
        private readonly CancellationTokenSource _cancel = new();

        public void RequestCancel()
        {
            try
            {
                _cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The move finished while the cancel was on its way.
            }
        }

        private bool CancelRequested => _cancel.IsCancellationRequested;

        public async Task RunAsync(CancellationToken ending)
        {
            using (_cancel)
            {
                await RunMoveAsync(ending).ConfigureAwait(false);
            }
        }

        private async Task RunMoveAsync(CancellationToken ending)
        {
            if (archive.Options.AnswerEveryMoveWith is { } answer)
            {
                await FinishAsync(answer, new Tally(0), withCounts: true, ending).ConfigureAwait(false);
                return;
            }

            var model = MoveMatching.ModelOf(request.AffectedSopClassUid);
            DicomDataset? keys = TryReadIdentifier();
            if (model is null || keys is null || MoveMatching.LevelOf(keys) is not { } level)
            {
                await FinishAsync(DimseStatus.MoveIdentifierDoesNotMatchSopClass, new Tally(0), withCounts: false, ending).ConfigureAwait(false);
                return;
            }

            if (!archive.TryGetDestination(request.MoveDestination, out var destination))
            {
                // dcmqrscp sends the (zero) counts with this refusal.
                await FinishAsync(DimseStatus.MoveDestinationUnknown, new Tally(0), withCounts: true, ending).ConfigureAwait(false);
                return;
            }

            var matches = MoveMatching.Select(archive.Instances, model.Value, level, keys);
            var tally = new Tally(matches.Count);
            if (matches.Count == 0)
            {
                await FinishAsync(DimseStatus.Success, tally, withCounts: true, ending).ConfigureAwait(false);
                return;
            }

            DimseClient store;
            try
            {
                store = await DimseClient.ConnectAsync(destination.Host, destination.Port, StoreAssociation(matches), archive.Options.Association,
                    cancellationToken: ending).ConfigureAwait(false);
            }
            catch (Exception e) when (e is DicomAssociationException or IOException or System.Net.Sockets.SocketException or TimeoutException)
            {
                archive.ReportFailure(e);
                foreach (var instance in matches)
                {
                    tally.Fail(instance.SopInstanceUid);
                }

                await FinishAsync(DimseStatus.MoveOutOfResourcesSubOperations, tally, withCounts: true, ending).ConfigureAwait(false);
                return;
            }

            await using (store.ConfigureAwait(false))
            {
                ushort storeMessageId = 0;
                foreach (var instance in matches)
                {
                    if (!await PauseAsync(first: storeMessageId == 0, ending).ConfigureAwait(false))
                    {
                        break;
                    }

                    ushort status;
                    try
                    {
                        status = await store.StoreFileAsync(++storeMessageId, instance.Path, session.Association.Request.CallingAeTitle.Trim(),
                            request.MessageId, ending).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // One file the destination cannot take (no context, unreadable file) fails only its own sub-operation.
                        archive.ReportFailure(e);
                        status = DimseStatus.ProcessingFailure;
                    }

                    tally.Count(instance.SopInstanceUid, status);
                    if (archive.Options.SendPendingResponses)
                    {
                        await session.SendAsync(presentationContextId, Response(DimseStatus.Pending, tally, withRemaining: true), ending).ConfigureAwait(false);
                    }

                    if (store.Completion.IsCompleted)
                    {
                        break;
                    }
                }

                if (!store.Completion.IsCompleted)
                {
                    await store.ReleaseAsync(ending).ConfigureAwait(false);
                }
            }

            // Sub-operations the store association could no longer carry failed.
            if (!CancelRequested)
            {
                foreach (var instance in matches.Skip(tally.Done))
                {
                    tally.Fail(instance.SopInstanceUid);
                }
            }

            ushort final = CancelRequested && tally.Remaining > 0 ? DimseStatus.Cancel
                : tally.Failed > 0 || tally.Warning > 0 ? DimseStatus.MoveSubOperationsCompleteWithFailures
                : DimseStatus.Success;
            await FinishAsync(final, tally, withCounts: true, ending).ConfigureAwait(false);
        }

        /// <summary>The delay between sub-operations; false when a C-CANCEL-RQ arrived (before or during it).</summary>
        private async Task<bool> PauseAsync(bool first, CancellationToken ending)
        {
            if (CancelRequested)
            {
                return false;
            }

            var delay = archive.Options.SubOperationDelay;
            if (!first && delay > TimeSpan.Zero)
            {
                using var either = CancellationTokenSource.CreateLinkedTokenSource(ending, _cancel.Token);
                try
                {
                    await Task.Delay(delay, either.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ending.IsCancellationRequested)
                {
                    return false;
                }
            }

            return !CancelRequested;
        }

        private DicomDataset? TryReadIdentifier()
        {
            try
            {
                var syntax = session.TransferSyntaxOf(presentationContextId);
                ReadOnlyMemory<byte> bytes = identifier;
                if (syntax.IsDeflated)
                {
                    using var inflater = new DeflateStream(new MemoryStream(identifier), CompressionMode.Decompress);
                    using var inflated = new MemoryStream();
                    inflater.CopyTo(inflated);
                    bytes = inflated.ToArray();
                    syntax = TransferSyntax.ExplicitVRLittleEndian;
                }

                return DicomReader.ReadDataset(bytes, syntax);
            }
            catch (Exception e) when (e is DicomFormatException or InvalidDataException)
            {
                archive.ReportFailure(e);
                return null;
            }
        }

        /// <summary>
        /// One context per SOP class and file syntax that is not little endian uncompressed (so files go as they are), and one
        /// per SOP class with explicit and implicit little endian, which any storage SCP takes.
        /// </summary>
        private AssociateRequest StoreAssociation(IReadOnlyList<ArchivedInstance> matches)
        {
            var proposals = new List<PresentationContextProposal>();
            byte id = 1;
            foreach (var sopClass in matches.GroupBy(m => m.SopClassUid, StringComparer.Ordinal))
            {
                foreach (string syntax in sopClass.Select(m => m.TransferSyntaxUid).Distinct(StringComparer.Ordinal)
                             .Where(ts => ts is not TransferSyntaxUids.ExplicitVRLittleEndian and not TransferSyntaxUids.ImplicitVRLittleEndian))
                {
                    proposals.Add(new PresentationContextProposal(id, sopClass.Key, new[] { syntax }));
                    id += 2;
                }

                proposals.Add(new PresentationContextProposal(id, sopClass.Key,
                    new[] { TransferSyntaxUids.ExplicitVRLittleEndian, TransferSyntaxUids.ImplicitVRLittleEndian }));
                id += 2;
                if (id > 255 - 2)
                {
                    throw new InvalidOperationException("The matched files need more than 128 presentation contexts");
                }
            }

            return DicomAssociation.CreateRequest(request.MoveDestination, archive.AeTitle, proposals, archive.Options.Association);
        }

        private CMoveResponse Response(ushort status, Tally tally, bool withRemaining) =>
            new(request.MessageId, status, request.AffectedSopClassUid)
            {
                RemainingSuboperations = withRemaining ? Clamp(tally.Remaining) : null,
                CompletedSuboperations = Clamp(tally.Completed),
                FailedSuboperations = Clamp(tally.Failed),
                WarningSuboperations = Clamp(tally.Warning),
            };

        private async Task FinishAsync(ushort status, Tally tally, bool withCounts, CancellationToken ending)
        {
            // PS3.4 C.4.2.1.6: the remaining count belongs to pending and cancel responses only.
            var response = withCounts
                ? Response(status, tally, withRemaining: status == DimseStatus.Cancel)
                : new CMoveResponse(request.MessageId, status, request.AffectedSopClassUid);
            if (archive.Options.SendFailedSopInstanceList && tally.FailedUids.Count > 0)
            {
                var list = new DicomDataset();
                list.AddOrUpdate(DicomTags.FailedSOPInstanceUIDList, DicomVR.UI, string.Join('\\', tally.FailedUids));
                byte[] encoded = ServiceRequests.EncodeDataSet(list, TransferSyntax.ExplicitVRLittleEndian, session.TransferSyntaxOf(presentationContextId));
                await session.SendAsync(presentationContextId, response with { HasIdentifier = true }, encoded, ending).ConfigureAwait(false);
            }
            else
            {
                await session.SendAsync(presentationContextId, response, ending).ConfigureAwait(false);
            }

            archive.Record(new ArchiveMoveRecord(session.Association.Request.CallingAeTitle.Trim(), request.MoveDestination, request.MessageId,
                status, tally.Completed, tally.Failed, tally.Warning, tally.Remaining, tally.FailedUids.ToArray()));
        }

        private static ushort Clamp(int count) => (ushort)Math.Min(count, ushort.MaxValue);
    }

    private sealed class Tally(int total)
    {
        public List<string> FailedUids { get; } = [];
        public int Completed { get; private set; }
        public int Failed { get; private set; }
        public int Warning { get; private set; }
        public int Done => Completed + Failed + Warning;
        public int Remaining => total - Done;

        public void Count(string sopInstanceUid, ushort status)
        {
            switch (DimseStatus.Classify(status))
            {
                case DimseStatusCategory.Success:
                    Completed++;
                    break;
                case DimseStatusCategory.Warning:
                    Warning++;
                    break;
                default:
                    Fail(sopInstanceUid);
                    break;
            }
        }

        public void Fail(string sopInstanceUid)
        {
            Failed++;
            FailedUids.Add(sopInstanceUid);
        }
    }
}
