using ActorMove.Engine.Actors;
using ActorMove.Engine.Configuration;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace ActorMove.Engine.Hosting;

/// <summary>ActorRegistry key of the engine's <see cref="RetrieveManager"/>.</summary>
public sealed class RetrieveManagerKey;

public static class ActorMoveHostingExtensions
{
    /// <summary>
    /// Adds the retrieve engine to an Akka.Hosting actor system: the reference configuration (file I/O dispatcher and
    /// defaults) as fallback, and the <see cref="RetrieveManager"/> registered under <see cref="RetrieveManagerKey"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithActorMove(this AkkaConfigurationBuilder builder, ActorMoveOptions options)
    {
        builder.AddHocon(ActorMoveSettings.ReferenceConfig, HoconAddMode.Append);
        builder.WithActors((system, registry) =>
            registry.Register<RetrieveManagerKey>(system.ActorOf(RetrieveManager.Props(options.Move, options.Store), "retrieve")));
        return builder;
    }

    /// <summary>Registers <see cref="IRetrieveClient"/> for services that run moves; needs <see cref="WithActorMove"/> on the actor system.</summary>
    public static IServiceCollection AddRetrieveClient(this IServiceCollection services) =>
        services.AddSingleton<IRetrieveClient>(provider =>
        {
            var manager = provider.GetRequiredService<IRequiredActor<RetrieveManagerKey>>();
            return new RetrieveClient(provider.GetRequiredService<ActorSystem>(), cancellationToken => manager.GetAsync(cancellationToken));
        });
}
