using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace ActorMove.Engine.Logging;

/// <summary>
/// Writes events as DCMTK's command line tools do: "I: Requesting Association". Every line of a
/// multi-line message, and of an exception's text, carries the level letter, as in DCMTK's dumps.
/// Usable from a -lc JSON file as "ActorMove.Engine.Logging.DcmtkTextFormatter, ActorMove.Engine".
/// </summary>
public sealed class DcmtkTextFormatter : ITextFormatter
{
    // "l": strings without quotes, "j": structured values as JSON; DCMTK's messages are plain text.
    private static readonly MessageTemplateTextFormatter MessageFormatter = new("{Message:lj}", CultureInfo.InvariantCulture);

    public static char LevelLetter(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose => 'T',
        LogEventLevel.Debug => 'D',
        LogEventLevel.Information => 'I',
        LogEventLevel.Warning => 'W',
        LogEventLevel.Error => 'E',
        _ => 'F',
    };

    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);

        char letter = LevelLetter(logEvent.Level);
        using var message = new StringWriter(CultureInfo.InvariantCulture);
        MessageFormatter.Format(logEvent, message);
        WritePrefixedLines(letter, message.ToString(), output);
        if (logEvent.Exception is { } exception)
        {
            WritePrefixedLines(letter, exception.ToString(), output);
        }
    }

    private static void WritePrefixedLines(char letter, string text, TextWriter output)
    {
        var remaining = text.AsSpan();
        // One line break at the end ends the last line rather than starting an empty one.
        if (remaining.EndsWith("\n"))
        {
            remaining = remaining[..^1].TrimEnd('\r');
        }

        while (true)
        {
            int newline = remaining.IndexOf('\n');
            var line = newline < 0 ? remaining : remaining[..newline];
            output.Write(letter);
            output.Write(": ");
            output.Write(line.TrimEnd('\r'));
            output.WriteLine();
            if (newline < 0)
            {
                return;
            }

            remaining = remaining[(newline + 1)..];
        }
    }
}
