using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace ActorMove.Network.Pdu;

/// <summary>
/// How long an incoming PDU may be. <see cref="MaxDataTransferLength"/> is the maximum length we advertised
/// (the PDU length field of a P-DATA-TF, PS3.8 D.1). Association PDUs are checked against
/// <see cref="MaxAssociationLength"/>, because they may arrive before any maximum was negotiated.
/// </summary>
public readonly record struct PduLimits(uint MaxDataTransferLength, uint MaxAssociationLength = PduLimits.DefaultMaxAssociationLength)
{
    /// <summary>Enough for 128 presentation contexts with many transfer syntaxes each.</summary>
    public const uint DefaultMaxAssociationLength = 1024 * 1024;

    public uint LimitFor(PduType type) => type switch
    {
        PduType.DataTransfer => MaxDataTransferLength,
        PduType.AssociateRequest or PduType.AssociateAccept => MaxAssociationLength,
        _ => 4,
    };
}

/// <summary>
/// Decodes PDUs from a <see cref="ReadOnlySequence{T}"/> as a PipeReader hands them over. The 6-byte header is
/// checked first, so an over-long or unknown PDU is refused before its body is buffered. Every item length is
/// checked against what remains of its PDU or enclosing item. Errors are <see cref="PduFormatException"/>s
/// carrying the A-ABORT reason.
/// </summary>
public static class PduReader
{
    private const int TypeOffset = 0;
    private const int LengthOffset = 2;
    private const int HeaderLength = PduWriter.PduHeaderLength;

    // A-ASSOCIATE-RQ/AC fixed fields, relative to the PDU body.
    private const int ProtocolVersionOffset = 0;
    private const int CalledAeOffset = 4;
    private const int CallingAeOffset = CalledAeOffset + PduWriter.AeTitleLength;
    private const int FirstItemOffset = PduWriter.AssociateFixedFieldsLength;

    // A-ASSOCIATE-RJ and A-ABORT fields, relative to the PDU body.
    private const int RejectResultOffset = 1;
    private const int RejectSourceOffset = 2;
    private const int RejectReasonOffset = 3;
    private const int AbortSourceOffset = 2;
    private const int AbortReasonOffset = 3;
    private const int ShortPduBodyLength = 4;

    // Presentation context items: ID, reserved, result (AC only), reserved.
    private const int PresentationContextIdOffset = 0;
    private const int PresentationContextResultOffset = 2;
    private const int PresentationContextFixedLength = 4;

    private const int ItemHeaderLength = PduWriter.ItemHeaderLength;
    private const int PdvLengthFieldLength = 4;
    private const int PdvMinimumItemLength = 2;

    /// <summary>
    /// Reads the header when 6 bytes are there. Throws when the type is unknown or the length is over the limit,
    /// before anyone waits for the body.
    /// </summary>
    public static bool TryReadHeader(in ReadOnlySequence<byte> buffer, in PduLimits limits, out PduType type, out uint length)
    {
        type = default;
        length = 0;
        if (buffer.Length < HeaderLength)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[HeaderLength];
        buffer.Slice(0, HeaderLength).CopyTo(header);
        byte rawType = header[TypeOffset];
        if (rawType is < (byte)PduType.AssociateRequest or > (byte)PduType.Abort)
        {
            throw new PduFormatException(AbortReason.UnrecognizedPdu, $"Unknown PDU type 0x{rawType:X2}") { UnknownPduType = rawType };
        }

        type = (PduType)rawType;
        length = BinaryPrimitives.ReadUInt32BigEndian(header[LengthOffset..]);
        uint limit = limits.LimitFor(type);
        bool fixedLength = type is PduType.AssociateReject or PduType.ReleaseRequest or PduType.ReleaseResponse or PduType.Abort;
        if (fixedLength ? length != ShortPduBodyLength : limit != 0 && length > limit)
        {
            throw new PduFormatException(AbortReason.InvalidPduParameterValue,
                fixedLength ? $"{type} PDU length is {length}, must be 4" : $"{type} PDU length {length} exceeds the maximum {limit}");
        }

        return true;
    }

    /// <summary>
    /// Reads one whole PDU if the buffer holds it, and slices <paramref name="buffer"/> past it.
    /// P-DATA-TF values are slices of the input and stay valid only as long as the input does.
    /// </summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, in PduLimits limits, [NotNullWhen(true)] out DicomPdu? pdu)
    {
        pdu = null;
        if (!TryReadHeader(buffer, limits, out var type, out uint length))
        {
            return false;
        }

        if (buffer.Length - HeaderLength < length)
        {
            return false;
        }

        var body = buffer.Slice(HeaderLength, length);
        pdu = Parse(type, body);
        buffer = buffer.Slice(body.End);
        return true;
    }

