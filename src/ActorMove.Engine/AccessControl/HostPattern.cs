using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ActorMove.Engine.AccessControl;

/// <summary>One compiled client pattern of a hosts_access(5) rule.</summary>
internal abstract class HostPattern
{
    /// <summary>True when matching needs the peer's host name (lookup worth doing).</summary>
    public virtual bool NeedsHostName => false;

    public abstract bool Matches(HostAccessClient client);

    /// <summary>
    /// Compiles one token. Tokens that cannot be understood become a pattern that never matches,
    /// with a warning, as tcp wrappers log and skip them.
    /// </summary>
    public static HostPattern Compile(string token, Action<string> warn, Func<string, string?> readPatternFile)
    {
        if (Keyword(token, "ALL"))
        {
            return new AllPattern();
        }

        if (Keyword(token, "LOCAL"))
        {
            return new NamePredicatePattern(client => client.HostName is { } name && !name.Contains('.'));
        }

        if (Keyword(token, "KNOWN"))
        {
            return new NamePredicatePattern(client => client.NameState == HostNameState.Known);
        }

        if (Keyword(token, "UNKNOWN"))
        {
            // The address is always known here, so only the name decides. Without lookup DCMTK's name is "unknown".
            return new NamePredicatePattern(client => client.NameState is not HostNameState.Known);
        }

        if (Keyword(token, "PARANOID"))
        {
            return new NamePredicatePattern(client => client.NameState == HostNameState.Paranoid);
        }

        if (token.StartsWith('@'))
        {
            warn($"NIS netgroup pattern '{token}' is not supported; it never matches");
            return NeverPattern.Instance;
        }

        if (token.StartsWith('/'))
        {
            return CompileFile(token, warn, readPatternFile);
        }

        int at = token.IndexOf('@');
        if (at > 0)
        {
            // user@host needs an ident (RFC 931) lookup, which is not done: the user is always unknown.
            string user = token[..at];
            var host = Compile(token[(at + 1)..], warn, readPatternFile);
            if (Keyword(user, "ALL") || Keyword(user, "UNKNOWN"))
            {
                return host;
            }

            warn($"user pattern '{token}' needs an ident lookup, which is not supported; it never matches");
            return NeverPattern.Instance;
        }

        if (token.StartsWith('['))
        {
            return CompileIPv6(token, warn);
        }

        int slash = token.IndexOf('/');
        if (slash > 0)
        {
            return CompileIPv4Network(token, slash, warn);
        }

        if (token.Contains('*') || token.Contains('?'))
        {
            return new WildcardPattern(token);
        }

        if (token.Length > 1 && token.StartsWith('.'))
        {
            return new DomainSuffixPattern(token);
        }

        if (token.Length > 1 && token.EndsWith('.'))
        {
            return new AddressPrefixPattern(token);
        }

        if (TryParseDottedQuad(token, out var address))
        {
            return new AddressPattern(address, AddressPattern.PrefixMask(4, 32));
        }

        return new HostNamePattern(token);
    }

    public static bool Keyword(string token, string keyword) => string.Equals(token, keyword, StringComparison.OrdinalIgnoreCase);

    private static HostPattern CompileFile(string path, Action<string> warn, Func<string, string?> readPatternFile)
    {
        string? text = readPatternFile(path);
        if (text is null)
        {
            warn($"pattern file '{path}' cannot be read; it matches nothing");
            return NeverPattern.Instance;
        }

        var patterns = new List<HostPattern>();
        foreach (var line in text.Split('\n'))
        {
            if (line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            foreach (var token in HostAccessRuleParser.SplitList(line))
            {
                // A pattern file holds plain patterns; another file name inside one would allow endless recursion.
                patterns.Add(token.StartsWith('/')
                    ? NeverPattern.Instance
                    : Compile(token, message => warn($"{path}: {message}"), readPatternFile));
            }
        }

        return new AnyOfPattern(patterns);
    }

    private static HostPattern CompileIPv6(string token, Action<string> warn)
    {
        int close = token.IndexOf(']');
        if (close < 0)
        {
            warn($"bad IPv6 pattern '{token}': missing ']'");
            return NeverPattern.Instance;
        }

        if (!IPAddress.TryParse(token[1..close], out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            warn($"bad IPv6 address in '{token}'");
            return NeverPattern.Instance;
        }

        if (close == token.Length - 1)
        {
            return new AddressPattern(address, AddressPattern.PrefixMask(16, 128));
        }

        if (token[close + 1] != '/' || !TryParsePrefixLength(token[(close + 2)..], 128, out int prefix))
        {
            warn($"bad IPv6 network pattern '{token}': expected [address]/prefix-length (0..128)");
            return NeverPattern.Instance;
        }

        var mask = AddressPattern.PrefixMask(16, prefix);
        var pattern = new AddressPattern(address, mask);
        if (pattern.NetworkHasHostBits)
        {
            // libwrap masks both sides for IPv6 (unlike IPv4, below), so the stray bits simply do not count.
            warn($"IPv6 network pattern '{token}' has host bits set outside the prefix; they are ignored");
            return new AddressPattern(AddressPattern.Masked(address, mask), mask);
        }

        return pattern;
    }

    private static HostPattern CompileIPv4Network(string token, int slash, Action<string> warn)
    {
        string netText = token[..slash];
        string maskText = token[(slash + 1)..];
        if (!TryParseDottedQuad(netText, out var net))
        {
            warn($"bad net/mask pattern '{token}': '{netText}' is not an IPv4 address");
            return NeverPattern.Instance;
        }

        byte[] mask;
        if (TryParsePrefixLength(maskText, 32, out int prefix))
        {
            if (prefix == 0)
            {
                // libwrap refuses "/0" (a dotted 0.0.0.0 mask it takes); ALL says the same thing plainly.
                warn($"bad net/mask pattern '{token}': prefix length 0 is not accepted; it never matches (use ALL)");
                return NeverPattern.Instance;
            }

            mask = AddressPattern.PrefixMask(4, prefix);
        }
        else if (TryParseDottedQuad(maskText, out var dottedMask))
        {
            // Any mask, contiguous or not, as libwrap's (address & mask) == net.
            mask = dottedMask.GetAddressBytes();
        }
        else
        {
            warn($"bad net/mask pattern '{token}': '{maskText}' is neither a netmask nor a prefix length");
            return NeverPattern.Instance;
        }

        var pattern = new AddressPattern(net, mask);
        if (pattern.NetworkHasHostBits)
        {
            // libwrap compares the masked peer with the net as written, so this can never match.
            warn($"net/mask pattern '{token}' has host bits set outside the mask; it never matches");
            return NeverPattern.Instance;
        }

        return pattern;
    }

    private static bool TryParsePrefixLength(string text, int max, out int prefix)
    {
        prefix = 0;
        return text.Length is > 0 and <= 3
            && text.All(char.IsAsciiDigit)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out prefix)
            && prefix <= max;
    }

    /// <summary>Only a, b, c, d each 0..255: IPAddress.TryParse would also take "10" or "10.1" as addresses.</summary>
    internal static bool TryParseDottedQuad(string text, out IPAddress address)
    {
        address = IPAddress.None;
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[4];
        for (int i = 0; i < 4; i++)
        {
            if (parts[i].Length is 0 or > 3 || !parts[i].All(char.IsAsciiDigit)
                || !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value > 255)
            {
                return false;
            }

            bytes[i] = (byte)value;
        }

        address = new IPAddress(bytes);
        return true;
    }
}

internal sealed class NeverPattern : HostPattern
{
    public static NeverPattern Instance { get; } = new();

