using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;

namespace ActorMove.Dicom.IO.Writing;

/// <summary>How the data set is encoded: VR explicit or implicit, byte order, and whether post-1993 VRs may be written.</summary>
internal readonly record struct TargetEncoding(bool ExplicitVR, bool LittleEndian, bool EnableNewVRs);

internal enum LayoutEntryKind : byte
{
    Primitive,
    Sequence,
    Fragments,
    GroupLength,
    Padding,
}

/// <summary>
/// One element as it will be written: the VR and lengths after every option is applied, so that all lengths
/// (items, sequences, group lengths, padding) are known before the first byte is written.
/// </summary>
internal readonly struct LayoutEntry
{
    public LayoutEntry(LayoutEntryKind kind, DicomTag tag, DicomVR writeVR, long valueLength, long encodedLength,
        DicomElement? element = null, SequenceLayout? sequence = null, int swapUnit = 1, bool padOddValue = false)
    {
        Kind = kind;
        Tag = tag;
        WriteVR = writeVR;
        ValueLength = valueLength;
        EncodedLength = encodedLength;
        Element = element;
        Sequence = sequence;
        SwapUnit = swapUnit;
        PadOddValue = padOddValue;
    }

    public LayoutEntryKind Kind { get; }
    public DicomTag Tag { get; }
    public DicomVR WriteVR { get; }

    /// <summary>The value's length field (padded primitive value, group length's UL value, padding length); unused for SQ and fragments.</summary>
    public long ValueLength { get; }

    /// <summary>Header and value (with delimiters) in bytes.</summary>
    public long EncodedLength { get; }

    public DicomElement? Element { get; }
    public SequenceLayout? Sequence { get; }

    /// <summary>The size of the units whose bytes are reversed on the way out; 1 when nothing is swapped.</summary>
    public int SwapUnit { get; }

    /// <summary>An odd-length value gets one NUL byte, as DCMTK adds on writing (OW excepted).</summary>
    public bool PadOddValue { get; }

    public LayoutEntry WithGroupLength(uint value) =>
        new(LayoutEntryKind.GroupLength, Tag, DicomVR.UL, value, EncodedLength);
}

internal sealed class ItemLayout
{
    public List<LayoutEntry> Entries { get; } = [];

    /// <summary>Bytes between the item header and the item delimiter (or the end of the data set).</summary>
    public long ContentLength { get; set; }

    public bool UndefinedLength { get; set; }

    /// <summary>Item header, content, and the item delimiter when the length is undefined.</summary>
    public long EncodedLength => DatasetLayout.ItemHeaderLength + ContentLength + (UndefinedLength ? DatasetLayout.ItemHeaderLength : 0);
}

internal sealed class SequenceLayout
{
    public List<ItemLayout> Items { get; } = [];

    /// <summary>The items with their headers and delimiters, without the sequence delimiter.</summary>
    public long ContentLength { get; set; }

    public bool UndefinedLength { get; set; }
}

/// <summary>
/// Computes the layout of a data set tree for a target encoding without touching any deferred value: lengths come
/// from the tree, which is what lets explicit lengths and group lengths be written in one pass.
/// </summary>
internal sealed class DatasetLayout
{
    public const int ItemHeaderLength = 8;
    public const uint MaxExplicitLength = 0xFFFFFFFE;
    private const int GroupLengthEncodedLength = 12;
    private const ushort PaddingGroup = 0xFFFC;

    private readonly TargetEncoding _target;
    private readonly DicomWriteOptions _options;
    private readonly bool _createPadding;

    public DatasetLayout(TargetEncoding target, DicomWriteOptions options)
    {
        _target = target;

        // DCMTK leaves padding as it is when either multiple is odd, as with -p=.
        _options = options.Padding == PaddingMode.Create && ((options.FilePadding & 1) == 1 || (options.ItemPadding & 1) == 1)
            ? options with { Padding = PaddingMode.Retain }
            : options;
        _createPadding = _options.Padding == PaddingMode.Create;
    }

