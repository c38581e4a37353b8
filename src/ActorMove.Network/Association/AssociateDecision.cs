using ActorMove.Network.Pdu;

namespace ActorMove.Network.Association;

/// <summary>An acceptor's answer to an A-ASSOCIATE-RQ, made by an acceptance policy.</summary>
public abstract record AssociateDecision
{
    /// <summary>
    /// Accept with one result per proposed context. Contexts the policy leaves out are answered "no reason" (provider
    /// rejection), because an A-ASSOCIATE-AC must answer every proposed context.
    /// </summary>
    public static AssociateDecision Accept(IEnumerable<PresentationContextResult> presentationContexts, IEnumerable<RoleSelection>? roleSelections = null) =>
        new AcceptAssociation(presentationContexts.ToArray(), (roleSelections ?? []).ToArray());

    public static AssociateDecision Reject(RejectResult result, RejectSource source, byte reason) =>
        new RejectAssociation(new AssociateReject(result, source, reason));

    public static AssociateDecision Reject(RejectResult result, RejectReasonServiceUser reason) =>
        new RejectAssociation(new AssociateReject(result, reason));
}

public sealed record AcceptAssociation(ValueList<PresentationContextResult> PresentationContexts, ValueList<RoleSelection> RoleSelections) : AssociateDecision;

public sealed record RejectAssociation(AssociateReject Answer) : AssociateDecision;
