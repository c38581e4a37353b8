using ActorMove.Network.Association;
using ActorMove.Network.Negotiation;
using ActorMove.Network.Services;

namespace ActorMove.Engine.Retrieve;

/// <summary>How outgoing C-MOVE associations are made: movescu's outgoing-association options.</summary>
public sealed record MoveSettings
{
    /// <summary>Our calling AE title when a request names none (-aet).</summary>
    public string AeTitle { get; init; } = "MOVESCU";

    /// <summary>-x=, -xe, -xb, -xd, -xi.</summary>
    public OutgoingTransferSyntaxProposal Proposal { get; init; } = OutgoingTransferSyntaxProposal.ExplicitLocalByteOrderFirst;

    /// <summary>-pi / -pr.</summary>
    public PendingDataSetHandling PendingDataSets { get; init; } = PendingDataSetHandling.AssumeNone;

    /// <summary>
    /// End each move's log lines with "(job n)": for runs that interleave moves (--parallel, manifests), where movescu's
    /// lines alone would not say which move they belong to. Off, the lines are movescu's word for word.
    /// </summary>
    public bool NameJobsInLog { get; init; }

    /// <summary>Max PDU, -to, -ta, -td, -dhl.</summary>
    public AssociationOptions Association { get; init; } = AssociationOptions.Default;
}
