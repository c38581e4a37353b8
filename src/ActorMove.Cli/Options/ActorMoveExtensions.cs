namespace ActorMove.Cli.Options;

/// <summary>
/// ActorMove's options beyond movescu (the "actormove extensions:" group of the help). Their defaults give exactly
/// movescu's behaviour: one move after another, query files or -k keys, no retry, no report.
/// </summary>
public sealed record ActorMoveExtensions
{
    public const int MinParallel = 1;
    public const int MaxParallel = 256;
    public const int MaxRetries = 100;

    public static ActorMoveExtensions None { get; } = new();

    /// <summary>--parallel: how many moves run at once, all sharing the one +P store port.</summary>
    public int Parallel { get; init; } = 1;

    /// <summary>--manifest: a CSV/TSV file with one C-MOVE identifier per row; replaces query files.</summary>
    public string? ManifestFile { get; init; }

    /// <summary>--journal: the SQLite file that records each manifest row's state, so a rerun skips rows done.</summary>
    public string? JournalFile { get; init; }

    /// <summary>--force-journal: adopt a journal that was made for another manifest.</summary>
    public bool ForceJournal { get; init; }

    /// <summary>--retry: how many times a failed move is tried again (with exponential backoff).</summary>
    public int Retries { get; init; }

    /// <summary>--report: where the JSON run report goes at the end.</summary>
    public string? ReportFile { get; init; }

    /// <summary>--max-associations: store associations served at once; null leaves it to the open-file limit.</summary>
    public int? MaxStoreAssociations { get; init; }

    /// <summary>True when any extension asks for more than movescu's plain sequential loop.</summary>
    public bool Active => Parallel > 1 || ManifestFile is not null || Retries > 0 || ReportFile is not null;
}
