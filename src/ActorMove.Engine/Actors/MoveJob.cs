using System.Diagnostics;
using System.Net.Sockets;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Text;
using ActorMove.Engine.Configuration;
using ActorMove.Engine.Retrieve;
using ActorMove.Network.Association;
using ActorMove.Network.Dimse;
using ActorMove.Network.Negotiation;
using ActorMove.Network.Services;
using Akka.Actor;
using Akka.Event;

namespace ActorMove.Engine.Actors;

/// <summary>
/// One C-MOVE: owns its outbound association from connect to release (or --abort), reports every pending response as
/// <see cref="MoveProgress"/> and ends with one <see cref="MoveResult"/> to whoever asked. The network calls run as tasks
/// whose outcomes come back as messages, so the actor never blocks; the stores the manager attributes to this move are
/// collected until the final response has arrived and every store before it has been accounted for.
/// </summary>
public sealed class MoveJob : ReceiveActor
{
    /// <summary>A store the manager attributed to this move.</summary>
    public sealed record StoreAttributed(StoredObject Object);

    /// <summary>Send C-CANCEL-RQ now (the caller's cancellation); the job still waits for the final response.</summary>
    public sealed record CancelMove
    {
        public static CancelMove Instance { get; } = new();
    }

    private sealed record Connected(DimseClient Client);

    private sealed record Pending(DimseReply Reply);

    private sealed record FinalResponse(DimseReply Reply);

    private sealed record StepFailed(Exception Error, bool Connecting);

    private sealed record Closed(Exception? Error);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly long _jobId;
    private readonly ushort _messageId;
    private readonly MoveRequest _request;
    private readonly MoveSettings _settings;
    private readonly IActorRef _replyTo;
    private readonly StoreLinks? _storeLinks;
    private DimseClient? _keptClient;
    private int _responsesRead;
    private CancelGate? _cancelGate;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<StoredObject> _files = [];
    private DimseClient? _client;
    private IActorRef? _cancelAfterN;
    private bool _cancelSent;
    private SubOperationCounts _counts;
    private ushort? _finalStatus;
    private IReadOnlyList<string> _failedInstances = [];
    private MoveOutcome _outcome = MoveOutcome.ConnectionLost;
    private string? _error;
    private Exception? _cause;
    private long _bytes;

    /// <summary>Appended to the job's info lines: nothing for movescu's own, " (job n)" where moves interleave.</summary>
    private readonly string _jobSuffix;

    public MoveJob(long jobId, ushort messageId, MoveRequest request, MoveSettings settings, IActorRef replyTo, StoreLinks? storeLinks = null,
        DimseClient? keptClient = null)
    {
        _storeLinks = storeLinks;
        _keptClient = keptClient;
        _jobId = jobId;
        _messageId = messageId;
        _request = request;
        _settings = settings;
        _replyTo = replyTo;
        _jobSuffix = settings.NameJobsInLog ? $" (job {jobId})" : "";

        Receive<Connected>(OnConnected);
        Receive<Pending>(OnPending);
        Receive<FinalResponse>(OnFinal);
        Receive<StoreAttributed>(OnStore);
        Receive<CancelAfterN.SendCancel>(_ => SendCancel());
        Receive<CancelMove>(_ => SendCancel());
        Receive<CancelSent>(_ => _log.Debug("Cancel Request sent (job {JobId})", _jobId));
        Receive<RetrieveManager.StoresFlushed>(_ => Close());
        Receive<StepFailed>(OnFailed);
        Receive<Closed>(OnClosed);
    }

    /// <param name="storeLinks">
    /// The engine's inbound stores: their traffic counts as activity for this move's DIMSE timeout, as in movescu, and a
    /// move with --cancel puts its <see cref="CancelGate"/> there for them to find.
    /// </param>
    /// <param name="keptClient">An association an earlier move kept open for this archive (<see cref="MoveRequest.KeepAssociation"/>): used instead of a new one.</param>
    public static Props Props(long jobId, ushort messageId, MoveRequest request, MoveSettings settings, IActorRef replyTo, StoreLinks? storeLinks = null,
        DimseClient? keptClient = null) =>
        Akka.Actor.Props.Create(() => new MoveJob(jobId, messageId, request, settings, replyTo, storeLinks, keptClient))
            .WithDispatcher(ActorMoveSettings.EngineDispatcherId);

