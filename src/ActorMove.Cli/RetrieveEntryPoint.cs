using ActorMove.Cli.Options;

namespace ActorMove.Cli;

/// <summary>
/// Where a valid command line goes. The retrieve engine replaces the body of <see cref="Run"/>; until then the build says so
/// the way movescu reports fatal conditions ("F: " on stderr) and fails.
/// </summary>
public static class RetrieveEntryPoint
{
    public const int EngineNotAvailableExitCode = 1;

    public static int Run(MoveOptions options, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(options);
        stderr.WriteLine($"F: {MoveCommandLineParser.ProgramName}: the retrieve engine is not available in this build");
        return EngineNotAvailableExitCode;
    }
}
