using System.Net;
using System.Net.Sockets;

namespace ActorMove.Network.Transport;

/// <summary>Listens for DICOM connections on one port, IPv6 and IPv4 together when the system allows it.</summary>
public sealed class DicomListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly ConnectionOptions _options;

    private DicomListener(Socket socket, ConnectionOptions options)
    {
        _socket = socket;
        _options = options;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    public int Port => LocalEndPoint.Port;

    /// <summary>A connection is waiting in the backlog to be accepted (the listening socket is readable); never blocks.</summary>
    public bool HasPendingConnection
    {
        get
        {
            try
            {
                return _socket.Poll(0, SelectMode.SelectRead);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return false;
            }
        }
    }

    /// <summary>Listens on every address (dual-stack if possible) at <paramref name="port"/>; 0 picks a free port.</summary>
    public static DicomListener Start(int port, ConnectionOptions? options = null, int backlog = 64)
    {
        if (Socket.OSSupportsIPv6)
        {
            try
            {
                var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
                return Bind(socket, new IPEndPoint(IPAddress.IPv6Any, port), options, backlog);
            }
            catch (SocketException)
            {
                // No IPv6 on this host after all: fall back to IPv4 only.
            }
        }

        return Start(new IPEndPoint(IPAddress.Any, port), options, backlog);
    }

    /// <summary>
    /// Listens on one address (e.g. 127.0.0.1 or ::1 in tests). The IPv6 any-address (::) takes IPv4 connections too, as
    /// movescu's +P does: .NET sockets are IPv6-only unless made dual-mode.
    /// </summary>
    public static DicomListener Start(IPEndPoint endPoint, ConnectionOptions? options = null, int backlog = 64)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (endPoint.Address.Equals(IPAddress.IPv6Any))
        {
            socket.DualMode = true;
        }

        return Bind(socket, endPoint, options, backlog);
    }

    private static DicomListener Bind(Socket socket, IPEndPoint endPoint, ConnectionOptions? options, int backlog)
    {
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endPoint);
            socket.Listen(backlog);
            return new DicomListener(socket, options ?? ConnectionOptions.Default);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Waits for the next connection.</summary>
    public async Task<DicomConnection> AcceptAsync(CancellationToken cancellationToken = default)
    {
        var socket = await _socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await DicomConnection.FromConnectedSocketAsync(socket, _options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
