using ActorMove.Cli.Options;
using ActorMove.Dicom.Dictionary;
using ActorMove.Network.Transport;

namespace ActorMove.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        // Before anything opens a socket: the runtime reads the setting once.
        InlineSocketCompletions.PreferForThisProcess();
        return Run(args, Console.Out, Console.Error);
    }

    /// <summary>
    /// Parses like movescu and either prints usage/version/errors or hands the options to the retrieve.
    /// -k names are checked against <paramref name="dictionary"/>, by default the data dictionary (built-in plus DCMDICTPATH).
    /// </summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, IOverrideKeyDictionary? dictionary = null)
    {
        try
        {
            return RunParsed(args, stdout, stderr, dictionary);
        }
        catch (DicomDictionaryException e)
        {
            // A broken DCMDICTPATH file: name the file and line, exit as for any other bad input on the command line.
            stderr.WriteLine($"F: cannot load the data dictionary: {e.Message}");
            return MoveCommandLineResult.CommandLineSyntaxErrorExitCode;
        }
    }

    private static int RunParsed(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, IOverrideKeyDictionary? dictionary)
    {
        var result = MoveCommandLineParser.Parse(args, dictionary ?? DictionaryOverrideKeys.Default);
        if (result.ArgumentsEcho is not null)
        {
            stderr.Write(result.ArgumentsEcho);
        }

        switch (result.Action)
        {
            case CommandLineAction.PrintUsage:
                stdout.Write(HelpText.Usage());
                return 0;
            case CommandLineAction.PrintVersion:
                stdout.Write(HelpText.VersionInformation());
                return 0;
            case CommandLineAction.Fail:
                if (!result.ErrorSuppressed)
                {
                    stderr.Write(HelpText.Error(result.ErrorMessage!));
                }

                return MoveCommandLineResult.CommandLineSyntaxErrorExitCode;
            default:
                return RetrieveEntryPoint.Run(result.Options!, stdout, stderr);
        }
    }
}
