namespace ActorMove.Network.Negotiation;

/// <summary>The result/reason field of a presentation context in an A-ASSOCIATE-AC (PS3.8 9.3.3.2).</summary>
public enum PresentationContextResult : byte
{
    Acceptance = 0,
    UserRejection = 1,
    NoReason = 2,
    AbstractSyntaxNotSupported = 3,
    TransferSyntaxesNotSupported = 4,
}

/// <summary>One presentation context as proposed in an A-ASSOCIATE-RQ, independent of how the PDU codec spells it.</summary>
public sealed record ProposedPresentationContext(byte PresentationContextId, string AbstractSyntax, IReadOnlyList<string> TransferSyntaxes)
{
    public override string ToString() => $"{PresentationContextId}: {AbstractSyntax} [{string.Join(", ", TransferSyntaxes)}]";
}

/// <summary>
/// The answer to one proposed context. <see cref="TransferSyntax"/> is null for a refused context (PS3.8 says the
/// field is then not significant; DCMTK writes Implicit VR Little Endian there, the joining code may do the same).
/// </summary>
public sealed record PresentationContextAnswer(byte PresentationContextId, PresentationContextResult Result, string? TransferSyntax)
{
    public bool IsAccepted => Result == PresentationContextResult.Acceptance;
}

/// <summary>An SCP/SCU Role Selection sub-item (PS3.7 D.3.3.4), proposed or answered.</summary>
public sealed record RoleSelection(string SopClassUid, bool ScuRole, bool ScpRole);

/// <summary>The acceptor's whole answer: one entry per proposed context, in proposal order, and the role replies.</summary>
public sealed record NegotiationAnswer(IReadOnlyList<PresentationContextAnswer> Contexts, IReadOnlyList<RoleSelection> RoleReplies)
{
    public IEnumerable<byte> AcceptedContextIds => Contexts.Where(c => c.IsAccepted).Select(c => c.PresentationContextId);
}