    /// <summary>Lays out the top-level data set; <paramref name="prefixLength"/> is what precedes it in the file (preamble and meta).</summary>
    public ItemLayout PlanDataset(DicomDataset dataset, long prefixLength, bool writeFileFormat)
    {
        var layout = PlanItem(dataset, topLevel: true);
        if (_createPadding && writeFileFormat && _options.FilePadding > 0)
        {
            AddPadding(layout, prefixLength, _options.FilePadding);
        }

        return layout;
    }

    /// <summary>True when the tree holds encapsulated pixel data anywhere, which only an encapsulated syntax can carry.</summary>
    public static bool ContainsFragments(DicomDataset dataset)
    {
        foreach (var element in dataset)
        {
            if (element is DicomFragmentSequence)
            {
                return true;
            }

            if (element is DicomSequence sequence && sequence.Items.Any(ContainsFragments))
            {
                return true;
            }
        }

        return false;
    }

    private ItemLayout PlanItem(DicomDataset dataset, bool topLevel)
    {
        var layout = new ItemLayout();
        var entries = layout.Entries;
        entries.Capacity = dataset.Count;
        bool anyGroupLength = false;
        foreach (var element in dataset)
        {
            var tag = element.Tag;
            if (topLevel && tag.Group == 0x0002)
            {
                continue;
            }

            if (tag.IsGroupLength)
            {
                // Padding is an element like any other when retained, its group length as well (DCMTK does the same).
                if (_options.GroupLength == GroupLengthMode.Recalculate
                    && (tag.Group != PaddingGroup || _options.Padding == PaddingMode.Retain))
                {
                    // A placeholder at the element's place; its value is summed up below.
                    entries.Add(new LayoutEntry(LayoutEntryKind.GroupLength, tag, DicomVR.UL, 0, GroupLengthEncodedLength));
                    anyGroupLength = true;
                }

                continue;
            }

            if (tag == DicomTag.DataSetTrailingPadding && _options.Padding != PaddingMode.Retain)
            {
                continue;
            }

            if (_options.GroupLength == GroupLengthMode.Create
                && (entries.Count == 0 || entries[^1].Tag.Group != tag.Group))
            {
                entries.Add(new LayoutEntry(LayoutEntryKind.GroupLength, new DicomTag(tag.Group, 0), DicomVR.UL, 0, GroupLengthEncodedLength));
                anyGroupLength = true;
            }

            entries.Add(PlanElement(element, dataset.SourceIsLittleEndian));
        }

        if (anyGroupLength)
        {
            FillGroupLengths(entries);
        }

        layout.ContentLength = entries.Sum(e => e.EncodedLength);
        if (!topLevel && _createPadding && _options.ItemPadding > 0)
        {
            AddPadding(layout, 0, _options.ItemPadding);
        }

        layout.UndefinedLength = _options.SequenceLength == SequenceLengthMode.Undefined || layout.ContentLength > MaxExplicitLength;
        return layout;
    }

    private static void FillGroupLengths(List<LayoutEntry> entries)
    {
        for (int i = 0; i < entries.Count; i++)
        {
            if (entries[i].Kind != LayoutEntryKind.GroupLength)
            {
                continue;
            }

            ushort group = entries[i].Tag.Group;
            long sum = 0;
            for (int j = i + 1; j < entries.Count && entries[j].Tag.Group == group; j++)
            {
                sum += entries[j].EncodedLength;
            }

            if (sum > uint.MaxValue)
            {
                // A group longer than a UL can hold gets no group length (they are optional) rather than a wrong one.
                entries.RemoveAt(i--);
                continue;
            }

            entries[i] = entries[i].WithGroupLength((uint)sum);
        }
    }

    /// <summary>
    /// Appends (FFFC,FFFC) so that <paramref name="precedingLength"/> plus the content is a multiple of <paramref name="multiple"/>;
    /// when the gap is smaller than the element's header, whole multiples are added until it fits (DCMTK's rule).
    /// </summary>
    private void AddPadding(ItemLayout layout, long precedingLength, int multiple)
    {
        long remainder = (precedingLength + layout.ContentLength) % multiple;
        if (remainder == 0)
        {
            return;
        }

        int header = _target.ExplicitVR ? 12 : 8;
        long gap = multiple - remainder;
        while (gap < header)
        {
            gap += multiple;
        }

        layout.Entries.Add(new LayoutEntry(LayoutEntryKind.Padding, DicomTag.DataSetTrailingPadding, DicomVR.OB, gap - header, gap));
        layout.ContentLength += gap;
    }

