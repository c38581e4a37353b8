using System.Net;
using ActorMove.Engine.AccessControl;
using ActorMove.Testing;
using Xunit;

namespace ActorMove.Engine.Tests.AccessControl;

public sealed class HostAccessRulesTests : IDisposable
{
    private readonly TempDirectory _directory = new("acl");

    public void Dispose() => _directory.Dispose();

    private HostAccessRules Load(string? allow, string? deny, IHostNameResolver? resolver = null)
    {
        string allowPath = _directory.Combine($"allow-{Guid.NewGuid():N}");
        string denyPath = _directory.Combine($"deny-{Guid.NewGuid():N}");
        if (allow is not null)
        {
            File.WriteAllText(allowPath, allow);
        }

        if (deny is not null)
        {
            File.WriteAllText(denyPath, deny);
        }

        return HostAccessRules.Load(allowPath, denyPath, resolver);
    }

    private static IPAddress Ip(string text) => IPAddress.Parse(text);

    [Fact]
    public void Missing_files_allow_everyone_without_warnings()
    {
        var rules = Load(null, null);

        Assert.True(rules.IsAllowed(Ip("10.1.2.3"), "host.example.com"));
        Assert.True(rules.IsAllowed(Ip("::1"), null, hostLookupEnabled: false));
        Assert.Empty(rules.Warnings);
        Assert.False(rules.NeedsHostName);
    }

    [Fact]
    public void Missing_directory_counts_as_empty_file()
    {
        var rules = HostAccessRules.Load(_directory.Combine("no", "hosts.allow"), _directory.Combine("no", "hosts.deny"));

        Assert.True(rules.IsAllowed(Ip("10.1.2.3"), null));
    }

    [Fact]
    public void Allow_file_wins_over_deny_file_and_unmatched_hosts_are_refused_by_deny_all()
    {
        var rules = Load("movescu: 10.0.0.5\n", "ALL: ALL\n");

        Assert.True(rules.IsAllowed(Ip("10.0.0.5"), null));
        Assert.False(rules.IsAllowed(Ip("10.0.0.6"), null));
    }

    [Fact]
    public void A_host_in_neither_file_is_allowed()
    {
        var rules = Load("movescu: 10.0.0.5\n", "movescu: 10.0.0.6\n");

        Assert.True(rules.IsAllowed(Ip("10.0.0.7"), null));
        Assert.False(rules.IsAllowed(Ip("10.0.0.6"), null));
    }

    [Fact]
    public void First_matching_rule_of_a_file_decides()
    {
        var rules = Load("ALL: 10.0.0.5 : DENY\nALL: 10.0.0.5\n", null);

        var decision = rules.Check(HostAccessClient.WithoutLookup(Ip("10.0.0.5")));

        Assert.False(decision.Allowed);
        Assert.Equal(1, decision.RuleLine);
        Assert.EndsWith(":1", decision.ToString());
        Assert.StartsWith("refused by ", decision.ToString());
    }

    [Fact]
    public void Allow_and_deny_options_override_the_files_verdict()
    {
        var rules = Load(null, "ALL: 10.0.0.1 : spawn (echo hi) : allow\nALL: ALL : deny\n");

        Assert.True(rules.IsAllowed(Ip("10.0.0.1"), null));
        Assert.False(rules.IsAllowed(Ip("10.0.0.2"), null));
    }

    [Fact]
    public void Options_other_than_allow_or_deny_are_ignored()
    {
        var rules = Load("ALL: 10.0.0.1 : severity auth.info\n", "ALL: ALL\n");

        Assert.True(rules.IsAllowed(Ip("10.0.0.1"), null));
    }

    [Theory]
    [InlineData("movescu", false)]
    [InlineData("actormove", false)]
    [InlineData("MoveSCU", false)]
    [InlineData("sshd", true)]
    [InlineData("sshd, movescu", false)]
    [InlineData("ALL", false)]
    [InlineData("ALL EXCEPT movescu", false)] // still a rule for actormove
    [InlineData("ALL EXCEPT movescu actormove", true)]
    [InlineData("ALL EXCEPT sshd", false)]
    [InlineData("movescu@10.0.0.9", true)] // server endpoints are not supported
    public void Daemon_list_selects_rules_for_either_daemon_name(string daemons, bool expectAllowed)
    {
        var rules = Load(null, $"{daemons}: 10.0.0.1\n");

        Assert.Equal(expectAllowed, rules.IsAllowed(Ip("10.0.0.1"), null));
    }

