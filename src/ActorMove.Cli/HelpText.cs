using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using ActorMove.Cli.Options;

namespace ActorMove.Cli;

/// <summary>
/// The usage, version and error texts, laid out as DCMTK lays out movescu's, generated from <see cref="MovescuOptionTable"/>.
/// </summary>
public static class HelpText
{
    public const string Description = "DICOM retrieve (C-MOVE) SCU";

    private const int GroupIndent = 2;
    private const int SubGroupIndent = 4;
    private const int ColumnSpace = 2;
    private const int ParameterColumnWidth = MovescuOptionTable.LongColumnWidth + MovescuOptionTable.ShortColumnWidth + 4;

    private static readonly (string Name, string Description)[] Parameters =
    [
        ("peer", "hostname of DICOM peer"),
        ("port", "tcp/ip port number of peer"),
        ("dcmfile-in", "DICOM query file(s)"),
    ];

    public static string Version
    {
        get
        {
            string version = typeof(HelpText).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? typeof(HelpText).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

            // The SDK appends "+<commit>" to the informational version; the banner shows the release only.
            int plus = version.IndexOf('+');
            return plus < 0 ? version : version[..plus];
        }
    }

    /// <summary>DCMTK's banner ("$dcmtk: movescu v3.6.7 2022-04-22 $", a blank line, "movescu: description").</summary>
    public static string Header(string programName = MoveCommandLineParser.ProgramName) =>
        $"${programName}: {programName} v{Version} $\n\n{programName}: {Description}\n";

    public static string Usage(string programName = MoveCommandLineParser.ProgramName)
    {
        var text = new StringBuilder(Header(programName));
        text.Append($"usage: {programName} [options] peer port [dcmfile-in...]\n\n");
        text.Append("parameters:\n");
        foreach (var (name, description) in Parameters)
        {
            text.Append(' ', GroupIndent).Append(name.PadRight(ParameterColumnWidth)).Append(' ', ColumnSpace).Append(description).Append('\n');
        }

        text.Append('\n');
        AppendOptions(text);
        text.Append('\n');
        return text.ToString();
    }

    public static string VersionInformation(string programName = MoveCommandLineParser.ProgramName) =>
        Header(programName)
        + "\n"
        + $"Host type: {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})\n"
        + $"Runtime: {RuntimeInformation.FrameworkDescription}\n"
        + "Build options: managed, own DICOM and network layers (no DCMTK), Akka.NET actors\n";

    public static string Error(string message, string programName = MoveCommandLineParser.ProgramName) =>
        $"{Header(programName)}error: {message}\n";

    private static void AppendOptions(StringBuilder text)
    {
        int indent = GroupIndent;
        int shortWidth = MovescuOptionTable.ShortColumnWidth;
        foreach (var entry in MovescuOptionTable.Entries)
        {
            switch (entry)
            {
                case OptionGroup group:
                    text.Append(group.Heading).Append('\n');
                    indent = GroupIndent;
                    shortWidth = group.ShortColumnWidth;
                    break;
                case OptionSubGroup subGroup:
                    text.Append(' ', GroupIndent).Append(subGroup.Heading).Append('\n');
                    indent = SubGroupIndent;
                    break;
                case OptionDefinition option:
                    AppendOption(text, option, indent, shortWidth);
                    break;
            }
        }
    }

    private static void AppendOption(StringBuilder text, OptionDefinition option, int indent, int shortWidth)
    {
        int descriptionColumn = indent + shortWidth + ColumnSpace + MovescuOptionTable.LongColumnWidth + ColumnSpace;
        string continuation = "\n" + new string(' ', descriptionColumn);
        text.Append(' ', indent)
            .Append((option.ShortName ?? "").PadRight(shortWidth)).Append(' ', ColumnSpace)
            .Append(option.LongName.PadRight(MovescuOptionTable.LongColumnWidth)).Append(' ', ColumnSpace);
        if (option.ValueDescription.Length > 0)
        {
            text.Append(option.ValueDescription).Append(continuation);
        }

        text.Append(option.Description.Replace("\n", continuation)).Append('\n');
    }
}
