using System.Buffers;
using ActorMove.Network.Association;
using ActorMove.Network.Pdu;
using Xunit;
using static ActorMove.Network.Tests.Association.Peers;

namespace ActorMove.Network.Tests.Association;

public class AssociationTests
{
    private static async Task<T> Within<T>(Task<T> task) => await task.WaitAsync(Patience);

    [Fact]
    public async Task Requestor_associates_exchanges_fragmented_messages_and_releases()
    {
        var ended = new TaskCompletionSource<AssociationEvent>();
        var options = Options(maxPdu: 4096);
        await using var listener = AssociationListener.Start(AnyLoopbackPort, AcceptVerification, Echo(ended), Options(maxPdu: 8192));

        var association = await DicomAssociation.RequestAsync("127.0.0.1", listener.Port, VerificationRequest(options), options);
        Assert.Equal(AssociationState.Sta6, association.State);
        var context = Assert.Single(association.Accept.PresentationContexts);
        Assert.Equal(new PresentationContextResult(1, PresentationContextResultReason.Acceptance, ImplicitLittleEndian), context);
        Assert.Equal(8192u, association.PeerMaxPduLength);
        Assert.Equal(ActorMove.Dicom.IO.Writing.ActorMoveImplementation.ClassUid, association.Accept.UserInformation.ImplementationClassUid);

        var command = RandomBytes(100, 1);
        var dataSet = RandomBytes(50_000, 2);
        await association.SendMessageAsync(1, isCommand: true, new ReadOnlySequence<byte>(command));
        await association.SendMessageAsync(1, isCommand: false, new MemoryStream(dataSet));

        // The echo comes back cut to our 4096-byte maximum; a longer PDU would abort the association.
        await using (var events = association.ReceiveAsync().GetAsyncEnumerator())
        {
            var (first, _) = await Within(ReceiveMessageAsync(events));
            Assert.Equal(new Message(1, true, command).Data, first!.Data);
            Assert.True(first.IsCommand);
            var (second, _) = await Within(ReceiveMessageAsync(events));
            Assert.False(second!.IsCommand);
            Assert.Equal(dataSet, second.Data);
        }

        await association.ReleaseAsync().WaitAsync(Patience);
        Assert.Equal(AssociationState.Sta1, association.State);
        Assert.Equal(new AssociationReleased(ByPeer: true), await Within(ended.Task));
    }

    [Fact]
    public async Task Accepted_contexts_are_found_by_id_on_both_sides_and_refused_or_unknown_ones_are_not()
    {
        var acceptorSide = new TaskCompletionSource<DicomAssociation>(TaskCreationOptions.RunContinuationsAsynchronously);
        var done = new TaskCompletionSource();
        await using var listener = AssociationListener.Start(AnyLoopbackPort, AcceptVerification, async (association, ct) =>
        {
            acceptorSide.SetResult(association);
            await done.Task.WaitAsync(ct);
        }, Options());
        var options = Options();
        var request = DicomAssociation.CreateRequest("ANY-SCP", "ACTORMOVE",
        [
            new PresentationContextProposal(1, Verification, [ImplicitLittleEndian]),
            new PresentationContextProposal(3, "1.2.840.10008.5.1.4.1.1.2", [ImplicitLittleEndian]),
        ], options);

        await using var requestor = await DicomAssociation.RequestAsync("127.0.0.1", listener.Port, request, options);
        var acceptor = await Within(acceptorSide.Task);

        foreach (var side in new[] { requestor, acceptor })
        {
            Assert.Equal(new PresentationContextResult(1, PresentationContextResultReason.Acceptance, ImplicitLittleEndian), side.AcceptedContext(1));
            Assert.Null(side.AcceptedContext(3)); // refused (abstract syntax not supported)
            Assert.Null(side.AcceptedContext(5)); // never proposed
        }

        done.SetResult();
    }

    [Fact]
    public async Task Acceptor_releases_and_the_requestor_sees_it()
    {
        var released = new TaskCompletionSource();
        await using var listener = AssociationListener.Start(AnyLoopbackPort, AcceptVerification, async (association, ct) =>
        {
            await association.ReleaseAsync(ct);
            released.SetResult();
        }, Options());

        var options = Options();
        await using var requestor = await DicomAssociation.RequestAsync("127.0.0.1", listener.Port, VerificationRequest(options), options);
        var events = new List<AssociationEvent>();
        await foreach (var e in requestor.ReceiveAsync().WithCancellation(new CancellationTokenSource(Patience).Token))
        {
            events.Add(e);
        }

        Assert.Equal([new AssociationReleased(ByPeer: true)], events);
        await released.Task.WaitAsync(Patience);
    }

