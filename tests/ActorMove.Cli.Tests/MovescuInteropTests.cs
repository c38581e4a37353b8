using System.Net;
using System.Net.Sockets;
using ActorMove.Cli.Options;
using ActorMove.Testing;
using ActorMove.Testing.Dcmtk;
using Xunit;

namespace ActorMove.Cli.Tests;

/// <summary>
/// The real movescu and our parser, side by side on the same command lines: same exit code, same "error:" text,
/// same --arguments echo. movescu stops at its first syntax error, so these runs never reach the network; the few that
/// are valid call a loopback port nobody listens on, with a one-second connect timeout.
/// </summary>
public class MovescuInteropTests
{
    private const string Dir = "{dir}";
    private const string ClosedPort = "{closed}";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Command files for the @file cases, written into each test's own directory.</summary>
    private static readonly Dictionary<string, string> CommandFiles = new()
    {
        ["c1.txt"] = "-aet \"MY AE\"  -v\n\n\t-aec   X\n",
        ["c2.txt"] = "@c1.txt -aem Z",
        ["c3.txt"] = "-aet 'a b' \"c\"d\"e f\" \"\" x\"y\"z  \"unterminated",
        ["c4.txt"] = "-k \"0010,0010=A B\"",
        ["c7.txt"] = "a\"b\nc\"d e",
        ["c8.txt"] = "\"\" \"a\" \"\"x",
        ["c11.txt"] = "a\r\nb\vc\fd \u0001e",
        ["c12.txt"] = "x\n1\n",
        ["empty.txt"] = "",
        ["hostname.cfg"] = "just a host name\n",
    };

