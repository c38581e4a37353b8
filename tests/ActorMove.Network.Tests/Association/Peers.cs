using System.Buffers;
using System.Net;
using System.Net.Sockets;
using ActorMove.Network.Association;
using ActorMove.Network.Pdu;
using ActorMove.Network.Transport;
using Xunit;

namespace ActorMove.Network.Tests.Association;

/// <summary>Shared pieces of the association tests: short timeouts, a Verification policy, message collection, raw peers.</summary>
internal static class Peers
{
    public const string Verification = "1.2.840.10008.1.1";
    public const string ImplicitLittleEndian = "1.2.840.10008.1.2";
    public const string ExplicitLittleEndian = "1.2.840.10008.1.2.1";
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public static AssociationOptions Options(TimeSpan? acseTimeout = null, TimeSpan? dimseTimeout = null, uint maxPdu = 16384) => new()
    {
        AcseTimeout = acseTimeout ?? TimeSpan.FromSeconds(5),
        DimseTimeout = dimseTimeout,
        MaxPduLength = maxPdu,
        Connection = new ConnectionOptions { HostLookup = false },
    };

    public static IPEndPoint AnyLoopbackPort => new(IPAddress.Loopback, 0);

    /// <summary>Accepts Verification with implicit little endian, refuses every other abstract syntax.</summary>
    public static AssociateDecision AcceptVerification(AssociateRequest request) =>
        AssociateDecision.Accept(request.PresentationContexts.Select(pc =>
            pc.AbstractSyntax == Verification && pc.TransferSyntaxes.Contains(ImplicitLittleEndian)
                ? new PresentationContextResult(pc.Id, PresentationContextResultReason.Acceptance, ImplicitLittleEndian)
                : new PresentationContextResult(pc.Id, PresentationContextResultReason.AbstractSyntaxNotSupported, pc.TransferSyntaxes[0])));

    public static AssociateRequest VerificationRequest(AssociationOptions options, string called = "ANY-SCP") =>
        DicomAssociation.CreateRequest(called, "ACTORMOVE", [new PresentationContextProposal(1, Verification, [ExplicitLittleEndian, ImplicitLittleEndian])], options);

    public sealed record Message(byte PresentationContextId, bool IsCommand, byte[] Data);

    /// <summary>Reads events until one whole message arrived (returned) or the stream ended (its last event returned).</summary>
    public static async Task<(Message? Message, AssociationEvent? Final)> ReceiveMessageAsync(IAsyncEnumerator<AssociationEvent> events)
    {
        var data = new ArrayBufferWriter<byte>();
        while (await events.MoveNextAsync())
        {
            if (events.Current is PdvReceived { Value: var pdv })
            {
                foreach (var segment in pdv.Data)
                {
                    data.Write(segment.Span);
                }

                if (pdv.IsLastFragment)
                {
                    return (new Message(pdv.PresentationContextId, pdv.IsCommand, data.WrittenSpan.ToArray()), null);
                }
            }
            else
            {
                return (null, events.Current);
            }
        }

        return (null, null);
    }

    /// <summary>An acceptor handler that sends every received message back and reports how the association ended.</summary>
    public static Func<DicomAssociation, CancellationToken, Task> Echo(TaskCompletionSource<AssociationEvent> ended) => async (association, ct) =>
    {
        await using var events = association.ReceiveAsync(ct).GetAsyncEnumerator(ct);
        while (true)
        {
            var (message, final) = await ReceiveMessageAsync(events);
            if (message is null)
            {
                ended.TrySetResult(final ?? new ConnectionClosed("stream ended"));
                return;
            }

            await association.SendMessageAsync(message.PresentationContextId, message.IsCommand, new ReadOnlySequence<byte>(message.Data), ct);
        }
    };

    /// <summary>
    /// Our requestor connecting to a raw peer in the acceptor's place: the peer has the connection and nothing has been
    /// answered yet, so the request is still pending.
    /// </summary>
    public static async Task<(Task<DicomAssociation> Requesting, RawPeer Peer)> RequestFromRawPeerAsync(AssociationOptions options)
    {
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        int port = ((IPEndPoint)server.LocalEndpoint).Port;
        var requesting = DicomAssociation.RequestAsync("127.0.0.1", port, VerificationRequest(options), options);
        var peer = RawPeer.FromAccepted(await server.AcceptSocketAsync().WaitAsync(Patience));
        return (requesting, peer);
    }

    /// <summary>
    /// Our requestor associated with a raw peer, which accepted presentation context 1 with implicit little endian and a
    /// 16384-byte maximum PDU; from here on the test plays the acceptor by hand.
    /// </summary>
    public static async Task<RawAssociation> AssociateWithRawPeerAsync(AssociationOptions options)
    {
        var (requesting, peer) = await RequestFromRawPeerAsync(options);
        try
        {
            var request = Assert.IsType<AssociateRequest>(await peer.ReadPduAsync());
            await peer.SendAsync(new AssociateAccept(request.CalledAeTitle, request.CallingAeTitle,
                [new PresentationContextResult(1, PresentationContextResultReason.Acceptance, ImplicitLittleEndian)],
                new UserInformation(16384, "1.2.3")));
            return new RawAssociation(await requesting.WaitAsync(Patience), peer);
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }
    }

    public static byte[] RandomBytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }
}

/// <summary>Our requestor's association and the raw peer at its other end; disposing ends both.</summary>
internal sealed record RawAssociation(DicomAssociation Association, RawPeer Peer) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await Association.DisposeAsync();
        await Peer.DisposeAsync();
    }
}

/// <summary>A peer that speaks raw bytes over a plain socket, to send what a correct implementation never would.</summary>
internal sealed class RawPeer : IAsyncDisposable
{
    private readonly Socket _socket;

    private RawPeer(Socket socket) => _socket = socket;

    public static async Task<RawPeer> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return new RawPeer(socket);
    }

    public static RawPeer FromAccepted(Socket socket) => new(socket);

    public Task SendAsync(byte[] bytes) => _socket.SendAsync(bytes);

    public Task SendAsync(DicomPdu pdu) => SendAsync(PduWriter.ToArray(pdu));

    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>Reads exactly one PDU (header and body) within the test patience.</summary>
    public async Task<DicomPdu> ReadPduAsync()
    {
        using var timeout = new CancellationTokenSource(Peers.Patience);
        byte[] header = await ReadExactlyAsync(6, timeout.Token);
        uint length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(2));
        byte[] body = await ReadExactlyAsync((int)length, timeout.Token);
        var buffer = new ReadOnlySequence<byte>([.. header, .. body]);
        Assert.True(PduReader.TryRead(ref buffer, new PduLimits(1 << 20), out var pdu));
        return pdu;
    }

    /// <summary>Everything the other side sends until it closes the connection.</summary>
    public async Task<byte[]> ReadToEndAsync()
    {
        using var timeout = new CancellationTokenSource(Peers.Patience);
        var all = new List<byte>();
        var chunk = new byte[4096];
        while (true)
        {
            int read;
            try
            {
                read = await _socket.ReceiveAsync(chunk, SocketFlags.None, timeout.Token);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                break;
            }

            if (read == 0)
            {
                break;
            }

            all.AddRange(chunk.AsSpan(0, read).ToArray());
        }

        return all.ToArray();
    }

    private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        int filled = 0;
        while (filled < count)
        {
            int read = await _socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                throw new EndOfStreamException($"Connection closed after {filled} of {count} bytes");
            }

            filled += read;
        }

        return buffer;
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
