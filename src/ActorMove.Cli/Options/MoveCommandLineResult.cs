using ActorMove.Dicom.Core;

namespace ActorMove.Cli.Options;

public enum CommandLineAction
{
    /// <summary>The command line is valid: run the retrieve with <see cref="MoveCommandLineResult.Options"/>.</summary>
    Retrieve,

    /// <summary>No arguments at all, or -h/--help anywhere: print the usage on stdout and exit 0.</summary>
    PrintUsage,

    /// <summary>--version anywhere (and no --help): print the version on stdout and exit 0.</summary>
    PrintVersion,

    /// <summary>A syntax error: print the header and "error: ..." on stderr (unless quiet) and exit 1.</summary>
    Fail,
}

public sealed record MoveCommandLineResult
{
    /// <summary>movescu's EXITCODE_COMMANDLINE_SYNTAX_ERROR.</summary>
    public const int CommandLineSyntaxErrorExitCode = 1;

    public required CommandLineAction Action { get; init; }

    public MoveOptions? Options { get; init; }

    /// <summary>The text after "error: ", worded as movescu words it.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>True when -q or --log-level fatal/off was in effect when the error was found: movescu then prints nothing.</summary>
    public bool ErrorSuppressed { get; init; }

    /// <summary>The --arguments echo for stderr, written before anything else, or null.</summary>
    public string? ArgumentsEcho { get; init; }
}

/// <summary>Checks -k names against a data dictionary; without one the parser checks only the syntax.</summary>
public interface IOverrideKeyDictionary
{
    bool TryGetTag(string keyword, out DicomTag tag);

    bool IsKnown(DicomTag tag);
}
