using System.Buffers.Binary;
using System.Text;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;

namespace ActorMove.Dicom.Tests.Writing;

/// <summary>Builds data sets in code, with values in the byte order of the source they pretend to come from.</summary>
internal sealed class DatasetBuilder(bool littleEndian)
{
    public bool LittleEndian { get; } = littleEndian;

    public DicomDataset NewDataset() => new(LittleEndian);

    public static DicomPrimitiveElement Text(ushort group, ushort element, DicomVR vr, string value)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(value);
        if ((bytes.Length & 1) == 1)
        {
            Array.Resize(ref bytes, bytes.Length + 1);
            bytes[^1] = vr.PaddingByte;
        }

        return Raw(group, element, vr, bytes);
    }

    public static DicomPrimitiveElement Raw(ushort group, ushort element, DicomVR vr, byte[] bytes) =>
        new(new DicomTag(group, element), vr, DicomValue.FromBytes(bytes));

    public DicomPrimitiveElement UInt16(ushort group, ushort element, DicomVR vr, params ushort[] values) =>
        Raw(group, element, vr, Encode(values, 2, (s, v) => Write16(s, v)));

    public DicomPrimitiveElement UInt32(ushort group, ushort element, DicomVR vr, params uint[] values) =>
        Raw(group, element, vr, Encode(values, 4, (s, v) => Write32(s, v)));

    public DicomPrimitiveElement UInt64(ushort group, ushort element, DicomVR vr, params ulong[] values) =>
        Raw(group, element, vr, Encode(values, 8, (s, v) => Write64(s, v)));

    public DicomPrimitiveElement Float32(ushort group, ushort element, DicomVR vr, params float[] values) =>
        UInt32(group, element, vr, values.Select(BitConverter.SingleToUInt32Bits).ToArray());

    public DicomPrimitiveElement Float64(ushort group, ushort element, DicomVR vr, params double[] values) =>
        UInt64(group, element, vr, values.Select(BitConverter.DoubleToUInt64Bits).ToArray());

    public DicomSequence Sequence(ushort group, ushort element, params DicomDataset[] items) =>
        new(new DicomTag(group, element), DicomVR.SQ, [.. items]);

    public DicomDataset Item(params DicomElement[] elements)
    {
        var item = NewDataset();
        foreach (var e in elements)
        {
            item.AddOrUpdate(e);
        }

        return item;
    }

    /// <summary>A file of 16-bit words i * 7 + 3 in this builder's byte order, as a deferred OW value.</summary>
    public DicomPrimitiveElement DeferredPixelData(string path, int length, out FileValueSource source)
    {
        var bytes = new byte[length];
        for (int i = 0; i + 1 < length; i += 2)
        {
            Write16(bytes.AsSpan(i), (ushort)(i * 7 + 3));
        }

        File.WriteAllBytes(path, bytes);
        source = new FileValueSource(path);
        return new DicomPrimitiveElement(DicomTag.PixelData, DicomVR.OW, DicomValue.Deferred(source, 0, (uint)length));
    }

    private byte[] Encode<T>(T[] values, int size, Action<Span<byte>, T> write)
    {
        var bytes = new byte[values.Length * size];
        for (int i = 0; i < values.Length; i++)
        {
            write(bytes.AsSpan(i * size), values[i]);
        }

        return bytes;
    }

    private void Write16(Span<byte> s, ushort v)
    {
        if (LittleEndian) { BinaryPrimitives.WriteUInt16LittleEndian(s, v); } else { BinaryPrimitives.WriteUInt16BigEndian(s, v); }
    }

    private void Write32(Span<byte> s, uint v)
    {
        if (LittleEndian) { BinaryPrimitives.WriteUInt32LittleEndian(s, v); } else { BinaryPrimitives.WriteUInt32BigEndian(s, v); }
    }

    private void Write64(Span<byte> s, ulong v)
    {
        if (LittleEndian) { BinaryPrimitives.WriteUInt64LittleEndian(s, v); } else { BinaryPrimitives.WriteUInt64BigEndian(s, v); }
    }
}

