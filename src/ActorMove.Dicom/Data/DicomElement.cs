using ActorMove.Dicom.Core;

namespace ActorMove.Dicom.Data;

/// <summary>One data element of a data set: a plain value, a sequence of items, or encapsulated pixel data.</summary>
public abstract class DicomElement
{
    protected DicomElement(DicomTag tag, DicomVR vr)
    {
        Tag = tag;
        VR = vr;
    }

    public DicomTag Tag { get; }
    public DicomVR VR { get; }

    /// <summary>The length field as it was read, with 0xFFFFFFFF for undefined; 0 for elements that were built, not read.</summary>
    public uint SourceLength { get; init; }

    public bool SourceHadUndefinedLength => SourceLength == DicomConstants.UndefinedLength;

    public override string ToString() => $"{Tag} {VR}";
}

/// <summary>An element whose value is bytes (everything but SQ and encapsulated pixel data).</summary>
public sealed class DicomPrimitiveElement : DicomElement
{
    public DicomPrimitiveElement(DicomTag tag, DicomVR vr, DicomValue value)
        : base(tag, vr) => Value = value;

    public DicomValue Value { get; }
}

/// <summary>A sequence (SQ, or UN of undefined length read as implicit VR) of items, each a nested data set.</summary>
public sealed class DicomSequence : DicomElement
{
    public DicomSequence(DicomTag tag, DicomVR vr, List<DicomDataset>? items = null)
        : base(tag, vr) => Items = items ?? [];

    public List<DicomDataset> Items { get; }
}

/// <summary>
/// Encapsulated pixel data (PS3.5 A.4): the basic offset table, then the fragments, passed through untouched.
/// </summary>
public sealed class DicomFragmentSequence : DicomElement
{
    public DicomFragmentSequence(DicomTag tag, DicomVR vr, DicomValue offsetTable, List<DicomValue>? fragments = null)
        : base(tag, vr)
    {
        OffsetTable = offsetTable;
        Fragments = fragments ?? [];
    }

    public DicomValue OffsetTable { get; }
    public List<DicomValue> Fragments { get; }
}

public static class DicomConstants
{
    public const uint UndefinedLength = 0xFFFFFFFF;

    /// <summary>Values up to this size are held in memory when read; larger ones stay in their source.</summary>
    public const int DefaultInlineValueLimit = 64 * 1024;
}
