using ActorMove.Network.Pdu;
using System.Buffers.Binary;
using System.Text;
using ActorMove.Network.Dimse;
using ActorMove.Network.Negotiation;

namespace ActorMove.Network.Tests.Dimse;

/// <summary>
/// Just enough of PS3.8 (written out by hand from the standard, independent of the project's PDU codec) to let a test
/// stand in for a peer of DCMTK's programs and look at the DIMSE bytes they send.
/// </summary>
internal static class RawPdu
{
    public const byte AssociateRq = 0x01;
    public const byte AssociateAc = 0x02;
    public const byte PData = 0x04;
    public const byte ReleaseRq = 0x05;
    public const byte ReleaseRp = 0x06;
    public const byte Abort = 0x07;

    public static async Task<(byte Type, byte[] Body)> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[6];
        await stream.ReadExactlyAsync(header, cancellationToken);
        var body = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(2))];
        await stream.ReadExactlyAsync(body, cancellationToken);
        return (header[0], body);
    }

    public static byte[] Pdu(byte type, byte[] body)
    {
        var pdu = new byte[6 + body.Length];
        pdu[0] = type;
        BinaryPrimitives.WriteUInt32BigEndian(pdu.AsSpan(2), (uint)body.Length);
        body.CopyTo(pdu, 6);
        return pdu;
    }

    private static byte[] Item(byte type, byte[] value)
    {
        var item = new byte[4 + value.Length];
        item[0] = type;
        BinaryPrimitives.WriteUInt16BigEndian(item.AsSpan(2), (ushort)value.Length);
        value.CopyTo(item, 4);
        return item;
    }

    private static IEnumerable<(byte Type, byte[] Value)> Items(byte[] bytes, int start)
    {
        for (int i = start; i + 4 <= bytes.Length;)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(i + 2));
            yield return (bytes[i], bytes[(i + 4)..(i + 4 + length)]);
            i += 4 + length;
        }
    }

    /// <summary>The presentation contexts of an A-ASSOCIATE-RQ body (items start after the 68-byte fixed part).</summary>
    public static List<ProposedPresentationContext> ProposedContexts(byte[] associateRq) =>
        Items(associateRq, 68).Where(i => i.Type == 0x20).Select(i => new ProposedPresentationContext(
            i.Value[0],
            Encoding.ASCII.GetString(Items(i.Value, 4).First(s => s.Type == 0x30).Value).TrimEnd('\0'),
            Items(i.Value, 4).Where(s => s.Type == 0x40).Select(s => Encoding.ASCII.GetString(s.Value).TrimEnd('\0')).ToList())).ToList();

    /// <summary>An A-ASSOCIATE-AC echoing the request's AE titles, answering each context as the policy said.</summary>
    public static byte[] AssociateAccept(byte[] associateRq, IEnumerable<PresentationContextAnswer> answers)
    {
        var body = new List<byte> { 0, 1, 0, 0 };
        body.AddRange(associateRq[4..36]); // called and calling AE titles, echoed
        body.AddRange(new byte[32]);
        body.AddRange(Item(0x10, Encoding.ASCII.GetBytes("1.2.840.10008.3.1.1.1")));
        foreach (var answer in answers)
        {
            var syntax = Item(0x40, Encoding.ASCII.GetBytes(answer.TransferSyntax ?? "1.2.840.10008.1.2"));
            body.AddRange(Item(0x21, [answer.PresentationContextId, 0, (byte)answer.Result, 0, .. syntax]));
        }

        var maxLength = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(maxLength, 16384);
        body.AddRange(Item(0x50, [.. Item(0x51, maxLength), .. Item(0x52, Encoding.ASCII.GetBytes("1.2.3.4"))]));
        return Pdu(AssociateAc, body.ToArray());
    }

    public static IEnumerable<PdvFragment> Pdvs(byte[] pDataBody)
    {
        for (int i = 0; i + 6 <= pDataBody.Length;)
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(pDataBody.AsSpan(i));
            byte header = pDataBody[i + 5];
            yield return new PdvFragment(pDataBody[i + 4], (header & 1) != 0, (header & 2) != 0, pDataBody.AsMemory(i + 6, length - 2));
            i += 4 + length;
        }
    }

    public static byte[] PDataCommand(byte contextId, byte[] command)
    {
        var body = new byte[6 + command.Length];
        BinaryPrimitives.WriteUInt32BigEndian(body, (uint)(command.Length + 2));
        body[4] = contextId;
        body[5] = 0x03; // command, last fragment
        command.CopyTo(body, 6);
        return Pdu(PData, body);
    }

    /// <summary>An A-ASSOCIATE-RQ proposing the given contexts and SCP/SCU role selection items.</summary>
    public static byte[] AssociateRequest(string calling, string called, IEnumerable<ProposedPresentationContext> contexts,
        IEnumerable<RoleSelection>? roles = null)
    {
        var body = new List<byte> { 0, 1, 0, 0 };
        body.AddRange(Encoding.ASCII.GetBytes(called.PadRight(16)));
        body.AddRange(Encoding.ASCII.GetBytes(calling.PadRight(16)));
        body.AddRange(new byte[32]);
        body.AddRange(Item(0x10, Encoding.ASCII.GetBytes("1.2.840.10008.3.1.1.1")));
        foreach (var context in contexts)
        {
            var value = new List<byte> { context.PresentationContextId, 0, 0, 0 };
            value.AddRange(Item(0x30, Encoding.ASCII.GetBytes(context.AbstractSyntax)));
            foreach (string syntax in context.TransferSyntaxes)
            {
                value.AddRange(Item(0x40, Encoding.ASCII.GetBytes(syntax)));
            }

            body.AddRange(Item(0x20, value.ToArray()));
        }

        var maxLength = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(maxLength, 16384);
        var user = new List<byte>(Item(0x51, maxLength));
        user.AddRange(Item(0x52, Encoding.ASCII.GetBytes("1.2.3.4")));
        foreach (var role in roles ?? [])
        {
            var uid = Encoding.ASCII.GetBytes(role.SopClassUid);
            var value = new byte[2 + uid.Length + 2];
            BinaryPrimitives.WriteUInt16BigEndian(value, (ushort)uid.Length);
            uid.CopyTo(value, 2);
            value[^2] = role.ScuRole ? (byte)1 : (byte)0;
            value[^1] = role.ScpRole ? (byte)1 : (byte)0;
            user.AddRange(Item(0x54, value));
        }

        body.AddRange(Item(0x50, user.ToArray()));
        return Pdu(AssociateRq, body.ToArray());
    }

    /// <summary>The presentation context answers and role selection items of an A-ASSOCIATE-AC body.</summary>
    public static (List<PresentationContextAnswer> Contexts, List<RoleSelection> Roles) AcceptedContexts(byte[] associateAc)
    {
        var contexts = new List<PresentationContextAnswer>();
        var roles = new List<RoleSelection>();
        foreach (var (type, value) in Items(associateAc, 68))
        {
            if (type == 0x21)
            {
                var result = (PresentationContextResultReason)value[2];
                string? syntax = Items(value, 4).Where(s => s.Type == 0x40).Select(s => Encoding.ASCII.GetString(s.Value).TrimEnd('\0')).FirstOrDefault();
                contexts.Add(new PresentationContextAnswer(value[0], result, result == PresentationContextResultReason.Acceptance ? syntax : null));
            }
            else if (type == 0x50)
            {
                foreach (var (_, sub) in Items(value, 0).Where(s => s.Type == 0x54))
                {
                    int length = BinaryPrimitives.ReadUInt16BigEndian(sub);
                    roles.Add(new RoleSelection(Encoding.ASCII.GetString(sub, 2, length), sub[2 + length] == 1, sub[3 + length] == 1));
                }
            }
        }

        return (contexts, roles);
    }
}
