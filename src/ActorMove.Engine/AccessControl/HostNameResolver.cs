using System.Net;
using System.Net.Sockets;

namespace ActorMove.Engine.AccessControl;

/// <summary>Finds the host name of a peer for the access rules.</summary>
public interface IHostNameResolver
{
    ValueTask<HostAccessClient> ResolveAsync(IPAddress address, CancellationToken cancellationToken);
}

/// <summary>
/// Reverse lookup through the system resolver. DCMTK takes the reverse-lookup name as it comes, and so does
/// <see cref="Instance"/>. <see cref="Verifying"/> also checks it with a forward lookup, as tcpd itself does:
/// a name whose addresses do not include the peer is not trusted (the peer is then PARANOID, its name unknown).
/// </summary>
public sealed class DnsHostNameResolver(bool verifyWithForwardLookup) : IHostNameResolver
{
    /// <summary>As DCMTK: the reverse-lookup name, unverified.</summary>
    public static DnsHostNameResolver Instance { get; } = new(verifyWithForwardLookup: false);

    /// <summary>Reverse lookup confirmed by a forward lookup (PARANOID detection).</summary>
    public static DnsHostNameResolver Verifying { get; } = new(verifyWithForwardLookup: true);

    public async ValueTask<HostAccessClient> ResolveAsync(IPAddress address, CancellationToken cancellationToken)
    {
        var peer = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        string name;
        try
        {
            var entry = await Dns.GetHostEntryAsync(peer.ToString(), cancellationToken).ConfigureAwait(false);
            name = entry.HostName;
        }
        catch (SocketException)
        {
            return HostAccessClient.WithHostName(peer, null);
        }

        // GetHostEntry answers with the address text itself when there is no PTR record.
        if (string.IsNullOrEmpty(name) || IPAddress.TryParse(name, out _))
        {
            return HostAccessClient.WithHostName(peer, null);
        }

        if (!verifyWithForwardLookup)
        {
            return HostAccessClient.WithHostName(peer, name);
        }

        try
        {
            var forward = await Dns.GetHostAddressesAsync(name, cancellationToken).ConfigureAwait(false);
            foreach (var candidate in forward)
            {
                var normalized = candidate.IsIPv4MappedToIPv6 ? candidate.MapToIPv4() : candidate;
                if (normalized.Equals(peer))
                {
                    return HostAccessClient.WithHostName(peer, name);
                }
            }
        }
        catch (SocketException)
        {
        }

        return HostAccessClient.Paranoid(peer);
    }
}
