using System.Text;

namespace ActorMove.Engine.AccessControl;

/// <summary>What a rule's trailing option says about the verdict (hosts_options(5) "allow" / "deny").</summary>
internal enum RuleVerdict
{
    /// <summary>The file decides: hosts.allow grants, hosts.deny refuses.</summary>
    FromFile,
    Allow,
    Deny,
}

/// <summary>One rule, <c>daemon_list : client_list [ : option ... ]</c>, with its list tokens kept in order for EXCEPT.</summary>
internal sealed record HostAccessRule(
    string File,
    int Line,
    IReadOnlyList<string> DaemonTokens,
    IReadOnlyList<ListItem<HostPattern>> Clients,
    RuleVerdict Verdict,
    IReadOnlyList<string> Warnings)
{
    public bool NeedsHostName => Clients.Any(item => item.Pattern?.NeedsHostName == true);
}

/// <summary>A list entry: a pattern, or the EXCEPT keyword (Pattern null).</summary>
internal readonly record struct ListItem<T>(T? Pattern) where T : class
{
    public bool IsExcept => Pattern is null;
}

/// <summary>Reads hosts.allow / hosts.deny text into rules (hosts_access(5), with the hosts_options(5) allow/deny option).</summary>
internal static class HostAccessRuleParser
{
    private static readonly char[] ListSeparators = [' ', '\t', ',', '\r'];

    /// <summary>
    /// Reads the rules of one file. Lines that are not rules at all go to <paramref name="warnings"/>;
    /// doubts about a rule's patterns stay with the rule, so that rules for other daemons do not warn.
    /// </summary>
    public static List<HostAccessRule> Parse(string text, string file, List<string> warnings, Func<string, string?> readPatternFile)
    {
        var rules = new List<HostAccessRule>();
        foreach (var (line, lineNumber) in LogicalLines(text))
        {
            string trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            var ruleWarnings = new List<string>();
            void Warn(string message) => ruleWarnings.Add($"{file}:{lineNumber}: {message}");

            var fields = SplitFields(line);
            if (fields.Count < 2)
            {
                warnings.Add($"{file}:{lineNumber}: missing ':' separator; line ignored");
                continue;
            }

            var daemons = SplitList(fields[0]);
            var clientTokens = SplitList(fields[1]);
            if (daemons.Count == 0 || clientTokens.Count == 0)
            {
                warnings.Add($"{file}:{lineNumber}: " + (daemons.Count == 0 ? "empty daemon list; line ignored" : "empty client list; line ignored"));
                continue;
            }

            // daemon@host rules never apply here, so they would not report through the rule: say it now when it is meant for us.
            foreach (var daemon in daemons.Where(daemon => daemon.Contains('@')))
            {
                string name = daemon[..daemon.IndexOf('@')];
                if (HostPattern.Keyword(name, "ALL") || HostAccessRules.DaemonNames.Any(ours => HostPattern.Keyword(name, ours)))
                {
                    warnings.Add($"{file}:{lineNumber}: server endpoint pattern '{daemon}' is not supported; it never matches");
                }
            }

            var clients = clientTokens
                .Select(token => HostPattern.Keyword(token, "EXCEPT")
                    ? new ListItem<HostPattern>(null)
                    : new ListItem<HostPattern>(HostPattern.Compile(token, Warn, readPatternFile)))
                .ToList();

            rules.Add(new HostAccessRule(file, lineNumber, daemons, clients, VerdictOf(fields), ruleWarnings));
        }

        return rules;
    }

    /// <summary>Whitespace and/or commas separate list members.</summary>
    public static List<string> SplitList(string list) =>
        [.. list.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>Joins backslash-continued lines; each logical line carries the number of its first physical line.</summary>
    private static IEnumerable<(string Line, int Number)> LogicalLines(string text)
    {
        var builder = new StringBuilder();
        int start = 0;
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string physical = lines[i].TrimEnd('\r');
            if (builder.Length == 0)
            {
                start = i + 1;
            }

            if (physical.EndsWith('\\'))
            {
                // tcp wrappers drop the backslash and newline and insert nothing.
                builder.Append(physical, 0, physical.Length - 1);
                continue;
            }

            builder.Append(physical);
            yield return (builder.ToString(), start);
            builder.Clear();
        }

        if (builder.Length > 0)
        {
            yield return (builder.ToString(), start);
        }
    }

    /// <summary>Splits at ':' except inside [IPv6] brackets or after a backslash.</summary>
    private static List<string> SplitFields(string line)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        int bracketDepth = 0;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (c == '\\' && i + 1 < line.Length && line[i + 1] == ':')
            {
                current.Append(':');
                i++;
            }
            else if (c == ':' && bracketDepth == 0)
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                bracketDepth += c switch { '[' => 1, ']' when bracketDepth > 0 => -1, _ => 0 };
                current.Append(c);
            }
        }

        fields.Add(current.ToString());
        return fields;
    }

    /// <summary>hosts_options(5): "allow" or "deny" must be the last option and overrides the file's verdict.</summary>
    private static RuleVerdict VerdictOf(List<string> fields)
    {
        if (fields.Count < 3)
        {
            return RuleVerdict.FromFile;
        }

        string last = fields[^1].Trim();
        return HostPattern.Keyword(last, "allow") ? RuleVerdict.Allow
            : HostPattern.Keyword(last, "deny") ? RuleVerdict.Deny
            : RuleVerdict.FromFile;
    }
}
