namespace ActorMove.Cli.Options;

/// <summary>Every option movescu 3.6.7 knows, plus ActorMove's extensions, so evaluation code names options by identity instead of by spelling.</summary>
public enum OptionId
{
    Help, Version, Arguments, Quiet, Verbose, Debug, LogLevel, LogConfig,
    Key,
    Patient, Study, PsOnly,
    AeTitle, Call, Move,
    PreferUncompr, PreferLittle, PreferBig, PreferLossless, PreferJpeg8, PreferJpeg12, PreferJ2kLossless, PreferJ2kLossy,
    PreferJlsLossless, PreferJlsLossy, PreferMpeg2, PreferMpeg2High, PreferMpeg4, PreferMpeg4Bd, PreferMpeg4_2_2d,
    PreferMpeg4_2_3d, PreferMpeg4_2_St, PreferHevc, PreferHevc10, PreferRle, PreferDeflated, Implicit, AcceptAll,
    ProposeUncompr, ProposeLittle, ProposeBig, ProposeDeflated, ProposeImplicit,
    AccessFull, AccessControl,
    NoPort, Port,
    PendingIgnore, PendingRead,
    Timeout, AcseTimeout, DimseTimeout, MaxPdu, DisableHostLookup, Repeat, Abort, Ignore, Cancel, UidPadding,
    OutputDirectory,
    Normal, BitPreserving,
    WriteFile, WriteDataset,
    WriteXferSame, WriteXferLittle, WriteXferBig, WriteXferImplicit, WriteXferDeflated,
    EnableNewVr, DisableNewVr,
    GroupLengthRecalc, GroupLengthCreate, GroupLengthRemove,
    LengthExplicit, LengthUndefined,
    PaddingOff, PaddingCreate,
    CompressionLevel,
    // ActorMove extensions (not in movescu)
    Parallel, Manifest, Journal, ForceJournal, Retry, Report, MaxAssociations,
}

/// <summary>
/// One row of the option table: either a group heading, a sub-group heading or an option.
/// The help text and the scanner both read the same rows, so they cannot disagree.
/// </summary>
public abstract record OptionTableEntry;

/// <summary>A top-level heading such as "network options:".</summary>
/// <param name="ShortColumnWidth">width of the short-name column for the options under this heading (DCMTK widens it for the general options)</param>
public sealed record OptionGroup(string Heading, int ShortColumnWidth) : OptionTableEntry;

/// <summary>A second-level heading such as "query information model:".</summary>
public sealed record OptionSubGroup(string Heading) : OptionTableEntry;

/// <param name="ShortName">"-aet", "+P" ...; null when movescu has only the long form</param>
/// <param name="LongName">"--aetitle" ...; DCMTK reports errors and echoes arguments with this name</param>
/// <param name="ValueCount">how many following arguments the option consumes, verbatim</param>
/// <param name="ValueDescription">the "[a]etitle: string" column of the help; empty when the option takes no value</param>
/// <param name="Description">help text; '\n' starts a continuation line</param>
/// <param name="Exclusive">an option that, when present, skips the parameter count check (--help, --version)</param>
public sealed record OptionDefinition(
    OptionId Id,
    string? ShortName,
    string LongName,
    int ValueCount,
    string ValueDescription,
    string Description,
    bool Exclusive = false) : OptionTableEntry;
