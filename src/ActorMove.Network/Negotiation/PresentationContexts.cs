using ActorMove.Network.Pdu;
namespace ActorMove.Network.Negotiation;

/// <summary>One presentation context as proposed in an A-ASSOCIATE-RQ, independent of how the PDU codec spells it.</summary>
public sealed record ProposedPresentationContext(byte PresentationContextId, string AbstractSyntax, IReadOnlyList<string> TransferSyntaxes)
{
    public override string ToString() => $"{PresentationContextId}: {AbstractSyntax} [{string.Join(", ", TransferSyntaxes)}]";
}

/// <summary>
/// The answer to one proposed context. <see cref="TransferSyntax"/> is null for a refused context (PS3.8 says the
/// field is then not significant; DCMTK writes Implicit VR Little Endian there, the joining code may do the same).
/// </summary>
public sealed record PresentationContextAnswer(byte PresentationContextId, PresentationContextResultReason Result, string? TransferSyntax)
{
    public bool IsAccepted => Result == PresentationContextResultReason.Acceptance;
}

/// <summary>The acceptor's whole answer: one entry per proposed context, in proposal order, and the role replies.</summary>
public sealed record NegotiationAnswer(IReadOnlyList<PresentationContextAnswer> Contexts, IReadOnlyList<RoleSelection> RoleReplies)
{
    public IEnumerable<byte> AcceptedContextIds => Contexts.Where(c => c.IsAccepted).Select(c => c.PresentationContextId);
}
