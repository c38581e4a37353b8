using System.Buffers;
using System.IO.Pipelines;

namespace ActorMove.Network.Pdu;

/// <summary>
/// Cuts a command or data set into P-DATA-TF PDUs of one PDV each, no longer than the peer's maximum length
/// (PS3.8 9.3.5, PS3.7 Annex F), writing them straight into the pipe: the payload is copied once, into the pipe's memory.
/// </summary>
public static class PDataFragmenter
{
    /// <summary>PDU header plus PDV item header in front of each fragment.</summary>
    public const int FragmentOverhead = PduWriter.PduHeaderLength + PduWriter.PdvHeaderLength;

    /// <summary>The largest PDU we build even when the peer allows more or says 0 (unlimited): it bounds the pipe memory per fragment.</summary>
    public const int MaxPduLengthWeSend = 256 * 1024;

    /// <summary>
    /// How many payload bytes go into one P-DATA-TF for a peer whose maximum length is <paramref name="peerMaxPduLength"/> (0 = unlimited).
    /// PS3.8 D.1 bounds the PDU length field (PDV header and data); like DCMTK we also count the 6-byte PDU header, so the
    /// whole PDU fits the peer's maximum even for a peer that reads the limit that way.
    /// </summary>
    public static int MaxFragmentLength(uint peerMaxPduLength)
    {
        uint pduLength = peerMaxPduLength == 0 ? MaxPduLengthWeSend : Math.Min(peerMaxPduLength, MaxPduLengthWeSend);
        if (pduLength <= FragmentOverhead)
        {
            throw new ArgumentOutOfRangeException(nameof(peerMaxPduLength), peerMaxPduLength, "The peer's maximum PDU length leaves no room for data");
        }

        return (int)pduLength - FragmentOverhead;
    }

    /// <summary>Sends a message held in memory (or a pipe) as P-DATA-TF PDUs, flushing after each so the socket sets the pace.</summary>
    public static async ValueTask WriteAsync(PipeWriter output, byte presentationContextId, bool isCommand, ReadOnlySequence<byte> message,
        uint peerMaxPduLength, CancellationToken cancellationToken = default)
    {
        int fragmentLength = MaxFragmentLength(peerMaxPduLength);
        var remaining = message;
        do
        {
            int length = (int)Math.Min(remaining.Length, fragmentLength);
            bool last = length == remaining.Length;
            WriteFragment(output, presentationContextId, isCommand, last, remaining.Slice(0, length));
            remaining = remaining.Slice(length);
            var flush = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (flush.IsCompleted && !last)
            {
                throw new IOException("The connection closed while a message was being sent");
            }
        }
        while (remaining.Length > 0);
    }

    /// <summary>
    /// Sends a message read from a stream of unknown length. Each fragment is read straight into the pipe's memory;
    /// one byte of look-ahead tells whether a full fragment is the last one.
    /// </summary>
    public static async ValueTask WriteAsync(PipeWriter output, byte presentationContextId, bool isCommand, Stream message,
        uint peerMaxPduLength, CancellationToken cancellationToken = default)
    {
        int fragmentLength = MaxFragmentLength(peerMaxPduLength);
        byte[] lookAhead = new byte[1];
        bool hasCarry = false;
        bool last;
        do
        {
            var memory = output.GetMemory(FragmentOverhead + fragmentLength);
            var data = memory.Slice(FragmentOverhead, fragmentLength);
            int filled = 0;
            if (hasCarry)
            {
                data.Span[0] = lookAhead[0];
                filled = 1;
            }

            while (filled < fragmentLength)
            {
                int read = await message.ReadAsync(data[filled..], cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }

            if (filled < fragmentLength)
            {
                last = true;
            }
            else
            {
                last = await message.ReadAsync(lookAhead, cancellationToken).ConfigureAwait(false) == 0;
                hasCarry = !last;
            }

            WriteHeaders(memory.Span, presentationContextId, isCommand, last, filled);
            output.Advance(FragmentOverhead + filled);
            var flush = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (flush.IsCompleted && !last)
            {
                throw new IOException("The connection closed while a message was being sent");
            }
        }
        while (!last);
    }

    private static void WriteFragment(PipeWriter output, byte presentationContextId, bool isCommand, bool last, ReadOnlySequence<byte> fragment)
    {
        int length = (int)fragment.Length;
        var span = output.GetSpan(FragmentOverhead + length);
        WriteHeaders(span, presentationContextId, isCommand, last, length);
        fragment.CopyTo(span[FragmentOverhead..]);
        output.Advance(FragmentOverhead + length);
    }

    private static void WriteHeaders(Span<byte> destination, byte presentationContextId, bool isCommand, bool last, int dataLength)
    {
        PduWriter.WritePduHeader(destination, PduType.DataTransfer, (uint)(PduWriter.PdvHeaderLength + dataLength));
        PduWriter.WritePdvHeader(destination[PduWriter.PduHeaderLength..], presentationContextId, isCommand, last, dataLength);
    }
}
