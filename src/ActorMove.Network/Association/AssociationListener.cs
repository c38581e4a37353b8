using System.Net;
using ActorMove.Network.Pdu;
using ActorMove.Network.Transport;

namespace ActorMove.Network.Association;

/// <summary>
/// Accepts connections on a port and runs each as an acceptor association: the policy decides, and every established
/// association is handed to <c>onAssociation</c>, concurrently with the others. Failures of one connection (reject,
/// abort, timeout, malformed PDUs) go to <c>onFailure</c> and never affect the rest.
/// </summary>
public sealed class AssociationListener : IAsyncDisposable
{
    private readonly DicomListener _listener;
    private readonly Func<AssociateRequest, AssociateDecision> _policy;
    private readonly Func<DicomAssociation, CancellationToken, Task> _onAssociation;
    private readonly Action<Exception, IPEndPoint?>? _onFailure;
    private readonly Func<DicomConnection, AssociateReject?>? _admission;
    private readonly Action<int>? _onConnectionLimit;
    private readonly AssociationOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<Task> _running = [];
    private readonly SemaphoreSlim _connectionSlots;
    private readonly Task _acceptLoop;

    private AssociationListener(DicomListener listener, Func<AssociateRequest, AssociateDecision> policy,
        Func<DicomAssociation, CancellationToken, Task> onAssociation, AssociationOptions options, Action<Exception, IPEndPoint?>? onFailure,
        Func<DicomConnection, AssociateReject?>? admission, Action<int>? onConnectionLimit)
    {
        _admission = admission;
        _onConnectionLimit = onConnectionLimit;
        _listener = listener;
        _policy = policy;
        _onAssociation = onAssociation;
        _options = options;
        _onFailure = onFailure;
        ConnectionLimit = options.Connection.MaxInboundConnections
                          ?? DescriptorBudget.MaxInboundConnections(options.Connection.DescriptorsPerInboundConnection);
        _connectionSlots = new SemaphoreSlim(ConnectionLimit);
        _acceptLoop = AcceptLoopAsync();
    }

    public IPEndPoint LocalEndPoint => _listener.LocalEndPoint;

    public int Port => _listener.Port;

    /// <summary>Connections served at once; further ones wait in the kernel's backlog until one ends.</summary>
    public int ConnectionLimit { get; }

    /// <summary>
    /// Listens on <paramref name="endPoint"/> (port 0 picks a free one). <paramref name="admission"/> looks at each connection
    /// (peer address, and its name when host lookup is on) before negotiation: a non-null answer rejects the association
    /// with it once the A-ASSOCIATE-RQ has arrived (host access control). <paramref name="onConnectionLimit"/> hears, once,
    /// that <see cref="ConnectionLimit"/> connections are being served and another one waits.
    /// </summary>
    public static AssociationListener Start(IPEndPoint endPoint, Func<AssociateRequest, AssociateDecision> policy,
        Func<DicomAssociation, CancellationToken, Task> onAssociation, AssociationOptions? options = null, Action<Exception, IPEndPoint?>? onFailure = null,
        Func<DicomConnection, AssociateReject?>? admission = null, Action<int>? onConnectionLimit = null)
    {
        options ??= AssociationOptions.Default;
        options.Validate();
        return new AssociationListener(DicomListener.Start(endPoint, options.Connection), policy, onAssociation, options, onFailure, admission,
            onConnectionLimit);
    }

    /// <summary>Listens on every address at <paramref name="port"/>, IPv6 and IPv4.</summary>
    public static AssociationListener Start(int port, Func<AssociateRequest, AssociateDecision> policy,
        Func<DicomAssociation, CancellationToken, Task> onAssociation, AssociationOptions? options = null, Action<Exception, IPEndPoint?>? onFailure = null,
        Func<DicomConnection, AssociateReject?>? admission = null, Action<int>? onConnectionLimit = null)
    {
        options ??= AssociationOptions.Default;
        options.Validate();
        return new AssociationListener(DicomListener.Start(port, options.Connection), policy, onAssociation, options, onFailure, admission,
            onConnectionLimit);
    }

    /// <summary>How often a full listener looks whether a connection is waiting for it.</summary>
    private static readonly TimeSpan LimitCheckInterval = TimeSpan.FromSeconds(1);

    /// <summary>The pause after a failed accept, doubled while accepts keep failing, up to <see cref="MaxAcceptRetryDelay"/>.</summary>
    private static readonly TimeSpan FirstAcceptRetryDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxAcceptRetryDelay = TimeSpan.FromSeconds(1);

    private async Task AcceptLoopAsync()
    {
        await Task.Yield();
        var retryDelay = FirstAcceptRetryDelay;
        bool limitReported = false;
        while (!_stopping.IsCancellationRequested)
        {
            DicomConnection connection;
            try
            {
                // At the budget, the next connections wait in the kernel's backlog: a flood of them must not take every
                // file descriptor the process has (the runtime aborts without one). Said once, and only when a connection
                // is actually kept waiting (looked at every second while full): a migration that keeps the port full would
                // otherwise repeat it for every association that ends, and a limit nobody exceeds needs no word.
                while (!await _connectionSlots.WaitAsync(LimitCheckInterval, _stopping.Token).ConfigureAwait(false))
                {
                    if (!limitReported && _listener.HasPendingConnection)
                    {
                        limitReported = true;
                        _onConnectionLimit?.Invoke(ConnectionLimit);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }

            try
            {
                connection = await _listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _connectionSlots.Release();
                break;
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                _connectionSlots.Release();
                if (_stopping.IsCancellationRequested)
                {
                    break;
                }

                // Out of file descriptors (EMFILE) every accept fails at once until connections close. Retried without a
                // pause, that spun a core, logged each failure and starved the process until the runtime aborted it.
                // Reported once per run of failures: the first of a run still has the first delay.
                if (retryDelay == FirstAcceptRetryDelay)
                {
                    _onFailure?.Invoke(e, null);
                }

                try
                {
                    await Task.Delay(retryDelay, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxAcceptRetryDelay.Ticks));
                continue;
            }

            retryDelay = FirstAcceptRetryDelay;

            var task = Task.Run(() => RunAsync(connection));
            lock (_running)
            {
                _running.Add(task);
            }

            _ = task.ContinueWith(t =>
            {
                _connectionSlots.Release();
                lock (_running)
                {
                    _running.Remove(t);
                }
            }, TaskScheduler.Default);
        }
    }

    private async Task RunAsync(DicomConnection connection)
    {
        var peer = connection.RemoteEndPoint;
        try
        {
            var refusal = _admission?.Invoke(connection);
            var policy = refusal is null ? _policy : _ => new RejectAssociation(refusal);
            var association = await DicomAssociation.AcceptAsync(connection, policy, _options, _stopping.Token).ConfigureAwait(false);
            await using (association.ConfigureAwait(false))
            {
                await _onAssociation(association, _stopping.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            _onFailure?.Invoke(e, peer);
        }
    }

    /// <summary>Stops accepting, cancels the running associations' handlers and waits for them.</summary>
    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        await _listener.DisposeAsync().ConfigureAwait(false);
        await _acceptLoop.ConfigureAwait(false);
        Task[] running;
        lock (_running)
        {
            running = [.. _running];
        }

        try
        {
            await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Each handler's failure was reported through onFailure.
        }

        _stopping.Dispose();
    }
}