    /// <summary>Decodes the body of a PDU whose header said <paramref name="type"/> and whose length is the body's length.</summary>
    public static DicomPdu Parse(PduType type, ReadOnlySequence<byte> body)
    {
        switch (type)
        {
            case PduType.DataTransfer:
                return ParseDataTransfer(body);
            case PduType.AssociateReject:
            case PduType.ReleaseRequest:
            case PduType.ReleaseResponse:
            case PduType.Abort:
                return ParseShort(type, body);
            case PduType.AssociateRequest:
            case PduType.AssociateAccept:
                // Association PDUs are small and bounded by the limit: one pooled copy makes the item walk plain span code.
                int length = checked((int)body.Length);
                byte[] rented = ArrayPool<byte>.Shared.Rent(length);
                try
                {
                    body.CopyTo(rented);
                    return ParseAssociate(type, rented.AsSpan(0, length));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }

            default:
                throw new PduFormatException(AbortReason.UnrecognizedPdu, $"Unknown PDU type 0x{(byte)type:X2}") { UnknownPduType = (byte)type };
        }
    }

    private static DicomPdu ParseShort(PduType type, ReadOnlySequence<byte> body)
    {
        if (body.Length != ShortPduBodyLength)
        {
            throw new PduFormatException(AbortReason.InvalidPduParameterValue, $"{type} PDU length is {body.Length}, must be 4");
        }

        Span<byte> fields = stackalloc byte[ShortPduBodyLength];
        body.CopyTo(fields);
        switch (type)
        {
            case PduType.ReleaseRequest:
                return ReleaseRequest.Instance;
            case PduType.ReleaseResponse:
                return ReleaseResponse.Instance;
            case PduType.Abort:
                return new Abort((AbortSource)fields[AbortSourceOffset], (AbortReason)fields[AbortReasonOffset]);
            default:
                byte result = fields[RejectResultOffset];
                byte source = fields[RejectSourceOffset];
                if (result is not (1 or 2) || source is < 1 or > 3)
                {
                    throw new PduFormatException(AbortReason.InvalidPduParameterValue, $"A-ASSOCIATE-RJ result {result} / source {source} is not defined");
                }

                return new AssociateReject((RejectResult)result, (RejectSource)source, fields[RejectReasonOffset]);
        }
    }

    private static DataTransfer ParseDataTransfer(ReadOnlySequence<byte> body)
    {
        var values = new List<PresentationDataValue>(1);
        var remaining = body;
        Span<byte> header = stackalloc byte[PduWriter.PdvHeaderLength];
        while (remaining.Length > 0)
        {
            if (remaining.Length < PduWriter.PdvHeaderLength)
            {
                throw new PduFormatException(AbortReason.InvalidPduParameterValue,
                    $"P-DATA-TF has {remaining.Length} bytes left, too few for a PDV item header");
            }

            remaining.Slice(0, PduWriter.PdvHeaderLength).CopyTo(header);
            uint itemLength = BinaryPrimitives.ReadUInt32BigEndian(header);
            if (itemLength < PdvMinimumItemLength || itemLength > remaining.Length - PdvLengthFieldLength)
            {
                throw new PduFormatException(AbortReason.InvalidPduParameterValue,
                    $"PDV item length {itemLength} does not fit the {remaining.Length - PdvLengthFieldLength} bytes left in the P-DATA-TF");
            }

            byte control = header[5];
            var data = remaining.Slice(PduWriter.PdvHeaderLength, itemLength - PdvMinimumItemLength);
            values.Add(new PresentationDataValue(header[4], (control & PresentationDataValue.CommandBit) != 0,
                (control & PresentationDataValue.LastFragmentBit) != 0, data));
            remaining = remaining.Slice(data.End);
        }

        if (values.Count == 0)
        {
            throw new PduFormatException(AbortReason.InvalidPduParameterValue, "P-DATA-TF without a PDV item");
        }

        return new DataTransfer(values);
    }