    public static TheoryData<string[]> ErrorCases() => new()
    {
        new[] { "--foo" },
        new[] { "-h", "--foo" },
        new[] { "--foo", "-h" },
        new[] { "-h", "-pdu" },
        new[] { "--version", "--foo" },
        new[] { "x" },
        new[] { "x", "1" },
        new[] { "-v" },
        new[] { "--arguments" },
        new[] { "x", "99999" },
        new[] { "x", "abc" },
        new[] { "x", "0" },
        new[] { "x", "-1" },
        new[] { "x", "0x10" },
        new[] { "x", "-0" },
        new[] { "x", "" },
        new[] { "x", "  " },
        new[] { "-pdu", "100", "x", "1" },
        new[] { "-pdu", "abc", "x", "1" },
        new[] { "-pdu" },
        new[] { "x", "1", "-pdu" },
        new[] { "-aet" },
        new[] { "-x1", "2" },
        new[] { "--repeat", "0", "x", "1" },
        new[] { "--repeat", "-1", "x", "1" },
        new[] { "--cancel", "-1", "x", "1" },
        new[] { "-to", "0", "x", "1" },
        new[] { "-to", " -1", "x", "1" },
        new[] { "-to", "08", "x", "1" },
        new[] { "-to", "0xg", "x", "1" },
        new[] { "-ta", "", "x", "1" },
        new[] { "-td", "abc", "x", "1" },
        new[] { "+P", "0", "x", "1" },
        new[] { "+P", "65536", "x", "1" },
        new[] { "+P", "-1", "x", "1" },
        new[] { "+cl", "10", "x", "1" },
        new[] { "+cl", "100abc", "x", "1" },
        new[] { "-pdu", "-1", "x", "1" },
        new[] { "-pdu", "100abc", "x", "1" },
        new[] { "-pdu", "99999999999999999999999", "x", "1" },
        new[] { "-pdu", "", "x", "1" },
        new[] { "-pdu", " -1", "x", "1" },
        new[] { "-pdu", "0x1000", "x", "1" },
        new[] { "+p", "8", "-F", "x", "1" },
        new[] { "+p", "8", "abc", "x", "1" },
        new[] { "+p", "abc", "8", "-F", "x", "1" },
        new[] { "+p", "8", "8", "+B", "-F", "x", "1" },
        new[] { "-ll", "foo", "x", "1" },
        new[] { "-ll", "", "x", "1" },
        new[] { "-lc", "/nonexistent/logger.cfg", "x", "1" },
        new[] { "-lc", $"{Dir}/hostname.cfg", "x", "1" },
        new[] { "-ll", "info", "-lc", $"{Dir}/hostname.cfg", "x", "1" },
        new[] { "-q", "-ll", "bogus", "x", "1" },
        new[] { "-q", "-lc", "/nonexistent", "x", "1" },
        new[] { "-ll", "bogus", "-lc", "/nonexistent", "x", "1" },
        new[] { "-q", "x", "abc" },
        new[] { "-q", "-v", "-pdu", "5", "x", "1" },
        new[] { "-v", "-q", "-pdu", "5", "x", "1" },
        new[] { "-d", "-q", "-pdu", "5", "x", "1" },
        new[] { "-ll", "FATAL", "x", "1" },
        new[] { "-ll", "off", "x", "1" },
        new[] { "-ll", "WaRn", "-pdu", "5", "x", "1" },
        new[] { "+xa", "+te", "x", "1" },
        new[] { "+xa", "+tb", "x", "1" },
        new[] { "+xa", "+ti", "x", "1" },
        new[] { "+xa", "+td", "x", "1" },
        new[] { "+xs", "+te", "x", "1" },
        new[] { "+xy", "+td", "x", "1" },
        new[] { "+xo", "+tb", "x", "1" },
        new[] { "+xr", "+ti", "x", "1" },
        new[] { "+xa", "+B", "+te", "x", "1" },
        new[] { "+B", "+te", "x", "1" },
        new[] { "+B", "-u", "x", "1" },
        new[] { "+B", "+u", "x", "1" },
        new[] { "+B", "+g", "x", "1" },
        new[] { "+B", "-g", "x", "1" },
        new[] { "+B", "+g=", "x", "1" },
        new[] { "+B", "-e", "x", "1" },
        new[] { "+B", "+e", "x", "1" },
        new[] { "+B", "+p", "8", "8", "x", "1" },
        new[] { "-F", "+p", "8", "8", "x", "1" },
        new[] { "+cl", "5", "+te", "x", "1" },
        new[] { "+cl", "10", "+te", "x", "1" },
        new[] { "-od", "/tmp", "x", "1" },
        new[] { "-od", "/tmp", "+P", "5", "--no-port", "x", "1" },
        new[] { "+P", "0", "--no-port", "x", "1" },
        new[] { "--no-port", "-od", "/tmp", "+P", "0", "x", "1" },
        new[] { "+te", "+td", "+xa", "x", "1" },
        new[] { "+td", "+te", "+xa", "x", "1" },
        new[] { "-u", "+u", "+B", "x", "1" },
        new[] { "+g", "-g", "+B", "x", "1" },
        new[] { "+e", "-e", "+B", "x", "1" },
        new[] { "-ta", "0", "-to", "0", "x", "1" },
        new[] { "-to", "0", "-pdu", "5", "x", "1" },
        new[] { "-k", "(0010,0020)=X", "-to", "0", "x", "1" },
        new[] { "-k", "0010.0020=x", "x", "1" },
        new[] { "-k", "PatientID[0]=x", "x", "1" },
        new[] { "-k", "=x", "x", "1" },
        new[] { "-k", "", "x", "1" },
        new[] { "-k", "0010 ,0020=1", "x", "1" },
        new[] { "--cancel", "-1", "-k", "(1", "x", "1" },
        new[] { "-k", "patientid=X", "x", "1" },
        new[] { "-k", "ACR_NEMA_2C_VariablePixelDataGroupLength=X", "x", "1" },
        new[] { "-k", "0011,0100=X", "x", "1" },
        new[] { "-k", "0011,1010=X", "x", "1" },
        new[] { "-k", "1234,5678=X", "x", "1" },
        new[] { "-k", "60ff,3000=X", "x", "1" },
        new[] { "-k", "-10,20=X", "x", "1" },
        new[] { "-k", "0010,002g=X", "x", "1" },
        new[] { "-k", "fffe,e000=X", "x", "1" },
        new[] { "-k", "fffe,e00d", "x", "1" },
        new[] { "-k", "Item=X", "x", "1" },
        new[] { "-k", "PatientID=X", "-k", "bogus=1", "x", "1" },
        new[] { "+P", "0", "+B", "-u", "x", "1" },
        new[] { "-od", "/tmp", "+cl", "10", "x", "1" },
        new[] { "+B", "-u", "+xs", "+te", "x", "1" },
        new[] { "+B", "+p", "8", "8", "-e", "x", "1" },
        new[] { "-F", "+p", "8", "8", "--cancel", "-1", "x", "1" },
        new[] { "x", "1", "-k", "0010,0020=X", "nofile.dcm" },
        new[] { "-to", "0", "x", "1", "nofile.dcm" },
        new[] { "x", "1", "-k", "0010,0020", "" },
        new[] { "--arguments", "x", "abc" },
        new[] { "--arguments", "x", "1", "-q" },
        new[] { "--arguments", "-ll", "bogus", "x", "1" },
        new[] { "--arguments", "-ll", "fatal", "x", "1", "-pdu", "5" },
        new[] { "--arguments", "x", "1", "-v", "+P", "5", "-pdu", "5000", "-aet", "FOO" },
        new[] { "--arguments", "-lc", "/nonexistent", "x", "1" },
        new[] { "--arguments", $"@{Dir}/c1.txt", "x", "1" },
        new[] { "--arguments", $"@{Dir}/c2.txt", "x", "1" },
        new[] { "--arguments", "x", "1", $"@{Dir}/c3.txt" },
        new[] { "--arguments", "x", "1", $"@{Dir}/c7.txt" },
        new[] { "--arguments", "x", "1", $"@{Dir}/c8.txt" },
        new[] { "--arguments", "x", "1", $"@{Dir}/c11.txt" },
        new[] { "--arguments", "x", "1", $"@{Dir}/empty.txt" },
        new[] { "--arguments", $"@{Dir}/c12.txt", "-aet", $"@{Dir}/c12.txt" },
        new[] { "--arguments", $"@{Dir}/nonexistent.txt", "x", "1" },
        new[] { "--foo", $"@{Dir}/nonexistent.txt" },
        new[] { "--arguments", "@", "x", "1" },
        new[] { "--arguments", "-aet", $"@{Dir}/c1.txt", "x", "1" },
    };

