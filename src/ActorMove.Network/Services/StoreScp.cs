using System.Buffers;
using System.Net;
using ActorMove.Dicom.Core;
using ActorMove.Network.Association;
using ActorMove.Network.Dimse;

namespace ActorMove.Network.Services;

/// <summary>An inbound C-STORE as the storage SCP sees it once its command has arrived.</summary>
public sealed record StoreRequestContext(
    CStoreRequest Request,
    byte PresentationContextId,
    TransferSyntax TransferSyntax,
    string CallingAeTitle,
    string CalledAeTitle,
    IPEndPoint? Peer);

/// <summary>Where one received object goes while its data set arrives.</summary>
public interface IStoreTarget
{
    /// <summary>The next piece of the data set; the bytes are only valid during the call.</summary>
    ValueTask WriteAsync(ReadOnlySequence<byte> fragment, CancellationToken cancellationToken);

    /// <summary>
    /// The data set is complete: finish the object and return the C-STORE-RSP status. The receive loop does not wait for
    /// it: the response is sent by the thread that completes the returned task, the moment it does (so complete it where
    /// sending one small PDU is acceptable, and without <see cref="TaskCreationOptions.RunContinuationsAsynchronously"/>,
    /// which would add a thread-pool hand-off before every response).
    /// </summary>
    ValueTask<ushort> CompleteAsync(CancellationToken cancellationToken);

    /// <summary>The association ended before the data set was complete: drop the object.</summary>
    ValueTask AbortAsync();

    /// <summary>Another PDV of the data set begins (called before its bytes reach <see cref="WriteAsync"/>).</summary>
    void OnPdvStarted()
    {
    }
}

public interface IStoreHandler
{
    /// <summary>Called for every C-STORE-RQ; the returned target receives its data set.</summary>
    ValueTask<IStoreTarget> BeginStoreAsync(StoreRequestContext request, CancellationToken cancellationToken);
}

/// <summary>
/// The storage SCP side of an established association: answers C-ECHO, streams every C-STORE data set into the
/// target its handler gives and answers C-STORE-RSP with the target's status once the object is complete.
/// Anything else is a protocol error that aborts the association, as DCMTK's store SCP does.
/// </summary>
public static class StoreScp
{
    public static async Task<SessionOutcome> ServeAsync(DicomAssociation association, IStoreHandler handler, CancellationToken cancellationToken = default)
    {
        var session = new DimseSession(association);
        var dispatcher = new Dispatcher(session, handler);
        try
        {
            return await session.RunAsync(dispatcher, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await dispatcher.AbortUnfinishedAsync().ConfigureAwait(false);
        }
    }

    private sealed class Dispatcher(DimseSession session, IStoreHandler handler) : IDimseMessageHandler
    {
        private StoreSink? _current;

        public async ValueTask<IDataSetSink?> OnCommandAsync(byte presentationContextId, DimseMessage message, CancellationToken cancellationToken)
        {
            // One operation at a time: a request is served after the previous one's response is out (a peer without
            // asynchronous operations only sends it after that anyway).
            await session.Association.WaitForSendsInFlightAsync(cancellationToken).ConfigureAwait(false);
            switch (message)
            {
                case CEchoRequest echo:
                    await session.SendAsync(presentationContextId, new CEchoResponse(echo.MessageId, DimseStatus.Success, echo.AffectedSopClassUid),
                        cancellationToken).ConfigureAwait(false);
                    return null;
                case CStoreRequest store:
                    var association = session.Association;
                    var context = new StoreRequestContext(store, presentationContextId, session.TransferSyntaxOf(presentationContextId),
                        association.Request.CallingAeTitle, association.Request.CalledAeTitle, association.Connection.RemoteEndPoint);
                    var target = await handler.BeginStoreAsync(context, cancellationToken).ConfigureAwait(false);
                    _current = new StoreSink(this, presentationContextId, store, target);
                    return _current;
                default:
                    throw new DimseProtocolException(DimseProtocolError.InvalidCommand,
                        $"{message.CommandField} is not served on a store association");
            }
        }

        public async ValueTask AbortUnfinishedAsync()
        {
            var unfinished = _current;
            _current = null;
            if (unfinished is not null)
            {
                await unfinished.Target.AbortAsync().ConfigureAwait(false);
            }
        }

        private void RespondWhenKnown(byte presentationContextId, ValueTask<DimseMessage> response, CancellationToken cancellationToken) =>
            session.SendWhenKnown(presentationContextId, response, cancellationToken);

        private sealed class StoreSink(Dispatcher owner, byte presentationContextId, CStoreRequest request, IStoreTarget target) : IDataSetSink
        {
            public IStoreTarget Target => target;

            public ValueTask OnFragmentAsync(ReadOnlySequence<byte> fragment, CancellationToken cancellationToken) =>
                target.WriteAsync(fragment, cancellationToken);

            public void OnPdvStarted() => target.OnPdvStarted();

            public ValueTask OnCompleteAsync(CancellationToken cancellationToken)
            {
                owner._current = null;
                owner.RespondWhenKnown(presentationContextId, ResponseAsync(target.CompleteAsync(cancellationToken)), cancellationToken);
                return ValueTask.CompletedTask;
            }

            private async ValueTask<DimseMessage> ResponseAsync(ValueTask<ushort> status) =>
                new CStoreResponse(request.MessageId, await status.ConfigureAwait(false), request.AffectedSopClassUid, request.AffectedSopInstanceUid);
        }
    }
}
