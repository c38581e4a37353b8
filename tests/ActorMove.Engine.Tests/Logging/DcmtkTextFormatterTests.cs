using ActorMove.Engine.Logging;
using Serilog.Events;
using Serilog.Parsing;
using Xunit;

namespace ActorMove.Engine.Tests.Logging;

public class DcmtkTextFormatterTests
{
    private static string Format(LogEventLevel level, string template, Exception? exception = null, params (string Name, object? Value)[] properties)
    {
        var logEvent = new LogEvent(
            DateTimeOffset.UnixEpoch,
            level,
            exception,
            new MessageTemplateParser().Parse(template),
            properties.Select(property => new LogEventProperty(property.Name, new ScalarValue(property.Value))));
        var output = new StringWriter();
        new DcmtkTextFormatter().Format(logEvent, output);
        return output.ToString();
    }

    [Theory]
    [InlineData(LogEventLevel.Verbose, "T: Requesting Association")]
    [InlineData(LogEventLevel.Debug, "D: Requesting Association")]
    [InlineData(LogEventLevel.Information, "I: Requesting Association")]
    [InlineData(LogEventLevel.Warning, "W: Requesting Association")]
    [InlineData(LogEventLevel.Error, "E: Requesting Association")]
    [InlineData(LogEventLevel.Fatal, "F: Requesting Association")]
    public void Each_level_has_its_dcmtk_letter(LogEventLevel level, string expected)
    {
        Assert.Equal(expected + Environment.NewLine, Format(level, "Requesting Association"));
    }

    [Fact]
    public void Properties_render_as_plain_text_without_quotes()
    {
        string line = Format(
            LogEventLevel.Information,
            "Association Received {Peer}: {CallingAE} -> {CalledAE}, message {MessageId}",
            null,
            ("Peer", "127.0.0.1:104"),
            ("CallingAE", "STORESCU"),
            ("CalledAE", "MOVESCU"),
            ("MessageId", 7));

        Assert.Equal("I: Association Received 127.0.0.1:104: STORESCU -> MOVESCU, message 7" + Environment.NewLine, line);
    }

    [Fact]
    public void Every_line_of_a_multi_line_message_is_prefixed_and_empty_lines_are_kept()
    {
        string text = Format(LogEventLevel.Debug, "Request Parameters:\n====== BEGIN A-ASSOCIATE-RQ ======\n\nCalling Application Name: MOVESCU\n");

        Assert.Equal(
            ["D: Request Parameters:", "D: ====== BEGIN A-ASSOCIATE-RQ ======", "D: ", "D: Calling Application Name: MOVESCU"],
            text.Split(Environment.NewLine)[..^1]);
        Assert.EndsWith(Environment.NewLine, text);
    }

    [Fact]
    public void Exception_text_follows_on_prefixed_lines()
    {
        Exception thrown;
        try
        {
            throw new InvalidOperationException("disk full");
        }
        catch (InvalidOperationException exception)
        {
            thrown = exception;
        }

        var lines = Format(LogEventLevel.Error, "Store SCP Failed", thrown).Split(Environment.NewLine)[..^1];

        Assert.Equal("E: Store SCP Failed", lines[0]);
        Assert.Equal("E: System.InvalidOperationException: disk full", lines[1]);
        Assert.True(lines.Length > 2, "the stack trace follows");
        Assert.All(lines, line => Assert.StartsWith("E: ", line));
        Assert.Contains(lines, line => line.Contains(nameof(Exception_text_follows_on_prefixed_lines)));
    }

    [Fact]
    public void Windows_line_breaks_in_a_message_do_not_leave_carriage_returns()
    {
        string text = Format(LogEventLevel.Warning, "first\r\nsecond");

        Assert.Equal("W: first" + Environment.NewLine + "W: second" + Environment.NewLine, text);
    }
}
