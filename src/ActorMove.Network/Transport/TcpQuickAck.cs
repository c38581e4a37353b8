using System.Net.Sockets;

namespace ActorMove.Network.Transport;

/// <summary>
/// Linux's <c>TCP_QUICKACK</c>: acknowledge what has arrived now, not when the delayed-ACK timer fires (40 ms or more).
/// A peer that leaves Nagle's algorithm on (DCMTK does unless <c>TCP_NODELAY</c> is set in its environment) holds back
/// the small tail of a PDU until its earlier segments are acknowledged, and the receiver, with nothing to send until the
/// whole object is there, delays that acknowledgement: every object then waits out the timer. The kernel drops back to
/// delayed acknowledgements by itself, so the request is repeated each time the receive loop is about to wait.
/// </summary>
internal static class TcpQuickAck
{
    private const int IpProtocolTcp = 6; // IPPROTO_TCP
    private const int QuickAckOption = 12; // TCP_QUICKACK, linux/tcp.h
    private const int OptionBytes = sizeof(int);

    /// <summary>Only Linux has the option; elsewhere nothing is requested.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>Asks for the pending acknowledgement to go out at once; false when the socket refuses (or is gone).</summary>
    public static bool TryRequest(Socket socket)
    {
        Span<byte> on = stackalloc byte[OptionBytes];
        BitConverter.TryWriteBytes(on, 1);
        try
        {
            socket.SetRawSocketOption(IpProtocolTcp, QuickAckOption, on);
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or PlatformNotSupportedException)
        {
            return false;
        }
    }

    /// <summary>
    /// The option as the kernel reports it: true while the socket acknowledges at once, false once it has gone back to
    /// delayed (interactive) acknowledgements.
    /// </summary>
    public static bool IsOn(Socket socket)
    {
        Span<byte> value = stackalloc byte[OptionBytes];
        int length = socket.GetRawSocketOption(IpProtocolTcp, QuickAckOption, value);
        return length == OptionBytes && BitConverter.ToInt32(value) != 0;
    }

    /// <summary>Puts the socket into delayed (interactive) acknowledgements, as a long exchange of small messages does.</summary>
    internal static void TurnOff(Socket socket)
    {
        Span<byte> off = stackalloc byte[OptionBytes];
        socket.SetRawSocketOption(IpProtocolTcp, QuickAckOption, off);
    }
}
