using ActorMove.Dicom.Core;

namespace ActorMove.Dicom.Dictionary;

/// <summary>
/// One dictionary row. <see cref="Mask"/> marks repeating groups: a tag matches when (tag &amp; Mask) == Tag.Value,
/// e.g. (60xx,3000) has mask 0xFF00FFFF. Rows read from a DCMTK dictionary file may instead carry a
/// <see cref="Range"/> such as (6000-60FF,3000) or (0020,3100-31FF); <see cref="Mask"/> is then 0xFFFFFFFF and
/// <see cref="Tag"/> is the range's first tag. Private rows (<see cref="PrivateCreator"/> set) match the element
/// byte of <see cref="Tag"/> in whatever block the creator reserved, as DCMTK's (gggg,"CREATOR",ee) rows do.
/// </summary>
public sealed record DicomDictionaryEntry(
    DicomTag Tag,
    uint Mask,
    DicomVR VR,
    IReadOnlyList<DicomVR> AllowedVRs,
    string VM,
    string Keyword,
    string Name,
    bool IsRetired,
    string? PrivateCreator = null)
{
    public DicomTagRange? Range { get; init; }

    /// <summary>Stands for more than one tag: a masked or ranged row.</summary>
    public bool IsRepeating => Mask != 0xFFFFFFFF || Range is not null;

    /// <summary>Whether the row describes <paramref name="tag"/>; for a private row, assuming the creator matched.</summary>
    public bool Matches(DicomTag tag)
    {
        if (PrivateCreator is null)
        {
            return Range is { } range ? range.Contains(tag) : (tag.Value & Mask) == Tag.Value;
        }

        bool groupMatches = Range is { } r ? r.ContainsGroup(tag.Group) : tag.Group == Tag.Group;
        if (!groupMatches)
        {
            return false;
        }

        // DCMTK writes private rows with the element's low byte (10 for (gggg,xx10)); a full element matches only itself.
        return Tag.Element > 0xFF
            ? tag.Element == Tag.Element
            : (tag.Element & 0xFF) == Tag.Element && tag.Element >> 8 >= 0x10;
    }
}

/// <summary>Which numbers a range of a DCMTK dictionary row covers: its notation gggg-gggg is even only by default.</summary>
public enum DicomRangeParity : byte
{
    Any,
    Even,
    Odd,
}

/// <summary>A group range and an element range, both inclusive, as DCMTK's dictionary files write them.</summary>
public readonly record struct DicomTagRange(
    ushort FirstGroup,
    ushort LastGroup,
    DicomRangeParity GroupParity,
    ushort FirstElement,
    ushort LastElement,
    DicomRangeParity ElementParity)
{
    public bool Contains(DicomTag tag) => ContainsGroup(tag.Group) && In(tag.Element, FirstElement, LastElement, ElementParity);

    public bool ContainsGroup(ushort group) => In(group, FirstGroup, LastGroup, GroupParity);

    private static bool In(ushort value, ushort first, ushort last, DicomRangeParity parity) =>
        value >= first && value <= last && parity switch
        {
            DicomRangeParity.Even => (value & 1) == 0,
            DicomRangeParity.Odd => (value & 1) == 1,
            _ => true,
        };
}