    private string CallingAeTitle => _request.CallingAeTitle ?? _settings.AeTitle;

    protected override void PreStart()
    {
        if (_keptClient is not null)
        {
            _log.Debug("Move job {JobId} continues on the association an earlier move kept open", _jobId);
            Self.Tell(new Connected(_keptClient));
            return;
        }

        Connect();
    }

    private void Connect()
    {
        var request = ServiceRequests.MoveAssociation(_request.CalledAeTitle, CallingAeTitle, _request.Model, _settings.Proposal, _settings.Association);
        _log.Info("Requesting Association{Job}", _jobSuffix);
        _log.Debug("Requesting Association with {Host}:{Port} as {CallingAE} to {CalledAE} (job {JobId})", _request.Host, _request.Port,
            CallingAeTitle, _request.CalledAeTitle, _jobId);
        var association = _settings.Association with { DimseActivityElsewhere = _storeLinks?.Activity };
        DimseClient.ConnectAsync(_request.Host, _request.Port, request, association, _settings.PendingDataSets)
            .PipeTo(Self, success: client => new Connected(client), failure: e => new StepFailed(Unwrap(e), Connecting: true));
    }

    private void OnConnected(Connected connected)
    {
        _client = connected.Client;
        if (connected.Client != _keptClient)
        {
            _log.Info("Association Accepted (Max Send PDV: {MaxSendPdv}){Job}", _client.Session.Association.MaxSendPdvLength, _jobSuffix);
        }

        if (_request.CancelAfterResponses is { } limit and >= 1 && _cancelAfterN is null)
        {
            _cancelAfterN = Context.ActorOf(CancelAfterN.Props(limit, Self), "cancel-after-n");
            _cancelGate = _storeLinks?.CancelGates.Add(_messageId, limit);
        }

        var cancelAfterN = _cancelAfterN;
        var gate = _cancelGate;

        // Pending responses are counted as the receive loop decodes them, before the hop to this job: movescu sends its
        // C-CANCEL before it answers the archive's next sub-operation, and the gate holds that answer until ours is out.
        // Logged there too, as soon as it is read: closest to movescu's order, where the line follows the store it reports
        // on (an archive that holds its small responses back, as Nagle's algorithm does, still shifts it later).
        var log = _log;
        string jobSuffix = _jobSuffix;
        int pendingResponses = 0;
        _client.ResponseRead = response =>
        {
            Interlocked.Increment(ref _responsesRead);
            if (DimseStatus.IsPending(response.Status))
            {
                pendingResponses++;
                if (log.IsInfoEnabled)
                {
                    log.Info("Received Move Response {Count} ({Status}){Job}", pendingResponses, DimseStatus.DcmtkMoveStatusText(response.Status), jobSuffix);
                }

                gate?.ResponseRead();
                cancelAfterN?.Tell(CancelAfterN.ResponseCounted.Instance);
            }
        };

        var self = Self;
        string destination = _request.MoveDestination ?? CallingAeTitle;
        LogRequest();
        Task<DimseReply> moving;
        try
        {
            moving = _client.MoveAsync(_messageId, _request.Model, destination, _request.Identifier,
                _request.IdentifierSyntax ?? TransferSyntax.ExplicitVRLittleEndian,
                reply =>
                {
                    self.Tell(new Pending(reply));
                    return ValueTask.CompletedTask;
                });
        }
        catch (Exception e) when (e is NoAcceptedPresentationContextException or Dicom.DicomFormatException)
        {
            // Found before anything is sent (no MOVE context accepted, an identifier that cannot be encoded): thrown, not
            // a faulted task, and it must end this move as a result, not crash the job.
            moving = Task.FromException<DimseReply>(e);
        }

        moving.PipeTo(self, success: reply => new FinalResponse(reply), failure: e => new StepFailed(Unwrap(e), Connecting: false));
    }

