using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using ActorMove.Network.Pdu;
using ActorMove.Network.Transport;

namespace ActorMove.Network.Association;

/// <summary>
/// One DICOM association over one connection, for either side: the PS3.8 state machine (Sta1..Sta13) with its ACSE,
/// DIMSE and ARTIM timers. Nothing here blocks a thread: received data comes out of <see cref="ReceiveAsync"/> one event
/// at a time (a P-DATA-TF as its PDV values arrive), and nothing more is read before the consumer asks for the next
/// event (back-pressure to the peer).
/// Sending may run concurrently with receiving; sends are serialized.
/// </summary>
public sealed class DicomAssociation : IAsyncDisposable
{
    private const string ImplicitLittleEndian = "1.2.840.10008.1.2";

    private readonly DicomConnection _connection;
    private readonly AssociationOptions _options;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly object _gate = new();
    private AssociationState _state;
    private int _readerActive;
    private SequencePosition? _pendingConsumed;
    private TaskCompletionSource<AssociationEvent>? _releaseDone;
    private Abort? _localAbort;
    private string? _localAbortDetail;
    private bool _releaseTimedOut;
    private AssociateAccept? _accept;
    private PresentationContextResult?[] _acceptedById = [];
    private Task? _closingAfterPeer;
    private Task _sendsInFlight = Task.CompletedTask;
    private PDataTfProgress _dataTransfer;

    private DicomAssociation(DicomConnection connection, AssociationOptions options, bool isRequestor, AssociationState initial)
    {
        _connection = connection;
        _options = options;
        IsRequestor = isRequestor;
        _state = initial;
    }

    public bool IsRequestor { get; }

    public AssociationState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>The A-ASSOCIATE-RQ as sent (requestor) or received (acceptor).</summary>
    public AssociateRequest Request { get; private set; } = null!;

    /// <summary>The A-ASSOCIATE-AC as received (requestor) or sent (acceptor).</summary>
    public AssociateAccept Accept => _accept ?? throw new InvalidOperationException("The association is not established");

    /// <summary>
    /// The accepted presentation context with this ID, or null when it was refused or never proposed. Looked up by index:
    /// every PDV that arrives and every message sent asks, and the accept may list a hundred contexts or more.
    /// </summary>
    public PresentationContextResult? AcceptedContext(byte presentationContextId) =>
        presentationContextId < _acceptedById.Length ? _acceptedById[presentationContextId] : null;

    /// <summary>The largest P-DATA-TF the peer accepts (0 = unlimited).</summary>
    public uint PeerMaxPduLength => IsRequestor ? Accept.UserInformation.MaximumLength : Request.UserInformation.MaximumLength;

    /// <summary>
    /// The most data one PDV we send carries (what DCMTK calls the association's "Max Send PDV"): the peer's maximum PDU
    /// length less PDU and PDV headers, capped by <see cref="PDataFragmenter.MaxPduLengthWeSend"/>; 0 when the peer's limit
    /// leaves no room at all.
    /// </summary>
    public int MaxSendPdvLength =>
        PeerMaxPduLength is not 0 and <= PDataFragmenter.FragmentOverhead ? 0 : PDataFragmenter.MaxFragmentLength(PeerMaxPduLength);

    public DicomConnection Connection => _connection;

    /// <summary>True while a receive loop is enumerating this association.</summary>
    internal bool IsReceiving => Volatile.Read(ref _readerActive) == 1;

    /// <summary>Builds an A-ASSOCIATE-RQ carrying our maximum length and implementation identity from <paramref name="options"/>.</summary>
    public static AssociateRequest CreateRequest(string calledAeTitle, string callingAeTitle, IEnumerable<PresentationContextProposal> presentationContexts,
        AssociationOptions? options = null, IEnumerable<RoleSelection>? roleSelections = null)
    {
        options ??= AssociationOptions.Default;
        var userInformation = new UserInformation(options.MaxPduLength, options.ImplementationClassUid, options.ImplementationVersionName)
        {
            RoleSelections = (roleSelections ?? []).ToArray(),
        };
        return new AssociateRequest(calledAeTitle, callingAeTitle, presentationContexts.ToArray(), userInformation);
    }

