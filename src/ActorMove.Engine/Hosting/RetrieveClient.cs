using ActorMove.Engine.Actors;
using ActorMove.Engine.Configuration;
using ActorMove.Engine.Retrieve;
using Akka.Actor;

namespace ActorMove.Engine.Hosting;

/// <summary>The engine as a .NET service sees it: one call per C-MOVE.</summary>
public interface IRetrieveClient
{
    /// <summary>
    /// Runs one C-MOVE and returns its final status, counts, written files and failed instances. Pending responses are
    /// reported to <paramref name="progress"/>, from one of the engine's own threads (<c>actormove.engine-dispatcher</c>),
    /// so its <c>Report</c> must return quickly: <see cref="Progress{T}"/> does, by posting to the caller's context or the
    /// thread pool. Cancelling <paramref name="cancellationToken"/> sends C-CANCEL-RQ and the result then carries the
    /// archive's final (usually Cancel) status.
    /// </summary>
    Task<MoveResult> MoveAsync(MoveRequest request, IProgress<MoveProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The store port once it listens (useful with port 0); null when the engine has none. Throws
    /// <see cref="InvalidOperationException"/> with the reason when the port could not be opened.
    /// </summary>
    Task<int?> GetStorePortAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends every association that moves with <see cref="MoveRequest.KeepAssociation"/> left open (released, or aborted
    /// where their requests asked for that, or all with <paramref name="abort"/>) and returns why releases failed; empty
    /// when all went well or none was open.
    /// </summary>
    Task<IReadOnlyList<Exception>> CloseKeptAssociationsAsync(bool abort = false, CancellationToken cancellationToken = default);
}

/// <summary>
/// The client over a running <see cref="RetrieveManager"/>. The manager is looked up on first use, because under
/// Akka.Hosting the actors start in parallel with the services that ask for this client.
/// </summary>
public sealed class RetrieveClient(ActorSystem system, Func<CancellationToken, Task<IActorRef>> manager) : IRetrieveClient
{
    public RetrieveClient(ActorSystem system, IActorRef manager)
        : this(system, _ => Task.FromResult(manager))
    {
    }

    public async Task<MoveResult> MoveAsync(MoveRequest request, IProgress<MoveProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var managerRef = await manager(cancellationToken).ConfigureAwait(false);
        var result = new TaskCompletionSource<MoveResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(Props.Create(() => new MoveSession(managerRef, request, progress, result, cancellationToken))
            .WithDispatcher(ActorMoveSettings.EngineDispatcherId));
        return await result.Task.ConfigureAwait(false);
    }

    public async Task<int?> GetStorePortAsync(CancellationToken cancellationToken = default)
    {
        var managerRef = await manager(cancellationToken).ConfigureAwait(false);
        var status = await managerRef.Ask<RetrieveManager.Status>(RetrieveManager.GetStatus.Instance, cancellationToken).ConfigureAwait(false);
        if (status.StorePort is not null || !status.HasStorePort)
        {
            return status.StorePort;
        }

        object answer = await managerRef.Ask<object>(RetrieveManager.WhenListening.Instance, cancellationToken).ConfigureAwait(false);
        return answer switch
        {
            StoreListener.Listening listening => listening.Port,
            RetrieveManager.ListenFailed failed => throw new InvalidOperationException(failed.Reason),
            _ => throw new InvalidOperationException($"Unexpected answer {answer}"),
        };
    }

    public async Task<IReadOnlyList<Exception>> CloseKeptAssociationsAsync(bool abort = false, CancellationToken cancellationToken = default)
    {
        var managerRef = await manager(cancellationToken).ConfigureAwait(false);
        var closed = await managerRef.Ask<RetrieveManager.KeptAssociationsClosed>(new RetrieveManager.CloseKeptAssociations(abort), cancellationToken)
            .ConfigureAwait(false);
        return closed.Failures;
    }

    /// <summary>Bridges one move's messages to the caller's task, progress and cancellation token.</summary>
    private sealed class MoveSession : ReceiveActor
    {
        private sealed record CancelRequested
        {
            public static CancelRequested Instance { get; } = new();
        }

        private readonly CancellationTokenRegistration _registration;
        private IActorRef? _job;
        private bool _cancelRequested;

        public MoveSession(IActorRef manager, MoveRequest request, IProgress<MoveProgress>? progress, TaskCompletionSource<MoveResult> result,
            CancellationToken cancellationToken)
        {
            Receive<RetrieveManager.MoveStarted>(started =>
            {
                _job = started.Job;
                if (_cancelRequested)
                {
                    _job.Tell(MoveJob.CancelMove.Instance);
                }
            });
            Receive<MoveProgress>(p => progress?.Report(p));
            Receive<MoveResult>(r =>
            {
                result.TrySetResult(r);
                Context.Stop(Self);
            });
            Receive<CancelRequested>(_ =>
            {
                _cancelRequested = true;
                _job?.Tell(MoveJob.CancelMove.Instance);
            });

            var self = Self;
            manager.Tell(new RetrieveManager.StartMove(request), self);
            _registration = cancellationToken.Register(() => self.Tell(CancelRequested.Instance));
        }

        protected override void PostStop()
        {
            _registration.Dispose();
            base.PostStop();
        }
    }
}
