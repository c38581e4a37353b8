using System.Buffers.Binary;
using System.Text;

namespace ActorMove.Dicom.Tests.Reading;

/// <summary>Builds encoded data sets byte by byte for reader tests, in the chosen VR mode and byte order.</summary>
internal sealed class DicomBytes
{
    private readonly MemoryStream _bytes = new();

    public DicomBytes(bool explicitVR = true, bool littleEndian = true)
    {
        ExplicitVR = explicitVR;
        LittleEndian = littleEndian;
    }

    public bool ExplicitVR { get; }
    public bool LittleEndian { get; }

    /// <summary>The offset the next byte will be written at.</summary>
    public long Position => _bytes.Position;

    public static readonly string[] LongHeaderVRs = ["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"];

    public DicomBytes Raw(ReadOnlySpan<byte> bytes)
    {
        _bytes.Write(bytes);
        return this;
    }

    public DicomBytes U16(ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        if (LittleEndian) BinaryPrimitives.WriteUInt16LittleEndian(b, value); else BinaryPrimitives.WriteUInt16BigEndian(b, value);
        return Raw(b);
    }

    public DicomBytes U32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        if (LittleEndian) BinaryPrimitives.WriteUInt32LittleEndian(b, value); else BinaryPrimitives.WriteUInt32BigEndian(b, value);
        return Raw(b);
    }

    public DicomBytes Tag(ushort group, ushort element) => U16(group).U16(element);

    /// <summary>An element header in the builder's mode; <paramref name="vr"/> is ignored in implicit VR.</summary>
    public DicomBytes Header(ushort group, ushort element, string vr, uint length)
    {
        Tag(group, element);
        if (!ExplicitVR)
        {
            return U32(length);
        }

        Raw(Encoding.ASCII.GetBytes(vr));
        return LongHeaderVRs.Contains(vr) ? U16(0).U32(length) : U16(checked((ushort)length));
    }

    public DicomBytes Element(ushort group, ushort element, string vr, ReadOnlySpan<byte> value) =>
        Header(group, element, vr, (uint)value.Length).Raw(value);

    public DicomBytes Text(ushort group, ushort element, string vr, string value) =>
        Element(group, element, vr, Encoding.ASCII.GetBytes(value));

    public DicomBytes Item(uint length = 0xFFFFFFFF) => Tag(0xFFFE, 0xE000).U32(length);
    public DicomBytes ItemEnd() => Tag(0xFFFE, 0xE00D).U32(0);
    public DicomBytes SequenceEnd() => Tag(0xFFFE, 0xE0DD).U32(0);

    public byte[] ToArray() => _bytes.ToArray();
}
