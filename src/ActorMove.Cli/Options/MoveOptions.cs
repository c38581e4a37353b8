using ActorMove.Network.Services;
using ActorMove.Network.Negotiation;
using ActorMove.Dicom.Core;

namespace ActorMove.Cli.Options;

public enum LogLevel { Trace, Debug, Info, Warn, Error, Fatal, Off }




/// <summary>+F, -F.</summary>
public enum OutputFileFormat { FileFormat, DatasetOnly }

/// <summary>+t=, +te, +tb, +ti, +td.</summary>
public enum OutputTransferSyntax
{
    SameAsInput,
    ExplicitLittleEndian,
    ExplicitBigEndian,
    ImplicitLittleEndian,
    DeflatedExplicitLittleEndian,
}

/// <summary>+g=, +g, -g.</summary>
public enum GroupLengthEncoding { RecalculateIfPresent, Create, Remove }

/// <summary>+e, -e.</summary>
public enum SequenceLengthEncoding { Explicit, Undefined }


/// <summary>+p f i: align the file on multiples of <paramref name="FileAlignment"/> bytes and items on multiples of <paramref name="ItemAlignment"/>.</summary>
public sealed record DatasetPadding(ulong FileAlignment, ulong ItemAlignment);

/// <summary>
/// One -k argument: "gggg,eeee=value" or "Keyword=value". <see cref="Value"/> is null when there is no '=' (the attribute is
/// then sent with zero length, exactly as with an empty value). <see cref="Tag"/> is known for the numeric form; a keyword
/// is resolved here only when the parser was given a dictionary, otherwise the engine resolves <see cref="Keyword"/>.
/// </summary>
public sealed record OverrideKey(string Text, DicomTag? Tag, string? Keyword, string? Value);

/// <summary>
/// Everything a movescu 3.6.7 command line says, with movescu's defaults for what it does not say.
/// The retrieve engine consumes this; nothing here is interpreted beyond what movescu checks while parsing.
/// </summary>
public sealed record MoveOptions
{
    public const string DefaultCallingAETitle = "MOVESCU";
    public const string DefaultCalledAETitle = "ANY-SCP";
    public const uint DefaultMaxReceivePduLength = 16384;
    public const uint MinMaxReceivePduLength = 4096;
    public const uint MaxMaxReceivePduLength = 131072;
    public const long DefaultAcseTimeoutSeconds = 30;
    public const int DefaultCompressionLevel = 6;

    public required string Peer { get; init; }
    public required int Port { get; init; }
    public IReadOnlyList<string> QueryFiles { get; init; } = [];
    /// <summary>The -k keys in command-line order.</summary>
    public IReadOnlyList<OverrideKey> OverrideKeys { get; init; } = [];

    /// <summary>
    /// The -k keys in the order movescu applies them: last to first (DCMTK's command line hands repeated options over
    /// right to left), so that of two keys for one attribute the leftmost wins.
    /// </summary>
    public IEnumerable<OverrideKey> OverrideKeysAsApplied => OverrideKeys.Reverse();

    // general options
    public LogLevel LogLevel { get; init; } = LogLevel.Warn;
    public string? LogConfigFile { get; init; }
    public bool PrintExpandedArguments { get; init; }

    // network options
    public QueryRetrieveModel QueryModel { get; init; } = QueryRetrieveModel.PatientRoot;
    public string CallingAETitle { get; init; } = DefaultCallingAETitle;
    public string CalledAETitle { get; init; } = DefaultCalledAETitle;

    /// <summary>-aem; null when not given, in which case movescu sends its own calling AE title.</summary>
    public string? MoveDestination { get; init; }

    public string EffectiveMoveDestination => MoveDestination ?? CallingAETitle;
    public IncomingTransferSyntaxPreference IncomingTransferSyntax { get; init; } = IncomingTransferSyntaxPreference.ExplicitLocalByteOrder;
    public OutgoingTransferSyntaxProposal OutgoingTransferSyntax { get; init; } = OutgoingTransferSyntaxProposal.ExplicitLocalByteOrderFirst;

    /// <summary>+ac: enforce the tcp wrapper's host access rules on incoming associations.</summary>
    public bool EnforceHostAccessControl { get; init; }

    /// <summary>+P; null for --no-port (the default): nothing listens, sub-operations go to a third party.</summary>
    public int? IncomingPort { get; init; }

    public PendingDataSetHandling PendingDatasets { get; init; } = PendingDataSetHandling.AssumeNone;

    /// <summary>-to; null means unlimited. movescu saturates huge values instead of rejecting them, hence long.</summary>
    public long? ConnectionTimeoutSeconds { get; init; }
    public long AcseTimeoutSeconds { get; init; } = DefaultAcseTimeoutSeconds;

    /// <summary>-td; null means unlimited (blocking).</summary>
    public long? DimseTimeoutSeconds { get; init; }
    public uint MaxReceivePduLength { get; init; } = DefaultMaxReceivePduLength;
    public bool DisableHostLookup { get; init; }
    public ulong RepeatCount { get; init; } = 1;
    public bool AbortAssociation { get; init; }
    public bool IgnoreStoreData { get; init; }

    /// <summary>
    /// --cancel as given; null means never. 0 is allowed (movescu's minimum) and also never cancels: movescu counts the
    /// responses from 1 and cancels when the count equals n.
    /// </summary>
    public long? CancelAfterResponses { get; init; }

    /// <summary>The response count after which a move sends C-CANCEL, or null for never (no --cancel, 0, or a count no move reaches).</summary>
    public int? EffectiveCancelAfterResponses => CancelAfterResponses is >= 1 and <= int.MaxValue ? (int)CancelAfterResponses.Value : null;
    public bool CorrectUidPadding { get; init; }

    // output options
    public string OutputDirectory { get; init; } = ".";
    public bool BitPreserving { get; init; }
    public OutputFileFormat OutputFileFormat { get; init; } = OutputFileFormat.FileFormat;
    public OutputTransferSyntax OutputTransferSyntax { get; init; } = OutputTransferSyntax.SameAsInput;
    public bool EnableNewVRs { get; init; } = true;
    public GroupLengthEncoding GroupLengthEncoding { get; init; } = GroupLengthEncoding.RecalculateIfPresent;
    public SequenceLengthEncoding SequenceLengthEncoding { get; init; } = SequenceLengthEncoding.Explicit;

    /// <summary>+p; null for -p (no padding, the default).</summary>
    public DatasetPadding? Padding { get; init; }
    public int CompressionLevel { get; init; } = DefaultCompressionLevel;

    /// <summary>ActorMove's own options (--parallel, --manifest, ...); <see cref="ActorMoveExtensions.None"/> for a movescu command line.</summary>
    public ActorMoveExtensions Extensions { get; init; } = ActorMoveExtensions.None;
}
