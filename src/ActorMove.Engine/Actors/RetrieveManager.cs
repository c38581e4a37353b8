using ActorMove.Engine.Configuration;
using ActorMove.Engine.Retrieve;
using ActorMove.Network.Services;
using Akka.Actor;
using Akka.Event;

namespace ActorMove.Engine.Actors;

/// <summary>
/// The engine's top-level actor (registered in the ActorRegistry): starts one <see cref="MoveJob"/> per C-MOVE,
/// gives each a message ID no running job uses, and routes every inbound store to the job it belongs to (or counts it
/// unsolicited). Supervision: a job that throws is stopped and its requester gets a failed result; a store listener that
/// cannot start (port in use, no permission) is stopped, and everyone waiting for the port hears why: the engine
/// still serves moves to third parties, and a caller that needs the port (the command line) fails at once with the reason.
/// </summary>
public sealed class RetrieveManager : ReceiveActor, IWithTimers
{
    /// <summary>
    /// The longest a finished store waits in the <see cref="StoreLedger"/> before the manager takes it in, while stores
    /// keep arriving; the first one after a quiet spell, and every store a move flushes, are taken in at once.
    /// </summary>
    public static readonly TimeSpan LedgerWindow = TimeSpan.FromMilliseconds(10);

    /// <summary>Start a move; the sender receives <see cref="MoveStarted"/>, then <see cref="MoveProgress"/> messages and one <see cref="MoveResult"/>.</summary>
    public sealed record StartMove(MoveRequest Request);

    public sealed record MoveStarted(long JobId, IActorRef Job);

    /// <summary>Replies <see cref="StoreListener.Listening"/> once the store port is open (at once if it already is); nothing without a port.</summary>
    public sealed record WhenListening
    {
        public static WhenListening Instance { get; } = new();
    }

    /// <summary>The answer to <see cref="WhenListening"/> when the store port could not be opened.</summary>
    public sealed record ListenFailed(string Reason);

    public sealed record GetStatus
    {
        public static GetStatus Instance { get; } = new();
    }

    /// <param name="UnsolicitedStores">Stores no move asked for, as taken in so far (each within <see cref="LedgerWindow"/> of its end).</param>
    /// <param name="HasStorePort">Whether the engine was configured with a store port (it may not listen yet).</param>
    public sealed record Status(int RunningJobs, long UnsolicitedStores, int? StorePort, bool HasStorePort);

    /// <summary>A job asks for every store attributed to it so far before it reports its result.</summary>
    public sealed record FlushStores(long JobId);

    public sealed record StoresFlushed
    {
        public static StoresFlushed Instance { get; } = new();
    }

    public sealed record JobFinished(long JobId, ushort MessageId);

    /// <summary>A job whose request said <see cref="MoveRequest.KeepAssociation"/> hands its open association back.</summary>
    internal sealed record ReturnAssociation(KeptAssociationKey Key, DimseClient Client, bool Abort);

    /// <summary>
    /// Release (or abort, as their moves asked, or all when <paramref name="Abort"/>) every association kept open; the
    /// sender gets <see cref="KeptAssociationsClosed"/>.
    /// </summary>
    public sealed record CloseKeptAssociations(bool Abort);

    /// <param name="Failures">Why releases failed (movescu's exit code 67), empty when all went well.</param>
    public sealed record KeptAssociationsClosed(IReadOnlyList<Exception> Failures);

    /// <summary>The manager's own timer: the ledger window has passed.</summary>
    private sealed record RearmLedger
    {
        public static RearmLedger Instance { get; } = new();
    }

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly MoveSettings _moveSettings;
    private readonly StoreSettings? _storeSettings;
    private readonly StoreCorrelator _correlator = new();
    private readonly Dictionary<long, (IActorRef Job, IActorRef Requester, ushort MessageId)> _jobs = [];
    private readonly List<IActorRef> _waitingForPort = [];
    /// <summary>Associations moves left open, by what they were made for: as many per archive as moves to it ran at once.</summary>
    private readonly Dictionary<KeptAssociationKey, Stack<(DimseClient Client, bool Abort)>> _kept = [];
    private readonly StoreLinks _storeLinks;
    private string? _listenError;
    private long _nextJobId;
    private ushort _lastMessageId;
    private long _unsolicited;
    private int? _storePort;