    [Theory]
    [InlineData("192.168.1.20", "192.168.1.20", true)]
    [InlineData("192.168.1.20", "192.168.1.2", false)]
    [InlineData("192.168.", "192.168.77.1", true)]
    [InlineData("192.168.", "192.169.0.1", false)]
    [InlineData("10.", "10.200.1.1", true)]
    [InlineData("10.", "110.0.0.1", false)]
    [InlineData("131.155.72.0/255.255.254.0", "131.155.73.200", true)]
    [InlineData("131.155.72.0/255.255.254.0", "131.155.74.1", false)]
    [InlineData("10.8.0.0/13", "10.15.255.255", true)]
    [InlineData("10.8.0.0/13", "10.16.0.0", false)]
    [InlineData("0.0.0.0/0.0.0.0", "203.0.113.9", true)]
    [InlineData("10.0.0.0/255.0.255.0", "10.5.0.9", true)] // libwrap takes any mask, contiguous or not
    [InlineData("10.0.0.0/255.0.255.0", "10.0.1.9", false)]
    [InlineData("127.0.0.1/32", "127.0.0.1", true)]
    [InlineData("127.0.0.1/32", "127.0.0.2", false)]
    [InlineData("10.0.0.*", "10.0.0.42", true)]
    [InlineData("10.0.?.1", "10.0.7.1", true)]
    [InlineData("10.0.?.1", "10.0.17.1", false)]
    public void Address_patterns_match_ipv4_peers(string pattern, string peer, bool matches)
    {
        var rules = Load(null, $"movescu: {pattern}\n");

        Assert.Equal(!matches, rules.IsAllowed(Ip(peer), null, hostLookupEnabled: false));
        Assert.Empty(rules.Warnings);
    }

    [Theory]
    [InlineData("[::1]", "::1", true)]
    [InlineData("[::1]/128", "::1", true)]
    [InlineData("[::1]/128", "::2", false)]
    [InlineData("[2001:db8::]/32", "2001:db8:ffff::1", true)]
    [InlineData("[2001:db8::]/32", "2001:db9::1", false)]
    [InlineData("[fe80::]/10", "febf::1", true)]
    [InlineData("[fe80::]/10", "fec0::1", false)]
    [InlineData("[::1]", "127.0.0.1", false)]
    [InlineData("127.0.0.1", "::1", false)]
    [InlineData("127.0.0.1", "::ffff:127.0.0.1", true)] // a dual-mode listener's view of an IPv4 peer
    [InlineData("127.", "::ffff:127.0.0.1", true)]
    public void Ipv6_patterns_and_mapped_ipv4_peers(string pattern, string peer, bool matches)
    {
        var rules = Load(null, $"movescu : {pattern} : deny\n");

        Assert.Equal(!matches, rules.IsAllowed(Ip(peer), null, hostLookupEnabled: false));
        Assert.Empty(rules.Warnings);
    }

    [Fact]
    public void Ipv6_network_with_host_bits_is_masked_as_libwrap_does()
    {
        var rules = Load(null, "movescu: [2001:db8::1]/32\n");

        Assert.False(rules.IsAllowed(Ip("2001:db8::5"), null));
        Assert.True(rules.IsAllowed(Ip("2001:db9::5"), null));
        Assert.Contains(rules.Warnings, warning => warning.Contains("host bits set outside the prefix; they are ignored"));
    }

    [Theory]
    [InlineData("scanner.example.com", "scanner.example.com", true)]
    [InlineData("scanner.example.com", "SCANNER.Example.COM", true)]
    [InlineData("scanner.example.com", "other.example.com", false)]
    [InlineData(".example.com", "pacs.example.com", true)]
    [InlineData(".example.com", "example.com", false)]
    [InlineData(".example.com", "pacs.example.community", false)]
    [InlineData("*.example.com", "a.b.example.com", true)]
    [InlineData("LOCAL", "workstation", true)]
    [InlineData("LOCAL", "workstation.example.com", false)]
    [InlineData("KNOWN", "anything.example.com", true)]
    [InlineData("UNKNOWN", "anything.example.com", false)]
    public void Host_name_patterns_match_the_reverse_lookup_name(string pattern, string hostName, bool matches)
    {
        var rules = Load(null, $"movescu: {pattern}\n");

        Assert.True(rules.NeedsHostName);
        Assert.Equal(!matches, rules.IsAllowed(Ip("10.9.9.9"), hostName));
    }

