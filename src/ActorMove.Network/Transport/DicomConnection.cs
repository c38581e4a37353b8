using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace ActorMove.Network.Transport;

/// <summary>How TCP connections are made and buffered.</summary>
public sealed record ConnectionOptions
{
    /// <summary>Timeout for establishing the TCP connection (movescu -to); null waits for the operating system.</summary>
    public TimeSpan? ConnectTimeout { get; init; }

    /// <summary>Look up the peer's host name from its address (switched off by movescu -dhl).</summary>
    public bool HostLookup { get; init; } = true;

    /// <summary>
    /// Unconsumed received bytes at which the socket is no longer read (back-pressure to the peer). Must exceed the
    /// largest PDU the association accepts, or a PDU could never be completed.
    /// </summary>
    public long ReceiveBufferLimit { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// Acknowledge received data at once whenever the receive loop is about to wait (Linux <c>TCP_QUICKACK</c>), so that
    /// a peer using Nagle's algorithm is never left waiting for the delayed-ACK timer before it sends the rest of a PDU.
    /// </summary>
    public bool QuickAck { get; init; } = true;

    /// <summary>
    /// Inbound connections a listener takes at once; the next ones wait in the kernel's backlog until one ends. Null: what
    /// the process's file descriptor limit leaves room for (<see cref="DescriptorBudget"/>), at
    /// <see cref="DescriptorsPerInboundConnection"/> each.
    /// </summary>
    public int? MaxInboundConnections { get; init; }

    /// <summary>
    /// File descriptors one inbound connection may hold at once: its socket, and what the association's handler opens
    /// while serving it (a store SCP's files), which only the handler's owner knows.
    /// </summary>
    public int DescriptorsPerInboundConnection { get; init; } = 1;

    public static ConnectionOptions Default { get; } = new();
}

/// <summary>
/// One TCP connection exposed as a pair of pipes. A receive loop moves socket data into <see cref="Input"/> without
/// blocking a thread and stops reading while the consumer lags (<see cref="ConnectionOptions.ReceiveBufferLimit"/>);
/// <see cref="Output"/> writes straight to the socket. TCP_NODELAY is on, because PDUs are written whole.
/// </summary>
public sealed class DicomConnection : IAsyncDisposable
{
    /// <summary>
    /// Each socket read asks for at least this much room: DICOM data arrives in PDUs of 16 KiB to 128 KiB and more, and
    /// 4 KiB reads (the pipe's default) cost ten times the system calls and hand-offs.
    /// </summary>
    private const int MinimumReceiveBlock = 64 * 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly Pipe _receivePipe;
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _receiveLoop;
    private bool _quickAck;
    private long _quickAckRequests;
    private int _disposed;

