using System.Net;
using ActorMove.Dicom.Data;
using ActorMove.Engine.Actors;
using ActorMove.Engine.Configuration;
using ActorMove.Engine.Dispatch;
using ActorMove.Engine.Retrieve;
using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorMove.Engine.Tests.Dispatch;

public class DedicatedThreadsExecutorTests : TestKit
{
    private const string TwoThreadDispatcher = "two-thread-dispatcher";

    public DedicatedThreadsExecutorTests()
        : base(ConfigurationFactory.ParseString($$"""
            {{TwoThreadDispatcher}} {
              type = Dispatcher
              executor = "{{DedicatedThreadsExecutorConfigurator.ConfiguratorTypeName}}"
              throughput = 1
              dedicated-threads.thread-count = 2
            }
            """).WithFallback(ActorMoveSettings.ReferenceConfig))
    {
    }

    private sealed record Block(ManualResetEventSlim Release);

    /// <summary>Reports the thread it runs on, then blocks it until released, as a file call would.</summary>
    private sealed class Blocker : ReceiveActor
    {
        public Blocker(IActorRef report)
        {
            Receive<Block>(block =>
            {
                report.Tell(Thread.CurrentThread.Name ?? "(unnamed)");
                block.Release.Wait(TimeSpan.FromSeconds(30));
            });
        }
    }

    private sealed class Runnable(Action action) : IRunnable
    {
        public void Run() => action();

        // Akka's IRunnable is also a thread-pool work item.
        public void Execute() => action();
    }

    [Theory]
    [InlineData(ActorMoveSettings.FileIoDispatcherId)]
    [InlineData(ActorMoveSettings.EngineDispatcherId)]
    public void ActorMoves_dispatchers_run_their_actors_on_threads_of_their_own(string dispatcherId)
    {
        using var release = new ManualResetEventSlim();
        var probe = CreateTestProbe();
        var actor = Sys.ActorOf(Props.Create(() => new Blocker(probe.Ref)).WithDispatcher(dispatcherId));

        actor.Tell(new Block(release));

        Assert.StartsWith(dispatcherId + "-", probe.ExpectMsg<string>());
        release.Set();
    }

    [Fact]
    public void The_engines_own_actors_run_on_the_engine_dispatcher()
    {
        var store = new StoreSettings { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) };
        var move = new MoveRequest("127.0.0.1", 104, new DicomDataset());
        string[] dispatchers =
        [
            RetrieveManager.Props(new MoveSettings(), store).Dispatcher,
            StoreListener.Props(store, StoreLinks.For(ActorRefs.Nobody)).Dispatcher,
            StoreAssociation.Props(null!, new TaskCompletionSource(), store, StoreLinks.For(ActorRefs.Nobody)).Dispatcher,
            MoveJob.Props(1, 1, move, new MoveSettings(), ActorRefs.Nobody).Dispatcher,
            CancelAfterN.Props(1, ActorRefs.Nobody).Dispatcher,
        ];
        Assert.All(dispatchers, dispatcher => Assert.Equal(ActorMoveSettings.EngineDispatcherId, dispatcher));
    }

    [Fact]
    public void A_blocked_actor_holds_one_thread_and_the_pool_grows_only_to_its_thread_count()
    {
        using var release = new ManualResetEventSlim();
        var probe = CreateTestProbe();
        var actors = Enumerable.Range(0, 3)
            .Select(_ => Sys.ActorOf(Props.Create(() => new Blocker(probe.Ref)).WithDispatcher(TwoThreadDispatcher)))
            .ToList();

        foreach (var actor in actors)
        {
            actor.Tell(new Block(release));
        }

        // Two run at once, each blocking its own thread; the third waits for a thread instead of a third one starting.
        var running = new[] { probe.ExpectMsg<string>(), probe.ExpectMsg<string>() };
        Assert.Equal(2, running.Distinct().Count());
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        release.Set();
        Assert.Contains(probe.ExpectMsg<string>(), running);
    }

    [Fact]
    public void Starts_threads_as_work_arrives_up_to_its_limit_survives_a_throwing_task_and_refuses_work_once_shut_down()
    {
        var executor = new DedicatedThreadsExecutor("test-executor", maxThreads: 2, eventStream: null);
        Assert.Equal(0, executor.ThreadCount);

        using var ran = new SemaphoreSlim(0);
        executor.Execute(new Runnable(() => throw new InvalidOperationException("a task that fails")));
        executor.Execute(new Runnable(() => ran.Release()));
        Assert.True(ran.Wait(TimeSpan.FromSeconds(10)));
        for (int i = 0; i < 20; i++)
        {
            executor.Execute(new Runnable(() => ran.Release()));
            Assert.True(ran.Wait(TimeSpan.FromSeconds(10)));
        }

        Assert.InRange(executor.ThreadCount, 1, 2);

        executor.Shutdown();
        Assert.Throws<RejectedExecutionException>(() => executor.Execute(new Runnable(() => { })));
    }

    [Fact]
    public void A_thread_count_below_one_is_a_configuration_error()
    {
        var config = ConfigurationFactory.ParseString("id = bad, dedicated-threads.thread-count = 0");
        var error = Assert.Throws<ConfigurationException>(() => new DedicatedThreadsExecutorConfigurator(config, Sys.Dispatchers.Prerequisites));
        Assert.Contains("bad", error.Message);
    }
}