    /// <summary>movescu -v's lines for the request: its message ID, and the identifier as dcmdump +L lists it.</summary>
    private void LogRequest()
    {
        _log.Info("Sending Move Request (MsgID {MessageId}){Job}", _messageId, _jobSuffix);
        if (!_log.IsInfoEnabled)
        {
            return;
        }

        var syntax = _request.IdentifierReadSyntax ?? _request.IdentifierSyntax ?? TransferSyntax.ExplicitVRLittleEndian;
        // The listing starts with an empty line; the one after it ends the message, as movescu's does.
        string identifiers = DatasetDump.Format(_request.Identifier, syntax, DatasetDumpOptions.WholeValues) + "\n";
        _log.Info("Request Identifiers:{Job}\n{Identifiers}", _jobSuffix, identifiers);
    }

    private void OnPending(Pending pending)
    {
        if (pending.Reply.Response is CMoveResponse response)
        {
            _counts = Counts(response);
        }

        _log.Debug("Received Move Response {Status:X4} (job {JobId}): {Counts}", pending.Reply.Response.Status, _jobId, _counts);
        _replyTo.Tell(new MoveProgress(_jobId, pending.Reply.Response.Status, _counts, _files.Count, _bytes));
    }

    private void OnFinal(FinalResponse final)
    {
        var response = final.Reply.Response;
        // movescu's warning for any final status but success and cancel comes before its info line: B000 is its only
        // warning status, all else an error status (its exit codes 68 and 69 follow the same split).
        if (response.Status is not (DimseStatus.Success or DimseStatus.Cancel))
        {
            _log.Warning(response.Status == DimseStatus.MoveSubOperationsCompleteWithFailures
                    ? "Move response with warning status ({Status}){Job}"
                    : "Move response with error status ({Status}){Job}",
                DimseStatus.DcmtkMoveStatusText(response.Status), _jobSuffix);
        }

        _log.Info("Received Final Move Response ({Status}){Job}", DimseStatus.DcmtkMoveStatusText(response.Status), _jobSuffix);
        // No sub-operation of this move is left to hold.
        _cancelGate?.Open();
        _cancelAfterN?.Tell(CancelAfterN.ResponseCounted.Instance);
        _finalStatus = response.Status;
        if (response is CMoveResponse move)
        {
            _counts = Counts(move) with { Remaining = move.RemainingSuboperations };
        }

        if (final.Reply.DataSet is { } identifier && _client is not null)
        {
            try
            {
                _failedInstances = MoveResponseIdentifier.ReadFailedSopInstanceUids(identifier, _client.Session.TransferSyntaxOf(final.Reply.PresentationContextId));
            }
            catch (Dicom.DicomFormatException e)
            {
                _log.Warning("Could not read the Failed SOP Instance UID List of job {JobId}: {Error}", _jobId, e.Message);
            }
        }

        _outcome = DimseStatus.Classify(response.Status) switch
        {
            DimseStatusCategory.Success => MoveOutcome.Success,
            DimseStatusCategory.Warning => MoveOutcome.Warning,
            DimseStatusCategory.Cancel => MoveOutcome.Cancelled,
            _ => MoveOutcome.Failed,
        };
        if (_outcome == MoveOutcome.Failed)
        {
            _error = DimseStatus.Format(response.Status, DimseService.Move) + (response.ErrorComment is { } comment ? ": " + comment : "");
        }

        // Every store the archive finished before this response was told to the manager first; asking it to flush
        // makes sure they have all reached this job before the result is reported.
        Context.Parent.Tell(new RetrieveManager.FlushStores(_jobId));
    }

    private void OnStore(StoreAttributed store)
    {
        _files.Add(store.Object);
        _bytes += store.Object.Bytes;
    }

