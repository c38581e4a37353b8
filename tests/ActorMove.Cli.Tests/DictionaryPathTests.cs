using System.Globalization;
using ActorMove.Testing;
using ActorMove.Testing.Dcmtk;
using Xunit;

namespace ActorMove.Cli.Tests;

/// <summary>-k keywords come from the dictionary, DCMDICTPATH's extra files included (a real process: the variable is read once per process).</summary>
public class DictionaryPathTests
{
    private static readonly string Actormove = Path.Combine(AppContext.BaseDirectory, "actormove.dll");

    [Fact]
    public async Task A_keyword_from_a_DCMDICTPATH_dictionary_is_accepted_and_unknown_without_it()
    {
        using var work = new TempDirectory();
        string dictionary = work.Combine("extra.dic");
        await File.WriteAllTextAsync(dictionary, "(0019,1001)\tLO\tActorMoveTestKeyword\t1\tPRIVATE\n");
        string closedPort = LoopbackPort.GetFree().ToString(CultureInfo.InvariantCulture);
        string[] arguments = [Actormove, "-to", "2", "-k", "ActorMoveTestKeyword=X", "127.0.0.1", closedPort];

        var without = await DcmtkTool.RunAsync("dotnet", arguments);
        var with = await DcmtkTool.RunAsync("dotnet", arguments, environment: new Dictionary<string, string> { ["DCMDICTPATH"] = dictionary });

        Assert.Equal(1, without.ExitCode);
        Assert.Contains("ActorMoveTestKeyword", without.StdErr);
        // Parsed, then the connection to the closed port is refused: movescu's 61.
        Assert.True(with.ExitCode == 61, with.ToString());
    }

    [Fact]
    public async Task A_malformed_DCMDICTPATH_file_is_reported_with_its_name_and_line()
    {
        using var work = new TempDirectory();
        string dictionary = work.Combine("broken.dic");
        await File.WriteAllTextAsync(dictionary, "# comment\n(0019,1001)\tLO\n");

        var result = await DcmtkTool.RunAsync("dotnet", [Actormove, "-k", "PatientID=X", "127.0.0.1", "104"],
            environment: new Dictionary<string, string> { ["DCMDICTPATH"] = dictionary });

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("F: cannot load the data dictionary:", result.StdErr);
        Assert.Contains("broken.dic, line 2", result.StdErr);
        Assert.DoesNotContain("Unhandled exception", result.StdErr);
    }
}
