namespace ActorMove.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 1 && args[0] is "-h" or "--help")
        {
            Console.Out.Write(HelpText.Usage);
            return 0;
        }

        if (args.Length == 1 && args[0] == "--version")
        {
            Console.Out.WriteLine($"actormove v{typeof(Program).Assembly.GetName().Version}");
            return 0;
        }

        // The movescu-compatible option parser and the retrieve itself arrive with the engine (issues 4 and 5).
        Console.Error.WriteLine("F: actormove: retrieving is not available in this build yet; see --help");
        return 1;
    }
}
