using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using ActorMove.Network.Association;
using ActorMove.Network.Dimse;
using ActorMove.Network.Pdu;

namespace ActorMove.Network.Services;

/// <summary>A response and, when one followed it, its data set (e.g. a C-MOVE-RSP's failed SOP instance list).</summary>
public sealed record DimseReply(DimseResponse Response, ReadOnlyMemory<byte>? DataSet, byte PresentationContextId);

/// <summary>What to do with a data set that follows a pending response (movescu's -pi / -pr).</summary>
public enum PendingDataSetHandling
{
    /// <summary>-pi: assume none is present; one that arrives anyway is a protocol error.</summary>
    AssumeNone,

    /// <summary>-pr: read it and throw it away.</summary>
    ReadAndDiscard,
}

/// <summary>
/// The requestor side of an association for request/response services (C-ECHO, C-MOVE, C-STORE as SCU), one
/// request at a time as movescu works (asynchronous operations window 1). A background loop reads every PDU, so a
/// peer's abort or release is noticed even between requests.
/// </summary>
public sealed class DimseClient : IAsyncDisposable
{
    private readonly Channel<DimseReply> _replies = Channel.CreateUnbounded<DimseReply>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _oneRequest = new(1, 1);
    private readonly Task<SessionOutcome> _loop;
    private readonly ReplyRouter _router;

    /// <summary>The Message ID of the request waiting for its responses (one at a time), or -1 when none is.</summary>
    private int _outstandingMessageId = -1;

    private DimseClient(DicomAssociation association)
    {
        Session = new DimseSession(association);
        _router = new ReplyRouter(this);
        _loop = Task.Run(async () =>
        {
            var outcome = await Session.RunAsync(_router).ConfigureAwait(false);
            _replies.Writer.TryComplete(new DicomAssociationException($"The association ended: {outcome}"));
            return outcome;
        });
    }

    public DimseSession Session { get; }

    /// <summary>How the receive loop ended; completes when the association is over.</summary>
    public Task<SessionOutcome> Completion => _loop;

    /// <summary>-pi or -pr for the data sets that follow pending responses.</summary>
    public PendingDataSetHandling PendingDataSets { get; init; }

    /// <summary>
    /// Called on the receive loop for each response to the outstanding request as soon as its command is decoded, before
    /// the request's caller sees it (which takes a thread hop): for what must react to a response before anything else
    /// happens meanwhile (--cancel's gate). Keep it short and non-blocking: every PDU of the association waits for it.
    /// </summary>
    public Action<DimseResponse>? ResponseRead { get; set; }

    /// <summary>Connects, negotiates (throws <see cref="AssociationRejectedException"/> and friends), and starts reading.</summary>
    public static async Task<DimseClient> ConnectAsync(string host, int port, AssociateRequest request, AssociationOptions? options = null,
        PendingDataSetHandling pendingDataSets = PendingDataSetHandling.AssumeNone, CancellationToken cancellationToken = default)
    {
        var association = await DicomAssociation.RequestAsync(host, port, request, options, cancellationToken).ConfigureAwait(false);
        return new DimseClient(association) { PendingDataSets = pendingDataSets };
    }