    [Fact]
    public async Task Rejection_comes_back_as_typed_values()
    {
        var failures = new TaskCompletionSource<Exception>();
        await using var listener = AssociationListener.Start(AnyLoopbackPort,
            _ => AssociateDecision.Reject(RejectResult.Transient, RejectSource.ServiceProviderPresentation, (byte)RejectReasonPresentation.LocalLimitExceeded),
            (_, _) => Task.CompletedTask, Options(), (e, _) => failures.TrySetResult(e));

        var options = Options();
        var error = await Assert.ThrowsAsync<AssociationRejectedException>(() =>
            DicomAssociation.RequestAsync("127.0.0.1", listener.Port, VerificationRequest(options), options));
        Assert.True(error.ByPeer);
        Assert.Equal(new AssociateReject(RejectResult.Transient, RejectSource.ServiceProviderPresentation, 2), error.Reject);
        Assert.Equal("Local Limit Exceeded", error.Reject.ReasonText);
        var local = Assert.IsType<AssociationRejectedException>(await Within(failures.Task));
        Assert.False(local.ByPeer);
    }

    [Fact]
    public async Task Acceptor_rejects_an_unknown_application_context_itself()
    {
        await using var listener = AssociationListener.Start(AnyLoopbackPort, AcceptVerification, (_, _) => Task.CompletedTask, Options());
        var options = Options();
        var request = VerificationRequest(options) with { ApplicationContextName = "1.2.3.4" };
        var error = await Assert.ThrowsAsync<AssociationRejectedException>(() => DicomAssociation.RequestAsync("127.0.0.1", listener.Port, request, options));
        Assert.Equal(new AssociateReject(RejectResult.Permanent, RejectReasonServiceUser.ApplicationContextNameNotSupported), error.Reject);
    }

    [Fact]
    public async Task Requestor_abort_reaches_the_acceptor()
    {
        var ended = new TaskCompletionSource<AssociationEvent>();
        await using var listener = AssociationListener.Start(AnyLoopbackPort, AcceptVerification, Echo(ended), Options());
        var options = Options();
        var association = await DicomAssociation.RequestAsync("127.0.0.1", listener.Port, VerificationRequest(options), options);
        await association.AbortAsync();
        Assert.Equal(new AssociationAborted(new Abort(AbortSource.ServiceUser, AbortReason.NotSpecified), ByPeer: true), await Within(ended.Task));
        Assert.Equal(AssociationState.Sta13, association.State);
        await association.DisposeAsync();
    }

    [Fact]
    public async Task Acceptor_abort_reaches_the_requestor()
    {
        await using var listener = AssociationListener.Start(AnyLoopbackPort, AcceptVerification,
            (association, _) => association.AbortAsync(AbortSource.ServiceUser), Options());
        var options = Options();
        await using var requestor = await DicomAssociation.RequestAsync("127.0.0.1", listener.Port, VerificationRequest(options), options);
        await using var events = requestor.ReceiveAsync().GetAsyncEnumerator();
        var (_, final) = await Within(ReceiveMessageAsync(events));
        Assert.Equal(new AssociationAborted(new Abort(AbortSource.ServiceUser, AbortReason.NotSpecified), ByPeer: true), final);
        Assert.Equal(AssociationState.Sta1, requestor.State);
    }

    [Fact]
    public async Task Requestor_gives_up_after_the_acse_timeout_when_the_peer_stays_silent()
    {
        var (requesting, silentPeer) = await RequestFromRawPeerAsync(Options(acseTimeout: TimeSpan.FromSeconds(1)));
        await using var peer = silentPeer;

        var error = await Assert.ThrowsAsync<AssociationTimeoutException>(() => requesting.WaitAsync(Patience));
        Assert.Equal(TimeSpan.FromSeconds(1), error.Timeout);
        // What the silent peer got: our A-ASSOCIATE-RQ, then an A-ABORT, then the end of the connection.
        Assert.IsType<AssociateRequest>(await peer.ReadPduAsync());
        Assert.Equal(new Abort(AbortSource.ServiceProvider, AbortReason.NotSpecified), await peer.ReadPduAsync());
        Assert.Empty(await peer.ReadToEndAsync());
    }