    private static DicomPdu ParseAssociate(PduType type, ReadOnlySpan<byte> body)
    {
        bool isRequest = type == PduType.AssociateRequest;
        if (body.Length < FirstItemOffset)
        {
            throw new PduFormatException(AbortReason.InvalidPduParameterValue,
                $"{type} PDU length {body.Length} is shorter than its {FirstItemOffset} bytes of fixed fields");
        }

        ushort protocolVersion = BinaryPrimitives.ReadUInt16BigEndian(body[ProtocolVersionOffset..]);
        string called = ReadAeTitle(body.Slice(CalledAeOffset, PduWriter.AeTitleLength));
        string calling = ReadAeTitle(body.Slice(CallingAeOffset, PduWriter.AeTitleLength));
        string? applicationContext = null;
        UserInformation? userInformation = null;
        var proposals = new List<PresentationContextProposal>();
        var results = new List<PresentationContextResult>();

        var items = body[FirstItemOffset..];
        while (!items.IsEmpty)
        {
            var value = NextItem(ref items, type.ToString(), out byte itemType);
            switch (itemType)
            {
                case ItemType.ApplicationContext when applicationContext is null:
                    applicationContext = ReadUid(value);
                    break;
                case ItemType.PresentationContextRequest when isRequest:
                    proposals.Add(ParseProposal(value));
                    break;
                case ItemType.PresentationContextAccept when !isRequest:
                    results.Add(ParseResult(value));
                    break;
                case ItemType.UserInformation when userInformation is null:
                    userInformation = ParseUserInformation(value);
                    break;
                case ItemType.ApplicationContext or ItemType.PresentationContextRequest or ItemType.PresentationContextAccept or ItemType.UserInformation:
                    throw new PduFormatException(AbortReason.UnexpectedPduParameter, $"Item 0x{itemType:X2} is not expected here in an {type}");
                default:
                    throw new PduFormatException(AbortReason.UnrecognizedPduParameter, $"Unknown item type 0x{itemType:X2} in an {type}");
            }
        }

        if (applicationContext is null)
        {
            throw new PduFormatException(AbortReason.InvalidPduParameterValue, $"{type} without an application context item");
        }

        if (userInformation is null)
        {
            throw new PduFormatException(AbortReason.InvalidPduParameterValue, $"{type} without a user information item");
        }

        return isRequest
            ? new AssociateRequest(called, calling, proposals, userInformation, applicationContext, protocolVersion)
            : new AssociateAccept(called, calling, results, userInformation, applicationContext, protocolVersion);
    }

    /// <summary>Cuts the next item (type, reserved, 2-byte length, value) off <paramref name="items"/>.</summary>
    private static ReadOnlySpan<byte> NextItem(ref ReadOnlySpan<byte> items, string where, out byte itemType)
    {
        if (items.Length < ItemHeaderLength)
        {
            throw new PduFormatException(AbortReason.InvalidPduParameterValue,
                $"{items.Length} bytes left in {where}, too few for an item header");
        }

        itemType = items[0];
        int length = BinaryPrimitives.ReadUInt16BigEndian(items[2..]);
        if (length > items.Length - ItemHeaderLength)
        {
            throw new PduFormatException(AbortReason.InvalidPduParameterValue,
                $"Item 0x{itemType:X2} length {length} exceeds the {items.Length - ItemHeaderLength} bytes left in {where}");
        }

        var value = items.Slice(ItemHeaderLength, length);
        items = items[(ItemHeaderLength + length)..];
        return value;
    }

    private static PresentationContextProposal ParseProposal(ReadOnlySpan<byte> value)
    {
        if (value.Length < PresentationContextFixedLength)
        {
            throw new PduFormatException(AbortReason.InvalidPduParameterValue, $"Presentation context item of {value.Length} bytes");
        }

        byte id = value[PresentationContextIdOffset];
        string? abstractSyntax = null;
        var transferSyntaxes = new List<string>();
        var subItems = value[PresentationContextFixedLength..];
        while (!subItems.IsEmpty)
        {
            var subValue = NextItem(ref subItems, "a presentation context item", out byte subType);
            switch (subType)
            {
                case ItemType.AbstractSyntax when abstractSyntax is null:
                    abstractSyntax = ReadUid(subValue);
                    break;
                case ItemType.TransferSyntax:
                    transferSyntaxes.Add(ReadUid(subValue));
                    break;
                case ItemType.AbstractSyntax:
                    throw new PduFormatException(AbortReason.UnexpectedPduParameter, $"Presentation context {id} has a second abstract syntax");
                default:
                    throw new PduFormatException(KnownItemReason(subType), $"Sub-item 0x{subType:X2} in presentation context {id}");
            }
        }

        if (abstractSyntax is null || transferSyntaxes.Count == 0)
        {
            throw new PduFormatException(AbortReason.InvalidPduParameterValue,
                $"Presentation context {id} needs one abstract syntax and at least one transfer syntax");
        }

        return new PresentationContextProposal(id, abstractSyntax, transferSyntaxes);
    }