    /// <summary>
    /// Requestor: connects (-to), sends the A-ASSOCIATE-RQ and waits for the answer (-ta). Throws
    /// <see cref="AssociationRejectedException"/> with the typed A-ASSOCIATE-RJ, <see cref="AssociationAbortedException"/>,
    /// <see cref="AssociationTimeoutException"/>, <see cref="TimeoutException"/> (connect) or <see cref="System.Net.Sockets.SocketException"/>.
    /// </summary>
    public static async Task<DicomAssociation> RequestAsync(string host, int port, AssociateRequest request, AssociationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= AssociationOptions.Default;
        options.Validate();
        // Sta1 -> AE-1 (open transport) -> Sta4.
        var connection = await DicomConnection.ConnectAsync(host, port, options.Connection, cancellationToken).ConfigureAwait(false);
        return await RequestAsync(connection, request, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Requestor over a connection that is already open (Sta4). Takes ownership of the connection. The request's maximum length is
    /// set to <see cref="AssociationOptions.MaxPduLength"/>, the limit incoming PDUs are checked against.
    /// </summary>
    public static async Task<DicomAssociation> RequestAsync(DicomConnection connection, AssociateRequest request, AssociationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= AssociationOptions.Default;
        options.Validate();
        request = request with { UserInformation = request.UserInformation with { MaximumLength = options.MaxPduLength } };
        var association = new DicomAssociation(connection, options, isRequestor: true, AssociationState.Sta4) { Request = request };
        try
        {
            // AE-2: send A-ASSOCIATE-RQ -> Sta5.
            await association.SendPduAsync(request, cancellationToken).ConfigureAwait(false);
            association.SetState(AssociationState.Sta5);
            var outcome = await association.ReadPduAsync(options.AcseTimeout, streamDataTransfer: false, cancellationToken).ConfigureAwait(false);
            switch (outcome.Kind)
            {
                case ReadKind.Pdu:
                    association.CompleteRead();
                    switch (outcome.Pdu)
                    {
                        case AssociateAccept accept:
                            // AE-3 -> Sta6.
                            association.Established(accept);
                            return association;
                        case AssociateReject reject:
                            // AE-4: close -> Sta1.
                            await association.CloseAsync().ConfigureAwait(false);
                            throw new AssociationRejectedException(reject, byPeer: true);
                        case Abort abort:
                            // AA-3.
                            await association.CloseAsync().ConfigureAwait(false);
                            throw new AssociationAbortedException(abort, byPeer: true, $"The peer aborted the association request ({abort.Source}, {abort.Reason})");
                        default:
                            // AA-8: unexpected PDU.
                            throw await association.AbortUnexpectedAsync(outcome.Pdu!, "A-ASSOCIATE-AC").ConfigureAwait(false);
                    }

                case ReadKind.Malformed:
                    throw await association.AbortMalformedAsync(outcome.Error!).ConfigureAwait(false);
                case ReadKind.Timeout:
                    await association.AbortLocallyAsync(new Abort(AbortSource.ServiceProvider, AbortReason.NotSpecified), "ACSE timeout").ConfigureAwait(false);
                    throw new AssociationTimeoutException($"No answer to the A-ASSOCIATE-RQ within {options.AcseTimeout}", options.AcseTimeout);
                default:
                    // AA-4: the peer closed the connection.
                    await association.CloseAsync().ConfigureAwait(false);
                    throw new AssociationAbortedException(null, byPeer: true, "The peer closed the connection during association negotiation");
            }
        }
        catch (Exception e) when (e is not DicomAssociationException)
        {
            await association.CloseAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Acceptor: waits (ARTIM = -ta) for the A-ASSOCIATE-RQ, asks <paramref name="policy"/>, answers. Returns the
    /// established association, or throws <see cref="AssociationRejectedException"/> (our policy said no; the RJ was sent),
    /// <see cref="AssociationAbortedException"/> or <see cref="AssociationTimeoutException"/>. Takes ownership of the connection.
    /// </summary>
    public static async Task<DicomAssociation> AcceptAsync(DicomConnection connection, Func<AssociateRequest, AssociateDecision> policy,
        AssociationOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= AssociationOptions.Default;
        options.Validate();
        // AE-5: transport connection indication, start ARTIM -> Sta2.
        var association = new DicomAssociation(connection, options, isRequestor: false, AssociationState.Sta2);
        try
        {
            var outcome = await association.ReadPduAsync(options.AcseTimeout, streamDataTransfer: false, cancellationToken).ConfigureAwait(false);
            switch (outcome.Kind)
            {
                case ReadKind.Pdu:
                    association.CompleteRead();
                    switch (outcome.Pdu)
                    {
                        case AssociateRequest request:
                            // AE-6: stop ARTIM -> Sta3.
                            association.Request = request;
                            association.SetState(AssociationState.Sta3);
                            return await association.AnswerAsync(request, policy, cancellationToken).ConfigureAwait(false);
                        case Abort abort:
                            // AA-2.
                            await association.CloseAsync().ConfigureAwait(false);
                            throw new AssociationAbortedException(abort, byPeer: true, "The peer aborted before requesting an association");
                        default:
                            // AA-1: unexpected PDU in Sta2.
                            throw await association.AbortUnexpectedAsync(outcome.Pdu!, "A-ASSOCIATE-RQ").ConfigureAwait(false);
                    }

                case ReadKind.Malformed:
                    throw await association.AbortMalformedAsync(outcome.Error!).ConfigureAwait(false);
                case ReadKind.Timeout:
                    // AA-2: ARTIM expired, close the connection.
                    await association.CloseAsync().ConfigureAwait(false);
                    throw new AssociationTimeoutException($"No A-ASSOCIATE-RQ within {options.AcseTimeout} (ARTIM)", options.AcseTimeout);
                default:
                    await association.CloseAsync().ConfigureAwait(false);
                    throw new AssociationAbortedException(null, byPeer: true, "The peer closed the connection before requesting an association");
            }
        }
        catch (Exception e) when (e is not DicomAssociationException)
        {
            await association.CloseAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<DicomAssociation> AnswerAsync(AssociateRequest request, Func<AssociateRequest, AssociateDecision> policy, CancellationToken cancellationToken)
    {
        AssociateDecision decision;
        if ((request.ProtocolVersion & UpperLayer.ProtocolVersion) == 0)
        {
            decision = AssociateDecision.Reject(RejectResult.Permanent, RejectSource.ServiceProviderAcse, (byte)RejectReasonAcse.ProtocolVersionNotSupported);
        }
        else if (request.ApplicationContextName != UpperLayer.DicomApplicationContext)
        {
            decision = AssociateDecision.Reject(RejectResult.Permanent, RejectReasonServiceUser.ApplicationContextNameNotSupported);
        }
        else
        {
            decision = policy(request);
        }

        switch (decision)
        {
            case AcceptAssociation accepted:
                // Refused contexts carry a transfer syntax that is not significant (PS3.8 9.3.3.2); DCMTK writes implicit little endian there.
                var results = request.PresentationContexts
                    .Select(proposed => accepted.PresentationContexts.FirstOrDefault(r => r.Id == proposed.Id)
                        ?? new PresentationContextResult(proposed.Id, PresentationContextResultReason.NoReason, ""))
                    .Select(result => result.IsAccepted || result.TransferSyntax.Length > 0 ? result : result with { TransferSyntax = ImplicitLittleEndian })
                    .ToArray();
                var userInformation = new UserInformation(_options.MaxPduLength, _options.ImplementationClassUid, _options.ImplementationVersionName)
                {
                    RoleSelections = accepted.RoleSelections,
                };
                var accept = new AssociateAccept(request.CalledAeTitle, request.CallingAeTitle, results, userInformation);
                // AE-7: send A-ASSOCIATE-AC -> Sta6.
                await SendPduAsync(accept, cancellationToken).ConfigureAwait(false);
                Established(accept);
                return this;
            case RejectAssociation rejected:
                // AE-8: send A-ASSOCIATE-RJ, start ARTIM -> Sta13.
                await SendPduAsync(rejected.Answer, cancellationToken).ConfigureAwait(false);
                SetState(AssociationState.Sta13);
                StartClosingAfterPeer();
                throw new AssociationRejectedException(rejected.Answer, byPeer: false);
            default:
                throw new InvalidOperationException($"Unknown decision {decision}");
        }
    }

    /// <summary>
    /// The events of the established association. Each <see cref="PdvReceived"/> refers to the receive buffer and is valid
    /// until the next call to MoveNextAsync; the stream ends after a release, an abort, a closed connection or a DIMSE timeout.
    /// A peer's A-RELEASE-RQ is answered automatically. Only one enumeration may run at a time.
    /// </summary>
    public IAsyncEnumerable<AssociationEvent> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _readerActive, 1, 0) != 0)
        {
            throw new InvalidOperationException("Another receive loop is already reading this association");
        }

        return ReceiveCoreAsync(cancellationToken);
    }

    private async IAsyncEnumerable<AssociationEvent> ReceiveCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        TimeSpan? deferredDimseTimeout = null;
        try
        {
            while (true)
            {
                var state = State;
                if (state is AssociationState.Sta1 or AssociationState.Sta13 && _localAbort is null)
                {
                    yield break;
                }

                bool transferring = state is AssociationState.Sta6 or AssociationState.Sta8;
                var timeout = transferring ? deferredDimseTimeout ?? _options.DimseTimeout : _options.AcseTimeout;
                deferredDimseTimeout = null;
                bool dataExpected = state is AssociationState.Sta6 or AssociationState.Sta7;
                var outcome = await ReadPduAsync(timeout, streamDataTransfer: dataExpected, cancellationToken).ConfigureAwait(false);
                AssociationEvent? final = null;
                switch (outcome.Kind)
                {
                    case ReadKind.Timeout when transferring && _options.DimseActivityElsewhere?.SinceLastTouch is { } since
                                                 && since < _options.DimseTimeout!.Value:
                        // Traffic elsewhere counts (AssociationOptions.DimseActivityElsewhere): wait out the rest of the
                        // timeout from that last activity instead.
                        deferredDimseTimeout = _options.DimseTimeout.Value - since;
                        continue;
                    case ReadKind.Timeout when transferring:
                        final = new ReceiveTimedOut(_options.DimseTimeout!.Value);
                        break;
                    case ReadKind.Timeout:
                        _releaseTimedOut = true;
                        await AbortLocallyAsync(new Abort(AbortSource.ServiceProvider, AbortReason.NotSpecified), $"ACSE timeout in {state}").ConfigureAwait(false);
                        final = new AssociationAborted(_localAbort!, ByPeer: false, _localAbortDetail);
                        break;
                    case ReadKind.Closed when _localAbort is not null:
                        final = new AssociationAborted(_localAbort, ByPeer: false, _localAbortDetail);
                        break;
                    case ReadKind.Closed when outcome.MidPdu:
                        // The PDU length promised more than the peer sent before closing its side.
                        await AbortLocallyAsync(new Abort(AbortSource.ServiceProvider, AbortReason.InvalidPduParameterValue),
                            "The connection closed in the middle of a PDU").ConfigureAwait(false);
                        final = new AssociationAborted(_localAbort!, ByPeer: false, _localAbortDetail);
                        break;
                    case ReadKind.Closed:
                        // AA-4: A-P-ABORT indication.
                        SetState(AssociationState.Sta1);
                        await CloseAsync().ConfigureAwait(false);
                        final = new ConnectionClosed(outcome.Detail);
                        break;
                    case ReadKind.Malformed:
                        await AbortLocallyAsync(outcome.Error!.ToAbort(), outcome.Error.Detail).ConfigureAwait(false);
                        final = new AssociationAborted(_localAbort!, ByPeer: false, _localAbortDetail);
                        break;
                    case ReadKind.DataPiece when !dataExpected:
                        // The rest of a P-DATA-TF that was arriving when the association moved on (aborted): dropped.
                        CompleteRead();
                        continue;
                    case ReadKind.DataPiece:
                        var piece = outcome.Piece;
                        if (outcome.StartsValue && AcceptedContext(piece.PresentationContextId) is null)
                        {
                            CompleteRead();
                            _dataTransfer = default;
                            await AbortLocallyAsync(new Abort(AbortSource.ServiceProvider, AbortReason.InvalidPduParameterValue),
                                $"P-DATA-TF for presentation context {piece.PresentationContextId}, which was not accepted").ConfigureAwait(false);
                            final = new AssociationAborted(_localAbort!, ByPeer: false, _localAbortDetail);
                            break;
                        }

                        // DT-2 / AR-7: P-DATA indication, piece by piece. The buffer is released only when the consumer
                        // comes back for more.
                        yield return new PdvReceived(piece, outcome.StartsValue);
                        CompleteRead();
                        continue;
                    case ReadKind.Pdu:
                        CompleteRead();
                        // Read the state again: a local A-RELEASE-RQ may have moved it on while this loop waited for the PDU.
                        final = await HandleControlPduAsync(outcome.Pdu!, State, cancellationToken).ConfigureAwait(false);
                        break;
                }

                if (final is null)
                {
                    continue;
                }

                _releaseDone?.TrySetResult(final);
                yield return final;
                yield break;
            }
        }
        finally
        {
            if (_pendingConsumed is not null)
            {
                // The consumer stopped after taking a piece: that piece is done with. The rest of its P-DATA-TF, if any,
                // is read by the next receive loop (or by a release).
                CompleteRead();
            }

            Volatile.Write(ref _readerActive, 0);
        }
    }

    /// <summary>Release and abort PDUs during data transfer and release; null means "keep reading".</summary>
    private async Task<AssociationEvent?> HandleControlPduAsync(DicomPdu pdu, AssociationState state, CancellationToken cancellationToken)
    {
        switch (pdu)
        {
            case ReleaseRequest when state == AssociationState.Sta6:
                // AR-2 -> Sta8, answered once the responses still being sent are out: AR-4 send A-RELEASE-RP, start ARTIM -> Sta13.
                SetState(AssociationState.Sta8);
                await WaitForSendsInFlightAsync(cancellationToken).ConfigureAwait(false);
                await SendPduAsync(ReleaseResponse.Instance, cancellationToken).ConfigureAwait(false);
                SetState(AssociationState.Sta13);
                StartClosingAfterPeer();
                return new AssociationReleased(ByPeer: true);
            case ReleaseRequest when state == AssociationState.Sta7:
                // AR-8: release collision.
                if (IsRequestor)
                {
                    // Sta9 -> AR-9: send A-RELEASE-RP -> Sta11, then wait for the peer's A-RELEASE-RP. The state moves on
                    // before the send, so that whoever sees our A-RELEASE-RP also sees Sta11 (only this loop reads PDUs).
                    SetState(AssociationState.Sta11);
                    await SendPduAsync(ReleaseResponse.Instance, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    // Sta10: wait for the peer's A-RELEASE-RP first.
                    SetState(AssociationState.Sta10);
                }

                return null;
            case ReleaseResponse when state is AssociationState.Sta7 or AssociationState.Sta11:
                // AR-3: release confirmation, close the connection -> Sta1.
                SetState(AssociationState.Sta1);
                await CloseAsync().ConfigureAwait(false);
                return new AssociationReleased(ByPeer: false);
            case ReleaseResponse when state == AssociationState.Sta10:
                // AR-10 -> Sta12, then AR-4: send A-RELEASE-RP, start ARTIM -> Sta13.
                SetState(AssociationState.Sta12);
                await SendPduAsync(ReleaseResponse.Instance, cancellationToken).ConfigureAwait(false);
                SetState(AssociationState.Sta13);
                StartClosingAfterPeer();
                return new AssociationReleased(ByPeer: false);
            case Abort abort:
                // AA-3: A-ABORT indication, close -> Sta1.
                SetState(AssociationState.Sta1);
                await CloseAsync().ConfigureAwait(false);
                return new AssociationAborted(abort, ByPeer: true);
            default:
                // AA-8: a PDU this state does not expect.
                await AbortLocallyAsync(new Abort(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu), $"Unexpected {pdu.Type} in {state}").ConfigureAwait(false);
                return new AssociationAborted(_localAbort!, ByPeer: false, _localAbortDetail);
        }
    }

    /// <summary>
    /// A message being sent from outside the receive loop (a response completed on another thread while the loop goes on
    /// reading). A peer's A-RELEASE-RQ is answered only after every such send has completed, so that the A-RELEASE-RP
    /// never overtakes one of them. Call it from the receive loop's side.
    /// </summary>
    public void AddSendInFlight(Task send) => _sendsInFlight = _sendsInFlight.IsCompleted ? send : Task.WhenAll(_sendsInFlight, send);

    /// <summary>
    /// Waits until every send given to <see cref="AddSendInFlight"/> has completed; one that failed is its sender's to
    /// report. A wait that has to happen resumes on the thread pool: the thread that completes the sends (a file
    /// writer's) must not go on to run the receive loop.
    /// </summary>
    public async ValueTask WaitForSendsInFlightAsync(CancellationToken cancellationToken = default)
    {
        var sends = _sendsInFlight;
        if (sends.IsCompleted)
        {
            return;
        }

        try
        {
            await sends.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Sends a command or data set as P-DATA-TF PDUs no longer than the peer accepts. A DIMSE message is its command followed by
    /// its data set; callers that share an association send each message under their own ordering.
    /// </summary>
    public async ValueTask SendMessageAsync(byte presentationContextId, bool isCommand, ReadOnlySequence<byte> message, CancellationToken cancellationToken = default)
    {
        CheckCanSend(presentationContextId);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await PDataFragmenter.WriteAsync(_connection.Output, presentationContextId, isCommand, message, PeerMaxPduLength, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends a command or data set read from a stream of any length (e.g. a file), without holding it in memory.</summary>
    public async ValueTask SendMessageAsync(byte presentationContextId, bool isCommand, Stream message, CancellationToken cancellationToken = default)
    {
        CheckCanSend(presentationContextId);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await PDataFragmenter.WriteAsync(_connection.Output, presentationContextId, isCommand, message, PeerMaxPduLength, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private void CheckCanSend(byte presentationContextId)
    {
        var state = State;
        if (state is not (AssociationState.Sta6 or AssociationState.Sta8))
        {
            throw new InvalidOperationException($"Cannot send data in {state}");
        }

        if (AcceptedContext(presentationContextId) is null)
        {
            throw new ArgumentException($"Presentation context {presentationContextId} was not accepted", nameof(presentationContextId));
        }
    }

    /// <summary>
    /// Releases the association (A-RELEASE-RQ, wait for A-RELEASE-RP within -ta), handling a release collision. If a receive loop
    /// is running it sees the release and this waits for it; otherwise data still arriving is discarded.
    /// Throws <see cref="AssociationAbortedException"/> or <see cref="AssociationTimeoutException"/> when the release fails.
    /// </summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource<AssociationEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_state != AssociationState.Sta6)
            {
                throw new InvalidOperationException($"Cannot release in {_state}");
            }

            _releaseDone = done;
            _state = AssociationState.Sta7;
        }

        // AR-1: send A-RELEASE-RQ -> Sta7.
        await SendPduAsync(ReleaseRequest.Instance, cancellationToken).ConfigureAwait(false);
        AssociationEvent final;
        if (Interlocked.CompareExchange(ref _readerActive, 1, 0) == 0)
        {
            final = new ConnectionClosed("The receive loop ended without an event");
            await foreach (var e in ReceiveCoreAsync(cancellationToken).ConfigureAwait(false))
            {
                final = e;
            }
        }
        else
        {
            // The running receive loop may be waiting with the DIMSE timeout (possibly none): bound the wait by the ACSE timeout here.
            try
            {
                final = await done.Task.WaitAsync(_options.AcseTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                _releaseTimedOut = true;
                await AbortLocallyAsync(new Abort(AbortSource.ServiceProvider, AbortReason.NotSpecified), "ACSE timeout waiting for A-RELEASE-RP").ConfigureAwait(false);
                final = new AssociationAborted(_localAbort!, ByPeer: false, _localAbortDetail);
            }
        }

        switch (final)
        {
            case AssociationReleased:
                return;
            case AssociationAborted when _releaseTimedOut:
                throw new AssociationTimeoutException($"No A-RELEASE-RP within {_options.AcseTimeout}", _options.AcseTimeout);
            case AssociationAborted aborted:
                throw new AssociationAbortedException(aborted.Abort, aborted.ByPeer, $"The association was aborted during release: {aborted.Detail ?? aborted.Abort.ToString()}");
            default:
                throw new AssociationAbortedException(null, byPeer: true, $"The connection closed during release: {final}");
        }
    }

    /// <summary>
    /// Aborts the association (A-ABORT, service user by default) and closes the connection once the peer has it or the
    /// ARTIM timer runs out. <paramref name="detail"/> is what the receive loop's <see cref="AssociationAborted"/> reports.
    /// </summary>
    public async Task AbortAsync(AbortSource source = AbortSource.ServiceUser, AbortReason reason = AbortReason.NotSpecified, string? detail = null)
    {
        var state = State;
        if (state is AssociationState.Sta1 or AssociationState.Sta13)
        {
            return;
        }

        await AbortLocallyAsync(new Abort(source, reason), detail ?? "Aborted by the local user").ConfigureAwait(false);
    }

    /// <summary>
    /// Ends the association: one still established is aborted first; one in Sta13 (after a release or abort) is closed once the
    /// peer has closed its side or ARTIM expired, so that our last PDU is not lost to a reset.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        var state = State;
        if (state is >= AssociationState.Sta5 and <= AssociationState.Sta12)
        {
            await AbortLocallyAsync(new Abort(AbortSource.ServiceUser, AbortReason.NotSpecified), "Disposed while established").ConfigureAwait(false);
        }

        Task? closing;
        lock (_gate)
        {
            closing = _closingAfterPeer;
        }

        if (closing is not null)
        {
            await closing.ConfigureAwait(false);
        }

        await CloseAsync().ConfigureAwait(false);
    }

    /// <summary>AE-3 (requestor) or AE-7 (acceptor): the A-ASSOCIATE-AC is in; Sta6.</summary>
    private void Established(AssociateAccept accept)
    {
        var byId = new PresentationContextResult?[byte.MaxValue + 1];
        foreach (var context in accept.PresentationContexts)
        {
            // The first accepted entry for an ID counts, as a search of the list would find it.
            if (context.Result == PresentationContextResultReason.Acceptance)
            {
                byId[context.Id] ??= context;
            }
        }

        _acceptedById = byId;
        _accept = accept;
        SetState(AssociationState.Sta6);
    }

    private void SetState(AssociationState state)
    {
        lock (_gate)
        {
            _state = state;
        }
    }

    private async ValueTask SendPduAsync(DicomPdu pdu, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            PduWriter.Write(_connection.Output, pdu);
            await _connection.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends a control PDU, giving up after the ACSE timeout when the peer does not read (its window is full).</summary>
    private async Task TrySendAsync(DicomPdu pdu)
    {
        using var timeout = new CancellationTokenSource(_options.AcseTimeout);
        try
        {
            await SendPduAsync(pdu, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The peer is gone or stuck; the connection is closed next anyway.
        }
    }

    /// <summary>AA-1 / AA-8: send A-ABORT, start ARTIM -> Sta13; the connection closes when the peer closes or ARTIM expires.</summary>
    private async Task AbortLocallyAsync(Abort abort, string detail)
    {
        lock (_gate)
        {
            if (_localAbort is not null)
            {
                return;
            }

            _localAbort = abort;
            _localAbortDetail = detail;
            _state = AssociationState.Sta13;
        }

        await TrySendAsync(abort).ConfigureAwait(false);
        StartClosingAfterPeer();
    }

    /// <summary>Sta13: the connection closes once the peer closed its side, or when ARTIM (the ACSE timeout) expires.</summary>
    private void StartClosingAfterPeer()
    {
        lock (_gate)
        {
            _closingAfterPeer ??= _connection.CloseAfterPeerAsync(_options.AcseTimeout);
        }
    }

    /// <summary>During negotiation, a PDU the state does not expect: aborts, and returns the exception to throw.</summary>
    private async Task<AssociationAbortedException> AbortUnexpectedAsync(DicomPdu pdu, string awaited)
    {
        await AbortLocallyAsync(new Abort(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu), $"Unexpected {pdu.Type} while waiting for {awaited}")
            .ConfigureAwait(false);
        return LocalAbortException();
    }

    /// <summary>During negotiation, a malformed PDU: aborts with the reason PS3.8 gives it, and returns the exception to throw.</summary>
    private async Task<AssociationAbortedException> AbortMalformedAsync(PduFormatException error)
    {
        await AbortLocallyAsync(error.ToAbort(), error.Detail).ConfigureAwait(false);
        return LocalAbortException(error);
    }

    private AssociationAbortedException LocalAbortException(Exception? inner = null) =>
        new(_localAbort, byPeer: false, $"Association aborted ({_localAbort!.Source}, {_localAbort.Reason}): {_localAbortDetail}", inner);

    private async Task CloseAsync()
    {
        SetState(AssociationState.Sta1);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private enum ReadKind
    {
        Pdu,
        DataPiece,
        Malformed,
        Timeout,
        Closed,
    }

    private readonly record struct ReadOutcome(ReadKind Kind, DicomPdu? Pdu = null, PduFormatException? Error = null, bool MidPdu = false,
        string? Detail = null, PresentationDataValue Piece = default, bool StartsValue = false);

    /// <summary>
    /// Waits for one whole PDU or, with <paramref name="streamDataTransfer"/>, for the next piece of a P-DATA-TF's PDV
    /// values (<see cref="PDataTfReader"/>): a P-DATA-TF is then handed over as it arrives, never buffered whole. A
    /// header is checked as soon as it is there, so an over-long PDU is refused before its body is buffered. After a
    /// <see cref="ReadKind.Pdu"/> or <see cref="ReadKind.DataPiece"/> outcome the caller must call
    /// <see cref="CompleteRead"/> once done with it. A P-DATA-TF that was started is read to its end whatever
    /// <paramref name="streamDataTransfer"/> says.
    /// </summary>
    private async ValueTask<ReadOutcome> ReadPduAsync(TimeSpan? timeout, bool streamDataTransfer, CancellationToken cancellationToken)
    {
        var input = _connection.Input;
        using var timer = timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timer is not null)
        {
            timer.CancelAfter(timeout!.Value);
        }

        var token = timer?.Token ?? cancellationToken;
        var limits = _options.Limits;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new ReadOutcome(ReadKind.Timeout);
            }
            catch (IOException e)
            {
                return new ReadOutcome(ReadKind.Closed, Detail: e.Message);
            }
            catch (InvalidOperationException e) when (State is AssociationState.Sta1 or AssociationState.Sta13)
            {
                // The reader was completed because the connection is already closed.
                return new ReadOutcome(ReadKind.Closed, Detail: e.Message);
            }

            var buffer = result.Buffer;
            try
            {
                if (!_dataTransfer.IsActive && streamDataTransfer
                    && PduReader.TryReadHeader(buffer, limits, out var type, out uint length) && type == PduType.DataTransfer)
                {
                    _dataTransfer = PDataTfReader.Begin(length);
                    buffer = buffer.Slice(PduWriter.PduHeaderLength);
                }

                if (_dataTransfer.IsActive)
                {
                    if (PDataTfReader.TryReadPiece(ref buffer, ref _dataTransfer, out var piece, out bool startsValue))
                    {
                        _pendingConsumed = buffer.Start;
                        return new ReadOutcome(ReadKind.DataPiece, Piece: piece, StartsValue: startsValue);
                    }
                }
                else if (PduReader.TryRead(ref buffer, limits, out var pdu))
                {
                    _pendingConsumed = buffer.Start;
                    return new ReadOutcome(ReadKind.Pdu, pdu);
                }
            }
            catch (PduFormatException e)
            {
                _dataTransfer = default;
                input.AdvanceTo(result.Buffer.End);
                return new ReadOutcome(ReadKind.Malformed, Error: e);
            }

            if (result.IsCompleted)
            {
                input.AdvanceTo(result.Buffer.End);
                return new ReadOutcome(ReadKind.Closed, MidPdu: buffer.Length > 0 || _dataTransfer.IsActive, Detail: "The peer closed the connection");
            }

            // What was consumed (a PDU or PDV item header) is gone; the rest waits for more bytes.
            input.AdvanceTo(buffer.Start, result.Buffer.End);
        }
    }

    private void CompleteRead()
    {
        if (_pendingConsumed is { } consumed)
        {
            _pendingConsumed = null;
            _connection.Input.AdvanceTo(consumed);
        }
    }
}
