using System.Net;

namespace ActorMove.Engine.AccessControl;

/// <summary>What is known about the host name of a connecting peer.</summary>
public enum HostNameState
{
    /// <summary>
    /// Host lookup is disabled (<c>-dhl</c>). DCMTK then hands libwrap the name "unknown", so name patterns,
    /// LOCAL and KNOWN never match and UNKNOWN does.
    /// </summary>
    NotLookedUp,

    /// <summary>The reverse lookup gave no name.</summary>
    Unknown,

    /// <summary>The reverse lookup gave a name (verified by a forward lookup only when the resolver is asked to).</summary>
    Known,

    /// <summary>
    /// The reverse lookup gave a name whose forward lookup does not lead back to the address (hosts_access's
    /// PARANOID). Only a verifying resolver finds this; DCMTK does not verify, so PARANOID never matches there.
    /// </summary>
    Paranoid,
}

/// <summary>The peer of an incoming connection as the access rules see it.</summary>
public sealed record HostAccessClient
{
    private HostAccessClient(IPAddress address, HostNameState nameState, string? hostName)
    {
        // A dual-mode listener reports IPv4 peers as ::ffff:a.b.c.d; the rules write them as a.b.c.d.
        Address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        AddressText = Address.ToString();
        NameState = nameState;
        HostName = hostName;
    }

    public IPAddress Address { get; }

    /// <summary>The address as hosts_access compares it textually (dotted quad, or IPv6 text without brackets).</summary>
    public string AddressText { get; }

    public HostNameState NameState { get; }

    /// <summary>The host name when <see cref="NameState"/> is <see cref="HostNameState.Known"/>, otherwise null.</summary>
    public string? HostName { get; }

    /// <summary>"name (address)" as DCMTK's refusal message has it: "TCP wrapper: denied connection from unknown (10.0.0.1)".</summary>
    public string Describe() => $"{HostName ?? "unknown"} ({AddressText})";

    /// <summary>A peer whose host name is not to be looked up (<c>-dhl</c>).</summary>
    public static HostAccessClient WithoutLookup(IPAddress address) => new(address, HostNameState.NotLookedUp, null);

    /// <summary>A peer with the result of a reverse lookup: a name, or null when the lookup found none.</summary>
    public static HostAccessClient WithHostName(IPAddress address, string? hostName) =>
        string.IsNullOrWhiteSpace(hostName)
            ? new HostAccessClient(address, HostNameState.Unknown, null)
            : new HostAccessClient(address, HostNameState.Known, hostName.TrimEnd('.'));

    /// <summary>A peer whose reverse-lookup name does not resolve back to its address.</summary>
    public static HostAccessClient Paranoid(IPAddress address) => new(address, HostNameState.Paranoid, null);
}

/// <summary>The outcome of an access check, with the rule that decided it for the log.</summary>
public sealed record HostAccessDecision(bool Allowed, string? RuleFile, int RuleLine)
{
    /// <summary>The peer as the rules saw it, for the log line (<see cref="HostAccessClient.Describe"/>).</summary>
    public HostAccessClient? Client { get; init; }

    /// <summary>E.g. "allowed (no matching rule)" or "refused by /etc/hosts.deny:4".</summary>
    public override string ToString() => RuleFile is null
        ? (Allowed ? "allowed (no matching rule)" : "refused")
        : $"{(Allowed ? "allowed" : "refused")} by {RuleFile}:{RuleLine}";
}
