using Akka.Configuration;
using Akka.Dispatch;
using Akka.Event;

namespace ActorMove.Engine.Dispatch;

/// <summary>
/// An Akka executor with up to <c>dedicated-threads.thread-count</c> threads of its own, started as work arrives, that
/// sleep in the kernel while there is none. It serves the dispatchers whose actors make blocking calls (file I/O), and
/// the engine's own actors, whose short bursts of work cost more in hand-offs than in work on the .NET thread pool.
/// Akka's dedicated pool (<c>fork-join-executor</c>) spins and yields before its threads sleep; on a small machine that
/// spinning took the CPU the socket loops and the peer needed (about 50 <c>sched_yield</c> calls per received object,
/// bench/README.md). Use it as <c>executor = "<see cref="ConfiguratorTypeName"/>"</c>.
/// </summary>
public sealed class DedicatedThreadsExecutorConfigurator : ExecutorServiceConfigurator
{
    /// <summary>The assembly-qualified name Akka resolves from a dispatcher's <c>executor</c> key.</summary>
    public const string ConfiguratorTypeName = "ActorMove.Engine.Dispatch.DedicatedThreadsExecutorConfigurator, ActorMove.Engine";

    private readonly int _threadCount;

    public DedicatedThreadsExecutorConfigurator(Config config, IDispatcherPrerequisites prerequisites)
        : base(config, prerequisites)
    {
        _threadCount = config.GetInt("dedicated-threads.thread-count", Environment.ProcessorCount);
        if (_threadCount < 1)
        {
            throw new ConfigurationException(
                $"dedicated-threads.thread-count must be at least 1 for dispatcher {config.GetString("id", "unknown")}, not {_threadCount}");
        }
    }

    public override ExecutorService Produce(string id) => new DedicatedThreadsExecutor(id, _threadCount, Prerequisites.EventStream);
}

/// <summary>
/// The executor a <see cref="DedicatedThreadsExecutorConfigurator"/> produces: one work queue, a few threads. A thread
/// that finds no work parks itself (<see cref="ThreadParking"/>); work that arrives wakes the one that parked last, after
/// the queue's lock is released, so the woken thread never has to wait for it.
/// </summary>
internal sealed class DedicatedThreadsExecutor(string id, int maxThreads, EventStream? eventStream) : ExecutorService(id)
{
    private readonly Queue<IRunnable> _work = new();
    private readonly Stack<ThreadParking> _parked = new();
    private readonly object _gate = new();
    private int _threads;
    private bool _shutDown;

    /// <summary>Threads started so far (they stay until <see cref="Shutdown"/>).</summary>
    public int ThreadCount
    {
        get
        {
            lock (_gate)
            {
                return _threads;
            }
        }
    }

    public override void Execute(IRunnable run)
    {
        ThreadParking? wake = null;
        int newThread = 0;
        lock (_gate)
        {
            if (_shutDown)
            {
                throw new RejectedExecutionException($"{Id} is shut down");
            }

            _work.Enqueue(run);
            if (_parked.Count > 0)
            {
                // Taken off the stack here rather than by the thread that wakes, so that the next call wakes another.
                wake = _parked.Pop();
            }
            else if (_threads < maxThreads)
            {
                newThread = ++_threads;
            }
        }

        wake?.Unpark();
        if (newThread > 0)
        {
            new Thread(Work) { IsBackground = true, Name = $"{Id}-{newThread}" }.Start();
        }
    }

    public override void Shutdown()
    {
        ThreadParking[] parked;
        lock (_gate)
        {
            _shutDown = true;
            parked = _parked.ToArray();
            _parked.Clear();
        }

        foreach (var thread in parked)
        {
            thread.Unpark();
        }
    }

    private void Work()
    {
        using var parking = ThreadParking.Create();
        while (true)
        {
            IRunnable? run = null;
            lock (_gate)
            {
                if (_work.Count > 0)
                {
                    run = _work.Dequeue();
                }
                else if (_shutDown)
                {
                    return;
                }
                else
                {
                    _parked.Push(parking);
                }
            }

            if (run is null)
            {
                parking.Park();
                continue;
            }

            try
            {
                run.Run();
            }
            catch (Exception e)
            {
                // Akka's mailboxes handle their actors' failures; anything that still gets here must not take the
                // thread, and with it the dispatcher's capacity, down.
                eventStream?.Publish(new Error(e, Id, typeof(DedicatedThreadsExecutor), "Unhandled exception on a dedicated thread"));
            }
        }
    }
}
