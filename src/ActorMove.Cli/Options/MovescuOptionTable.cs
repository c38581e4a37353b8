namespace ActorMove.Cli.Options;

/// <summary>
/// movescu 3.6.7's options, in its order and under its headings (see /work/shared/spec/movescu-3.6.7-options.txt).
/// </summary>
public static class MovescuOptionTable
{
    /// <summary>DCMTK's command line tools use 21 columns for long names and 4 for short ones (6 in the general group).</summary>
    public const int LongColumnWidth = 21;
    public const int ShortColumnWidth = 4;
    public const int GeneralShortColumnWidth = ShortColumnWidth + 2;

    public static IReadOnlyList<OptionTableEntry> Entries { get; } =
    [
        new OptionGroup("general options:", GeneralShortColumnWidth),
        Flag(OptionId.Help, "-h", "--help", "print this help text and exit", exclusive: true),
        Flag(OptionId.Version, null, "--version", "print version information and exit", exclusive: true),
        Flag(OptionId.Arguments, null, "--arguments", "print expanded command line arguments"),
        Flag(OptionId.Quiet, "-q", "--quiet", "quiet mode, print no warnings and errors"),
        Flag(OptionId.Verbose, "-v", "--verbose", "verbose mode, print processing details"),
        Flag(OptionId.Debug, "-d", "--debug", "debug mode, print debug information"),
        Valued(OptionId.LogLevel, "-ll", "--log-level", "[l]evel: string constant",
            "(fatal, error, warn, info, debug, trace)\nuse level l for the logger"),
        Valued(OptionId.LogConfig, "-lc", "--log-config", "[f]ilename: string", "use config file f for the logger"),

        new OptionGroup("network options:", ShortColumnWidth),
        new OptionSubGroup("override matching keys:"),
        Valued(OptionId.Key, "-k", "--key", "[k]ey: gggg,eeee=\"str\" or dict. name=\"str\"", "override matching key"),
        new OptionSubGroup("query information model:"),
        Flag(OptionId.Patient, "-P", "--patient", "use patient root information model (default)"),
        Flag(OptionId.Study, "-S", "--study", "use study root information model"),
        Flag(OptionId.PsOnly, "-O", "--psonly", "use patient/study only information model"),
        new OptionSubGroup("application entity titles:"),
        Valued(OptionId.AeTitle, "-aet", "--aetitle", "[a]etitle: string", "set my calling AE title (default: MOVESCU)"),
        Valued(OptionId.Call, "-aec", "--call", "[a]etitle: string", "set called AE title of peer (default: ANY-SCP)"),
        Valued(OptionId.Move, "-aem", "--move", "[a]etitle: string", "set move destinat. AE title (default: MOVESCU)"),
        new OptionSubGroup("preferred network transfer syntaxes (incoming associations):"),
        Flag(OptionId.PreferUncompr, "+x=", "--prefer-uncompr", "prefer explicit VR local byte order (default)"),
        Flag(OptionId.PreferLittle, "+xe", "--prefer-little", "prefer explicit VR little endian TS"),
        Flag(OptionId.PreferBig, "+xb", "--prefer-big", "prefer explicit VR big endian TS"),
        Flag(OptionId.PreferLossless, "+xs", "--prefer-lossless", "prefer default JPEG lossless TS"),
        Flag(OptionId.PreferJpeg8, "+xy", "--prefer-jpeg8", "prefer default JPEG lossy TS for 8 bit data"),
        Flag(OptionId.PreferJpeg12, "+xx", "--prefer-jpeg12", "prefer default JPEG lossy TS for 12 bit data"),
        Flag(OptionId.PreferJ2kLossless, "+xv", "--prefer-j2k-lossless", "prefer JPEG 2000 lossless TS"),
        Flag(OptionId.PreferJ2kLossy, "+xw", "--prefer-j2k-lossy", "prefer JPEG 2000 lossy TS"),
        Flag(OptionId.PreferJlsLossless, "+xt", "--prefer-jls-lossless", "prefer JPEG-LS lossless TS"),
        Flag(OptionId.PreferJlsLossy, "+xu", "--prefer-jls-lossy", "prefer JPEG-LS lossy TS"),
        Flag(OptionId.PreferMpeg2, "+xm", "--prefer-mpeg2", "prefer MPEG2 Main Profile @ Main Level TS"),
        Flag(OptionId.PreferMpeg2High, "+xh", "--prefer-mpeg2-high", "prefer MPEG2 Main Profile @ High Level TS"),
        Flag(OptionId.PreferMpeg4, "+xn", "--prefer-mpeg4", "prefer MPEG4 AVC/H.264 HP / Level 4.1 TS"),
        Flag(OptionId.PreferMpeg4Bd, "+xl", "--prefer-mpeg4-bd", "prefer MPEG4 AVC/H.264 BD-compatible TS"),
        Flag(OptionId.PreferMpeg4_2_2d, "+x2", "--prefer-mpeg4-2-2d", "prefer MPEG4 AVC/H.264 HP / Level 4.2 TS (2D)"),
        Flag(OptionId.PreferMpeg4_2_3d, "+x3", "--prefer-mpeg4-2-3d", "prefer MPEG4 AVC/H.264 HP / Level 4.2 TS (3D)"),
        Flag(OptionId.PreferMpeg4_2_St, "+xo", "--prefer-mpeg4-2-st", "prefer MPEG4 AVC/H.264 Stereo HP / Level 4.2 TS"),
        Flag(OptionId.PreferHevc, "+x4", "--prefer-hevc", "prefer HEVC/H.265 Main Profile / Level 5.1 TS"),
        Flag(OptionId.PreferHevc10, "+x5", "--prefer-hevc10", "prefer HEVC/H.265 Main 10 Profile / Level 5.1 TS"),
        Flag(OptionId.PreferRle, "+xr", "--prefer-rle", "prefer RLE lossless TS"),
        Flag(OptionId.PreferDeflated, "+xd", "--prefer-deflated", "prefer deflated explicit VR little endian TS"),
        Flag(OptionId.Implicit, "+xi", "--implicit", "accept implicit VR little endian TS only"),
        Flag(OptionId.AcceptAll, "+xa", "--accept-all", "accept all supported transfer syntaxes"),
        new OptionSubGroup("proposed transmission transfer syntaxes (outgoing associations):"),
        Flag(OptionId.ProposeUncompr, "-x=", "--propose-uncompr",
            "propose all uncompressed TS, explicit VR\nwith local byte ordering first (default)"),
        Flag(OptionId.ProposeLittle, "-xe", "--propose-little", "propose all uncompressed TS, explicit VR\nlittle endian first"),
        Flag(OptionId.ProposeBig, "-xb", "--propose-big", "propose all uncompressed TS, explicit VR\nbig endian first"),
        Flag(OptionId.ProposeDeflated, "-xd", "--propose-deflated",
            "propose deflated explicit VR little endian TS\nand all uncompressed transfer syntaxes"),
        Flag(OptionId.ProposeImplicit, "-xi", "--propose-implicit", "propose implicit VR little endian TS only"),
        new OptionSubGroup("network host access control (tcp wrapper):"),
        Flag(OptionId.AccessFull, "-ac", "--access-full", "accept connections from any host (default)"),
        Flag(OptionId.AccessControl, "+ac", "--access-control", "enforce host access control rules"),
        new OptionSubGroup("port for incoming network associations:"),
        Flag(OptionId.NoPort, null, "--no-port", "no port for incoming associations (default)"),
        Valued(OptionId.Port, "+P", "--port", "[n]umber: integer", "port number for incoming associations"),
        new OptionSubGroup("handling of illegal datasets following 'pending' move responses:"),
        Flag(OptionId.PendingIgnore, "-pi", "--pending-ignore", "assume no dataset present (default)"),
        Flag(OptionId.PendingRead, "-pr", "--pending-read", "read and ignore dataset"),
        new OptionSubGroup("other network options:"),
        Valued(OptionId.Timeout, "-to", "--timeout", "[s]econds: integer (default: unlimited)", "timeout for connection requests"),
        Valued(OptionId.AcseTimeout, "-ta", "--acse-timeout", "[s]econds: integer (default: 30)", "timeout for ACSE messages"),
        Valued(OptionId.DimseTimeout, "-td", "--dimse-timeout", "[s]econds: integer (default: unlimited)", "timeout for DIMSE messages"),
        Valued(OptionId.MaxPdu, "-pdu", "--max-pdu", "[n]umber of bytes: integer (4096..131072)",
            "set max receive pdu to n bytes (default: 16384)"),
        Flag(OptionId.DisableHostLookup, "-dhl", "--disable-host-lookup", "disable hostname lookup"),
        Valued(OptionId.Repeat, null, "--repeat", "[n]umber: integer", "repeat n times"),
        Flag(OptionId.Abort, null, "--abort", "abort association instead of releasing it"),
        Flag(OptionId.Ignore, null, "--ignore", "ignore store data, receive but do not store"),
        Valued(OptionId.Cancel, null, "--cancel", "[n]umber: integer", "cancel after n responses (default: never)"),
        Flag(OptionId.UidPadding, "-up", "--uid-padding", "silently correct space-padded UIDs"),

        new OptionGroup("output options:", ShortColumnWidth),
        new OptionSubGroup("general:"),
        Valued(OptionId.OutputDirectory, "-od", "--output-directory", "[d]irectory: string (default: \".\")",
            "write received objects to existing directory d"),
        new OptionSubGroup("bit preserving mode:"),
        Flag(OptionId.Normal, "-B", "--normal", "allow implicit format conversions (default)"),
        Flag(OptionId.BitPreserving, "+B", "--bit-preserving", "write data exactly as read"),
        new OptionSubGroup("output file format:"),
        Flag(OptionId.WriteFile, "+F", "--write-file", "write file format (default)"),
        Flag(OptionId.WriteDataset, "-F", "--write-dataset", "write data set without file meta information"),
        new OptionSubGroup("output transfer syntax (not with --bit-preserving or compressed transmission):"),
        Flag(OptionId.WriteXferSame, "+t=", "--write-xfer-same", "write with same TS as input (default)"),
        Flag(OptionId.WriteXferLittle, "+te", "--write-xfer-little", "write with explicit VR little endian TS"),
        Flag(OptionId.WriteXferBig, "+tb", "--write-xfer-big", "write with explicit VR big endian TS"),
        Flag(OptionId.WriteXferImplicit, "+ti", "--write-xfer-implicit", "write with implicit VR little endian TS"),
        Flag(OptionId.WriteXferDeflated, "+td", "--write-xfer-deflated", "write with deflated expl. VR little endian TS"),
        new OptionSubGroup("post-1993 value representations (not with --bit-preserving):"),
        Flag(OptionId.EnableNewVr, "+u", "--enable-new-vr", "enable support for new VRs (UN/UT) (default)"),
        Flag(OptionId.DisableNewVr, "-u", "--disable-new-vr", "disable support for new VRs, convert to OB"),
        new OptionSubGroup("group length encoding (not with --bit-preserving):"),
        Flag(OptionId.GroupLengthRecalc, "+g=", "--group-length-recalc", "recalculate group lengths if present (default)"),
        Flag(OptionId.GroupLengthCreate, "+g", "--group-length-create", "always write with group length elements"),
        Flag(OptionId.GroupLengthRemove, "-g", "--group-length-remove", "always write without group length elements"),
        new OptionSubGroup("length encoding in sequences and items (not with --bit-preserving):"),
        Flag(OptionId.LengthExplicit, "+e", "--length-explicit", "write with explicit lengths (default)"),
        Flag(OptionId.LengthUndefined, "-e", "--length-undefined", "write with undefined lengths"),
        new OptionSubGroup("data set trailing padding (not with --write-dataset or --bit-preserving):"),
        Flag(OptionId.PaddingOff, "-p", "--padding-off", "no padding (default)"),
        new OptionDefinition(OptionId.PaddingCreate, "+p", "--padding-create", 2, "[f]ile-pad [i]tem-pad: integer",
            "align file on multiple of f bytes\nand items on multiple of i bytes"),
        new OptionSubGroup("deflate compression level (only with -xd or --write-xfer-deflated/same):"),
        Valued(OptionId.CompressionLevel, "+cl", "--compression-level", "[l]evel: integer (default: 6)",
            "0=uncompressed, 1=fastest, 9=best compression"),

        // Not movescu's: long names only, so they can never clash with a future DCMTK short option.
        new OptionGroup(ExtensionsHeading, ShortColumnWidth),
        Valued(OptionId.Parallel, null, "--parallel", "[n]umber: integer (1..256, default: 1)",
            "run up to n moves at once, sharing the +P port"),
        Valued(OptionId.Manifest, null, "--manifest", "[f]ilename: string",
            "move one identifier per row of CSV/TSV file f\n(header row: keywords or gggg,eeee tags)"),
        Valued(OptionId.Journal, null, "--journal", "[f]ilename: string",
            "record rows in SQLite file f; a rerun skips\nrows done (only with --manifest)"),
        Flag(OptionId.ForceJournal, null, "--force-journal", "use a journal made for another manifest"),
        Valued(OptionId.Retry, null, "--retry", "[n]umber: integer (0..100, default: 0)",
            "retry a failed move up to n times"),
        Valued(OptionId.Report, null, "--report", "[f]ilename: string",
            "write a JSON run report (latency, rates,\nfailures by status) to file f"),
        Valued(OptionId.MaxAssociations, null, "--max-associations", "[n]umber: integer (1..65535)",
            "serve at most n store associations at once\n(default: what ulimit -n leaves room for)"),
    ];