    private LayoutEntry PlanElement(DicomElement element, bool sourceIsLittleEndian)
    {
        switch (element)
        {
            case DicomSequence sequence:
            {
                var sequenceLayout = new SequenceLayout();
                long content = 0;
                foreach (var item in sequence.Items)
                {
                    var itemLayout = PlanItem(item, topLevel: false);
                    sequenceLayout.Items.Add(itemLayout);
                    content += itemLayout.EncodedLength;
                }

                sequenceLayout.ContentLength = content;
                sequenceLayout.UndefinedLength = _options.SequenceLength == SequenceLengthMode.Undefined || content > MaxExplicitLength;
                long encoded = LongHeaderLength + content + (sequenceLayout.UndefinedLength ? ItemHeaderLength : 0);

                // A UN sequence (CP-246) is written as SQ, as DCMTK does.
                return new LayoutEntry(LayoutEntryKind.Sequence, element.Tag, DicomVR.SQ, content, encoded, element, sequenceLayout);
            }

            case DicomFragmentSequence fragments:
            {
                long content = ItemHeaderLength + (long)fragments.OffsetTable.Length;
                foreach (var fragment in fragments.Fragments)
                {
                    content += ItemHeaderLength + (long)fragment.Length;
                }

                long encoded = LongHeaderLength + content + ItemHeaderLength;
                return new LayoutEntry(LayoutEntryKind.Fragments, element.Tag, WritableVR(element.VR), content, encoded, element);
            }

            case DicomPrimitiveElement primitive:
            {
                var sourceVR = WritableVR(primitive.VR);
                var writeVR = sourceVR;
                if (_target.ExplicitVR && !_target.EnableNewVRs && writeVR.IsPost1993)
                {
                    writeVR = DicomVR.OB;
                }

                long length = primitive.Value.Length;
                bool pad = (length & 1) == 1 && sourceVR != DicomVR.OW;
                long valueLength = length + (pad ? 1 : 0);
                if (_target.ExplicitVR && !writeVR.HasLongExplicitHeader && valueLength > ushort.MaxValue)
                {
                    // A 16-bit length cannot hold it; UN (or OB without new VRs) has a 32-bit length.
                    writeVR = _target.EnableNewVRs ? DicomVR.UN : DicomVR.OB;
                }

                int header = !_target.ExplicitVR || writeVR.HasLongExplicitHeader ? LongHeaderLength : 8;
                int swapUnit = SwapUnit(sourceVR, _target.ExplicitVR ? writeVR : sourceVR, sourceIsLittleEndian, _target.LittleEndian);
                return new LayoutEntry(LayoutEntryKind.Primitive, element.Tag, writeVR, valueLength, header + valueLength,
                    element, swapUnit: swapUnit, padOddValue: pad);
            }

            default:
                throw new DicomWriteException($"Element {element.Tag} of type {element.GetType().Name} cannot be written.");
        }
    }

    /// <summary>12 in explicit VR (tag, VR, reserved, 32-bit length), 8 in implicit VR.</summary>
    private int LongHeaderLength => _target.ExplicitVR ? 12 : 8;

    private static DicomVR WritableVR(DicomVR vr) => vr.IsKnown ? vr : DicomVR.UN;

    /// <summary>
    /// The net byte swap. DCMTK brings a big endian value to little endian by its own VR when reading, and to big endian by
    /// the VR it writes: so a value written as OB by `-u` stays little endian in big endian output.
    /// </summary>
    internal static int SwapUnit(DicomVR sourceVR, DicomVR writeVR, bool sourceIsLittleEndian, bool targetIsLittleEndian)
    {
        int toLittle = sourceIsLittleEndian ? 1 : sourceVR.SwapUnitSize;
        int toTarget = targetIsLittleEndian ? 1 : writeVR.SwapUnitSize;
        if (toLittle == toTarget)
        {
            return 1;
        }

        return toLittle == 1 ? toTarget : toTarget == 1 ? toLittle
            : throw new DicomWriteException($"Cannot convert a value from {sourceVR} to {writeVR} units.");
    }
}