    /// <summary>Command lines both must accept: movescu then fails to connect (61), our parser yields options.</summary>
    public static TheoryData<string[]> ValidCases() => new()
    {
        new[] { "127.0.0.1", ClosedPort, "-k", "0010,0020=X", "-to", "1" },
        new[] { "-to", "1", "-S", "-P", "-O", "-aet", "A", "-aec", "B", "-aem", "C", "-k", "PatientID", "127.0.0.1", ClosedPort },
        new[] { "127.0.0.1", ClosedPort, $"@{Dir}/c4.txt", "-to", "1", "+P", "5", "--no-port", "+p", "x", "8", "-p" },
        new[] { "127.0.0.1", ClosedPort, "-k", "0010,0020", "-to", "1", "+te", "+t=", "+xa", "+B", "-B", "-u", "+cl", "5" },
        new[] { "127.0.0.1", ClosedPort, "-k", "10,20=X", "-k", "0x10,0x20=1", "-k", "0010,0020=a=b", "-to", "0x1" },
        new[] { "-pdu", "100", "-pdu", "5000-", "--cancel", "0", "127.0.0.1", ClosedPort, "-k", "0010,0020=", "-to", "1" },
        new[] { "127.0.0.1", ClosedPort, "-to", "1", "-k", "0010,0000=1", "-k", "0009,0010=X", "-k", "0011,00ff=X", "-k", "0009,0000" },
        new[] { "127.0.0.1", ClosedPort, "-to", "1", "-k", "7fe0,0010", "-k", "6000,3000", "-k", "6002,3000", "-k", "5002,2000" },
        new[] { "127.0.0.1", ClosedPort, "-to", "1", "-k", "0008,0001", "-k", "0000,0000", "-k", "0002,0010", "-k", "OverlayData" },
        new[] { "127.0.0.1", ClosedPort, "-to", "1", "-k", "PatientName=DOE", "-k", "ReferencedStudySequence", "-k", "10010,0020" },
    };

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public async Task Errors_match_movescu(string[] arguments)
    {
        using var temp = new TempDirectory();
        string[] resolved = Prepare(temp, arguments, closedPort: 1);

        var movescu = await DcmtkTool.RunAsync("movescu", resolved, Timeout, workingDirectory: temp.Path);
        var (exitCode, stdout, stderr) = RunOurs(resolved);

        Assert.Equal(movescu.ExitCode, exitCode);
        Assert.Equal(Essential(movescu.StdErr).Replace("movescu", MoveCommandLineParser.ProgramName), Essential(stderr));
        Assert.Equal(movescu.StdOut.Length == 0, stdout.Length == 0);
    }