    private DicomConnection(Socket socket, string? remoteHostName, ConnectionOptions options)
    {
        _socket = socket;
        _socket.NoDelay = true;
        RemoteEndPoint = WithoutIPv4Mapping((IPEndPoint)socket.RemoteEndPoint!);
        LocalEndPoint = WithoutIPv4Mapping((IPEndPoint)socket.LocalEndPoint!);
        RemoteHostName = remoteHostName;
        _stream = new NetworkStream(socket, ownsSocket: false);
        // The PDU reader runs on the receive loop's own thread, as soon as bytes arrive, instead of after a second
        // thread-pool hand-off: the last PDU of a C-STORE then reaches the file writer 10-60 µs sooner (a stopwatch
        // trace over 2,000 objects), and that wait is part of every response the peer waits for. When the reader waits
        // (for credit, or for a response to go out), the loop goes on reading up to the buffer limit.
        _receivePipe = new Pipe(new PipeOptions(
            pauseWriterThreshold: options.ReceiveBufferLimit,
            resumeWriterThreshold: options.ReceiveBufferLimit / 2,
            readerScheduler: PipeScheduler.Inline,
            minimumSegmentSize: MinimumReceiveBlock,
            useSynchronizationContext: false));
        Output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));
        ReceiveBufferLimit = options.ReceiveBufferLimit;
        _quickAck = options.QuickAck && TcpQuickAck.IsSupported;
        _receiveLoop = ReceiveLoopAsync();
    }

    public PipeReader Input => _receivePipe.Reader;

    public PipeWriter Output { get; }

    public IPEndPoint RemoteEndPoint { get; }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The peer's host name when host lookup is on and the address resolves; otherwise null.</summary>
    public string? RemoteHostName { get; }

    /// <summary>The host name if known, else the address: what logs call the peer.</summary>
    public string RemotePeerName => RemoteHostName ?? RemoteEndPoint.Address.ToString();

    public long ReceiveBufferLimit { get; }

    internal Socket Socket => _socket;

    /// <summary>How often the receive loop asked for an immediate acknowledgement before waiting (see <see cref="ConnectionOptions.QuickAck"/>).</summary>
    internal long QuickAckRequests => Interlocked.Read(ref _quickAckRequests);

    /// <summary>Connects to <paramref name="host"/> (name, IPv4 or IPv6 literal), trying each address in turn within the connect timeout.</summary>
    public static async Task<DicomConnection> ConnectAsync(string host, int port, ConnectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= ConnectionOptions.Default;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.ConnectTimeout is { } connectTimeout)
        {
            timeout.CancelAfter(connectTimeout);
        }

        try
        {
            IPAddress[] addresses = IPAddress.TryParse(host, out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(host, timeout.Token).ConfigureAwait(false);
            if (addresses.Length == 0)
            {
                throw new SocketException((int)SocketError.HostNotFound);
            }

            SocketException? lastError = null;
            foreach (var address in addresses)
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(address, port), timeout.Token).ConfigureAwait(false);
                    return await FromConnectedSocketAsync(socket, options, timeout.Token).ConfigureAwait(false);
                }
                catch (SocketException e)
                {
                    socket.Dispose();
                    lastError = e;
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            }

            throw lastError!;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Connecting to {host}:{port} timed out after {options.ConnectTimeout}");
        }
    }

    /// <summary>Wraps a socket that is already connected (an accepted one, or one of a test's socket pair).</summary>
    public static async Task<DicomConnection> FromConnectedSocketAsync(Socket socket, ConnectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= ConnectionOptions.Default;
        string? hostName = null;
        if (options.HostLookup && socket.RemoteEndPoint is IPEndPoint remote)
        {
            hostName = await LookUpHostNameAsync(WithoutIPv4Mapping(remote).Address, cancellationToken).ConfigureAwait(false);
        }

        return new DicomConnection(socket, hostName, options);
    }

    /// <summary>
    /// A dual-mode (IPv6) listener sees an IPv4 peer as ::ffff:a.b.c.d. As that, it is in no hosts file, so its name was
    /// asked of the DNS every time (and a lost answer held the association for the resolver's 5 s timeout), and logs
    /// showed the mapped form. The peer is the IPv4 address, as DCMTK, listening on IPv4, sees it.
    /// </summary>
    private static IPEndPoint WithoutIPv4Mapping(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    private static async Task<string?> LookUpHostNameAsync(IPAddress address, CancellationToken cancellationToken)
    {
        try
        {
            var entry = await Dns.GetHostEntryAsync(address.ToString(), cancellationToken).ConfigureAwait(false);
            return string.IsNullOrEmpty(entry.HostName) ? null : entry.HostName;
        }
        catch (SocketException)
        {
            // An address without a name is logged by its number, as DCMTK does.
            return null;
        }
    }

    private async Task ReceiveLoopAsync()
    {
        await Task.Yield();
        var writer = _receivePipe.Writer;
        Exception? error = null;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(MinimumReceiveBlock);
                var receiving = _socket.ReceiveAsync(memory, SocketFlags.None, _closing.Token);
                if (!receiving.IsCompleted && _quickAck)
                {
                    // Nothing more is there: whatever the peer still holds back waits for our acknowledgement.
                    _quickAck = TcpQuickAck.TryRequest(_socket);
                    if (_quickAck)
                    {
                        Interlocked.Increment(ref _quickAckRequests);
                    }
                }

                int received = await receiving.ConfigureAwait(false);
                if (received == 0)
                {
                    break;
                }

                writer.Advance(received);
                var flush = await writer.FlushAsync(_closing.Token).ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            error = _closing.IsCancellationRequested ? null : new IOException("The connection failed: " + e.Message, e);
        }

        await writer.CompleteAsync(error).ConfigureAwait(false);
    }

    /// <summary>
    /// Graceful end after the last PDU was written and flushed: send FIN, then wait (at most <paramref name="linger"/>) for the peer
    /// to close its side before closing the socket, so the last PDU is not lost to a reset (PS3.8 Sta13 with the ARTIM timer).
    /// Bytes still arriving meanwhile are discarded.
    /// </summary>
    public async Task CloseAfterPeerAsync(TimeSpan linger)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        try
        {
            // No flush here: the writer belongs to whoever sends, and the last PDU was flushed by its sender.
            _socket.Shutdown(SocketShutdown.Send);
            using var timer = new CancellationTokenSource(linger);
            try
            {
                while (true)
                {
                    var result = await Input.ReadAsync(timer.Token).ConfigureAwait(false);
                    Input.AdvanceTo(result.Buffer.End);
                    if (result.IsCompleted)
                    {
                        break;
                    }
                }
            }
            catch (InvalidOperationException)
            {
                // Someone else holds a read: just wait for the peer's FIN.
                await _receiveLoop.WaitAsync(timer.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException or InvalidOperationException)
        {
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Closes the socket at once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _closing.Cancel();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }

        _socket.Close();
        try
        {
            await _receiveLoop.ConfigureAwait(false);
        }
        catch (Exception)
        {
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
        _closing.Dispose();
    }
}
