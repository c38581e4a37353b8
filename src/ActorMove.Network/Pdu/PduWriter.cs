using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace ActorMove.Network.Pdu;

/// <summary>
/// Encodes PDUs (PS3.8 9.3) into a buffer writer (a PipeWriter in practice). Lengths are computed first, so each
/// PDU is written in one pass into one span. P-DATA-TF payloads go through <see cref="PDataFragmenter"/> instead.
/// </summary>
public static class PduWriter
{
    public const int PduHeaderLength = 6;
    public const int ItemHeaderLength = 4;
    public const int AeTitleLength = 16;

    /// <summary>Protocol version, reserved, called AE, calling AE, 32 reserved bytes (PS3.8 Table 9-11).</summary>
    public const int AssociateFixedFieldsLength = 2 + 2 + AeTitleLength + AeTitleLength + 32;

    /// <summary>PDV item length field (4), presentation context ID (1), message control header (1).</summary>
    public const int PdvHeaderLength = 6;

    /// <summary>Writes one PDU; returns the number of bytes written.</summary>
    public static int Write(IBufferWriter<byte> output, DicomPdu pdu)
    {
        int bodyLength = BodyLength(pdu);
        int total = PduHeaderLength + bodyLength;
        var span = output.GetSpan(total)[..total];
        span[0] = (byte)pdu.Type;
        span[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(span[2..], (uint)bodyLength);
        var body = span[PduHeaderLength..];
        int written = pdu switch
        {
            AssociateRequest rq => WriteAssociate(body, rq.ProtocolVersion, rq.CalledAeTitle, rq.CallingAeTitle, rq.ApplicationContextName,
                rq.PresentationContexts.Select(pc => (Func<Span<byte>, int>)(s => WriteProposal(s, pc))), rq.UserInformation),
            AssociateAccept ac => WriteAssociate(body, ac.ProtocolVersion, ac.CalledAeTitle, ac.CallingAeTitle, ac.ApplicationContextName,
                ac.PresentationContexts.Select(pc => (Func<Span<byte>, int>)(s => WriteResult(s, pc))), ac.UserInformation),
            AssociateReject rj => WriteFour(body, 0, (byte)rj.Result, (byte)rj.Source, rj.Reason),
            ReleaseRequest or ReleaseResponse => WriteFour(body, 0, 0, 0, 0),
            Abort ab => WriteFour(body, 0, 0, (byte)ab.Source, (byte)ab.Reason),
            DataTransfer dt => WriteDataTransfer(body, dt),
            _ => throw new ArgumentException($"Unknown PDU {pdu.GetType().Name}", nameof(pdu)),
        };
        if (written != bodyLength)
        {
            throw new InvalidOperationException($"PDU body length mismatch: computed {bodyLength}, wrote {written}");
        }

        output.Advance(total);
        return total;
    }

    /// <summary>The whole PDU as a new array; for tests and small control PDUs.</summary>
    public static byte[] ToArray(DicomPdu pdu)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(buffer, pdu);
        return buffer.WrittenSpan.ToArray();
    }

    public static int BodyLength(DicomPdu pdu) => pdu switch
    {
        AssociateRequest rq => AssociateFixedFieldsLength + ItemLength(rq.ApplicationContextName) +
            rq.PresentationContexts.Sum(pc => ItemHeaderLength + 4 + ItemLength(pc.AbstractSyntax) + pc.TransferSyntaxes.Sum(ItemLength)) +
            UserInformationLength(rq.UserInformation),
        AssociateAccept ac => AssociateFixedFieldsLength + ItemLength(ac.ApplicationContextName) +
            ac.PresentationContexts.Sum(pc => ItemHeaderLength + 4 + ItemLength(pc.TransferSyntax)) +
            UserInformationLength(ac.UserInformation),
        AssociateReject or ReleaseRequest or ReleaseResponse or Abort => 4,
        DataTransfer dt => checked((int)dt.Values.Sum(v => PdvHeaderLength + v.Data.Length)),
        _ => throw new ArgumentException($"Unknown PDU {pdu.GetType().Name}", nameof(pdu)),
    };

    private static int ItemLength(string value) => ItemHeaderLength + AsciiLength(value);

    private static int AsciiLength(string value) => value.Length;

    private static int UserInformationLength(UserInformation info) => ItemHeaderLength + UserInformationValueLength(info);

    private static int UserInformationValueLength(UserInformation info)
    {
        int length = ItemHeaderLength + 4;
        length += ItemLength(info.ImplementationClassUid);
        if (info.AsynchronousOperations is not null)
        {
            length += ItemHeaderLength + 4;
        }

        foreach (var role in info.RoleSelections)
        {
            length += ItemHeaderLength + 2 + AsciiLength(role.SopClassUid) + 2;
        }

        if (info.ImplementationVersionName is not null)
        {
            length += ItemLength(info.ImplementationVersionName);
        }

        foreach (var raw in info.RawSubItems)
        {
            length += ItemHeaderLength + raw.Value.Count;
        }

        return length;
    }

    private static int WriteFour(Span<byte> body, byte a, byte b, byte c, byte d)
    {
        body[0] = a;
        body[1] = b;
        body[2] = c;
        body[3] = d;
        return 4;
    }

    private static int WriteAssociate(Span<byte> body, ushort protocolVersion, string calledAe, string callingAe, string applicationContext,
        IEnumerable<Func<Span<byte>, int>> presentationContextWriters, UserInformation userInformation)
    {
        BinaryPrimitives.WriteUInt16BigEndian(body, protocolVersion);
        body[2..4].Clear();
        WriteAeTitle(body.Slice(4, AeTitleLength), calledAe);
        WriteAeTitle(body.Slice(4 + AeTitleLength, AeTitleLength), callingAe);
        body.Slice(4 + 2 * AeTitleLength, 32).Clear();
        int offset = AssociateFixedFieldsLength;
        offset += WriteStringItem(body[offset..], ItemType.ApplicationContext, applicationContext);
        foreach (var writer in presentationContextWriters)
        {
            offset += writer(body[offset..]);
        }

        offset += WriteUserInformation(body[offset..], userInformation);
        return offset;
    }

