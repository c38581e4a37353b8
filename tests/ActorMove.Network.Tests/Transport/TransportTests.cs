using System.Net;
using System.Net.Sockets;
using ActorMove.Network.Association;
using ActorMove.Network.Transport;
using ActorMove.Testing;
using Xunit;
using static ActorMove.Network.Tests.Association.Peers;

namespace ActorMove.Network.Tests.Transport;

public class TransportTests
{
    [Fact]
    public async Task Connection_has_tcp_nodelay_on_both_sides()
    {
        await using var listener = DicomListener.Start(new IPEndPoint(IPAddress.Loopback, 0), new ConnectionOptions { HostLookup = false });
        var accepting = listener.AcceptAsync();
        await using var client = await DicomConnection.ConnectAsync("127.0.0.1", listener.Port, new ConnectionOptions { HostLookup = false });
        await using var server = await accepting.WaitAsync(Patience);
        Assert.True(client.Socket.NoDelay);
        Assert.True(server.Socket.NoDelay);
        Assert.Equal(client.LocalEndPoint, server.RemoteEndPoint);
    }

    [Fact]
    public async Task Data_written_on_one_side_is_read_on_the_other()
    {
        await using var listener = DicomListener.Start(new IPEndPoint(IPAddress.Loopback, 0));
        var accepting = listener.AcceptAsync();
        await using var client = await DicomConnection.ConnectAsync("127.0.0.1", listener.Port);
        await using var server = await accepting.WaitAsync(Patience);
        var payload = RandomBytes(100_000, 9);
        await client.Output.WriteAsync(payload);
        // Graceful close: FIN after the data, then the client waits for the server to close its side.
        var closing = client.CloseAfterPeerAsync(Patience);
        var received = new List<byte>();
        while (true)
        {
            var result = await server.Input.ReadAsync().AsTask().WaitAsync(Patience);
            foreach (var segment in result.Buffer)
            {
                received.AddRange(segment.ToArray());
            }

            server.Input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        Assert.Equal(payload, received.ToArray());
        await server.DisposeAsync();
        await closing.WaitAsync(Patience);
    }

    [Fact]
    public async Task Quick_ack_request_puts_a_socket_back_to_immediate_acknowledgements()
    {
        await using var listener = DicomListener.Start(new IPEndPoint(IPAddress.Loopback, 0), new ConnectionOptions { HostLookup = false });
        var accepting = listener.AcceptAsync();
        await using var client = await DicomConnection.ConnectAsync("127.0.0.1", listener.Port, new ConnectionOptions { HostLookup = false });
        await using var server = await accepting.WaitAsync(Patience);

        TcpQuickAck.TurnOff(server.Socket);
        Assert.False(TcpQuickAck.IsOn(server.Socket));
        Assert.True(TcpQuickAck.TryRequest(server.Socket));
        Assert.True(TcpQuickAck.IsOn(server.Socket));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Receive_loop_asks_for_an_immediate_acknowledgement_each_time_it_waits(bool quickAck)
    {
        var options = new ConnectionOptions { HostLookup = false, QuickAck = quickAck };
        await using var listener = DicomListener.Start(new IPEndPoint(IPAddress.Loopback, 0), options);
        var accepting = listener.AcceptAsync();
        await using var client = await DicomConnection.ConnectAsync("127.0.0.1", listener.Port, new ConnectionOptions { HostLookup = false });
        await using var server = await accepting.WaitAsync(Patience);
        // Nothing has arrived yet, so the loop is already waiting.
        long expected = quickAck ? 1 : 0;
        await WaitForQuickAckRequestsAsync(server, expected);

        for (int batch = 1; batch <= 3; batch++)
        {
            byte[] payload = RandomBytes(50_000, batch);
            await client.Output.WriteAsync(payload);
            long read = 0;
            while (read < payload.Length)
            {
                var result = await server.Input.ReadAsync().AsTask().WaitAsync(Patience);
                read += result.Buffer.Length;
                server.Input.AdvanceTo(result.Buffer.End);
            }

            // Every batch is read to its end, after which the loop waits again: at least one more request each time.
            expected += quickAck ? 1 : 0;
            await WaitForQuickAckRequestsAsync(server, expected);
        }

        if (!quickAck)
        {
            Assert.Equal(0, server.QuickAckRequests);
        }
    }

    private static async Task WaitForQuickAckRequestsAsync(DicomConnection connection, long atLeast)
    {
        await Poll.UntilAsync(() => connection.QuickAckRequests >= atLeast, Patience);
        Assert.True(connection.QuickAckRequests >= atLeast, $"{connection.QuickAckRequests} quick-ack requests, expected at least {atLeast}");
    }

    [Fact]
    public async Task A_dual_mode_listener_sees_an_ipv4_peer_as_ipv4_and_looks_up_that_address()
    {
        string expected = (await Dns.GetHostEntryAsync("127.0.0.1")).HostName;
        await using var listener = DicomListener.Start(new IPEndPoint(IPAddress.IPv6Any, 0), new ConnectionOptions { HostLookup = true });
        var accepting = listener.AcceptAsync();
        await using var client = await DicomConnection.ConnectAsync("127.0.0.1", listener.Port, new ConnectionOptions { HostLookup = false });
        await using var server = await accepting.WaitAsync(Patience);

        Assert.True(((IPEndPoint)server.Socket.RemoteEndPoint!).Address.IsIPv4MappedToIPv6, "the listener is not dual-mode");
        Assert.Equal(IPAddress.Loopback, server.RemoteEndPoint.Address);
        Assert.Equal(client.LocalEndPoint, server.RemoteEndPoint);
        Assert.Equal(IPAddress.Loopback, server.LocalEndPoint.Address);
        // The IPv4 address is in the hosts file, so its name comes from there, as for an IPv4 listener.
        Assert.Equal(expected, server.RemoteHostName);
    }

    [Fact]
    public async Task Host_lookup_names_the_peer_and_can_be_switched_off()
    {
        string expected = (await Dns.GetHostEntryAsync("127.0.0.1")).HostName;
        await using var lookingUp = DicomListener.Start(new IPEndPoint(IPAddress.Loopback, 0), new ConnectionOptions { HostLookup = true });
        var accepting = lookingUp.AcceptAsync();
        await using (var client = await DicomConnection.ConnectAsync("127.0.0.1", lookingUp.Port))
        await using (var server = await accepting.WaitAsync(Patience))
        {
            Assert.Equal(expected, server.RemoteHostName);
            Assert.Equal(expected, server.RemotePeerName);
        }

        await using var notLookingUp = DicomListener.Start(new IPEndPoint(IPAddress.Loopback, 0), new ConnectionOptions { HostLookup = false });
        accepting = notLookingUp.AcceptAsync();
        await using (var client = await DicomConnection.ConnectAsync("127.0.0.1", notLookingUp.Port, new ConnectionOptions { HostLookup = false }))
        await using (var server = await accepting.WaitAsync(Patience))
        {
            Assert.Null(server.RemoteHostName);
            Assert.Equal("127.0.0.1", server.RemotePeerName);
        }
    }

    [Fact]
    public async Task Associates_over_ipv6_loopback()
    {
        var ended = new TaskCompletionSource<AssociationEvent>();
        await using var listener = AssociationListener.Start(new IPEndPoint(IPAddress.IPv6Loopback, 0), AcceptVerification, Echo(ended), Options());
        var options = Options();
        await using var association = await DicomAssociation.RequestAsync("::1", listener.Port, VerificationRequest(options), options);
        Assert.Equal(AddressFamily.InterNetworkV6, association.Connection.RemoteEndPoint.AddressFamily);
        await association.ReleaseAsync().WaitAsync(Patience);
        Assert.Equal(new AssociationReleased(ByPeer: true), await ended.Task.WaitAsync(Patience));
    }

    [Fact]
    public async Task Listener_on_all_addresses_takes_ipv4_and_ipv6()
    {
        await using var listener = AssociationListener.Start(0, AcceptVerification, (_, _) => Task.CompletedTask, Options());
        var options = Options();
        foreach (string host in new[] { "127.0.0.1", "::1" })
        {
            await using var association = await DicomAssociation.RequestAsync(host, listener.Port, VerificationRequest(options), options);
            Assert.Equal(AssociationState.Sta6, association.State);
        }
    }

    [Fact]
    public async Task Listener_on_the_ipv6_any_end_point_takes_ipv4_too()
    {
        await using var listener = AssociationListener.Start(new System.Net.IPEndPoint(System.Net.IPAddress.IPv6Any, 0), AcceptVerification,
            (_, _) => Task.CompletedTask, Options());
        var options = Options();
        await using var association = await DicomAssociation.RequestAsync("127.0.0.1", listener.Port, VerificationRequest(options), options);
        Assert.Equal(AssociationState.Sta6, association.State);
    }

    [Fact]
    public async Task Connecting_to_a_closed_port_fails_with_a_socket_error()
    {
        int port = LoopbackPort.GetFree();
        var error = await Assert.ThrowsAsync<SocketException>(() => DicomConnection.ConnectAsync("127.0.0.1", port));
        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }

    [Fact]
    public async Task Connect_timeout_fires_when_the_peer_does_not_answer()
    {
        // A listener that never accepts, with its accept queue filled: Linux then drops further SYNs, so a connect hangs.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var fillers = new List<Socket>();
        try
        {
            for (int i = 0; i < 8; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                using var quick = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
                try
                {
                    await filler.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), quick.Token);
                }
                catch (OperationCanceledException)
                {
                    break; // the queue is full
                }
            }

            var error = await Assert.ThrowsAsync<TimeoutException>(() =>
                DicomConnection.ConnectAsync("127.0.0.1", port, new ConnectionOptions { ConnectTimeout = TimeSpan.FromSeconds(1), HostLookup = false }));
            Assert.Contains("timed out", error.Message);
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
        }
    }
}
