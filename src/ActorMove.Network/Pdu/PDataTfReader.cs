using System.Buffers;
using System.Buffers.Binary;

namespace ActorMove.Network.Pdu;

/// <summary>
/// Where a streamed P-DATA-TF body stands (<see cref="PDataTfReader"/>): the bytes of the body not yet read, and of the
/// PDV value being handed over.
/// </summary>
public struct PDataTfProgress
{
    internal uint BodyRemaining;
    internal uint ValueRemaining;
    internal byte PresentationContextId;
    internal byte MessageControlHeader;
    internal bool ValueStarted;

    /// <summary>True while a P-DATA-TF body is being read: its header has been consumed, not all of its body yet.</summary>
    public readonly bool IsActive => BodyRemaining > 0;

    /// <summary>Inside a PDV value: its item header has been consumed, not all of its value yet.</summary>
    internal readonly bool InValue => ValueRemaining > 0;
}

/// <summary>
/// Reads the body of a P-DATA-TF (PS3.8 9.3.5) as its bytes arrive instead of once it is whole: each PDV value is handed
/// over in pieces of whatever part of it is buffered, so a large PDV reaches its consumer (a file being written) while the
/// rest is still on the wire. Every PDV item header is checked against what remains of the PDU before any of its value is
/// handed over; a piece never extends past its PDV, and only a PDV's last piece carries its last-fragment bit.
/// </summary>
public static class PDataTfReader
{
    private const int PdvLengthFieldLength = 4;
    private const int PdvMinimumItemLength = 2;
    private const int ContextIdOffset = 4;
    private const int MessageControlHeaderOffset = 5;

    /// <summary>Starts the body of a P-DATA-TF whose header (already consumed, and checked against the limit) gave <paramref name="bodyLength"/>.</summary>
    public static PDataTfProgress Begin(uint bodyLength)
    {
        if (bodyLength == 0)
        {
            throw new PduFormatException(AbortReason.InvalidPduParameterValue, "P-DATA-TF without a PDV item");
        }

        return new PDataTfProgress { BodyRemaining = bodyLength };
    }

    /// <summary>
    /// The next piece of a PDV value, if the buffer holds one, with <paramref name="buffer"/> sliced past what was
    /// consumed (also when it returns false: a PDV item header may have been consumed without any value after it).
    /// <paramref name="startsValue"/> is set on the first piece of each PDV, so the caller can check its presentation
    /// context once. A PDV with an empty value is one empty piece.
    /// </summary>
    public static bool TryReadPiece(ref ReadOnlySequence<byte> buffer, ref PDataTfProgress progress, out PresentationDataValue piece, out bool startsValue)
    {
        piece = default;
        startsValue = false;
        if (!progress.InValue)
        {
            if (progress.BodyRemaining == 0)
            {
                return false;
            }

            if (progress.BodyRemaining < PduWriter.PdvHeaderLength)
            {
                throw new PduFormatException(AbortReason.InvalidPduParameterValue,
                    $"P-DATA-TF has {progress.BodyRemaining} bytes left, too few for a PDV item header");
            }

            if (buffer.Length < PduWriter.PdvHeaderLength)
            {
                return false;
            }

            Span<byte> header = stackalloc byte[PduWriter.PdvHeaderLength];
            buffer.Slice(0, PduWriter.PdvHeaderLength).CopyTo(header);
            uint itemLength = BinaryPrimitives.ReadUInt32BigEndian(header);
            uint room = progress.BodyRemaining - PdvLengthFieldLength;
            if (itemLength < PdvMinimumItemLength || itemLength > room)
            {
                throw new PduFormatException(AbortReason.InvalidPduParameterValue,
                    $"PDV item length {itemLength} does not fit the {room} bytes left in the P-DATA-TF");
            }

            buffer = buffer.Slice(PduWriter.PdvHeaderLength);
            progress.BodyRemaining -= PduWriter.PdvHeaderLength;
            progress.ValueRemaining = itemLength - PdvMinimumItemLength;
            progress.PresentationContextId = header[ContextIdOffset];
            progress.MessageControlHeader = header[MessageControlHeaderOffset];
            progress.ValueStarted = false;
            if (progress.ValueRemaining == 0)
            {
                startsValue = true;
                piece = MakePiece(progress, ReadOnlySequence<byte>.Empty, endsValue: true);
                return true;
            }
        }

        if (buffer.IsEmpty)
        {
            return false;
        }

        uint take = (uint)Math.Min(buffer.Length, progress.ValueRemaining);
        var data = buffer.Slice(0, take);
        buffer = buffer.Slice(take);
        progress.ValueRemaining -= take;
        progress.BodyRemaining -= take;
        startsValue = !progress.ValueStarted;
        progress.ValueStarted = true;
        piece = MakePiece(progress, data, endsValue: !progress.InValue);
        return true;
    }

    private static PresentationDataValue MakePiece(in PDataTfProgress progress, ReadOnlySequence<byte> data, bool endsValue) =>
        new(progress.PresentationContextId,
            (progress.MessageControlHeader & PresentationDataValue.CommandBit) != 0,
            endsValue && (progress.MessageControlHeader & PresentationDataValue.LastFragmentBit) != 0,
            data);
}