    private void SendCancel()
    {
        if (_cancelSent || _client is null || _finalStatus is not null)
        {
            return;
        }

        _cancelSent = true;
        _log.Info("Sending Cancel Request (MsgID {MessageId}, PresID {PresentationContextId}){Job}", _messageId,
            _client.Session.FindAcceptedContext(MoveAssociationProposals.MoveSopClass(_request.Model)), _jobSuffix);
        var self = Self;
        var sending = _client.CancelMoveAsync(_messageId, _request.Model).AsTask();
        // Opened by the send's own completion, not by a message back to this job: store responses wait on it.
        var gate = _cancelGate;
        sending.ContinueWith(_ => gate?.Open(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        sending.PipeTo(self, success: () => CancelSent.Instance, failure: e => new StepFailed(Unwrap(e), Connecting: false));
    }

    private void Close()
    {
        var client = _client!;
        if (_request.KeepAssociation && !client.Completion.IsCompleted)
        {
            // movescu's next move (--repeat, the next query file) goes on this association; the manager ends it last.
            client.ResponseRead = null;
            Context.Parent.Tell(new RetrieveManager.ReturnAssociation(_request.KeptKey(_settings.AeTitle), client, _request.AbortInsteadOfRelease));
            _client = null;
            Finish();
            return;
        }

        _log.Info(_request.AbortInsteadOfRelease ? "Aborting Association{Job}" : "Releasing Association{Job}", _jobSuffix);
        Task closing = _request.AbortInsteadOfRelease ? client.AbortAsync() : client.ReleaseAsync();
        closing.PipeTo(Self, success: () => new Closed(null), failure: e => new Closed(Unwrap(e)));
    }

    private void OnFailed(StepFailed failed)
    {
        var error = failed.Error;
        if (_keptClient is { } kept && _client == kept && error is not (NoAcceptedPresentationContextException or Dicom.DicomFormatException)
            && Volatile.Read(ref _responsesRead) == 0 && _files.Count == 0)
        {
            // The association an earlier move kept open was gone by the time this move used it (the archive closed it
            // as the request went out): nothing of this move happened, so it starts over on a new one, once.
            _log.Debug("Move job {JobId}: the kept association failed before any answer ({Error}); making a new one", _jobId, error.Message);
            _ = kept.DisposeAsync().AsTask();
            _client = null;
            _keptClient = null;
            Connect();
            return;
        }

        _error = error.Message;
        _cause = error;
        _outcome = error switch
        {
            NoAcceptedPresentationContextException => MoveOutcome.NoPresentationContext,
            _ when failed.Connecting => MoveOutcome.AssociationFailed,
            _ => MoveOutcome.ConnectionLost,
        };
        // The failure goes back in the job's result, and its caller reports it (the command line as movescu does, with
        // one "F:" line); logged here as well, it printed a second line, before or after that one by a race.
        _log.Debug("Move job {JobId} failed: {Error}", _jobId, error.Message);
        if (_client is { } client)
        {
            client.DisposeAsync().AsTask().PipeTo(Self, success: () => new Closed(null), failure: e => new Closed(Unwrap(e)));
            _client = null;
            return;
        }

        Finish();
    }

    private void OnClosed(Closed closed)
    {
        if (closed.Error is not null && _outcome is MoveOutcome.Success or MoveOutcome.Warning or MoveOutcome.Cancelled)
        {
            // movescu: a failed release is its own exit code; the files are there, the association is not clean.
            _error = "Association release failed: " + closed.Error.Message;
            _log.Error("{Error} (job {JobId})", _error, _jobId);
        }

        Finish();
    }

    private void Finish()
    {
        _replyTo.Tell(new MoveResult(_jobId, _outcome, _finalStatus, _counts, _files, _failedInstances, _error, _clock.Elapsed) { Cause = _cause });
        Context.Parent.Tell(new RetrieveManager.JobFinished(_jobId, _messageId));
        Context.Stop(Self);
    }

    protected override void PostStop()
    {
        if (_cancelGate is { } gate)
        {
            _storeLinks?.CancelGates.Remove(_messageId, gate);
        }

        if (_client is { } client)
        {
            _ = client.DisposeAsync().AsTask();
        }

        base.PostStop();
    }

    private static SubOperationCounts Counts(CMoveResponse response) =>
        new(response.RemainingSuboperations, response.CompletedSuboperations ?? 0, response.FailedSuboperations ?? 0, response.WarningSuboperations ?? 0);

    private static Exception Unwrap(Exception e) => e is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : e;

    private sealed record CancelSent
    {
        public static CancelSent Instance { get; } = new();
    }
}
