using System.Net;
using System.Net.Sockets;

namespace ActorMove.Engine.AccessControl;

/// <summary>Finds the host name of a peer for the access rules.</summary>
public interface IHostNameResolver
{
    ValueTask<HostAccessClient> ResolveAsync(IPAddress address, CancellationToken cancellationToken);
}

/// <summary>
/// Reverse lookup through the system resolver, verified by a forward lookup as tcp wrappers do: a name
/// whose addresses do not include the peer is not trusted (the peer is then PARANOID, its name unknown).
/// </summary>
public sealed class DnsHostNameResolver : IHostNameResolver
{
    public static DnsHostNameResolver Instance { get; } = new();

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
