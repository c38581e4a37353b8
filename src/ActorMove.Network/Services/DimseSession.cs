using System.Buffers;
using ActorMove.Dicom.Core;
using ActorMove.Network.Association;
using ActorMove.Network.Dimse;
using ActorMove.Network.Pdu;

namespace ActorMove.Network.Services;

/// <summary>How a DIMSE session's receive loop ended: the association's last event, and the protocol error that made us abort, if any.</summary>
public sealed record SessionOutcome(AssociationEvent Final, DimseProtocolException? ProtocolError = null)
{
    public bool IsOrderlyRelease => Final is AssociationReleased && ProtocolError is null;

    public override string ToString() => ProtocolError is not null
        ? $"aborted: {ProtocolError.Message}"
        : Final switch
        {
            AssociationReleased r => r.ByPeer ? "released by the peer" : "released",
            AssociationAborted a => a.ByPeer ? $"aborted by the peer ({a.Abort.Source}, {a.Abort.Reason})" : $"aborted: {a.Detail}",
            ConnectionClosed c => $"connection closed{(c.Detail is null ? "" : ": " + c.Detail)}",
            ReceiveTimedOut t => $"no DIMSE message within {t.Timeout}",
            _ => Final.ToString(),
        };
}

/// <summary>
/// DIMSE over an established association: one receive loop feeds the <see cref="DimseMessageAssembler"/>, so commands
/// reach a handler whole and data sets stream to its sinks; sends put a command and its data set on the wire as one
/// message. A DIMSE protocol error (PS3.7/PS3.8 E.2 violations) aborts the association with the right reason.
/// </summary>
public sealed class DimseSession
{
    private readonly SemaphoreSlim _messageLock = new(1, 1);
    private readonly HashSet<byte> _acceptedContexts;

    public DimseSession(DicomAssociation association)
    {
        Association = association;
        _acceptedContexts = association.Accept.PresentationContexts.Where(pc => pc.IsAccepted).Select(pc => pc.Id).ToHashSet();
    }

    public DicomAssociation Association { get; }

    public IReadOnlySet<byte> AcceptedContextIds => _acceptedContexts;

    /// <summary>The transfer syntax negotiated for an accepted presentation context.</summary>
    public TransferSyntax TransferSyntaxOf(byte presentationContextId) =>
        TransferSyntax.Lookup(Association.AcceptedContext(presentationContextId)?.TransferSyntax
                              ?? throw new ArgumentException($"Presentation context {presentationContextId} was not accepted", nameof(presentationContextId)));

    /// <summary>The abstract syntax of a presentation context, from the A-ASSOCIATE-RQ.</summary>
    public string? AbstractSyntaxOf(byte presentationContextId) =>
        Association.Request.PresentationContexts.FirstOrDefault(pc => pc.Id == presentationContextId)?.AbstractSyntax;

    /// <summary>The first accepted context for an abstract syntax, or null.</summary>
    public byte? FindAcceptedContext(string abstractSyntax)
    {
        foreach (var proposal in Association.Request.PresentationContexts)
        {
            if (proposal.AbstractSyntax == abstractSyntax && _acceptedContexts.Contains(proposal.Id))
            {
                return proposal.Id;
            }
        }

        return null;
    }

    /// <summary>Sends a message without a data set.</summary>
    public async ValueTask SendAsync(byte presentationContextId, DimseMessage message, CancellationToken cancellationToken = default)
    {
        byte[] command = CommandSetCodec.Encode(message);
        await _messageLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Association.SendMessageAsync(presentationContextId, isCommand: true, new ReadOnlySequence<byte>(command), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _messageLock.Release();
        }
    }

    /// <summary>Sends a message and its data set, already encoded in the context's transfer syntax.</summary>
    public async ValueTask SendAsync(byte presentationContextId, DimseMessage message, ReadOnlyMemory<byte> dataSet, CancellationToken cancellationToken = default)
    {
        byte[] command = CommandSetCodec.Encode(message);
        await _messageLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Association.SendMessageAsync(presentationContextId, isCommand: true, new ReadOnlySequence<byte>(command), cancellationToken).ConfigureAwait(false);
            await Association.SendMessageAsync(presentationContextId, isCommand: false, new ReadOnlySequence<byte>(dataSet), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _messageLock.Release();
        }
    }