    /// <summary>The heading of ActorMove's own options, listed after all of movescu's.</summary>
    public const string ExtensionsHeading = "actormove extensions:";

    public static IReadOnlyList<OptionDefinition> Options { get; } = Entries.OfType<OptionDefinition>().ToArray();

    private static readonly Dictionary<string, OptionDefinition> ByName = BuildNameIndex();

    private static readonly Dictionary<OptionId, OptionDefinition> ById = Options.ToDictionary(o => o.Id);

    /// <summary>Finds an option by its exact short or long spelling (DCMTK does not accept abbreviations).</summary>
    public static OptionDefinition? Find(string name) => ByName.GetValueOrDefault(name);

    public static OptionDefinition Get(OptionId id) => ById[id];

    private static Dictionary<string, OptionDefinition> BuildNameIndex()
    {
        var index = new Dictionary<string, OptionDefinition>(StringComparer.Ordinal);
        foreach (var option in Options)
        {
            index.Add(option.LongName, option);
            if (option.ShortName is not null)
            {
                index.Add(option.ShortName, option);
            }
        }

        return index;
    }

    private static OptionDefinition Flag(OptionId id, string? shortName, string longName, string description, bool exclusive = false) =>
        new(id, shortName, longName, 0, "", description, exclusive);

    private static OptionDefinition Valued(OptionId id, string? shortName, string longName, string valueDescription, string description) =>
        new(id, shortName, longName, 1, valueDescription, description);
}
