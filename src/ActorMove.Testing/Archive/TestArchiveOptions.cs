using ActorMove.Network.Association;

namespace ActorMove.Testing.Archive;

/// <summary>Where a C-MOVE destination AE title is reached.</summary>
public sealed record ArchiveDestination(string Host, int Port);

/// <summary>How a <see cref="TestArchive"/> is set up.</summary>
public sealed record TestArchiveOptions
{
    public const string DefaultAeTitle = "ARCHIVE";

    /// <summary>The archive's own AE title, the called AE title it answers to.</summary>
    public string AeTitle { get; init; } = DefaultAeTitle;

    /// <summary>The folder whose DICOM files (searched recursively; files that are not DICOM are skipped) the archive serves.</summary>
    public required string Folder { get; init; }

    /// <summary>Move destination AE titles and where they listen; more can be added later with <see cref="TestArchive.MapDestination"/>.</summary>
    public IReadOnlyDictionary<string, ArchiveDestination> Destinations { get; init; } = new Dictionary<string, ArchiveDestination>();

    /// <summary>
    /// False (the default): an association whose called AE title is not <see cref="AeTitle"/> is rejected
    /// (permanent, service user, called AE title not recognized), as dcmqrscp does. True: any called AE title is served.
    /// </summary>
    public bool AcceptAnyCalledAeTitle { get; init; }

    /// <summary>
    /// A pause between C-STORE sub-operations (after each pending C-MOVE-RSP but the last), so a client's C-CANCEL reliably
    /// arrives mid-move. A cancel ends the pause
    /// at once, so a long delay costs a cancel test nothing.
    /// </summary>
    public TimeSpan SubOperationDelay { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// True (the default): a pending C-MOVE-RSP after each sub-operation, as dcmqrscp sends. False: only the final response;
    /// pending responses are optional (PS3.4 C.4.2.3), and some archives leave them out.
    /// </summary>
    public bool SendPendingResponses { get; init; } = true;

    /// <summary>
    /// When sub-operations failed, send the final C-MOVE-RSP with an identifier listing them in Failed SOP Instance UID
    /// List (0008,0058), as dcmqrscp does (observed on its A702 answer when the destination cannot be reached). Off by
    /// default, so a client sees a failure status without an identifier unless a test asks for one.
    /// </summary>
    public bool SendFailedSopInstanceList { get; init; }

    /// <summary>
    /// Abstract syntaxes the archive refuses (reason 3) though it serves them: an archive that accepts the association but
    /// none of the contexts a client needs (movescu's "No Acceptable Presentation Contexts").
    /// </summary>
    public IReadOnlySet<string> RefusedSopClasses { get; init; } = new HashSet<string>();

    /// <summary>
    /// Answer every C-MOVE with this final status at once, with zero counts and no sub-operations (how a client reports
    /// each status); null serves moves as usual.
    /// </summary>
    public ushort? AnswerEveryMoveWith { get; init; }

    /// <summary>
    /// After this many C-MOVEs on one association, the next C-MOVE-RQ is not answered: the archive aborts the association
    /// (as an archive that drops associations between requests does). Null: no limit.
    /// </summary>
    public int? MovesPerAssociation { get; init; }

    /// <summary>Limits and timeouts of the move associations and of the store associations the archive opens.</summary>
    public AssociationOptions Association { get; init; } = AssociationOptions.Default;
}