    [Theory]
    [InlineData("scanner.example.com")]
    [InlineData(".example.com")]
    [InlineData("*.example.com")]
    [InlineData("LOCAL")]
    [InlineData("KNOWN")]
    [InlineData("PARANOID")]
    public void With_host_lookup_disabled_name_patterns_never_match(string pattern)
    {
        var rules = Load(null, $"movescu: {pattern}\n");

        Assert.True(rules.IsAllowed(Ip("10.9.9.9"), "scanner.example.com", hostLookupEnabled: false));
        Assert.True(rules.Check(HostAccessClient.WithoutLookup(Ip("10.9.9.9"))).Allowed);
    }

    [Fact]
    public void With_host_lookup_disabled_the_name_is_unknown_as_in_dcmtk()
    {
        var rules = Load("movescu: KNOWN\n", "movescu: UNKNOWN\n");

        Assert.False(rules.IsAllowed(Ip("10.0.0.1"), "known.example.com", hostLookupEnabled: false));
        Assert.True(rules.IsAllowed(Ip("10.0.0.1"), "known.example.com", hostLookupEnabled: true));

        var decision = rules.Check(HostAccessClient.WithoutLookup(Ip("10.0.0.1")));
        Assert.False(decision.Allowed);
        Assert.Equal("unknown (10.0.0.1)", decision.Client?.Describe());
    }

    [Fact]
    public void Unknown_and_paranoid_hosts()
    {
        var rules = Load("movescu: KNOWN\n", "movescu: UNKNOWN\n");
        var paranoidRules = Load(null, "movescu: PARANOID\n");

        Assert.True(rules.IsAllowed(Ip("10.0.0.1"), "known.example.com"));
        Assert.False(rules.IsAllowed(Ip("10.0.0.1"), null));
        Assert.False(rules.Check(HostAccessClient.Paranoid(Ip("10.0.0.1"))).Allowed);
        Assert.False(paranoidRules.Check(HostAccessClient.Paranoid(Ip("10.0.0.1"))).Allowed);
        Assert.True(paranoidRules.IsAllowed(Ip("10.0.0.1"), "known.example.com"));
        Assert.True(paranoidRules.IsAllowed(Ip("10.0.0.1"), null));
    }

    [Fact]
    public void A_plain_address_pattern_still_matches_with_host_lookup_disabled()
    {
        var rules = Load(null, "movescu: 10.0.0.1 .example.com\n");

        Assert.False(rules.IsAllowed(Ip("10.0.0.1"), null, hostLookupEnabled: false));
        Assert.True(rules.IsAllowed(Ip("10.0.0.2"), "pacs.example.com", hostLookupEnabled: false));
        Assert.False(rules.IsAllowed(Ip("10.0.0.2"), "pacs.example.com", hostLookupEnabled: true));
    }

    [Fact]
    public void Except_in_the_client_list()
    {
        var rules = Load(null, "ALL: 192.168. EXCEPT 192.168.1.10, 192.168.1.11\n");

        Assert.False(rules.IsAllowed(Ip("192.168.5.5"), null));
        Assert.True(rules.IsAllowed(Ip("192.168.1.10"), null));
        Assert.True(rules.IsAllowed(Ip("192.168.1.11"), null));
        Assert.True(rules.IsAllowed(Ip("10.0.0.1"), null));
    }

    [Fact]
    public void Nested_except_reinstates_hosts_of_the_inner_list()
    {
        // list_match: "a EXCEPT b EXCEPT c" is "a and not (b and not c)".
        var rules = Load(null, "ALL: 10. EXCEPT 10.1. EXCEPT 10.1.1.1\n");

        Assert.False(rules.IsAllowed(Ip("10.2.0.1"), null));
        Assert.True(rules.IsAllowed(Ip("10.1.0.1"), null));
        Assert.False(rules.IsAllowed(Ip("10.1.1.1"), null));
        Assert.True(rules.IsAllowed(Ip("11.0.0.1"), null));
    }

    [Fact]
    public void Except_with_host_names_and_addresses_mixed()
    {
        var rules = Load("movescu: .example.com EXCEPT untrusted.example.com\n", "ALL: ALL\n");

        Assert.True(rules.IsAllowed(Ip("10.0.0.1"), "pacs.example.com"));
        Assert.False(rules.IsAllowed(Ip("10.0.0.1"), "untrusted.example.com"));
        Assert.False(rules.IsAllowed(Ip("10.0.0.1"), "pacs.example.org"));
    }