    private static void WriteAeTitle(Span<byte> destination, string aeTitle)
    {
        if (aeTitle.Length > AeTitleLength || aeTitle.Any(c => c is < ' ' or > '~'))
        {
            throw new ArgumentException($"AE title '{aeTitle}' is not 1-16 printable ASCII characters", nameof(aeTitle));
        }

        destination.Fill((byte)' ');
        Encoding.ASCII.GetBytes(aeTitle, destination);
    }

    private static int WriteItemHeader(Span<byte> destination, byte type, int valueLength)
    {
        if (valueLength > ushort.MaxValue)
        {
            throw new ArgumentException($"Item 0x{type:X2} is {valueLength} bytes, more than an item length can hold");
        }

        destination[0] = type;
        destination[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)valueLength);
        return ItemHeaderLength;
    }

    private static int WriteStringItem(Span<byte> destination, byte type, string value)
    {
        WriteItemHeader(destination, type, value.Length);
        return ItemHeaderLength + WriteAscii(destination[ItemHeaderLength..], value);
    }

    private static int WriteAscii(Span<byte> destination, string value)
    {
        foreach (char c in value)
        {
            if (c > 0x7F)
            {
                throw new ArgumentException($"'{value}' is not ASCII");
            }
        }

        return Encoding.ASCII.GetBytes(value, destination);
    }

    private static int WriteProposal(Span<byte> destination, PresentationContextProposal pc)
    {
        int valueLength = 4 + ItemLength(pc.AbstractSyntax) + pc.TransferSyntaxes.Sum(ItemLength);
        int offset = WriteItemHeader(destination, ItemType.PresentationContextRequest, valueLength);
        WriteFour(destination[offset..], pc.Id, 0, 0, 0);
        offset += 4;
        offset += WriteStringItem(destination[offset..], ItemType.AbstractSyntax, pc.AbstractSyntax);
        foreach (string ts in pc.TransferSyntaxes)
        {
            offset += WriteStringItem(destination[offset..], ItemType.TransferSyntax, ts);
        }

        return offset;
    }

    private static int WriteResult(Span<byte> destination, PresentationContextResult pc)
    {
        int offset = WriteItemHeader(destination, ItemType.PresentationContextAccept, 4 + ItemLength(pc.TransferSyntax));
        WriteFour(destination[offset..], pc.Id, 0, (byte)pc.Result, 0);
        offset += 4;
        offset += WriteStringItem(destination[offset..], ItemType.TransferSyntax, pc.TransferSyntax);
        return offset;
    }

    private static int WriteUserInformation(Span<byte> destination, UserInformation info)
    {
        int offset = WriteItemHeader(destination, ItemType.UserInformation, UserInformationValueLength(info));
        offset += WriteItemHeader(destination[offset..], ItemType.MaximumLength, 4);
        BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], info.MaximumLength);
        offset += 4;
        offset += WriteStringItem(destination[offset..], ItemType.ImplementationClassUid, info.ImplementationClassUid);
        if (info.AsynchronousOperations is { } window)
        {
            offset += WriteItemHeader(destination[offset..], ItemType.AsynchronousOperationsWindow, 4);
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], window.MaxOperationsInvoked);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], window.MaxOperationsPerformed);
            offset += 4;
        }

        foreach (var role in info.RoleSelections)
        {
            offset += WriteItemHeader(destination[offset..], ItemType.RoleSelection, 2 + role.SopClassUid.Length + 2);
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], (ushort)role.SopClassUid.Length);
            offset += 2;
            offset += WriteAscii(destination[offset..], role.SopClassUid);
            destination[offset++] = role.ScuRole ? (byte)1 : (byte)0;
            destination[offset++] = role.ScpRole ? (byte)1 : (byte)0;
        }

        if (info.ImplementationVersionName is not null)
        {
            offset += WriteStringItem(destination[offset..], ItemType.ImplementationVersionName, info.ImplementationVersionName);
        }

        foreach (var raw in info.RawSubItems)
        {
            offset += WriteItemHeader(destination[offset..], raw.ItemType, raw.Value.Count);
            for (int i = 0; i < raw.Value.Count; i++)
            {
                destination[offset++] = raw.Value[i];
            }
        }

        return offset;
    }

    private static int WriteDataTransfer(Span<byte> body, DataTransfer dt)
    {
        int offset = 0;
        foreach (var pdv in dt.Values)
        {
            offset += WritePdvHeader(body[offset..], pdv.PresentationContextId, pdv.IsCommand, pdv.IsLastFragment, (int)pdv.Data.Length);
            pdv.Data.CopyTo(body[offset..]);
            offset += (int)pdv.Data.Length;
        }

        return offset;
    }

    /// <summary>PDV item header: item length (context ID + control header + data), context ID, message control header.</summary>
    internal static int WritePdvHeader(Span<byte> destination, byte presentationContextId, bool isCommand, bool isLast, int dataLength)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)(dataLength + 2));
        destination[4] = presentationContextId;
        destination[5] = (byte)((isCommand ? PresentationDataValue.CommandBit : 0) | (isLast ? PresentationDataValue.LastFragmentBit : 0));
        return PdvHeaderLength;
    }

    internal static void WritePduHeader(Span<byte> destination, PduType type, uint length)
    {
        destination[0] = (byte)type;
        destination[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], length);
    }
}
