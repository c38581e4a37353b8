using ActorMove.Engine.Actors;
using ActorMove.Engine.Configuration;
using Akka.Actor;
using Akka.Configuration;

namespace ActorMove.Engine.Hosting;

/// <summary>The engine without a generic host (the command line, tests): its own actor system, one manager, one client.</summary>
public sealed class ActorMoveEngine : IAsyncDisposable
{
    private ActorMoveEngine(ActorSystem system, IActorRef manager)
    {
        System = system;
        Manager = manager;
        Client = new RetrieveClient(system, manager);
    }

    public ActorSystem System { get; }
    public IActorRef Manager { get; }
    public IRetrieveClient Client { get; }

    /// <param name="config">Extra configuration (logging, overrides); the reference configuration is the fallback.</param>
    public static ActorMoveEngine Start(ActorMoveOptions options, Config? config = null, string systemName = "actormove")
    {
        var system = ActorSystem.Create(systemName, (config ?? ConfigurationFactory.Empty).WithFallback(ActorMoveSettings.ReferenceConfig));
        var manager = system.ActorOf(RetrieveManager.Props(options.Move, options.Store), "retrieve");
        return new ActorMoveEngine(system, manager);
    }

    public async ValueTask DisposeAsync() => await System.Terminate().ConfigureAwait(false);
}
