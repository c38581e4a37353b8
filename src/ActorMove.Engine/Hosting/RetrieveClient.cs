using ActorMove.Engine.Actors;
using ActorMove.Engine.Retrieve;
using Akka.Actor;

namespace ActorMove.Engine.Hosting;

/// <summary>The engine as a .NET service sees it: one call per C-MOVE.</summary>
public interface IRetrieveClient
{
    /// <summary>
    /// Runs one C-MOVE and returns its final status, counts, written files and failed instances. Pending responses are
    /// reported to <paramref name="progress"/>; cancelling <paramref name="cancellationToken"/> sends C-CANCEL-RQ and the
    /// result then carries the archive's final (usually Cancel) status.
    /// </summary>
    Task<MoveResult> MoveAsync(MoveRequest request, IProgress<MoveProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>The store port once it listens (useful with port 0); null when the engine has none.</summary>
    Task<int?> GetStorePortAsync(CancellationToken cancellationToken = default);
}

public sealed class RetrieveClient(ActorSystem system, IActorRef manager) : IRetrieveClient
{
    public Task<MoveResult> MoveAsync(MoveRequest request, IProgress<MoveProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var result = new TaskCompletionSource<MoveResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(Props.Create(() => new MoveSession(manager, request, progress, result, cancellationToken)));
        return result.Task;
    }

    public async Task<int?> GetStorePortAsync(CancellationToken cancellationToken = default)
    {
        var status = await manager.Ask<RetrieveManager.Status>(RetrieveManager.GetStatus.Instance, cancellationToken).ConfigureAwait(false);
        if (status.StorePort is not null)
        {
            return status.StorePort;
        }

        try
        {
            var listening = await manager.Ask<StoreListener.Listening>(RetrieveManager.WhenListening.Instance, TimeSpan.FromSeconds(10), cancellationToken)
                .ConfigureAwait(false);
            return listening.Port;
        }
        catch (AskTimeoutException)
        {
            return null;
        }
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
