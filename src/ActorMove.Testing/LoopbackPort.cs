using System.Net;
using System.Net.Sockets;

namespace ActorMove.Testing;

/// <summary>Free loopback ports for peers that must be told their port up front (DCMTK programs cannot bind port 0 and report it).</summary>
public static class LoopbackPort
{
    public static int GetFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
