using ActorMove.Network.Negotiation;
using ActorMove.Cli.Options;
using ActorMove.Testing;
using Xunit;

namespace ActorMove.Cli.Tests;

/// <summary>@file command files and the --arguments echo of the expanded command line.</summary>
public class CommandFileTests
{
    [Theory]
    [InlineData("-aet \"MY AE\"  -v\n\n\t-aec   X\r\n", new[] { "-aet", "MY AE", "-v", "-aec", "X" })]
    [InlineData("a\"b c\"d e", new[] { "ab c", "d", "e" })] // a quote continues the word, the closing quote ends it
    [InlineData("\"\" \"a\" \"\"x", new[] { "", "a", "", "x" })] // empty quotes make empty words
    [InlineData("'a b' \"i'j\" 'k\"l'", new[] { "a b", "i'j", "k\"l" })] // both quote characters, each literal inside the other
    [InlineData("a\"b\nc\"d", new[] { "ab\nc", "d" })] // quotes span lines
    [InlineData("\"unterminated", new[] { "unterminated" })]
    [InlineData("\"", new string[0])]
    [InlineData("a\\ b \"x\\\"y", new[] { "a\\", "b", "x\\", "y" })] // no backslash escapes
    [InlineData("a\vb\fc \u0001d", new[] { "a\vb\fc", "\u0001d" })] // only space, tab, CR and LF separate
    [InlineData("a\0b c\nd", new[] { "a", "d" })] // a NUL hides the rest of its line
    [InlineData("", new string[0])]
    public void Words_are_split_as_dcmtk_splits_them(string content, string[] words)
    {
        Assert.Equal(words, CommandFileExpander.SplitWords(content));
    }

    [Fact]
    public void A_command_file_is_expanded_in_place_and_cannot_include_another()
    {
        using var temp = new TempDirectory();
        string inner = temp.Combine("inner.txt");
        string outer = temp.Combine("outer.txt");
        File.WriteAllText(inner, "-aet INNER");
        File.WriteAllText(outer, $"-aec \"THE PEER\" @{inner} -k 0010,0020=1");

        var result = MoveCommandLineParser.Parse(["-v", $"@{outer}", "host", "104"]);

        // "@inner.txt" inside the file is a plain parameter: the peer; "-k" and its value follow; "host" becomes the port.
        Assert.Equal("Invalid parameter value host", result.ErrorMessage);

        var options = MoveCommandLineParser.Parse(["host", "104", $"@{outer}"]);
        Assert.Equal(CommandLineAction.Fail, options.Action);
        Assert.Equal($"cannot access file: @{inner}", options.ErrorMessage);
    }

    [Fact]
    public void Command_files_supply_options_and_values()
    {
        using var temp = new TempDirectory();
        string file = temp.Combine("options.txt");
        File.WriteAllText(file, "-aet 'MY AE' -S\n-k \"0010,0010=DOE^JOHN JR\"\n");

        var result = MoveCommandLineParser.Parse(["host", $"@{file}", "104"]);

        Assert.Equal(CommandLineAction.Retrieve, result.Action);
        Assert.Equal("MY AE", result.Options!.CallingAETitle);
        Assert.Equal(QueryRetrieveModel.StudyRoot, result.Options.QueryModel);
        Assert.Equal("DOE^JOHN JR", Assert.Single(result.Options.OverrideKeys).Value);
    }

    [Fact]
    public void An_unreadable_command_file_is_reported_before_any_option_is_looked_at()
    {
        using var temp = new TempDirectory();
        string missing = temp.Combine("missing.txt");

        Assert.Equal($"Cannot open command file '{missing}'", MoveCommandLineParser.Parse(["--foo", $"@{missing}"]).ErrorMessage);
    }

    [Fact]
    public void A_lone_at_sign_is_a_parameter()
    {
        Assert.Equal("@", MoveCommandLineParser.Parse(["@", "1", "-k", "0010,0020"]).Options!.Peer);
    }

    [Fact]
    public void Arguments_are_echoed_expanded_in_long_form_counting_but_not_listing_empty_ones()
    {
        using var temp = new TempDirectory();
        string file = temp.Combine("options.txt");
        File.WriteAllText(file, "-aet \"MY AE\" -aec \"\" -v");

        var result = MoveCommandLineParser.Parse(["--arguments", $"@{file}", "x", "1", "-k", "0010,0020=A B", "+P", "5"]);

        Assert.Equal(
            "I: calling 'actormove' with 12 arguments: '--arguments' '--aetitle' 'MY AE' '--call' '--verbose' 'x' '1' '--key' '0010,0020=A B' '--port' '5' \nI: \n",
            result.ArgumentsEcho);
    }

    [Fact]
    public void Every_line_of_the_echo_gets_the_info_prefix()
    {
        var result = MoveCommandLineParser.Parse(["--arguments", "h", "1", "-aet", "A\nB", "-k", "0010,0020"]);
        Assert.Equal("I: calling 'actormove' with 7 arguments: '--arguments' 'h' '1' '--aetitle' 'A\nI: B' '--key' '0010,0020' \nI: \n",
            result.ArgumentsEcho);
    }

    [Fact]
    public void The_echo_comes_after_the_logging_options_are_checked_and_before_later_errors()
    {
        Assert.Null(MoveCommandLineParser.Parse(["--arguments", "-ll", "bogus", "x", "1"]).ArgumentsEcho);
        Assert.Null(MoveCommandLineParser.Parse(["--arguments", "x", "abc"]).ArgumentsEcho);

        var later = MoveCommandLineParser.Parse(["--arguments", "-q", "x", "1", "-pdu", "5"]);
        Assert.Equal(CommandLineAction.Fail, later.Action);
        Assert.True(later.ErrorSuppressed);
        Assert.StartsWith("I: calling 'actormove' with 6 arguments:", later.ArgumentsEcho);
    }
}
