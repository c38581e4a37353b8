using System.Net;
using ActorMove.Engine.AccessControl;
using ActorMove.Engine.Configuration;
using ActorMove.Engine.Retrieve;
using ActorMove.Network.Association;
using ActorMove.Network.Negotiation;
using ActorMove.Network.Pdu;
using ActorMove.Network.Services;
using ActorMove.Network.Transport;
using Akka.Actor;
using Akka.Event;

namespace ActorMove.Engine.Actors;

/// <summary>
/// Owns the store port (+P): accepts connections, refuses hosts that access control (+ac) denies, negotiates by the
/// preference options and hands every established association to its own <see cref="StoreAssociation"/> child.
/// Supervision: a child that fails is stopped (its association is gone anyway, the others go on); a listener that
/// cannot bind fails in PreStart, which its parent escalates, because a retrieve engine without its store port is no engine.
/// </summary>
public sealed class StoreListener : ReceiveActor
{
    /// <summary>Sent to the parent once the port is listening.</summary>
    public sealed record Listening(int Port);

    private sealed record AssociationArrived(DicomAssociation Association, TaskCompletionSource Done);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly StoreSettings _settings;
    private readonly StoreLinks _links;
    private AssociationListener? _listener;
    private long _associations;

    public StoreListener(StoreSettings settings, StoreLinks links)
    {
        _settings = settings;
        _links = links;
        Receive<AssociationArrived>(arrived =>
        {
            _log.Info("Sub-Association Acknowledged (Max Send PDV: {MaxSendPdv})", arrived.Association.MaxSendPdvLength);
            Context.ActorOf(StoreAssociation.Props(arrived.Association, arrived.Done, _settings, _links), $"association-{++_associations}");
        });
    }

    public static Props Props(StoreSettings settings, StoreLinks links) =>
        Akka.Actor.Props.Create(() => new StoreListener(settings, links)).WithDispatcher(ActorMoveSettings.EngineDispatcherId);

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    protected override void PreStart()
    {
        var policy = _settings.AcceptAllStorageClasses
            ? StoreAcceptancePolicy.AcceptingAllStorageClasses(_settings.Preference)
            : new StoreAcceptancePolicy(_settings.Preference);
        var self = Self;
        var log = _log;
        var acceptor = policy.ToAcceptor();
        var storeActivity = _links.Activity;
        var options = _settings.Association with
        {
            Connection = _settings.Association.Connection with
            {
                MaxInboundConnections = _settings.MaxAssociations ?? _settings.Association.Connection.MaxInboundConnections,
                DescriptorsPerInboundConnection = _settings.DescriptorsPerAssociation,
            },
        };
        _listener = AssociationListener.Start(_settings.EndPoint,
            request =>
            {
                // An archive opening its store association is already a move's sub-operation under way.
                storeActivity.Touch();
                log.Info("Sub-Association Received");
                return acceptor(request);
            },
            async (association, _) =>
            {
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                self.Tell(new AssociationArrived(association, done));
                await done.Task.ConfigureAwait(false);
            },
            options,
            (error, peer) => log.Warning("Inbound association from {Peer} failed: {Error}", peer?.ToString() ?? "?", error.Message),
            _settings.AccessControl is { } rules ? connection => Admit(rules, connection, log) : null,
            limit => WarnAtLimit(limit, configured: options.Connection.MaxInboundConnections is not null, log));
        _log.Debug("Listening for store associations on port {Port}", _listener.Port);
        Context.Parent.Tell(new Listening(_listener.Port));
    }

    private static void WarnAtLimit(int limit, bool configured, ILoggingAdapter log)
    {
        if (configured)
        {
            log.Warning("Store port busy: {Limit} associations at once, its configured maximum (max-associations); further ones wait until one ends", limit);
            return;
        }

        log.Warning(
            "Store port busy: {Limit} associations at once, all that the open-file limit ({Descriptors}, ulimit -n) leaves room for; further ones wait until one ends",
            limit, DescriptorBudget.ProcessLimit()?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?");
    }

    /// <summary>+ac: the host's verdict; a refused host gets an A-ASSOCIATE-RJ (permanent, service user, no reason).</summary>
    private AssociateReject? Admit(HostAccessRules rules, DicomConnection connection, ILoggingAdapter log)
    {
        var address = connection.RemoteEndPoint.Address;
        var client = _settings.Association.Connection.HostLookup
            ? HostAccessClient.WithHostName(address, connection.RemoteHostName)
            : HostAccessClient.WithoutLookup(address);
        var decision = rules.Check(client);
        if (decision.Allowed)
        {
            return null;
        }

        log.Warning("TCP wrapper: denied connection from {Client} ({Decision})", client.Describe(), decision);
        return new AssociateReject(RejectResult.Permanent, RejectReasonServiceUser.NoReasonGiven);
    }

    protected override void PostStop()
    {
        // Closing the port must not block the actor; the running associations end with their own actors.
        if (_listener is { } listener)
        {
            _ = listener.DisposeAsync().AsTask();
        }

        base.PostStop();
    }
}
