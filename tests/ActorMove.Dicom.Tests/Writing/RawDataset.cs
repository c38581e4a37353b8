using System.Buffers.Binary;
using ActorMove.Dicom.Core;

namespace ActorMove.Dicom.Tests.Writing;

/// <summary>Hand-made explicit VR little endian bytes, for inputs our writer will not produce (odd lengths, UN sequences).</summary>
internal sealed class RawDataset
{
    private readonly MemoryStream _bytes = new();

    public RawDataset Element(ushort group, ushort element, DicomVR vr, byte[] value, uint? length = null)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(header, group);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], element);
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], vr.Code);
        if (vr.HasLongExplicitHeader)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 0);
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], length ?? (uint)value.Length);
            _bytes.Write(header);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)value.Length);
            _bytes.Write(header[..8]);
        }

        _bytes.Write(value);
        return this;
    }

    /// <summary>A tag and a 32-bit length, as items, delimiters and implicit VR elements are written.</summary>
    public static byte[] TagAndLength(ushort group, ushort element, uint length, byte[]? value = null)
    {
        var bytes = new byte[8 + (value?.Length ?? 0)];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, group);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), element);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), length);
        value?.CopyTo(bytes, 8);
        return bytes;
    }

    public byte[] ToArray() => _bytes.ToArray();
}