    [Fact]
    public async Task Acceptor_closes_a_silent_connection_when_artim_expires()
    {
        var failures = new TaskCompletionSource<Exception>();
        await using var listener = AssociationListener.Start(AnyLoopbackPort, AcceptVerification, (_, _) => Task.CompletedTask,
            Options(acseTimeout: TimeSpan.FromSeconds(1)), (e, _) => failures.TrySetResult(e));
        await using var peer = await RawPeer.ConnectAsync(listener.Port);

        Assert.Empty(await peer.ReadToEndAsync());
        Assert.IsType<AssociationTimeoutException>(await Within(failures.Task));
    }

    [Fact]
    public async Task Dimse_timeout_ends_the_receive_stream_but_keeps_the_association()
    {
        var ended = new TaskCompletionSource<AssociationEvent>();
        await using var listener = AssociationListener.Start(AnyLoopbackPort, AcceptVerification, Echo(ended), Options());
        var options = Options(dimseTimeout: TimeSpan.FromMilliseconds(300));
        await using var association = await DicomAssociation.RequestAsync("127.0.0.1", listener.Port, VerificationRequest(options), options);

        var events = new List<AssociationEvent>();
        await foreach (var e in association.ReceiveAsync())
        {
            events.Add(e);
        }

        Assert.Equal([new ReceiveTimedOut(TimeSpan.FromMilliseconds(300))], events);
        Assert.Equal(AssociationState.Sta6, association.State);
        await association.ReleaseAsync().WaitAsync(Patience);
        Assert.Equal(new AssociationReleased(ByPeer: true), await Within(ended.Task));
    }

    [Fact]
    public async Task Release_collision_on_the_requestor_side()
    {
        await using var associated = await AssociateWithRawPeerAsync(Options());
        var (association, peer) = associated;

        var releasing = association.ReleaseAsync();
        Assert.IsType<ReleaseRequest>(await peer.ReadPduAsync());
        // Both sides asked: the requestor answers first (Sta9 -> Sta11), then waits for the acceptor's answer.
        await peer.SendAsync(ReleaseRequest.Instance);
        Assert.IsType<ReleaseResponse>(await peer.ReadPduAsync());
        Assert.Equal(AssociationState.Sta11, association.State);
        await peer.SendAsync(ReleaseResponse.Instance);
        await releasing.WaitAsync(Patience);
        Assert.Equal(AssociationState.Sta1, association.State);
        Assert.Empty(await peer.ReadToEndAsync());
    }

    [Fact]
    public async Task Release_collision_on_the_acceptor_side()
    {
        var released = new TaskCompletionSource<AssociationState>();
        DicomAssociation? accepted = null;
        var releasing = new TaskCompletionSource<Task>();
        await using var listener = AssociationListener.Start(AnyLoopbackPort, AcceptVerification, async (association, ct) =>
        {
            accepted = association;
            var release = association.ReleaseAsync(ct);
            releasing.SetResult(release);
            await release;
            released.SetResult(association.State);
        }, Options());

        await using var peer = await RawPeer.ConnectAsync(listener.Port);
        var options = Options();
        await peer.SendAsync(VerificationRequest(options));
        Assert.IsType<AssociateAccept>(await peer.ReadPduAsync());
        Assert.IsType<ReleaseRequest>(await peer.ReadPduAsync());
        // The requestor asks too: the acceptor (Sta10) waits for the requestor's answer before answering.
        await peer.SendAsync(ReleaseRequest.Instance);
        await peer.SendAsync(ReleaseResponse.Instance);
        Assert.IsType<ReleaseResponse>(await peer.ReadPduAsync());
        Assert.Equal(AssociationState.Sta13, await Within(released.Task));
        peer.ShutdownSend();
        Assert.Empty(await peer.ReadToEndAsync());
    }

    [Fact]
    public async Task Acceptor_rejects_an_unsupported_protocol_version_itself()
    {
        await using var listener = AssociationListener.Start(AnyLoopbackPort, AcceptVerification, (_, _) => Task.CompletedTask, Options());
        await using var peer = await RawPeer.ConnectAsync(listener.Port);
        await peer.SendAsync(VerificationRequest(Options()) with { ProtocolVersion = 0x0002 });
        Assert.Equal(new AssociateReject(RejectResult.Permanent, RejectReasonAcse.ProtocolVersionNotSupported), await peer.ReadPduAsync());
        peer.ShutdownSend();
        Assert.Empty(await peer.ReadToEndAsync());
    }

