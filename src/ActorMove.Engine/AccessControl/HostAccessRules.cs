using System.Net;

namespace ActorMove.Engine.AccessControl;

/// <summary>
/// Host access control for incoming store associations (movescu's <c>+ac</c>), a self-contained subset of
/// tcp wrappers' hosts_access(5): the first matching rule of hosts.allow grants, else the first matching
/// rule of hosts.deny refuses, else access is granted. Rules for the daemon names <c>actormove</c> and
/// <c>movescu</c> apply. Lines that cannot be understood are skipped with a warning, never thrown.
/// </summary>
public sealed class HostAccessRules
{
    public const string DefaultAllowPath = "/etc/hosts.allow";
    public const string DefaultDenyPath = "/etc/hosts.deny";

    /// <summary>The daemon names whose rules apply; a rule for either one counts.</summary>
    public static IReadOnlyList<string> DaemonNames { get; } = ["actormove", "movescu"];

    private readonly IReadOnlyList<HostAccessRule> _allowRules;
    private readonly IReadOnlyList<HostAccessRule> _denyRules;
    private readonly IHostNameResolver _resolver;

    private HostAccessRules(
        IReadOnlyList<HostAccessRule> allowRules,
        IReadOnlyList<HostAccessRule> denyRules,
        IReadOnlyList<string> warnings,
        IHostNameResolver resolver)
    {
        // Only rules for our daemon names can ever decide; the rest need not be looked at per connection.
        _allowRules = allowRules.Where(AppliesToUs).ToList();
        _denyRules = denyRules.Where(AppliesToUs).ToList();
        Warnings = [.. warnings, .. _allowRules.Concat(_denyRules).SelectMany(rule => rule.Warnings)];
        _resolver = resolver;
        NeedsHostName = _allowRules.Concat(_denyRules).Any(rule => rule.NeedsHostName);
    }

    /// <summary>Lines skipped or patterns that can never match, as "file:line: why".</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>True when some rule for us matches on host names, so a reverse lookup is worth its time.</summary>
    public bool NeedsHostName { get; }

    /// <summary>Reads both files; a file that does not exist counts as empty.</summary>
    /// <exception cref="IOException">A file exists but cannot be read (also <see cref="UnauthorizedAccessException"/>); refusing to start beats guessing.</exception>
    public static HostAccessRules Load(
        string allowPath = DefaultAllowPath,
        string denyPath = DefaultDenyPath,
        IHostNameResolver? resolver = null)
    {
        var warnings = new List<string>();
        var allow = HostAccessRuleParser.Parse(ReadIfExists(allowPath) ?? string.Empty, allowPath, warnings, ReadPatternFile);
        var deny = HostAccessRuleParser.Parse(ReadIfExists(denyPath) ?? string.Empty, denyPath, warnings, ReadPatternFile);
        return new HostAccessRules(allow, deny, warnings, resolver ?? DnsHostNameResolver.Instance);
    }

    /// <summary>Rules from text, for callers that hold the files' contents already.</summary>
    public static HostAccessRules Parse(string allowText, string denyText, IHostNameResolver? resolver = null)
    {
        var warnings = new List<string>();
        var allow = HostAccessRuleParser.Parse(allowText, "hosts.allow", warnings, ReadPatternFile);
        var deny = HostAccessRuleParser.Parse(denyText, "hosts.deny", warnings, ReadPatternFile);
        return new HostAccessRules(allow, deny, warnings, resolver ?? DnsHostNameResolver.Instance);
    }

    /// <summary>The decision for a peer whose host name (or its absence) is already known.</summary>
    /// <param name="peerHostName">The reverse-lookup name, null when there is none; ignored when lookup is disabled.</param>
    /// <param name="hostLookupEnabled">
    /// False under <c>-dhl</c>: as in DCMTK, the name is then "unknown", so name patterns, LOCAL and KNOWN never match and UNKNOWN does.
    /// </param>
    public bool IsAllowed(IPAddress peer, string? peerHostName, bool hostLookupEnabled = true) =>
        Check(hostLookupEnabled ? HostAccessClient.WithHostName(peer, peerHostName) : HostAccessClient.WithoutLookup(peer)).Allowed;

    /// <summary>The decision for a peer; looks its host name up only when allowed to and some rule needs it.</summary>
    public async ValueTask<HostAccessDecision> CheckAsync(IPAddress peer, bool hostLookupEnabled, CancellationToken cancellationToken = default)
    {
        var client = hostLookupEnabled && NeedsHostName
            ? await _resolver.ResolveAsync(peer, cancellationToken).ConfigureAwait(false)
            : HostAccessClient.WithoutLookup(peer);
        return Check(client);
    }

    public HostAccessDecision Check(HostAccessClient client)
    {
        foreach (var rule in _allowRules)
        {
            if (ClientListMatches(rule.Clients, 0, client))
            {
                return new HostAccessDecision(rule.Verdict != RuleVerdict.Deny, rule.File, rule.Line) { Client = client };
            }
        }

        foreach (var rule in _denyRules)
        {
            if (ClientListMatches(rule.Clients, 0, client))
            {
                return new HostAccessDecision(rule.Verdict == RuleVerdict.Allow, rule.File, rule.Line) { Client = client };
            }
        }

        return new HostAccessDecision(true, null, 0) { Client = client };
    }

    private static bool AppliesToUs(HostAccessRule rule) =>
        DaemonNames.Any(daemon => DaemonListMatches(rule.DaemonTokens, 0, daemon));

    /// <summary>
    /// hosts_access's list_match: the list matches when an entry before the first EXCEPT matches and
    /// the rest after that EXCEPT (itself a list, possibly with its own EXCEPT) does not.
    /// </summary>
    private static bool DaemonListMatches(IReadOnlyList<string> tokens, int start, string daemon)
    {
        for (int i = start; i < tokens.Count; i++)
        {
            if (HostPattern.Keyword(tokens[i], "EXCEPT"))
            {
                return false;
            }

            if (DaemonMatches(tokens[i], daemon))
            {
                int except = FindExcept(tokens.Count, i, index => HostPattern.Keyword(tokens[index], "EXCEPT"));
                return except < 0 || !DaemonListMatches(tokens, except + 1, daemon);
            }
        }

        return false;
    }

    private static bool ClientListMatches(IReadOnlyList<ListItem<HostPattern>> items, int start, HostAccessClient client)
    {
        for (int i = start; i < items.Count; i++)
        {
            if (items[i].IsExcept)
            {
                return false;
            }

            if (items[i].Pattern!.Matches(client))
            {
                int except = FindExcept(items.Count, i, index => items[index].IsExcept);
                return except < 0 || !ClientListMatches(items, except + 1, client);
            }
        }

        return false;
    }

    private static int FindExcept(int count, int from, Func<int, bool> isExcept)
    {
        for (int i = from + 1; i < count; i++)
        {
            if (isExcept(i))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool DaemonMatches(string token, string daemon) =>
        HostPattern.Keyword(token, "ALL")
        || HostPattern.Keyword(token, "KNOWN")
        || HostPattern.Keyword(token, daemon);

    private static string? ReadIfExists(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static string? ReadPatternFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
