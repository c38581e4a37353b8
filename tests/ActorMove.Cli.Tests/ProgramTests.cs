using ActorMove.Cli.Options;
using Xunit;

namespace ActorMove.Cli.Tests;

/// <summary>What the executable prints and returns, run in-process with captured output.</summary>
public class ProgramTests
{
    private static (int ExitCode, string StdOut, string StdErr) Run(params string[] arguments)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exitCode = Program.Run(arguments, stdout, stderr);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData()]
    public void Help_prints_usage_on_stdout_and_exits_zero(params string[] arguments)
    {
        var (exitCode, stdout, stderr) = Run(arguments);

        Assert.Equal(0, exitCode);
        Assert.Empty(stderr);
        Assert.StartsWith($"$actormove: actormove v{HelpText.Version} $\n\nactormove: DICOM retrieve (C-MOVE) SCU\n"
            + "usage: actormove [options] peer port [dcmfile-in...]\n", stdout);
    }

    [Fact]
    public void Help_lists_every_option_of_the_table_under_its_heading()
    {
        string usage = Run("-h").StdOut;
        int position = 0;
        foreach (var entry in MovescuOptionTable.Entries)
        {
            if (entry is OptionDefinition option)
            {
                int found = usage.IndexOf(" " + option.LongName + " ", position, StringComparison.Ordinal);
                Assert.True(found >= 0, $"{option.LongName} missing or out of order in the help");
                int lineStart = usage.LastIndexOf('\n', found) + 1;
                Assert.Equal(option.ShortName ?? "", usage[lineStart..found].Trim());
                position = found;
            }
            else
            {
                string heading = entry is OptionGroup group ? "\n" + group.Heading + "\n" : "\n  " + ((OptionSubGroup)entry).Heading + "\n";
                int found = usage.IndexOf(heading, position, StringComparison.Ordinal);
                Assert.True(found >= 0, $"'{heading.Trim()}' missing or out of order in the help");
                position = found;
            }
        }
    }

    [Fact]
    public void Version_prints_name_and_version_on_stdout_and_exits_zero()
    {
        var (exitCode, stdout, stderr) = Run("--version");

        Assert.Equal(0, exitCode);
        Assert.Empty(stderr);
        Assert.StartsWith($"$actormove: actormove v{HelpText.Version} $\n\nactormove: DICOM retrieve (C-MOVE) SCU\n\nHost type: ", stdout);
        Assert.Equal(typeof(Program).Assembly.GetName().Version!.ToString(3), HelpText.Version);
    }

    [Fact]
    public void Errors_go_to_stderr_after_the_banner_with_exit_code_one()
    {
        var (exitCode, stdout, stderr) = Run("--foo");

        Assert.Equal(1, exitCode);
        Assert.Empty(stdout);
        Assert.Equal($"$actormove: actormove v{HelpText.Version} $\n\nactormove: DICOM retrieve (C-MOVE) SCU\nerror: Unknown option --foo\n", stderr);
    }

    [Fact]
    public void Quiet_errors_print_nothing_but_still_exit_one()
    {
        var (exitCode, stdout, stderr) = Run("-q", "host", "104", "-pdu", "5");

        Assert.Equal(1, exitCode);
        Assert.Empty(stdout);
        Assert.Empty(stderr);
    }

    [Fact]
    public void The_arguments_echo_precedes_the_error()
    {
        var (exitCode, _, stderr) = Run("--arguments", "host", "104");

        Assert.Equal(1, exitCode);
        Assert.Equal("I: calling 'actormove' with 3 arguments: '--arguments' 'host' '104' \nI: \n"
            + HelpText.Error("either query file or override keys (or both) must be specified"), stderr);
    }

    [Fact]
    public void A_valid_command_line_runs_the_move_and_a_refused_connection_gives_movescus_exit_code_61()
    {
        string closedPort = ActorMove.Testing.LoopbackPort.GetFree().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (exitCode, stdout, stderr) = Run("-to", "5", "127.0.0.1", closedPort, "-k", "0010,0020=X");

        Assert.Equal(61, exitCode);
        Assert.Empty(stdout);
        // movescu's two lines, and only those: the failed job adds none of its own (it did, in a racy order).
        Assert.Equal("F: Association Request Failed:\nF: 0006:031c TCP Initialization Error: Connection refused\n", stderr.ReplaceLineEndings("\n"));
    }
}