    [Fact]
    public async Task Release_gives_up_after_the_acse_timeout_while_a_receive_loop_runs()
    {
        await using var associated = await AssociateWithRawPeerAsync(Options(acseTimeout: TimeSpan.FromSeconds(1)));
        var (association, peer) = associated;

        // A receive loop without DIMSE timeout is running when the release starts.
        var receiving = Task.Run(async () =>
        {
            var events = new List<AssociationEvent>();
            await foreach (var e in association.ReceiveAsync())
            {
                events.Add(e);
            }

            return events;
        });
        while (association.State == AssociationState.Sta6 && !receiving.IsCompleted && !association.IsReceiving)
        {
            await Task.Delay(10);
        }

        var error = await Assert.ThrowsAsync<AssociationTimeoutException>(() => association.ReleaseAsync().WaitAsync(Patience));
        Assert.Equal(TimeSpan.FromSeconds(1), error.Timeout);
        Assert.IsType<ReleaseRequest>(await peer.ReadPduAsync());
        Assert.Equal(new Abort(AbortSource.ServiceProvider, AbortReason.NotSpecified), await peer.ReadPduAsync());
        Assert.Empty(await peer.ReadToEndAsync());
        var events = await receiving.WaitAsync(Patience);
        var aborted = Assert.IsType<AssociationAborted>(Assert.Single(events));
        Assert.False(aborted.ByPeer);
    }

    [Fact]
    public async Task Contexts_the_policy_leaves_out_are_refused_with_implicit_little_endian()
    {
        await using var listener = AssociationListener.Start(AnyLoopbackPort,
            request => AssociateDecision.Accept([new PresentationContextResult(3, PresentationContextResultReason.AbstractSyntaxNotSupported, "")]),
            (_, _) => Task.CompletedTask, Options());
        var options = Options();
        var request = DicomAssociation.CreateRequest("ANY", "ME",
            [new PresentationContextProposal(1, Verification, [ExplicitLittleEndian]), new PresentationContextProposal(3, "1.2.3", [ExplicitLittleEndian])], options);
        await using var association = await DicomAssociation.RequestAsync("127.0.0.1", listener.Port, request, options);
        Assert.Equal(
            [
                new PresentationContextResult(1, PresentationContextResultReason.NoReason, ImplicitLittleEndian),
                new PresentationContextResult(3, PresentationContextResultReason.AbstractSyntaxNotSupported, ImplicitLittleEndian),
            ],
            association.Accept.PresentationContexts);
    }

    [Fact]
    public async Task Next_pdu_is_not_processed_before_the_consumer_asks_for_more()
    {
        await using var associated = await AssociateWithRawPeerAsync(Options());
        var (association, peer) = associated;

        // One send: a P-DATA-TF with two PDVs and an A-ABORT right behind it, so they arrive together.
        var data = new DataTransfer(
        [
            new PresentationDataValue(1, true, false, new ReadOnlySequence<byte>(RandomBytes(1000, 1))),
            new PresentationDataValue(1, true, true, new ReadOnlySequence<byte>(RandomBytes(500, 2))),
        ]);
        await peer.SendAsync([.. PduWriter.ToArray(data), .. PduWriter.ToArray(new Abort(AbortSource.ServiceUser, AbortReason.NotSpecified))]);

        await using var events = association.ReceiveAsync().GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal(RandomBytes(1000, 1), Assert.IsType<PdvReceived>(events.Current).Value.Data.ToArray());
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal(RandomBytes(500, 2), Assert.IsType<PdvReceived>(events.Current).Value.Data.ToArray());
        // The abort is buffered but not acted on while the consumer holds the fragment.
        Assert.Equal(AssociationState.Sta6, association.State);
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal(new AssociationAborted(new Abort(AbortSource.ServiceUser, AbortReason.NotSpecified), ByPeer: true), events.Current);
        Assert.Equal(AssociationState.Sta1, association.State);
        Assert.False(await events.MoveNextAsync());
    }

