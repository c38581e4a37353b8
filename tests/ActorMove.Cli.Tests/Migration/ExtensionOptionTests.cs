using ActorMove.Cli.Options;
using ActorMove.Testing;
using Xunit;
using static ActorMove.Cli.Tests.ParseHelpers;

namespace ActorMove.Cli.Tests.Migration;

/// <summary>The "actormove extensions:" options: values, ranges and conflicts, worded and exited as movescu's errors are.</summary>
public class ExtensionOptionTests
{
    [Fact]
    public void A_manifest_is_a_query_source_of_its_own()
    {
        var options = ParseValid("host", "104", "--manifest", "rows.csv");

        Assert.Equal("rows.csv", options.Extensions.ManifestFile);
        Assert.Empty(options.QueryFiles);
        Assert.Empty(options.OverrideKeys);
        Assert.True(options.Extensions.Active);
    }

    [Fact]
    public void All_extensions_together()
    {
        var options = ParseValid("host", "104", "--manifest", "rows.tsv", "--journal", "rows.db", "--force-journal", "--parallel", "256",
            "--retry", "100", "--report", "run.json", "-k", "QueryRetrieveLevel=STUDY");

        Assert.Equal(
            new ActorMoveExtensions
            {
                Parallel = 256, ManifestFile = "rows.tsv", JournalFile = "rows.db", ForceJournal = true, Retries = 100, ReportFile = "run.json",
            },
            options.Extensions);
    }

    [Fact]
    public void A_store_association_limit_changes_no_behaviour_of_movescus()
    {
        var options = ParseWithMinimal("+P", "11113", "--max-associations", "2");

        Assert.Equal(2, options.Extensions.MaxStoreAssociations);
        Assert.False(options.Extensions.Active);
    }

    [Fact]
    public void Parallel_one_and_retry_zero_are_movescus_behaviour()
    {
        var options = ParseWithMinimal("--parallel", "1", "--retry", "0");

        Assert.Equal(1, options.Extensions.Parallel);
        Assert.Equal(0, options.Extensions.Retries);
        Assert.False(options.Extensions.Active);
    }

    [Theory]
    [InlineData("Invalid value for option --parallel (underflow: 0)", "--parallel", "0")]
    [InlineData("Invalid value for option --parallel (overflow: 257)", "--parallel", "257")]
    [InlineData("Invalid value for option --parallel (-1)", "--parallel", "-1")]
    [InlineData("Invalid value for option --parallel (many)", "--parallel", "many")]
    [InlineData("Invalid value for option --retry (overflow: 101)", "--retry", "101")]
    [InlineData("Invalid value for option --retry (-1)", "--retry", "-1")]
    [InlineData("--journal only allowed with --manifest", "--journal", "rows.db")]
    [InlineData("--force-journal only allowed with --journal", "--manifest", "rows.csv", "--force-journal")]
    [InlineData("--journal not allowed with --repeat", "--manifest", "rows.csv", "--journal", "rows.db", "--repeat", "2")]
    [InlineData("Invalid value for option --manifest", "--manifest", "")]
    [InlineData("Invalid value for option --report", "--report", "")]
    [InlineData("--max-associations only allowed with --port", "--max-associations", "4")]
    [InlineData("Invalid value for option --max-associations (underflow: 0)", "+P", "11113", "--max-associations", "0")]
    [InlineData("Invalid value for option --max-associations (overflow: 65536)", "+P", "11113", "--max-associations", "65536")]
    public void Range_and_conflict_errors(string message, params string[] options)
    {
        Assert.Equal(message, ParseError([.. Minimal, .. options]));
    }

    [Fact]
    public void A_manifest_cannot_be_combined_with_query_files()
    {
        using var temp = new TempDirectory();
        string query = temp.Combine("query.dcm");
        File.WriteAllBytes(query, [0]);

        Assert.Equal("--manifest not allowed with dcmfile-in (query files)", ParseError("host", "104", query, "--manifest", "rows.csv"));
    }

    [Fact]
    public void A_movescu_error_is_reported_before_an_extension_error()
    {
        Assert.Equal("Invalid value for option --max-pdu (underflow: 5)", ParseError([.. Minimal, "--parallel", "0", "-pdu", "5"]));
    }

    [Theory]
    [InlineData("--parallel", "0")]
    [InlineData("--journal", "rows.db")]
    public void Errors_exit_with_one_after_the_banner_on_stderr(params string[] options)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        int exitCode = Program.Run([.. Minimal, .. options], stdout, stderr);

        Assert.Equal(1, exitCode);
        Assert.Empty(stdout.ToString());
        Assert.Equal(HelpText.Error(ParseError([.. Minimal, .. options])), stderr.ToString());
    }

    [Fact]
    public void The_help_lists_the_extensions_after_movescus_options_under_their_own_heading()
    {
        string usage = HelpText.Usage();

        int heading = usage.IndexOf("\n" + MovescuOptionTable.ExtensionsHeading + "\n", StringComparison.Ordinal);
        Assert.True(heading > usage.IndexOf("--compression-level", StringComparison.Ordinal), "the extensions follow movescu's last option");
        foreach (string name in new[] { "--parallel", "--manifest", "--journal", "--force-journal", "--retry", "--report" })
        {
            int found = usage.IndexOf(" " + name + " ", StringComparison.Ordinal);
            Assert.True(found > heading, $"{name} is not under the extensions heading");
            Assert.Null(MovescuOptionTable.Find(name)!.ShortName);
        }
    }
}