    [Theory]
    [MemberData(nameof(ValidCases))]
    public async Task Valid_command_lines_pass_both_parsers(string[] arguments)
    {
        using var temp = new TempDirectory();
        string[] resolved = Prepare(temp, arguments, ClosedLoopbackPort());

        var movescu = await DcmtkTool.RunAsync("movescu", resolved, Timeout, workingDirectory: temp.Path);
        var ours = MoveCommandLineParser.Parse(resolved, DictionaryOverrideKeys.Default);

        Assert.DoesNotContain("error:", movescu.StdErr);
        Assert.Equal(61, movescu.ExitCode); // EXITCODE_CANNOT_NEGOTIATE_ASSOCIATION: it got past parsing to the connect
        Assert.Equal(CommandLineAction.Retrieve, ours.Action);
    }

    [Theory]
    [InlineData("-h")]
    [InlineData("--help")]
    [InlineData("--help", "--version")]
    [InlineData("x", "1", "-h")]
    [InlineData()]
    public async Task Help_matches_movescus_apart_from_the_banner(params string[] arguments)
    {
        var movescu = await DcmtkTool.RunAsync("movescu", arguments, Timeout);
        var (exitCode, stdout, stderr) = RunOurs(arguments);

        Assert.Equal(0, movescu.ExitCode);
        Assert.Equal(0, exitCode);
        Assert.Empty(stderr);
        Assert.Equal(WithoutBanner(movescu.StdOut).Replace("movescu", MoveCommandLineParser.ProgramName), WithoutBanner(WithoutExtensions(stdout)));
    }

    /// <summary>Our help less the "actormove extensions:" group, which follows movescu's last option.</summary>
    private static string WithoutExtensions(string usage)
    {
        int heading = usage.IndexOf("\n" + MovescuOptionTable.ExtensionsHeading + "\n", StringComparison.Ordinal);
        Assert.True(heading > 0, "the help lists the extensions");
        return usage[..(heading + 1)] + "\n";
    }

    [Theory]
    [InlineData("--version")]
    [InlineData("x", "1", "--version")]
    public async Task Version_exits_like_movescus(params string[] arguments)
    {
        var movescu = await DcmtkTool.RunAsync("movescu", arguments, Timeout);
        var (exitCode, stdout, _) = RunOurs(arguments);

        Assert.Equal(movescu.ExitCode, exitCode);
        Assert.Contains("Host type: ", movescu.StdOut);
        Assert.Contains("Host type: ", stdout);
    }

    private static string[] Prepare(TempDirectory temp, string[] arguments, int closedPort)
    {
        Assert.True(DcmtkTool.FindOnPath("movescu") is not null, "DCMTK's movescu must be on PATH for the interop tests");
        foreach (var (name, content) in CommandFiles)
        {
            File.WriteAllText(temp.Combine(name), content);
        }

        return arguments.Select(a => a.Replace(Dir, temp.Path).Replace(ClosedPort, closedPort.ToString())).ToArray();
    }

    /// <summary>A loopback port that was just free and is not listened on: a connect there is refused at once.</summary>
    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static (int ExitCode, string StdOut, string StdErr) RunOurs(string[] arguments)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exitCode = Program.Run(arguments, stdout, stderr);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>What must match: the error line and the --arguments echo; the banners name different programs.</summary>
    private static string Essential(string stderr) =>
        string.Join('\n', stderr.ReplaceLineEndings("\n").Split('\n')
            .Where(line => line.StartsWith("error:", StringComparison.Ordinal) || line.StartsWith("I: ", StringComparison.Ordinal)));

    private static string WithoutBanner(string usage)
    {
        string text = usage.ReplaceLineEndings("\n");
        int firstLineEnd = text.IndexOf('\n');
        return text[(firstLineEnd + 1)..];
    }
}