    [Fact]
    public void Comments_blank_lines_continuations_and_separators()
    {
        const string allow = """
            # trusted modalities
              # indented comment

            movescu, actormove : 10.0.0.1,10.0.0.2 \
                10.0.0.3\
            ,10.0.0.4
            ALL:10.0.0.9
            """;
        var rules = Load(allow, "ALL : ALL");

        foreach (var peer in new[] { "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.9" })
        {
            Assert.True(rules.IsAllowed(Ip(peer), null), peer);
        }

        Assert.False(rules.IsAllowed(Ip("10.0.0.5"), null));
        Assert.Empty(rules.Warnings);
        Assert.Equal(4, rules.Check(HostAccessClient.WithoutLookup(Ip("10.0.0.4"))).RuleLine);
        Assert.Equal(7, rules.Check(HostAccessClient.WithoutLookup(Ip("10.0.0.9"))).RuleLine);
    }

    [Fact]
    public void Windows_line_endings_are_accepted()
    {
        var rules = Load(null, "movescu: 10.0.0.1 \\\r\n 10.0.0.2\r\nALL: 10.0.0.3\r\n");

        Assert.False(rules.IsAllowed(Ip("10.0.0.2"), null));
        Assert.False(rules.IsAllowed(Ip("10.0.0.3"), null));
        Assert.Empty(rules.Warnings);
    }

    [Fact]
    public void Keywords_are_case_insensitive()
    {
        var rules = Load(null, "all: all except 10.0.0.1\n");

        Assert.False(rules.IsAllowed(Ip("10.0.0.2"), null));
        Assert.True(rules.IsAllowed(Ip("10.0.0.1"), null));
    }

    [Fact]
    public void Malformed_lines_are_skipped_with_warnings_and_the_rest_still_applies()
    {
        const string deny = """
            movescu 10.0.0.1
            movescu: 10.0.0.0/0 10.0.0.0/33 10.0.0.300/8 [::1 [zz::]/64 [::1]/129 10.0.0.2
            : 10.0.0.3
            movescu:
            movescu: @trusted-hosts
            movescu: alice@10.0.0.4
            movescu: 10.0.9.5/24
            sshd: @ignored-because-not-for-us
            """;
        var rules = Load(null, deny);

        Assert.True(rules.IsAllowed(Ip("10.0.0.1"), null));
        Assert.False(rules.IsAllowed(Ip("10.0.0.2"), null));
        Assert.True(rules.IsAllowed(Ip("10.0.0.3"), null));
        Assert.True(rules.IsAllowed(Ip("10.0.0.4"), null));
        Assert.True(rules.IsAllowed(Ip("10.0.9.77"), null)); // host bits beyond the mask: never matches, as in libwrap
        Assert.True(rules.IsAllowed(Ip("10.0.9.5"), null));

        var warnings = rules.Warnings;
        Assert.Contains(warnings, warning => warning.Contains(":1: missing ':'"));
        Assert.Contains(warnings, warning => warning.Contains(":2: bad net/mask pattern '10.0.0.0/0'"));
        Assert.Contains(warnings, warning => warning.Contains(":2: bad net/mask pattern '10.0.0.0/33'"));
        Assert.Contains(warnings, warning => warning.Contains(":2: bad net/mask pattern '10.0.0.300/8'"));
        Assert.Contains(warnings, warning => warning.Contains(":2: bad IPv6 pattern '[::1'"));
        Assert.Contains(warnings, warning => warning.Contains(":2: bad IPv6 address in '[zz::]/64'"));
        Assert.Contains(warnings, warning => warning.Contains(":2: bad IPv6 network pattern '[::1]/129'"));
        Assert.Contains(warnings, warning => warning.Contains(":3: empty daemon list"));
        Assert.Contains(warnings, warning => warning.Contains(":4: empty client list"));
        Assert.Contains(warnings, warning => warning.Contains(":5: NIS netgroup"));
        Assert.Contains(warnings, warning => warning.Contains(":6: user pattern 'alice@10.0.0.4'"));
        Assert.Contains(warnings, warning => warning.Contains(":7: net/mask pattern '10.0.9.5/24' has host bits"));
        Assert.DoesNotContain(warnings, warning => warning.Contains("ignored-because-not-for-us"));
        Assert.Equal(12, warnings.Count);
    }