internal static class TestDatasets
{
    /// <summary>
    /// Every VR that byte order or `-u` affects, sequences nested two deep, private tags, a UN element, group lengths and
    /// padding (for `+g=` and `-p=`), and an OW pixel data value. With <paramref name="asReadFromImplicit"/> the private
    /// elements are UN, which is what a dictionary-driven implicit VR reader (DCMTK's as well) makes of them.
    /// </summary>
    public static DicomDataset Rich(DatasetBuilder b, DicomPrimitiveElement pixelData, bool asReadFromImplicit = false)
    {
        var inner = b.Item(
            DatasetBuilder.Raw(0x0008, 0x0000, DicomVR.UL, [0xDE, 0xAD, 0xBE, 0xEF]), // a stale group length, recalculated by +g=
            DatasetBuilder.Text(0x0008, 0x1150, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7"),
            DatasetBuilder.Text(0x0008, 0x1155, DicomVR.UI, "1.2.3.4.5"),
            b.UInt16(0x0020, 0x9165, DicomVR.AT, 0x0010, 0x0010, 0x0008, 0x0018));
        var inner2 = b.Item(DatasetBuilder.Text(0x0008, 0x1155, DicomVR.UI, "1.2.3.4.6"));
        var outer = b.Item(
            DatasetBuilder.Text(0x0008, 0x1150, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2"),
            b.Sequence(0x0008, 0x1140, inner, inner2),
            b.UInt16(0x0018, 0x9219, DicomVR.SS, 1, 0xFFFE),
            DatasetBuilder.Raw(0xFFFC, 0xFFFC, DicomVR.OB, [0, 0]));
        var outer2 = b.Item();

        var ds = b.NewDataset();
        foreach (var e in new DicomElement[]
                 {
                     DatasetBuilder.Text(0x0008, 0x0005, DicomVR.CS, "ISO_IR 100"),
                     DatasetBuilder.Text(0x0008, 0x0016, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7"),
                     DatasetBuilder.Text(0x0008, 0x0018, DicomVR.UI, "1.2.826.0.1.3680043.2.1143.42"),
                     DatasetBuilder.Text(0x0008, 0x0020, DicomVR.DA, "20240102"),
                     DatasetBuilder.Text(0x0008, 0x0119, DicomVR.UC, "long code value"),
                     DatasetBuilder.Text(0x0008, 0x0120, DicomVR.UR, "urn:x:y"),
                     b.Sequence(0x0008, 0x1115, outer, outer2),
                     DatasetBuilder.Raw(0x0010, 0x0000, DicomVR.UL, [0, 0, 0, 0]),
                     DatasetBuilder.Text(0x0010, 0x0010, DicomVR.PN, "Doe^John"),
                     DatasetBuilder.Text(0x0010, 0x0020, DicomVR.LO, "PID-1"),
                     b.Float32(0x0010, 0x9431, DicomVR.FL, 1.5f),
                     DatasetBuilder.Text(0x0011, 0x0010, DicomVR.LO, "ACTORMOVE TEST"),
                     DatasetBuilder.Raw(0x0011, 0x1001, DicomVR.UN, [1, 2, 3, 4, 5, 6]),
                     asReadFromImplicit
                         ? DatasetBuilder.Raw(0x0011, 0x1002, DicomVR.UN, Encoding.ASCII.GetBytes("PRIVATE "))
                         : DatasetBuilder.Text(0x0011, 0x1002, DicomVR.LO, "PRIVATE"),
                     b.Float64(0x0018, 0x9087, DicomVR.FD, 1000.25),
                     b.UInt32(0x0018, 0x6020, DicomVR.SL, unchecked((uint)-5)),
                     DatasetBuilder.Text(0x0020, 0x0013, DicomVR.IS, "7"),
                     b.UInt16(0x0028, 0x0010, DicomVR.US, 4),
                     b.UInt16(0x0028, 0x0011, DicomVR.US, 4),
                     b.UInt16(0x0028, 0x0100, DicomVR.US, 16),
                     b.UInt16(0x0028, 0x1203, DicomVR.OW, 1, 2, 3, 0x8000),
                     b.UInt32(0x0028, 0x9001, DicomVR.UL, 0x01020304),
                     DatasetBuilder.Text(0x0040, 0xA160, DicomVR.UT, "unlimited text"),
                     b.Float32(0x0064, 0x0009, DicomVR.OF, 1.5f, -2f),
                     b.Float64(0x0066, 0x0022, DicomVR.OD, 3.25, 4.5),
                     b.UInt32(0x0066, 0x0040, DicomVR.OL, 1, 2, 0xA0B0C0D0),
                     b.UInt64(0x0072, 0x0081, DicomVR.OV, 0x0102030405060708),
                     b.UInt64(0x0072, 0x0082, DicomVR.SV, unchecked((ulong)-9)),
                     b.UInt64(0x0072, 0x0083, DicomVR.UV, 0x1122334455667788),
                     pixelData,
                     DatasetBuilder.Raw(0xFFFC, 0xFFFC, DicomVR.OB, [0, 0, 0, 0]),
                 })
        {
            ds.AddOrUpdate(e);
        }

        return ds;
    }
}
