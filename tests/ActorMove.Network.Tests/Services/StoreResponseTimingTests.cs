using System.Buffers;
using ActorMove.Network.Association;
using ActorMove.Network.Dimse;
using ActorMove.Network.Pdu;
using ActorMove.Network.Services;
using ActorMove.Testing;
using Xunit;
using static ActorMove.Network.Tests.Association.Peers;

namespace ActorMove.Network.Tests.Services;

/// <summary>
/// The store SCP's receive loop does not wait for an object to be finished: the C-STORE-RSP goes out from whoever
/// finishes it, while the loop is already reading what comes next. A release is still answered only after that response.
/// </summary>
public class StoreResponseTimingTests
{
    private const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";

    [Fact]
    public async Task A_release_read_while_a_response_is_pending_is_answered_after_that_response()
    {
        await using var pending = await PendingStore.StartAsync();
        var (handler, server, client) = pending;

        await using var events = client.ReceiveAsync().GetAsyncEnumerator();
        var firstMessage = ReceiveMessageAsync(events);
        var releasing = client.ReleaseAsync();

        // The loop went on reading: it has the A-RELEASE-RQ while the object is still being finished...
        var serverSide = await server.Association.Task.WaitAsync(Patience);
        Assert.True(await Poll.UntilAsync(() => serverSide.State != AssociationState.Sta6, Patience), "the A-RELEASE-RQ was not read");
        // ...and holds the A-RELEASE-RP back.
        await Task.Delay(200);
        Assert.False(firstMessage.IsCompleted, "something was sent before the C-STORE-RSP");

        handler.Status.SetResult(DimseStatus.Success);

        var (response, _) = await firstMessage.WaitAsync(Patience);
        Assert.NotNull(response);
        Assert.True(response.IsCommand);
        var store = Assert.IsType<CStoreResponse>(DimseMessage.Decode(response.Data));
        Assert.Equal(new CStoreResponse(1, DimseStatus.Success, CtImageStorage, "1.2.3.4"), store);
        var (_, final) = await ReceiveMessageAsync(events).WaitAsync(Patience);
        Assert.Equal(new AssociationReleased(ByPeer: false), final);
        await releasing.WaitAsync(Patience);
        Assert.True((await server.Outcome.Task.WaitAsync(Patience)).IsOrderlyRelease);
    }

    [Fact]
    public async Task A_peer_that_aborts_while_a_response_is_pending_ends_the_session_at_once_and_the_late_status_is_dropped()
    {
        await using var pending = await PendingStore.StartAsync();
        var (handler, server, client) = pending;

        await client.AbortAsync();

        var outcome = await server.Outcome.Task.WaitAsync(Patience);
        Assert.Equal(new AssociationAborted(new Abort(AbortSource.ServiceUser, AbortReason.NotSpecified), ByPeer: true), outcome.Final);
        // Finishing the object afterwards sends nothing and throws nothing on the finishing thread.
        handler.Status.SetResult(DimseStatus.Success);
        Assert.Equal(1, handler.Completed);
    }

    [Fact]
    public async Task A_response_that_cannot_be_made_aborts_the_association_instead_of_leaving_the_peer_waiting()
    {
        await using var pending = await PendingStore.StartAsync();
        var (handler, server, client) = pending;

        handler.Status.SetException(new InvalidOperationException("the object could not be finished"));

        await using var events = client.ReceiveAsync().GetAsyncEnumerator();
        var (message, final) = await ReceiveMessageAsync(events).WaitAsync(Patience);
        Assert.Null(message);
        Assert.Equal(new AssociationAborted(new Abort(AbortSource.ServiceProvider, AbortReason.NotSpecified), ByPeer: true), final);
        var outcome = await server.Outcome.Task.WaitAsync(Patience);
        var aborted = Assert.IsType<AssociationAborted>(outcome.Final);
        Assert.False(aborted.ByPeer);
        Assert.Contains("the object could not be finished", aborted.Detail);
    }

    /// <summary>A store server that has received one object whose status it still holds, and the client that sent it.</summary>
    private sealed record PendingStore(HeldStoreHandler Handler, StoreServer Server, DicomAssociation Client) : IAsyncDisposable
    {
        public static async Task<PendingStore> StartAsync()
        {
            var handler = new HeldStoreHandler();
            var server = StoreServer.Start(handler);
            DicomAssociation? client = null;
            try
            {
                client = await RequestAndStoreAsync(server.Port);
                await handler.Completing.Task.WaitAsync(Patience);
                return new PendingStore(handler, server, client);
            }
            catch
            {
                if (client is not null)
                {
                    await client.DisposeAsync();
                }

                await server.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await Server.DisposeAsync();
        }
    }

    private static async Task<DicomAssociation> RequestAndStoreAsync(int port)
    {
        var options = Options();
        var request = DicomAssociation.CreateRequest("STORE-SCP", "STORE-SCU", [new PresentationContextProposal(1, CtImageStorage, [ImplicitLittleEndian])], options);
        var client = await DicomAssociation.RequestAsync("127.0.0.1", port, request, options).WaitAsync(Patience);
        await client.SendMessageAsync(1, isCommand: true, new ReadOnlySequence<byte>(CommandSetCodec.Encode(new CStoreRequest(1, CtImageStorage, "1.2.3.4"))));
        await client.SendMessageAsync(1, isCommand: false, new ReadOnlySequence<byte>(RandomBytes(40_000, 11)));
        return client;
    }

    /// <summary>A store SCP on a free port whose one association is served by <see cref="StoreScp"/>.</summary>
    private sealed class StoreServer : IAsyncDisposable
    {
        private readonly AssociationListener _listener;

        private StoreServer(IStoreHandler handler)
        {
            _listener = AssociationListener.Start(AnyLoopbackPort, AcceptCtImages, async (association, ct) =>
            {
                Association.TrySetResult(association);
                Outcome.TrySetResult(await StoreScp.ServeAsync(association, handler, ct));
            }, Options());
        }

        public TaskCompletionSource<DicomAssociation> Association { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<SessionOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Port => _listener.Port;

        public static StoreServer Start(IStoreHandler handler) => new(handler);

        private static AssociateDecision AcceptCtImages(AssociateRequest request) =>
            AssociateDecision.Accept(request.PresentationContexts.Select(pc =>
                new PresentationContextResult(pc.Id, PresentationContextResultReason.Acceptance, ImplicitLittleEndian)));

        public ValueTask DisposeAsync() => _listener.DisposeAsync();
    }

    /// <summary>One object whose status the test gives when it chooses, as a file writer on another thread would.</summary>
    private sealed class HeldStoreHandler : IStoreHandler, IStoreTarget
    {
        public int Completed;

        public TaskCompletionSource Completing { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Continuations run on the thread that sets it, as <see cref="IStoreTarget.CompleteAsync"/> asks.</summary>
        public TaskCompletionSource<ushort> Status { get; } = new();

        public ValueTask<IStoreTarget> BeginStoreAsync(StoreRequestContext request, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IStoreTarget>(this);

        public ValueTask WriteAsync(ReadOnlySequence<byte> fragment, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask<ushort> CompleteAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Completed);
            Completing.TrySetResult();
            return new ValueTask<ushort>(Status.Task.WaitAsync(cancellationToken));
        }

        public ValueTask AbortAsync() => ValueTask.CompletedTask;
    }
}