    /// <summary>Sends a message and streams its data set (e.g. from a file) without holding it in memory.</summary>
    public async ValueTask SendAsync(byte presentationContextId, DimseMessage message, Stream dataSet, CancellationToken cancellationToken = default)
    {
        byte[] command = CommandSetCodec.Encode(message);
        await _messageLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Association.SendMessageAsync(presentationContextId, isCommand: true, new ReadOnlySequence<byte>(command), cancellationToken).ConfigureAwait(false);
            await Association.SendMessageAsync(presentationContextId, isCommand: false, dataSet, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _messageLock.Release();
        }
    }

    /// <summary>
    /// Sends a response once it is known, from the thread that makes it known, and returns at once: the receive loop goes
    /// on reading while the request is finished elsewhere (a received object written to disk), so that the response
    /// needs no hand-off back to the loop, and the loop is ready for the peer's next request the moment it is answered.
    /// The send is in flight on the association (<see cref="DicomAssociation.AddSendInFlight"/>): a peer's A-RELEASE-RQ
    /// is answered only after it, and <see cref="DicomAssociation.WaitForSendsInFlightAsync"/> lets the next request wait
    /// for it. A response that can no longer be sent because the association ended, or the session was cancelled, is
    /// dropped: the receive loop reports the end. A response that fails otherwise aborts the association, so that the
    /// peer is not left waiting for it.
    /// </summary>
    public void SendWhenKnown(byte presentationContextId, ValueTask<DimseMessage> response, CancellationToken cancellationToken = default) =>
        Association.AddSendInFlight(SendWhenKnownAsync(presentationContextId, response, cancellationToken));

    private async Task SendWhenKnownAsync(byte presentationContextId, ValueTask<DimseMessage> response, CancellationToken cancellationToken)
    {
        try
        {
            var message = await response.ConfigureAwait(false);
            await SendAsync(presentationContextId, message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException
                                  || Association.State is not (AssociationState.Sta6 or AssociationState.Sta8))
        {
            // The association ended (or is ending) first; its receive loop reports how.
        }
        catch (Exception e)
        {
            // The peer waits for this response before it sends anything else, and the receive loop for the peer: end it.
            // The abort's detail is how the receive loop reports the reason.
            await Association.AbortAsync(AbortSource.ServiceProvider, AbortReason.NotSpecified,
                $"No response could be sent: {e.Message}").ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads until the association ends, handing every complete command to <paramref name="handler"/> and every data set
    /// to the sink it returns. Nothing more is read before the handler or sink has finished with the current piece,
    /// so a slow consumer slows the peer down through TCP flow control.
    /// </summary>
    public async Task<SessionOutcome> RunAsync(IDimseMessageHandler handler, CancellationToken cancellationToken = default)
    {
        using var assembler = new DimseMessageAssembler(_acceptedContexts, handler);
        try
        {
            AssociationEvent final = new ConnectionClosed("The receive loop ended without an event");
            await foreach (var received in Association.ReceiveAsync(cancellationToken).ConfigureAwait(false))
            {
                if (received is PdvReceived pdv)
                {
                    var value = pdv.Value;
                    await assembler.ProcessAsync(new PdvFragment(value.PresentationContextId, value.IsCommand, value.IsLastFragment, value.Data)
                        { StartsPdv = pdv.StartsValue }, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                final = received;
            }

            if (final is AssociationReleased)
            {
                assembler.ThrowIfIncomplete();
            }

            return new SessionOutcome(final);
        }
        catch (DimseProtocolException e)
        {
            await Association.AbortAsync(AbortSource.ServiceProvider, (AbortReason)e.AbortReason).ConfigureAwait(false);
            return new SessionOutcome(new AssociationAborted(new Abort(AbortSource.ServiceProvider, (AbortReason)e.AbortReason), ByPeer: false, e.Message), e);
        }
    }
}