    public override bool Matches(HostAccessClient client) => false;
}

internal sealed class AllPattern : HostPattern
{
    public override bool Matches(HostAccessClient client) => true;
}

internal sealed class AnyOfPattern(IReadOnlyList<HostPattern> patterns) : HostPattern
{
    public override bool NeedsHostName => patterns.Any(pattern => pattern.NeedsHostName);

    public override bool Matches(HostAccessClient client) => patterns.Any(pattern => pattern.Matches(client));
}

/// <summary>LOCAL, KNOWN, UNKNOWN, PARANOID: all about the host name.</summary>
internal sealed class NamePredicatePattern(Func<HostAccessClient, bool> predicate) : HostPattern
{
    public override bool NeedsHostName => true;

    public override bool Matches(HostAccessClient client) => predicate(client);
}

internal sealed class HostNamePattern(string name) : HostPattern
{
    public override bool NeedsHostName => true;

    public override bool Matches(HostAccessClient client) =>
        client.HostName is { } host && string.Equals(host, name.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);
}

/// <summary>".example.com" matches every host whose name ends in it.</summary>
internal sealed class DomainSuffixPattern(string suffix) : HostPattern
{
    public override bool NeedsHostName => true;

    public override bool Matches(HostAccessClient client) =>
        client.HostName is { } host && host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase);
}

/// <summary>"192.168." matches every address whose leading fields are these.</summary>
internal sealed class AddressPrefixPattern(string prefix) : HostPattern
{
    public override bool Matches(HostAccessClient client) =>
        client.AddressText.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
}

/// <summary>An address, or a network: net/mask, a.b.c.d/len, [v6]/len. Matches when (peer &amp; mask) == net.</summary>
internal sealed class AddressPattern : HostPattern
{
    private readonly byte[] _network;
    private readonly byte[] _mask;
    private readonly AddressFamily _family;

    public AddressPattern(IPAddress network, byte[] mask)
    {
        _family = network.AddressFamily;
        _network = network.GetAddressBytes();
        _mask = mask;
        for (int i = 0; i < _network.Length; i++)
        {
            NetworkHasHostBits |= (_network[i] & ~_mask[i]) != 0;
        }
    }

    public bool NetworkHasHostBits { get; }

    public static byte[] PrefixMask(int length, int prefixLength)
    {
        var mask = new byte[length];
        for (int bit = 0; bit < prefixLength; bit++)
        {
            mask[bit / 8] |= (byte)(0x80 >> (bit % 8));
        }

        return mask;
    }

    public static IPAddress Masked(IPAddress address, byte[] mask)
    {
        var bytes = address.GetAddressBytes();
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] &= mask[i];
        }

        return new IPAddress(bytes);
    }

    public override bool Matches(HostAccessClient client)
    {
        if (client.Address.AddressFamily != _family)
        {
            return false;
        }

        Span<byte> peer = stackalloc byte[16];
        client.Address.TryWriteBytes(peer, out int length);
        for (int i = 0; i < length; i++)
        {
            if ((peer[i] & _mask[i]) != _network[i])
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>'*' and '?' wildcards, matched against the host name and the address, as hosts_access does.</summary>
internal sealed class WildcardPattern(string pattern) : HostPattern
{
    public override bool NeedsHostName => true;

    public override bool Matches(HostAccessClient client) =>
        (client.HostName is { } host && Glob(pattern, host)) || Glob(pattern, client.AddressText);

    private static bool Glob(string pattern, string text)
    {
        int p = 0, t = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(text[t])))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starT = t;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                t = ++starT;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
