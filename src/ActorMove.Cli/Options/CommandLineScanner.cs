namespace ActorMove.Cli.Options;

/// <summary>One appearance of an option on the (expanded) command line, with the values it consumed.</summary>
/// <param name="Position">index in the expanded argument list; "rightmost wins" compares these</param>
public sealed record OptionOccurrence(OptionDefinition Definition, IReadOnlyList<string> Values, int Position)
{
    public OptionId Id => Definition.Id;
    public string Value => Values[0];
}

public enum ScanStatus
{
    Normal,
    NoArguments,
    ExclusiveOption,
    CannotOpenCommandFile,
    UnknownOption,
    MissingValue,
    MissingParameter,
}

/// <summary>The command line split into options and parameters, before any value is interpreted.</summary>
public sealed class ScannedCommandLine
{
    /// <summary>The expanded arguments with every option in its long form, as DCMTK's --arguments echoes them.</summary>
    public List<string> Arguments { get; } = [];

    public List<OptionOccurrence> Options { get; } = [];

    public List<string> Parameters { get; } = [];

    public ScanStatus Status { get; set; }

    /// <summary>The argument an error refers to: the unknown option, the option missing its value, the unreadable command file.</summary>
    public string? Culprit { get; set; }

    public bool Has(OptionId id) => Options.Exists(o => o.Id == id);

    /// <summary>The rightmost appearance of an option, which is the one DCMTK evaluates.</summary>
    public OptionOccurrence? Last(OptionId id) => Options.FindLast(o => o.Id == id);

    /// <summary>The rightmost appearance of any of a group of mutually exclusive options: the rightmost one wins.</summary>
    public OptionOccurrence? LastOf(params ReadOnlySpan<OptionId> ids)
    {
        for (int i = Options.Count - 1; i >= 0; i--)
        {
            if (ids.Contains(Options[i].Id))
            {
                return Options[i];
            }
        }

        return null;
    }

    public IEnumerable<OptionOccurrence> All(OptionId id) => Options.Where(o => o.Id == id);
}

/// <summary>
/// Splits a command line into options and parameters the way DCMTK's OFCommandLine does: command files are expanded
/// first; an argument is an option when it has at least two characters, starts with '-' or '+' and the second character
/// is not a digit ("-5" is a number, so a parameter); an option's values are the following arguments, taken verbatim
/// (even when they look like options); options may appear anywhere, before, between or after the parameters.
/// </summary>
public static class CommandLineScanner
{
    public const int MandatoryParameterCount = 2;

    public static readonly string[] ParameterNames = ["peer", "port", "dcmfile-in"];

    public static ScannedCommandLine Scan(IReadOnlyList<string> arguments)
    {
        var scanned = new ScannedCommandLine();
        if (!CommandFileExpander.TryExpand(arguments, out var expanded, out string? unreadable))
        {
            scanned.Status = ScanStatus.CannotOpenCommandFile;
            scanned.Culprit = unreadable;
            return scanned;
        }

        bool exclusive = false;
        for (int i = 0; i < expanded.Count; i++)
        {
            string argument = expanded[i];
            if (!LooksLikeOption(argument))
            {
                scanned.Parameters.Add(argument);
                scanned.Arguments.Add(argument);
                continue;
            }

            var definition = MovescuOptionTable.Find(argument);
            if (definition is null)
            {
                scanned.Status = ScanStatus.UnknownOption;
                scanned.Culprit = argument;
                return scanned;
            }

            scanned.Arguments.Add(definition.LongName);
            if (i + definition.ValueCount >= expanded.Count)
            {
                scanned.Status = ScanStatus.MissingValue;
                scanned.Culprit = definition.LongName;
                return scanned;
            }

            var values = expanded.GetRange(i + 1, definition.ValueCount);
            scanned.Options.Add(new OptionOccurrence(definition, values, i));
            scanned.Arguments.AddRange(values);
            i += definition.ValueCount;
            exclusive |= definition.Exclusive;
        }

        scanned.Status = expanded.Count == 0 ? ScanStatus.NoArguments
            : exclusive ? ScanStatus.ExclusiveOption
            : scanned.Parameters.Count < MandatoryParameterCount ? ScanStatus.MissingParameter
            : ScanStatus.Normal;
        if (scanned.Status == ScanStatus.MissingParameter)
        {
            scanned.Culprit = ParameterNames[scanned.Parameters.Count];
        }

        return scanned;
    }

    public static bool LooksLikeOption(string argument) =>
        argument.Length >= 2 && argument[0] is '-' or '+' && !char.IsAsciiDigit(argument[1]);
}
