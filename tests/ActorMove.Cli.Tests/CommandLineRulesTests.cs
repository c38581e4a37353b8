using ActorMove.Network.Negotiation;
using ActorMove.Cli.Options;
using Xunit;
using static ActorMove.Cli.Tests.ParseHelpers;

namespace ActorMove.Cli.Tests;

/// <summary>DCMTK's command line conventions: rightmost wins, options anywhere, value checks, conflicts, order of errors.</summary>
public class CommandLineRulesTests
{
    /// <summary>The mutually exclusive groups, each with a reader of what the group decides.</summary>
    private static readonly Dictionary<string, (string[][] Members, Func<MoveOptions, object?> Read)> Groups = new()
    {
        ["verbosity"] = ([["-q"], ["-v"], ["-d"]], o => o.LogLevel),
        ["model"] = ([["-P"], ["-S"], ["-O"]], o => o.QueryModel),
        ["incoming"] = ([["+x="], ["+xe"], ["+xb"], ["+xs"], ["+xr"], ["+xd"], ["+xi"], ["+xa"]], o => o.IncomingTransferSyntax),
        ["outgoing"] = ([["-x="], ["-xe"], ["-xb"], ["-xd"], ["-xi"]], o => o.OutgoingTransferSyntax),
        ["access"] = ([["-ac"], ["+ac"]], o => o.EnforceHostAccessControl),
        ["port"] = ([["--no-port"], ["+P", "2000"]], o => o.IncomingPort),
        ["pending"] = ([["-pi"], ["-pr"]], o => o.PendingDatasets),
        ["bit preserving"] = ([["-B"], ["+B"]], o => o.BitPreserving),
        ["file format"] = ([["+F"], ["-F"]], o => o.OutputFileFormat),
        ["write transfer syntax"] = ([["+t="], ["+te"], ["+tb"], ["+ti"], ["+td"]], o => o.OutputTransferSyntax),
        ["new VRs"] = ([["+u"], ["-u"]], o => o.EnableNewVRs),
        ["group length"] = ([["+g="], ["+g"], ["-g"]], o => o.GroupLengthEncoding),
        ["sequence length"] = ([["+e"], ["-e"]], o => o.SequenceLengthEncoding),
        ["padding"] = ([["-p"], ["+p", "4", "2"]], o => o.Padding),
        ["calling AE title (repeated option)"] = ([["-aet", "A"], ["-aet", "B"]], o => o.CallingAETitle),
        ["max PDU (repeated option)"] = ([["-pdu", "8192"], ["-pdu", "32768"]], o => o.MaxReceivePduLength),
    };