    [Fact]
    public void Unknown_user_at_host_matches_like_the_host()
    {
        var rules = Load(null, "movescu: ALL@10.0.0.1 UNKNOWN@10.0.0.2\n");

        Assert.False(rules.IsAllowed(Ip("10.0.0.1"), null));
        Assert.False(rules.IsAllowed(Ip("10.0.0.2"), null));
        Assert.True(rules.IsAllowed(Ip("10.0.0.3"), null));
        Assert.Empty(rules.Warnings);
    }

    [Fact]
    public void Pattern_file_lists_patterns()
    {
        string list = _directory.Combine("trusted.list");
        File.WriteAllText(list, "# modalities\n10.0.0.1 10.0.1.\n[::1]\n");
        var rules = Load($"movescu: {list}\n", "ALL: ALL\n");

        Assert.True(rules.IsAllowed(Ip("10.0.0.1"), null));
        Assert.True(rules.IsAllowed(Ip("10.0.1.200"), null));
        Assert.True(rules.IsAllowed(Ip("::1"), null));
        Assert.False(rules.IsAllowed(Ip("10.0.0.2"), null));

        var missing = Load($"movescu: {_directory.Combine("absent.list")}\n", "ALL: ALL\n");
        Assert.False(missing.IsAllowed(Ip("10.0.0.1"), null));
        Assert.Contains(missing.Warnings, warning => warning.Contains("cannot be read"));
    }

    [Fact]
    public void Text_rules_behave_like_file_rules()
    {
        var rules = HostAccessRules.Parse("movescu: 10.0.0.1\n", "ALL: ALL\n");

        Assert.True(rules.IsAllowed(Ip("10.0.0.1"), null));
        Assert.False(rules.IsAllowed(Ip("10.0.0.2"), null));
        Assert.Equal("refused by hosts.deny:1", rules.Check(HostAccessClient.WithoutLookup(Ip("10.0.0.2"))).ToString());
    }

    [Fact]
    public async Task CheckAsync_looks_the_name_up_only_when_allowed_and_needed()
    {
        var resolver = new TableResolver(new Dictionary<IPAddress, string> { [Ip("10.0.0.1")] = "pacs.example.com" });
        var byName = Load(null, "movescu: .example.com\n", resolver);
        var byAddress = Load(null, "movescu: 10.0.0.1\n", resolver);

        Assert.False((await byName.CheckAsync(Ip("10.0.0.1"), hostLookupEnabled: true)).Allowed);
        Assert.Equal(1, resolver.Lookups);

        Assert.True((await byName.CheckAsync(Ip("10.0.0.1"), hostLookupEnabled: false)).Allowed);
        Assert.Equal(1, resolver.Lookups);

        Assert.False((await byAddress.CheckAsync(Ip("10.0.0.1"), hostLookupEnabled: true)).Allowed);
        Assert.Equal(1, resolver.Lookups);

        Assert.True((await byName.CheckAsync(Ip("10.0.0.2"), hostLookupEnabled: true)).Allowed);
        Assert.Equal(2, resolver.Lookups);
    }

    [Fact]
    public async Task System_resolver_finds_localhost_for_the_loopback_address()
    {
        var rules = Load(null, "movescu: localhost\n");

        var resolved = await DnsHostNameResolver.Instance.ResolveAsync(IPAddress.Loopback, CancellationToken.None);
        Assert.Equal(HostNameState.Known, resolved.NameState);
        Assert.Equal("localhost", resolved.HostName);
        Assert.Equal("localhost (127.0.0.1)", resolved.Describe());

        // localhost resolves back to 127.0.0.1, so the verifying resolver trusts the name too.
        var verified = await DnsHostNameResolver.Verifying.ResolveAsync(IPAddress.Parse("::ffff:127.0.0.1"), CancellationToken.None);
        Assert.Equal(HostNameState.Known, verified.NameState);
        Assert.Equal("localhost", verified.HostName);

        Assert.False((await rules.CheckAsync(IPAddress.Loopback, hostLookupEnabled: true)).Allowed);
        Assert.True((await rules.CheckAsync(IPAddress.Loopback, hostLookupEnabled: false)).Allowed);
    }

    /// <summary>Answers reverse lookups from a table, so that name rules can be tested without a DNS server.</summary>
    private sealed class TableResolver(IReadOnlyDictionary<IPAddress, string> names) : IHostNameResolver
    {
        public int Lookups { get; private set; }

        public ValueTask<HostAccessClient> ResolveAsync(IPAddress address, CancellationToken cancellationToken)
        {
            Lookups++;
            return ValueTask.FromResult(HostAccessClient.WithHostName(address, names.GetValueOrDefault(address)));
        }
    }
}
