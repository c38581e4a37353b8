using ActorMove.Engine.Retrieve;
using ActorMove.Network.Association;
using Akka.Actor;

namespace ActorMove.Engine.Actors;

/// <summary>
/// What the inbound stores share with the retrieve manager and its moves, made once by the manager and handed down to
/// every store association: the ledger the manager takes finished stores in from, the clock that store traffic touches
/// for the moves' DIMSE timeouts (-td), and the gates that hold a move's store responses while its C-CANCEL is on its way
/// (--cancel).
/// </summary>
public sealed record StoreLinks(StoreLedger Ledger, ActivityClock Activity, CancelGates CancelGates)
{
    public static StoreLinks For(IActorRef manager) => new(new StoreLedger(manager), new ActivityClock(), new CancelGates());
}
