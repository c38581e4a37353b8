using ActorMove.Cli.Options;
using Xunit;

namespace ActorMove.Cli.Tests;

internal static class ParseHelpers
{
    /// <summary>A minimal valid command line: peer, port and one -k so neither a query file nor a key is missing.</summary>
    public static readonly string[] Minimal = ["host", "104", "-k", "0010,0020=X"];

    public static MoveOptions ParseValid(params string[] arguments)
    {
        var result = MoveCommandLineParser.Parse(arguments);
        Assert.True(result.Action == CommandLineAction.Retrieve,
            $"expected a valid command line, got {result.Action}: {result.ErrorMessage}");
        return result.Options!;
    }

    public static MoveOptions ParseWithMinimal(params string[] options) => ParseValid([.. Minimal, .. options]);

    public static string ParseError(params string[] arguments)
    {
        var result = MoveCommandLineParser.Parse(arguments);
        Assert.True(result.Action == CommandLineAction.Fail, $"expected an error, got {result.Action}");
        return result.ErrorMessage!;
    }
}
