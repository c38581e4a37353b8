using ActorMove.Network.Association;
using ActorMove.Network.Negotiation;
using ActorMove.Network.Pdu;
using NegotiatedResult = ActorMove.Network.Negotiation.PresentationContextResult;

namespace ActorMove.Network.Services;

/// <summary>Joins the negotiation policies (plain inputs and answers) to the PDU records of the upper layer.</summary>
public static class NegotiationMapping
{
    public static PresentationContextProposal ToPdu(this ProposedPresentationContext proposal) =>
        new(proposal.PresentationContextId, proposal.AbstractSyntax, proposal.TransferSyntaxes.ToArray());

    /// <summary>
    /// The acceptor decision for the store port: <paramref name="gate"/> may reject first (access control, AE title checks);
    /// then every proposed context is answered by the policy.
    /// </summary>
    public static Func<AssociateRequest, AssociateDecision> ToAcceptor(this StoreAcceptancePolicy policy,
        Func<AssociateRequest, AssociateDecision?>? gate = null) => request =>
    {
        if (gate?.Invoke(request) is { } rejected)
        {
            return rejected;
        }

        var proposed = request.PresentationContexts
            .Select(pc => new ProposedPresentationContext(pc.Id, pc.AbstractSyntax, pc.TransferSyntaxes.ToArray()))
            .ToArray();
        var roles = request.UserInformation.RoleSelections
            .Select(r => new Negotiation.RoleSelection(r.SopClassUid, r.ScuRole, r.ScpRole))
            .ToArray();
        var answer = policy.Negotiate(proposed, roles);
        return AssociateDecision.Accept(
            answer.Contexts.Select(c => new Pdu.PresentationContextResult(c.PresentationContextId, ToPdu(c.Result), c.TransferSyntax ?? "")),
            answer.RoleReplies.Select(r => new Pdu.RoleSelection(r.SopClassUid, r.ScuRole, r.ScpRole)));
    };

    private static PresentationContextResultReason ToPdu(NegotiatedResult result) => result switch
    {
        NegotiatedResult.Acceptance => PresentationContextResultReason.Acceptance,
        NegotiatedResult.UserRejection => PresentationContextResultReason.UserRejection,
        NegotiatedResult.AbstractSyntaxNotSupported => PresentationContextResultReason.AbstractSyntaxNotSupported,
        NegotiatedResult.TransferSyntaxesNotSupported => PresentationContextResultReason.TransferSyntaxesNotSupported,
        _ => PresentationContextResultReason.NoReason,
    };
}