    /// <summary>
    /// Sends a request (with its encoded data set, if any) and waits for its final response; every pending response is
    /// passed to <paramref name="onPending"/> first.
    /// </summary>
    public async Task<DimseReply> RequestAsync(byte presentationContextId, DimseMessage request, ReadOnlyMemory<byte>? dataSet = null,
        Func<DimseReply, ValueTask>? onPending = null, CancellationToken cancellationToken = default)
    {
        await _oneRequest.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ExpectResponsesTo(request);
            await SendRequestAsync(presentationContextId, request, dataSet, cancellationToken).ConfigureAwait(false);
            return await AwaitFinalAsync(onPending, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _outstandingMessageId, -1);
            _oneRequest.Release();
        }
    }

    /// <summary>Like <see cref="RequestAsync(byte, DimseMessage, ReadOnlyMemory{byte}?, Func{DimseReply, ValueTask}?, CancellationToken)"/>, streaming the data set.</summary>
    public async Task<DimseReply> RequestAsync(byte presentationContextId, DimseMessage request, Stream dataSet,
        Func<DimseReply, ValueTask>? onPending = null, CancellationToken cancellationToken = default)
    {
        await _oneRequest.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ExpectResponsesTo(request);
            await Session.SendAsync(presentationContextId, request, dataSet, cancellationToken).ConfigureAwait(false);
            return await AwaitFinalAsync(onPending, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _outstandingMessageId, -1);
            _oneRequest.Release();
        }
    }

    /// <summary>Sends a message that expects no response of its own (C-CANCEL-RQ), while a request is outstanding.</summary>
    public ValueTask SendAsync(byte presentationContextId, DimseMessage message, CancellationToken cancellationToken = default) =>
        Session.SendAsync(presentationContextId, message, cancellationToken);

    /// <summary>Set before the request goes out, so that its first response, however quick, finds it.</summary>
    private void ExpectResponsesTo(DimseMessage request) =>
        Volatile.Write(ref _outstandingMessageId, request switch
        {
            CEchoRequest echo => echo.MessageId,
            CStoreRequest store => store.MessageId,
            CMoveRequest move => move.MessageId,
            _ => throw new ArgumentException($"{request.CommandField} is not a request that is answered", nameof(request)),
        });

    private ValueTask SendRequestAsync(byte presentationContextId, DimseMessage request, ReadOnlyMemory<byte>? dataSet, CancellationToken cancellationToken) =>
        dataSet is { } bytes
            ? Session.SendAsync(presentationContextId, request, bytes, cancellationToken)
            : Session.SendAsync(presentationContextId, request, cancellationToken);

    private async Task<DimseReply> AwaitFinalAsync(Func<DimseReply, ValueTask>? onPending, CancellationToken cancellationToken)
    {
        while (true)
        {
            DimseReply reply;
            try
            {
                reply = await _replies.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException closed) when (closed.InnerException is { } cause)
            {
                // The receive loop closed the queue with why the association ended (a timeout, an abort, a response that
                // does not parse); "the channel has been closed" would tell the caller nothing.
                ExceptionDispatchInfo.Throw(cause);
                throw;
            }

            if (!DimseStatus.IsPending(reply.Response.Status))
            {
                return reply;
            }

            if (onPending is not null)
            {
                await onPending(reply).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A-RELEASE; waits for the peer's answer (-ta) and for the receive loop to end.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        await Session.Association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
    }

    /// <summary>A-ABORT (movescu's --abort), then waits for the receive loop to end.</summary>
    public async Task AbortAsync()
    {
        await Session.Association.AbortAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await Session.Association.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (Exception) when (_loop.IsFaulted)
        {
            // Disposing: how the loop ended no longer matters.
        }
    }

    /// <summary>Routes responses from the receive loop to the waiting request; a response's data set is buffered (it is small).</summary>
    private sealed class ReplyRouter(DimseClient owner) : IDimseMessageHandler
    {
        public ValueTask<IDataSetSink?> OnCommandAsync(byte presentationContextId, DimseMessage message, CancellationToken cancellationToken)
        {
            if (message is not DimseResponse response)
            {
                throw new DimseProtocolException(DimseProtocolError.InvalidCommand,
                    $"{message.CommandField} arrived on an association where we only sent requests");
            }

            // movescu's words. A response to another request would otherwise be taken for this one's (its final status).
            int expected = Volatile.Read(ref owner._outstandingMessageId);
            if (response.MessageIdBeingRespondedTo != expected)
            {
                throw new DimseProtocolException(DimseProtocolError.UnexpectedResponse, expected < 0
                    ? $"Unexpected Response MsgId: {response.MessageIdBeingRespondedTo} (no request outstanding)"
                    : $"Unexpected Response MsgId: {response.MessageIdBeingRespondedTo} (expected: {expected})");
            }

            owner.ResponseRead?.Invoke(response);

            if (!response.HasDataSet)
            {
                owner._replies.Writer.TryWrite(new DimseReply(response, null, presentationContextId));
                return ValueTask.FromResult<IDataSetSink?>(null);
            }

            if (DimseStatus.IsPending(response.Status))
            {
                owner._replies.Writer.TryWrite(new DimseReply(response, null, presentationContextId));
                return ValueTask.FromResult<IDataSetSink?>(owner.PendingDataSets == PendingDataSetHandling.ReadAndDiscard ? DiscardingSink.Instance : null);
            }

            return ValueTask.FromResult<IDataSetSink?>(new ReplyDataSet(owner, response, presentationContextId));
        }
    }

    private sealed class ReplyDataSet(DimseClient owner, DimseResponse response, byte presentationContextId) : IDataSetSink
    {
        private readonly BoundedDataSetBuffer _buffer = new();

        public ValueTask OnFragmentAsync(ReadOnlySequence<byte> fragment, CancellationToken cancellationToken) =>
            _buffer.OnFragmentAsync(fragment, cancellationToken);

        public ValueTask OnCompleteAsync(CancellationToken cancellationToken)
        {
            owner._replies.Writer.TryWrite(new DimseReply(response, _buffer.Data, presentationContextId));
            return ValueTask.CompletedTask;
        }
    }

    private sealed class DiscardingSink : IDataSetSink
    {
        public static DiscardingSink Instance { get; } = new();

        public ValueTask OnFragmentAsync(ReadOnlySequence<byte> fragment, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask OnCompleteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