    [Fact]
    public async Task A_large_pdv_is_handed_over_while_the_rest_of_it_is_still_on_the_wire()
    {
        await using var associated = await AssociateWithRawPeerAsync(Options());
        var (association, peer) = associated;
        var value = RandomBytes(12_000, 4);
        byte[] pdu = PduWriter.ToArray(new DataTransfer([new PresentationDataValue(1, false, true, new ReadOnlySequence<byte>(value))]));
        const int firstPart = 5_000;

        // Only the first part of the PDU is sent: its PDV must come out before the peer sends the rest.
        await peer.SendAsync(pdu[..firstPart]);
        await using var events = association.ReceiveAsync().GetAsyncEnumerator();
        var received = new List<byte>();
        while (received.Count < firstPart - PduWriter.PduHeaderLength - PduWriter.PdvHeaderLength)
        {
            Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(Patience));
            var piece = Assert.IsType<PdvReceived>(events.Current).Value;
            Assert.False(piece.IsLastFragment);
            received.AddRange(piece.Data.ToArray());
        }

        await peer.SendAsync(pdu[firstPart..]);
        var (rest, _) = await ReceiveMessageAsync(events).WaitAsync(Patience);
        Assert.Equal(value, received.Concat(rest!.Data).ToArray());
    }

    [Fact]
    public async Task A_receive_loop_that_stops_inside_a_pdu_leaves_the_rest_of_it_to_the_next_one()
    {
        await using var associated = await AssociateWithRawPeerAsync(Options());
        var (association, peer) = associated;
        var data = new DataTransfer(
        [
            new PresentationDataValue(1, true, false, new ReadOnlySequence<byte>(RandomBytes(300, 5))),
            new PresentationDataValue(1, true, true, new ReadOnlySequence<byte>(RandomBytes(200, 6))),
        ]);
        await peer.SendAsync(PduWriter.ToArray(data));

        var firstValue = new List<byte>();
        await using (var first = association.ReceiveAsync().GetAsyncEnumerator())
        {
            while (firstValue.Count < 300)
            {
                Assert.True(await first.MoveNextAsync().AsTask().WaitAsync(Patience));
                firstValue.AddRange(Assert.IsType<PdvReceived>(first.Current).Value.Data.ToArray());
            }
        }

        Assert.Equal(RandomBytes(300, 5), firstValue.ToArray());
        await using var second = association.ReceiveAsync().GetAsyncEnumerator();
        var (rest, _) = await ReceiveMessageAsync(second).WaitAsync(Patience);
        Assert.Equal(RandomBytes(200, 6), rest!.Data);
    }

    [Fact]
    public async Task A_peer_that_stalls_inside_a_pdv_times_out_after_the_part_that_came_and_can_still_finish_it()
    {
        await using var associated = await AssociateWithRawPeerAsync(Options(dimseTimeout: TimeSpan.FromMilliseconds(300)));
        var (association, peer) = associated;
        var value = RandomBytes(3_000, 7);
        byte[] pdu = PduWriter.ToArray(new DataTransfer([new PresentationDataValue(1, false, true, new ReadOnlySequence<byte>(value))]));
        const int firstPart = 1_000;
        await peer.SendAsync(pdu[..firstPart]);

        // The part that came is handed over; then nothing arrives within the DIMSE timeout.
        var received = new List<byte>();
        await using (var events = association.ReceiveAsync().GetAsyncEnumerator())
        {
            while (await events.MoveNextAsync().AsTask().WaitAsync(Patience) && events.Current is PdvReceived { Value: var piece })
            {
                Assert.False(piece.IsLastFragment);
                received.AddRange(piece.Data.ToArray());
            }

            Assert.Equal(new ReceiveTimedOut(TimeSpan.FromMilliseconds(300)), events.Current);
        }

        Assert.Equal(firstPart - PduWriter.PduHeaderLength - PduWriter.PdvHeaderLength, received.Count);
        Assert.Equal(AssociationState.Sta6, association.State);

        // The association is still up: a new receive loop picks the PDV up where the peer resumes it.
        await peer.SendAsync(pdu[firstPart..]);
        await using var resumed = association.ReceiveAsync().GetAsyncEnumerator();
        var (rest, _) = await ReceiveMessageAsync(resumed).WaitAsync(Patience);
        Assert.Equal(value, received.Concat(rest!.Data).ToArray());
    }
}