    public static TheoryData<string, int, int> OrderedPairs()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var (name, (members, _)) in Groups)
        {
            for (int first = 0; first < members.Length; first++)
            {
                for (int second = 0; second < members.Length; second++)
                {
                    if (first != second)
                    {
                        data.Add(name, first, second);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OrderedPairs))]
    public void The_rightmost_of_exclusive_options_wins(string group, int first, int second)
    {
        var (members, read) = Groups[group];

        var both = ParseWithMinimal([.. members[first], .. members[second]]);
        var secondAlone = ParseWithMinimal(members[second]);

        Assert.Equal(read(secondAlone), read(both));
        Assert.NotEqual(read(ParseWithMinimal(members[first])), read(both));
    }

    [Fact]
    public void Options_may_appear_before_among_and_after_the_parameters()
    {
        using var temp = new ActorMove.Testing.TempDirectory();
        string query = temp.Combine("q.dcm");
        File.WriteAllBytes(query, [0]);

        var before = ParseValid("-S", "-aet", "ME", "+P", "2000", "-k", "0010,0020=1", "host", "104", query);
        var among = ParseValid("host", "-S", "-aet", "ME", "104", "+P", "2000", query, "-k", "0010,0020=1");
        var after = ParseValid("host", "104", query, "-S", "-aet", "ME", "+P", "2000", "-k", "0010,0020=1");

        foreach (var options in new[] { before, among, after })
        {
            Assert.Equal("host", options.Peer);
            Assert.Equal(104, options.Port);
            Assert.Equal([query], options.QueryFiles);
            Assert.Equal(QueryRetrieveModel.StudyRoot, options.QueryModel);
            Assert.Equal("ME", options.CallingAETitle);
            Assert.Equal(2000, options.IncomingPort);
            Assert.Equal("0010,0020=1", Assert.Single(options.OverrideKeys).Text);
        }
    }

    [Fact]
    public void Option_values_are_taken_verbatim_even_when_they_look_like_options()
    {
        var options = ParseWithMinimal("-aec", "-v", "-aet", "--foo");
        Assert.Equal("-v", options.CalledAETitle);
        Assert.Equal("--foo", options.CallingAETitle);
        Assert.Equal(LogLevel.Warn, options.LogLevel);
    }

    [Fact]
    public void A_sign_followed_by_a_digit_is_a_parameter_not_an_option()
    {
        var options = ParseValid("-1", "+2", "-k", "0010,0020=X");
        Assert.Equal("-1", options.Peer);
        Assert.Equal(2, options.Port);
    }

    [Theory]
    [InlineData("-pdu", "4096", null)]
    [InlineData("-pdu", "131072", null)]
    [InlineData("-pdu", "4095", "underflow")]
    [InlineData("-pdu", "131073", "overflow")]
    [InlineData("+cl", "0", null)]
    [InlineData("+cl", "9", null)]
    [InlineData("+cl", "10", "overflow")]
    [InlineData("--repeat", "1", null)]
    [InlineData("--repeat", "0", "underflow")]
    [InlineData("--cancel", "0", null)]
    [InlineData("--cancel", "-1", "underflow")]
    [InlineData("-to", "1", null)]
    [InlineData("-to", "0", "underflow")]
    [InlineData("-ta", "1", null)]
    [InlineData("-ta", "0", "underflow")]
    [InlineData("-td", "1", null)]
    [InlineData("-td", "0", "underflow")]
    [InlineData("+P", "1", null)]
    [InlineData("+P", "65535", null)]
    [InlineData("+P", "0", "underflow")]
    [InlineData("+P", "65536", "overflow")]
    public void Ranges_are_checked_at_both_ends(string option, string value, string? violation)
    {
        var result = MoveCommandLineParser.Parse([.. Minimal, option, value]);
        if (violation is null)
        {
            Assert.Equal(CommandLineAction.Retrieve, result.Action);
        }
        else
        {
            string longName = MovescuOptionTable.Find(option)!.LongName;
            Assert.Equal($"Invalid value for option {longName} ({violation}: {value})", result.ErrorMessage);
        }
    }

    [Theory]
    [InlineData("-pdu", "abc", "Invalid value for option --max-pdu (abc)")]
    [InlineData("-pdu", "", "Invalid value for option --max-pdu")]
    [InlineData("-pdu", "-1", "Invalid value for option --max-pdu (-1)")] // unsigned options refuse a minus sign
    [InlineData("-pdu", " -1", "Invalid value for option --max-pdu ( -1)")]
    [InlineData("-pdu", "100abc", "Invalid value for option --max-pdu (underflow: 100abc)")]
    [InlineData("-pdu", "0x1000", "Invalid value for option --max-pdu (underflow: 0x1000)")] // %lu is decimal
    [InlineData("-pdu", "99999999999999999999999", "Invalid value for option --max-pdu (overflow: 99999999999999999999999)")]
    [InlineData("-to", "abc", "Invalid value for option --timeout (abc)")]
    [InlineData("-to", "08", "Invalid value for option --timeout (underflow: 08)")] // %li reads "08" as octal 0
    [InlineData("-to", "0xg", "Invalid value for option --timeout (underflow: 0xg)")]
    [InlineData("-to", "-18446744073709551615", "Invalid value for option --timeout (underflow: -18446744073709551615)")]
    [InlineData("+p", "abc", "Invalid value for option --padding-create (abc)")]
    [InlineData("-ll", "bogus", "Invalid log level for --log-level option")]
    [InlineData("-ll", "", "Invalid log level for --log-level option")]
    [InlineData("-lc", "/nonexistent/logger.cfg", "Specified --log-config file does not exist")]
    public void Bad_values_are_reported_like_movescu(string option, string value, string message)
    {
        string[] values = option == "+p" ? ["8", value] : [value];
        Assert.Equal(message, ParseError([.. Minimal, option, .. values]));
    }

    [Theory]
    [InlineData("-to", "0x1000", 4096L)]
    [InlineData("-to", "010", 8L)]
    [InlineData("-to", " +5", 5L)]
    [InlineData("-to", "99999999999999999999999", long.MaxValue)]
    [InlineData("-to", "5000.5", 5000L)]
    public void Signed_values_are_read_like_sscanf_li(string option, string value, long expected)
    {
        Assert.Equal(expected, ParseWithMinimal(option, value).ConnectionTimeoutSeconds);
    }

    [Theory]
    [InlineData("5000-", 5000u)]
    [InlineData("+5000", 5000u)]
    [InlineData(" 5000", 5000u)]
    public void Unsigned_values_are_read_like_sscanf_lu(string value, uint expected)
    {
        Assert.Equal(expected, ParseWithMinimal("-pdu", value).MaxReceivePduLength);
    }

    [Theory]
    [InlineData("abc", "Invalid parameter value abc")]
    [InlineData("", "Invalid parameter value ")]
    [InlineData("0", "Invalid parameter value 0 (underflow)")]
    [InlineData("0x10", "Invalid parameter value 0x10 (underflow)")]
    [InlineData("65536", "Invalid parameter value 65536 (overflow)")]
    [InlineData("-1", "Invalid parameter value -1 (overflow)")] // %lu wraps -1 to the largest value
    public void The_port_parameter_is_checked(string port, string message)
    {
        Assert.Equal(message, ParseError("host", port, "-k", "0010,0020=X"));
    }

    [Theory]
    [InlineData("1x", 1)]
    [InlineData(" 12", 12)]
    [InlineData("-18446744073709551615", 1)]
    public void The_port_parameter_is_read_like_sscanf_lu(string port, int expected)
    {
        Assert.Equal(expected, ParseValid("host", port, "-k", "0010,0020=X").Port);
    }

    [Theory]
    [InlineData("--foo", "Unknown option --foo")]
    [InlineData("-x1", "Unknown option -x1")]
    [InlineData("--", "Unknown option --")]
    public void Unknown_options_are_reported(string option, string message)
    {
        Assert.Equal(message, ParseError("host", "104", option));
    }

    [Theory]
    [InlineData(new[] { "-pdu" }, "Missing value for option --max-pdu")]
    [InlineData(new[] { "h", "1", "-aet" }, "Missing value for option --aetitle")]
    [InlineData(new[] { "h", "1", "+p", "8" }, "Missing value for option --padding-create")]
    [InlineData(new[] { "-v" }, "Missing parameter peer")]
    [InlineData(new[] { "h" }, "Missing parameter port")]
    [InlineData(new[] { "h", "1" }, "either query file or override keys (or both) must be specified")]
    [InlineData(new[] { "h", "1", "-k", "0010,0020", "/nonexistent/q.dcm" }, "cannot access file: /nonexistent/q.dcm")]
    [InlineData(new[] { "h", "1", "-k", "0010,0020", "" }, "cannot access file: ")]
    public void Missing_things_are_reported(string[] arguments, string message)
    {
        Assert.Equal(message, ParseError(arguments));
    }

    [Theory]
    [InlineData("+xa +te", "--write-xfer-little not allowed with --accept-all")]
    [InlineData("+xa +tb", "--write-xfer-big not allowed with --accept-all")]
    [InlineData("+xa +ti", "--write-xfer-implicit not allowed with --accept-all")]
    [InlineData("+xa +td", "--write-xfer-deflated not allowed with --accept-all")]
    [InlineData("+xs +te", "--write-xfer-little not allowed with --prefer-lossless")]
    [InlineData("+xr +td", "--write-xfer-deflated not allowed with --prefer-rle")]
    [InlineData("+x5 +ti", "--write-xfer-implicit not allowed with --prefer-hevc10")]
    [InlineData("+B +te", "--write-xfer-little not allowed with --bit-preserving")]
    [InlineData("+xa +B +te", "--write-xfer-little not allowed with --accept-all")]
    [InlineData("+B -u", "--disable-new-vr not allowed with --bit-preserving")]
    [InlineData("+B +u", "--enable-new-vr not allowed with --bit-preserving")]
    [InlineData("+B +g", "--group-length-create not allowed with --bit-preserving")]
    [InlineData("+B +g=", "--group-length-recalc not allowed with --bit-preserving")]
    [InlineData("+B -g", "--group-length-remove not allowed with --bit-preserving")]
    [InlineData("+B +e", "--length-explicit not allowed with --bit-preserving")]
    [InlineData("+B -e", "--length-undefined not allowed with --bit-preserving")]
    [InlineData("+B +p 8 8", "--padding-create not allowed with --bit-preserving")]
    [InlineData("-F +p 8 8", "--padding-create not allowed with --write-dataset")]
    [InlineData("+p 8 8 +B -F", "--padding-create not allowed with --write-dataset")]
    [InlineData("+cl 5 +te", "--compression-level only allowed with --propose-deflated, --write-xfer-deflated or --write-xfer-same")]
    [InlineData("+cl 10 +te", "--compression-level only allowed with --propose-deflated, --write-xfer-deflated or --write-xfer-same")]
    [InlineData("-od /tmp", "--output-directory only allowed with --port")]
    [InlineData("-od /tmp +P 5 --no-port", "--output-directory only allowed with --port")]
    [InlineData("-q -ll info", "--log-level not allowed with --verbose, --debug or --quiet")]
    [InlineData("-ll info -v", "--log-level not allowed with --verbose, --debug or --quiet")]
    [InlineData("-d -lc /nonexistent", "--log-config not allowed with --verbose, --debug or --quiet")]
    [InlineData("-ll info -lc /nonexistent", "--log-config not allowed with --log-level")]
    public void Conflicts_are_reported(string options, string message)
    {
        Assert.Equal(message, ParseError([.. Minimal, .. options.Split(' ')]));
    }

    [Theory]
    [InlineData("+xa +t=")]
    [InlineData("+x= +te")]
    [InlineData("+xd +te")]
    [InlineData("+xi +te")]
    [InlineData("+xs +x= +te")]
    [InlineData("+te +t= +xa")]
    [InlineData("+B +t=")]
    [InlineData("+B -p")]
    [InlineData("-F -p")]
    [InlineData("+B -B -u")]
    [InlineData("+p 8 8 -p -F")]
    [InlineData("+p x 8 -p")]
    [InlineData("+cl 5")]
    [InlineData("+cl 5 -xd +te")]
    [InlineData("+cl 5 +td")]
    [InlineData("+cl 5 +te +t=")]
    [InlineData("-od /tmp +P 5")]
    [InlineData("--no-port +P 5 -od /tmp")]
    [InlineData("-pdu 100 -pdu 8192")]
    public void Overridden_or_harmless_combinations_are_accepted(string options)
    {
        ParseWithMinimal(options.Split(' '));
    }

    [Theory]
    [InlineData("+te +td +xa", "--write-xfer-little not allowed with --accept-all")]
    [InlineData("+td +te +xa", "--write-xfer-little not allowed with --accept-all")]
    [InlineData("+u -u +B", "--enable-new-vr not allowed with --bit-preserving")]
    [InlineData("-g +g +B", "--group-length-create not allowed with --bit-preserving")]
    [InlineData("+e -e +B", "--length-explicit not allowed with --bit-preserving")]
    [InlineData("+P 0 --no-port", "Invalid value for option --port (underflow: 0)")]
    [InlineData("-pdu 8192 -pdu 100", "Invalid value for option --max-pdu (underflow: 100)")]
    public void Options_overridden_later_in_movescus_code_order_are_still_checked(string options, string message)
    {
        Assert.Equal(message, ParseError([.. Minimal, .. options.Split(' ')]));
    }

    [Theory]
    [InlineData("-ll bogus -lc /nonexistent -k (1 -to 0", "Invalid log level for --log-level option")]
    [InlineData("-lc /nonexistent -k (1 -to 0", "Specified --log-config file does not exist")]
    [InlineData("-k (1 -to 0 -ta 0", "bad key format or dictionary name not found in dictionary: (1")]
    [InlineData("-ta 0 -to 0", "Invalid value for option --timeout (underflow: 0)")]
    [InlineData("-pdu 5 -ta 0 -td 0", "Invalid value for option --acse-timeout (underflow: 0)")]
    [InlineData("-pdu 5 -td 0", "Invalid value for option --dimse-timeout (underflow: 0)")]
    [InlineData("-pdu 5 +P 0", "Invalid value for option --port (underflow: 0)")]
    [InlineData("--repeat 0 -pdu 5", "Invalid value for option --max-pdu (underflow: 5)")]
    [InlineData("--cancel -1 --repeat 0", "Invalid value for option --repeat (underflow: 0)")]
    [InlineData("-od /tmp --cancel -1", "Invalid value for option --cancel (underflow: -1)")]
    [InlineData("+B +te -od /tmp", "--output-directory only allowed with --port")]
    [InlineData("+B -u +te", "--write-xfer-little not allowed with --bit-preserving")]
    [InlineData("+B -e -u", "--disable-new-vr not allowed with --bit-preserving")]
    [InlineData("+B -e -g", "--group-length-remove not allowed with --bit-preserving")]
    [InlineData("-F +p 8 8 -e +B", "--length-undefined not allowed with --bit-preserving")]
    [InlineData("+cl 10 +p 8 abc", "Invalid value for option --padding-create (abc)")]
    public void The_first_error_in_movescus_evaluation_order_is_reported(string options, string message)
    {
        Assert.Equal(message, ParseError(["h", "1", .. options.Split(' ')]));
    }

    [Theory]
    [InlineData("-q")]
    [InlineData("-v -q")]
    [InlineData("-d -q")]
    [InlineData("-ll fatal")]
    [InlineData("-ll OFF")]
    public void Quiet_mode_suppresses_errors_found_after_the_logging_options(string options)
    {
        var result = MoveCommandLineParser.Parse(["h", "1", "-pdu", "5", .. options.Split(' ')]);
        Assert.Equal(CommandLineAction.Fail, result.Action);
        Assert.True(result.ErrorSuppressed);
    }

    [Theory]
    [InlineData("-q -v")]
    [InlineData("-ll error")]
    public void Errors_are_printed_when_not_quiet(string options)
    {
        var result = MoveCommandLineParser.Parse(["h", "1", "-pdu", "5", .. options.Split(' ')]);
        Assert.False(result.ErrorSuppressed);
    }

    [Fact]
    public void Quiet_mode_does_not_hide_errors_found_before_the_logging_options()
    {
        var result = MoveCommandLineParser.Parse(["-q", "h", "abc"]);
        Assert.Equal("Invalid parameter value abc", result.ErrorMessage);
        Assert.False(result.ErrorSuppressed);
    }

    [Theory]
    [InlineData(new string[0], CommandLineAction.PrintUsage)]
    [InlineData(new[] { "-h" }, CommandLineAction.PrintUsage)]
    [InlineData(new[] { "-h", "x" }, CommandLineAction.PrintUsage)]
    [InlineData(new[] { "x", "abc", "-pdu", "5", "--help" }, CommandLineAction.PrintUsage)]
    [InlineData(new[] { "--version", "--help" }, CommandLineAction.PrintUsage)]
    [InlineData(new[] { "--help", "--version" }, CommandLineAction.PrintUsage)]
    [InlineData(new[] { "--version" }, CommandLineAction.PrintVersion)]
    [InlineData(new[] { "x", "1", "--version" }, CommandLineAction.PrintVersion)]
    [InlineData(new[] { "--arguments", "-h" }, CommandLineAction.PrintUsage)]
    [InlineData(new[] { "-h", "--foo" }, CommandLineAction.Fail)]
    [InlineData(new[] { "--version", "-pdu" }, CommandLineAction.Fail)]
    public void Help_and_version_win_over_everything_but_scan_errors(string[] arguments, CommandLineAction action)
    {
        Assert.Equal(action, MoveCommandLineParser.Parse(arguments).Action);
    }
}