    private static PresentationContextResult ParseResult(ReadOnlySpan<byte> value)
    {
        if (value.Length < PresentationContextFixedLength)
        {
            throw new PduFormatException(AbortReason.InvalidPduParameterValue, $"Presentation context item of {value.Length} bytes");
        }

        byte id = value[PresentationContextIdOffset];
        byte result = value[PresentationContextResultOffset];
        if (result > (byte)PresentationContextResultReason.TransferSyntaxesNotSupported)
        {
            throw new PduFormatException(AbortReason.InvalidPduParameterValue, $"Presentation context {id} result {result} is not defined");
        }

        string? transferSyntax = null;
        var subItems = value[PresentationContextFixedLength..];
        while (!subItems.IsEmpty)
        {
            var subValue = NextItem(ref subItems, "a presentation context item", out byte subType);
            if (subType != ItemType.TransferSyntax || transferSyntax is not null)
            {
                throw new PduFormatException(KnownItemReason(subType), $"Sub-item 0x{subType:X2} in accepted presentation context {id}");
            }

            transferSyntax = ReadUid(subValue);
        }

        var reason = (PresentationContextResultReason)result;
        if (transferSyntax is null && reason == PresentationContextResultReason.Acceptance)
        {
            throw new PduFormatException(AbortReason.InvalidPduParameterValue, $"Accepted presentation context {id} without a transfer syntax");
        }

        return new PresentationContextResult(id, reason, transferSyntax ?? "");
    }

    private static UserInformation ParseUserInformation(ReadOnlySpan<byte> value)
    {
        uint? maximumLength = null;
        string implementationClassUid = "";
        string? implementationVersionName = null;
        AsynchronousOperationsWindow? window = null;
        var roles = new List<RoleSelection>();
        var raw = new List<RawSubItem>();
        var subItems = value;
        while (!subItems.IsEmpty)
        {
            var subValue = NextItem(ref subItems, "the user information item", out byte subType);
            switch (subType)
            {
                case ItemType.MaximumLength:
                    RequireLength(subValue, 4, subType);
                    maximumLength = BinaryPrimitives.ReadUInt32BigEndian(subValue);
                    break;
                case ItemType.ImplementationClassUid:
                    implementationClassUid = ReadUid(subValue);
                    break;
                case ItemType.AsynchronousOperationsWindow:
                    RequireLength(subValue, 4, subType);
                    window = new AsynchronousOperationsWindow(BinaryPrimitives.ReadUInt16BigEndian(subValue), BinaryPrimitives.ReadUInt16BigEndian(subValue[2..]));
                    break;
                case ItemType.RoleSelection:
                    roles.Add(ParseRoleSelection(subValue));
                    break;
                case ItemType.ImplementationVersionName:
                    implementationVersionName = ReadUid(subValue);
                    break;
                case ItemType.SopClassExtendedNegotiation or ItemType.SopClassCommonExtendedNegotiation
                    or ItemType.UserIdentityRequest or ItemType.UserIdentityResponse:
                    raw.Add(new RawSubItem(subType, subValue.ToArray()));
                    break;
                default:
                    // PS3.7 D.3.3: sub-items we do not know are skipped.
                    break;
            }
        }

        if (maximumLength is null)
        {
            throw new PduFormatException(AbortReason.InvalidPduParameterValue, "User information item without a maximum length sub-item");
        }

        return new UserInformation(maximumLength.Value, implementationClassUid, implementationVersionName, window)
        {
            RoleSelections = roles,
            RawSubItems = raw,
        };
    }

    private static RoleSelection ParseRoleSelection(ReadOnlySpan<byte> value)
    {
        if (value.Length < 4)
        {
            throw new PduFormatException(AbortReason.InvalidPduParameterValue, $"Role selection sub-item of {value.Length} bytes");
        }

        int uidLength = BinaryPrimitives.ReadUInt16BigEndian(value);
        if (uidLength != value.Length - 4)
        {
            throw new PduFormatException(AbortReason.InvalidPduParameterValue,
                $"Role selection UID length {uidLength} disagrees with the sub-item length {value.Length}");
        }

        return new RoleSelection(ReadUid(value.Slice(2, uidLength)), value[2 + uidLength] != 0, value[3 + uidLength] != 0);
    }

    private static void RequireLength(ReadOnlySpan<byte> value, int length, byte subType)
    {
        if (value.Length != length)
        {
            throw new PduFormatException(AbortReason.InvalidPduParameterValue, $"Sub-item 0x{subType:X2} is {value.Length} bytes, must be {length}");
        }
    }

    /// <summary>An item type the standard defines, found in the wrong place, is "unexpected"; anything else is "unrecognized".</summary>
    private static AbortReason KnownItemReason(byte itemType) =>
        itemType is ItemType.ApplicationContext or ItemType.PresentationContextRequest or ItemType.PresentationContextAccept
            or ItemType.AbstractSyntax or ItemType.TransferSyntax or ItemType.UserInformation
            or (>= ItemType.MaximumLength and <= ItemType.UserIdentityResponse)
            ? AbortReason.UnexpectedPduParameter
            : AbortReason.UnrecognizedPduParameter;

    private static string ReadAeTitle(ReadOnlySpan<byte> value) => Encoding.ASCII.GetString(value).Trim(' ', '\0');

    private static string ReadUid(ReadOnlySpan<byte> value) => Encoding.ASCII.GetString(value).TrimEnd('\0', ' ');
}
