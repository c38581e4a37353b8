using ActorMove.Network.Association;
using ActorMove.Network.Negotiation;
using ActorMove.Network.Pdu;

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
        var answer = policy.Negotiate(proposed, request.UserInformation.RoleSelections.ToArray());
        return AssociateDecision.Accept(
            answer.Contexts.Select(c => new PresentationContextResult(c.PresentationContextId, c.Result,
                c.TransferSyntax ?? TransferSyntaxUids.ImplicitVRLittleEndian)),
            answer.RoleReplies);
    };
}
