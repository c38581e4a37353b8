using System.Buffers;

namespace ActorMove.Network.Dimse;

/// <summary>
/// One presentation data value, or a piece of one, as the P-DATA-TF layer hands it over (PS3.8 9.3.5.1, E.2): the
/// context it belongs to, the two bits of its message control header (the last-fragment bit only on the piece that ends
/// the PDV), and its bytes (only valid during the call that receives it).
/// </summary>
public readonly record struct PdvFragment(byte PresentationContextId, bool IsCommand, bool IsLast, ReadOnlySequence<byte> Data)
{
    /// <summary>The fragment begins a PDV; false for the later pieces of a PDV handed over as it arrived.</summary>
    public bool StartsPdv { get; init; } = true;

    public PdvFragment(byte presentationContextId, bool isCommand, bool isLast, ReadOnlyMemory<byte> data)
        : this(presentationContextId, isCommand, isLast, new ReadOnlySequence<byte>(data))
    {
    }
}

/// <summary>Receives a data set piece by piece as its PDVs arrive; it is never assembled in memory.</summary>
public interface IDataSetSink
{
    /// <summary>The next piece, in wire order. The bytes belong to the caller and are gone after the call returns.</summary>
    ValueTask OnFragmentAsync(ReadOnlySequence<byte> fragment, CancellationToken cancellationToken);

    /// <summary>The last PDV of the data set has been handed over.</summary>
    ValueTask OnCompleteAsync(CancellationToken cancellationToken);

    /// <summary>A new PDV of the data set begins; its bytes follow as fragments (movescu -v prints a dot for each).</summary>
    void OnPdvStarted()
    {
    }
}

/// <summary>Told about each command as soon as it is complete.</summary>
public interface IDimseMessageHandler
{
    /// <summary>
    /// Called once a command has arrived whole. When <see cref="DimseMessage.HasDataSet"/> is set, the returned sink gets
    /// the data set; returning null means "do not expect one" (movescu's --pending-ignore), so data set PDVs that
    /// arrive anyway are a protocol error. The return value is ignored for messages without a data set.
    /// </summary>
    ValueTask<IDataSetSink?> OnCommandAsync(byte presentationContextId, DimseMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// Turns a stream of PDV fragments into DIMSE messages (PS3.7 6.3, PS3.8 E.2): command fragments are collected (a
/// command set is small and must be whole to be decoded); data set fragments go straight on to the handler's sink.
/// Every violation of the message order raises <see cref="DimseProtocolException"/>, which the association layer
/// turns into an A-ABORT. Not thread-safe: one association feeds it from one reading loop.
/// </summary>
public sealed class DimseMessageAssembler : IDisposable
{
    /// <summary>
    /// Far above any real command (a C-STORE-RQ is under 300 bytes), yet small enough that a peer sending endless
    /// command fragments cannot make us buffer without limit.
    /// </summary>
    public const int DefaultMaxCommandLength = 64 * 1024;

    private const int InitialCommandBufferLength = 512;

    private readonly IReadOnlySet<byte> _acceptedContextIds;
    private readonly IDimseMessageHandler _handler;
    private readonly int _maxCommandLength;

    private State _state = State.Idle;
    private byte _currentContextId;
    private byte[]? _commandBuffer;
    private int _commandLength;
    private IDataSetSink? _sink;

    public DimseMessageAssembler(IReadOnlySet<byte> acceptedContextIds, IDimseMessageHandler handler,
        int maxCommandLength = DefaultMaxCommandLength)
    {
        ArgumentNullException.ThrowIfNull(acceptedContextIds);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCommandLength, CommandSetCodec.ElementHeaderLength);
        _acceptedContextIds = acceptedContextIds;
        _handler = handler;
        _maxCommandLength = maxCommandLength;
    }

    private enum State
    {
        Idle,
        ReadingCommand,
        ReadingDataSet,
    }

    /// <summary>True between messages: nothing half received.</summary>
    public bool IsIdle => _state == State.Idle;

    public async ValueTask ProcessAsync(PdvFragment fragment, CancellationToken cancellationToken = default)
    {
        if (!_acceptedContextIds.Contains(fragment.PresentationContextId))
        {
            throw new DimseProtocolException(DimseProtocolError.UnacceptedPresentationContext,
                $"PDV for presentation context {fragment.PresentationContextId}, which was not accepted");
        }

        if (_state != State.Idle && fragment.PresentationContextId != _currentContextId)
        {
            throw new DimseProtocolException(DimseProtocolError.PresentationContextChanged,
                $"PDV for presentation context {fragment.PresentationContextId} in the middle of a message on context {_currentContextId}");
        }

        if (fragment.IsCommand)
        {
            if (_state == State.ReadingDataSet)
            {
                throw new DimseProtocolException(DimseProtocolError.CommandDuringDataSet,
                    $"Command PDV on context {fragment.PresentationContextId} while the data set of the previous command was expected");
            }

            _currentContextId = fragment.PresentationContextId;
            _state = State.ReadingCommand;
            AppendCommand(fragment.Data);
            if (fragment.IsLast)
            {
                await CompleteCommandAsync(cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (_state != State.ReadingDataSet)
        {
            throw new DimseProtocolException(DimseProtocolError.DataSetWithoutCommand,
                _state == State.ReadingCommand
                    ? $"Data set PDV on context {fragment.PresentationContextId} before the command was complete"
                    : $"Data set PDV on context {fragment.PresentationContextId} without a command announcing a data set");
        }

        if (fragment.StartsPdv)
        {
            _sink!.OnPdvStarted();
        }

        await _sink!.OnFragmentAsync(fragment.Data, cancellationToken).ConfigureAwait(false);
        if (fragment.IsLast)
        {
            var sink = _sink;
            _sink = null;
            _state = State.Idle;
            await sink.OnCompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Raises <see cref="DimseProtocolError.IncompleteMessage"/> when the peer stops (releases) mid-message.</summary>
    public void ThrowIfIncomplete()
    {
        if (_state != State.Idle)
        {
            throw new DimseProtocolException(DimseProtocolError.IncompleteMessage,
                _state == State.ReadingCommand ? "The association ended inside a command" : "The association ended inside a data set");
        }
    }

    private void AppendCommand(ReadOnlySequence<byte> data)
    {
        if (data.Length > _maxCommandLength - _commandLength)
        {
            throw new DimseProtocolException(DimseProtocolError.CommandTooLarge,
                $"Command set exceeds {_maxCommandLength} bytes");
        }

        int needed = _commandLength + (int)data.Length;
        if (_commandBuffer is null || _commandBuffer.Length < needed)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, InitialCommandBufferLength));
            if (_commandBuffer is not null)
            {
                _commandBuffer.AsSpan(0, _commandLength).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_commandBuffer);
            }

            _commandBuffer = larger;
        }

        data.CopyTo(_commandBuffer.AsSpan(_commandLength));
        _commandLength = needed;
    }

    private async ValueTask CompleteCommandAsync(CancellationToken cancellationToken)
    {
        DimseMessage message;
        try
        {
            message = DimseMessage.Decode(_commandBuffer.AsSpan(0, _commandLength));
        }
        finally
        {
            _commandLength = 0;
        }

        _state = State.Idle;
        var sink = await _handler.OnCommandAsync(_currentContextId, message, cancellationToken).ConfigureAwait(false);
        if (message.HasDataSet && sink is not null)
        {
            _sink = sink;
            _state = State.ReadingDataSet;
        }
    }

    public void Dispose()
    {
        if (_commandBuffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_commandBuffer);
            _commandBuffer = null;
        }
    }
}