    public RetrieveManager(MoveSettings moveSettings, StoreSettings? storeSettings)
    {
        _moveSettings = moveSettings;
        _storeSettings = storeSettings;
        _storeLinks = StoreLinks.For(Self);

        Receive<StartMove>(OnStartMove);
        Receive<StoreLedger.Waiting>(_ =>
        {
            TakeRecordedStores();
            // Records made until the timer fires wait for it, without telling this actor again.
            Timers.StartSingleTimer(RearmLedger.Instance, RearmLedger.Instance, LedgerWindow);
        });
        Receive<RearmLedger>(_ =>
        {
            _storeLinks.Ledger.Rearm();
            TakeRecordedStores();
        });
        Receive<FlushStores>(_ =>
        {
            TakeRecordedStores();
            Sender.Tell(StoresFlushed.Instance);
        });
        Receive<JobFinished>(finished =>
        {
            _correlator.Unregister(finished.MessageId);
            if (_jobs.Remove(finished.JobId, out var job))
            {
                Context.Unwatch(job.Job);
            }
        });
        Receive<Terminated>(OnTerminated);
        Receive<ReturnAssociation>(returned =>
        {
            if (!_kept.TryGetValue(returned.Key, out var open))
            {
                _kept[returned.Key] = open = new Stack<(DimseClient, bool)>();
            }

            open.Push((returned.Client, returned.Abort));
        });
        Receive<CloseKeptAssociations>(close =>
        {
            var closing = _kept.Values.SelectMany(open => open).Select(kept => CloseAsync(kept.Client, close.Abort || kept.Abort, _log)).ToList();
            _kept.Clear();
            Task.WhenAll(closing).PipeTo(Sender, success: failures => new KeptAssociationsClosed([.. failures.OfType<Exception>()]));
        });
        Receive<StoreListener.Listening>(listening =>
        {
            _storePort = listening.Port;
            foreach (var waiting in _waitingForPort)
            {
                waiting.Tell(listening);
            }

            _waitingForPort.Clear();
        });
        Receive<ListenFailed>(failed =>
        {
            _listenError = failed.Reason;
            _log.Log(_storeSettings?.ListenFailureReportedByCaller == true ? LogLevel.DebugLevel : LogLevel.ErrorLevel, null,
                "Cannot listen for store associations: {Reason}", failed.Reason);
            foreach (var waiting in _waitingForPort)
            {
                waiting.Tell(failed);
            }

            _waitingForPort.Clear();
        });
        Receive<WhenListening>(_ =>
        {
            if (_storePort is { } port)
            {
                Sender.Tell(new StoreListener.Listening(port));
            }
            else if (_listenError is not null)
            {
                Sender.Tell(new ListenFailed(_listenError));
            }
            else if (_storeSettings is not null)
            {
                _waitingForPort.Add(Sender);
            }
        });
        Receive<GetStatus>(_ => Sender.Tell(new Status(_jobs.Count, _unsolicited, _storePort, _storeSettings is not null)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(MoveSettings moveSettings, StoreSettings? storeSettings) =>
        Akka.Actor.Props.Create(() => new RetrieveManager(moveSettings, storeSettings)).WithDispatcher(ActorMoveSettings.EngineDispatcherId);

    protected override void PreStart()
    {
        if (_storeSettings is not null)
        {
            Context.ActorOf(StoreListener.Props(_storeSettings, _storeLinks), "store-listener");
        }
    }

    protected override SupervisorStrategy SupervisorStrategy()
    {
        var self = Self;
        var log = _log;
        // Logged here rather than by Akka, so that a port in use is one clear line instead of a stack trace.
        return new OneForOneStrategy(error =>
        {
            if (error is ActorInitializationException { Actor.Path.Name: "store-listener" } failed)
            {
                self.Tell(new ListenFailed(failed.InnerException?.Message ?? failed.Message));
            }
            else
            {
                log.Error(error, "A move job failed unexpectedly and is stopped");
            }

            return Directive.Stop;
        }, false);
    }

    protected override void PostStop()
    {
        // Nobody asked to close them and the engine is stopping: each ends as its moves asked (released or aborted), unreported.
        foreach (var (client, abort) in _kept.Values.SelectMany(open => open))
        {
            _ = CloseAsync(client, abort, _log);
        }

        _kept.Clear();
        base.PostStop();
    }

    /// <summary>Ends a kept association as movescu ends its own after the last move; returns why the release failed, if it did.</summary>
    private static async Task<Exception?> CloseAsync(DimseClient client, bool abort, ILoggingAdapter log)
    {
        if (client.Completion.IsCompleted)
        {
            // Its archive closed it while it waited: there is nothing left to release.
            await client.DisposeAsync().ConfigureAwait(false);
            return null;
        }

        log.Info(abort ? "Aborting Association" : "Releasing Association");
        try
        {
            if (abort)
            {
                await client.AbortAsync().ConfigureAwait(false);
            }
            else
            {
                await client.ReleaseAsync().ConfigureAwait(false);
            }

            return null;
        }
        catch (Exception e)
        {
            return e;
        }
        finally
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void OnStartMove(StartMove start)
    {
        long jobId = ++_nextJobId;
        ushort messageId = NextMessageId();
        _correlator.Register(jobId, messageId, start.Request.CallingAeTitle ?? _moveSettings.AeTitle, start.Request.Identifier);
        DimseClient? kept = start.Request.KeepAssociation ? TakeKept(start.Request.KeptKey(_moveSettings.AeTitle)) : null;
        var job = Context.ActorOf(MoveJob.Props(jobId, messageId, start.Request, _moveSettings, Sender, _storeLinks, kept), $"move-{jobId}");
        Context.Watch(job);
        _jobs[jobId] = (job, Sender, messageId);
        Sender.Tell(new MoveStarted(jobId, job));
    }

    /// <summary>An association kept open for this archive that is still open, if any; the ones its archive closed meanwhile are dropped.</summary>
    private DimseClient? TakeKept(KeptAssociationKey key)
    {
        if (!_kept.TryGetValue(key, out var open))
        {
            return null;
        }

        while (open.TryPop(out var candidate))
        {
            if (!candidate.Client.Completion.IsCompleted)
            {
                return candidate.Client;
            }

            // The archive closed it while it waited (an idle timeout): the move makes a new one.
            _ = candidate.Client.DisposeAsync().AsTask();
        }

        _kept.Remove(key);
        return null;
    }

    /// <summary>The next message ID that no running job holds (0 is avoided: some archives treat it as absent).</summary>
    private ushort NextMessageId()
    {
        var inUse = _jobs.Values.Select(j => j.MessageId).ToHashSet();
        do
        {
            _lastMessageId = (ushort)(_lastMessageId == ushort.MaxValue ? 1 : _lastMessageId + 1);
        }
        while (inUse.Contains(_lastMessageId));

        return _lastMessageId;
    }

    private void TakeRecordedStores()
    {
        while (_storeLinks.Ledger.TryTake(out var completed))
        {
            OnStoreCompleted(completed);
        }
    }

    private void OnStoreCompleted(StoreAssociation.StoreCompleted completed)
    {
        if (_correlator.Attribute(completed.Origin) is { } jobId && _jobs.TryGetValue(jobId, out var job))
        {
            job.Job.Tell(new MoveJob.StoreAttributed(completed.Object));
            return;
        }

        _unsolicited++;
        _log.Warning("Unsolicited store of {SopInstanceUid} (move originator {AeTitle}/{MessageId}) kept as {Path}",
            completed.Object.SopInstanceUid, completed.Origin.MoveOriginatorAeTitle ?? "-", completed.Origin.MoveOriginatorMessageId?.ToString() ?? "-",
            completed.Object.Path ?? "(not written)");
    }

    private void OnTerminated(Terminated terminated)
    {
        foreach (var (jobId, job) in _jobs.Where(j => j.Value.Job.Equals(terminated.ActorRef)).ToList())
        {
            // The job died without reporting: its requester must still hear an end.
            _correlator.Unregister(job.MessageId);
            _jobs.Remove(jobId);
            job.Requester.Tell(new MoveResult(jobId, MoveOutcome.ConnectionLost, null, default, [], [], "The move job failed unexpectedly", TimeSpan.Zero));
        }
    }
}
