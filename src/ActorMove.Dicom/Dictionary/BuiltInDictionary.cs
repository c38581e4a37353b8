using ActorMove.Dicom.Core;

namespace ActorMove.Dicom.Dictionary;

/// <summary>
/// Reads rows of the generated <see cref="BuiltInDictionaryTable"/>. A row becomes a <see cref="DicomDictionaryEntry"/>
/// the first time it is asked for and is kept, so lookups allocate nothing after warm-up and startup costs nothing.
/// </summary>
internal static class BuiltInDictionary
{
    private static readonly DicomDictionaryEntry?[] Entries = new DicomDictionaryEntry?[BuiltInDictionaryTable.Count];
    private static readonly Lazy<Dictionary<string, int>> KeywordIndex = new(BuildKeywordIndex);

    /// <summary>The row describing <paramref name="tag"/>, exact rows first, then repeating groups; -1 when none.</summary>
    public static int Find(DicomTag tag)
    {
        int index = BuiltInDictionaryTable.Tags.AsSpan(0, BuiltInDictionaryTable.ExactCount).BinarySearch(tag.Value);
        if (index >= 0)
        {
            return index;
        }

        // The standard's repeating groups are all even; an odd group is private and must not match (50xx,...).
        if (tag.IsPrivate)
        {
            return -1;
        }

        var masks = BuiltInDictionaryTable.Masks;
        var tags = BuiltInDictionaryTable.Tags.AsSpan(BuiltInDictionaryTable.ExactCount);
        for (int i = 0; i < masks.Length; i++)
        {
            if ((tag.Value & masks[i]) == tags[i])
            {
                return BuiltInDictionaryTable.ExactCount + i;
            }
        }

        return -1;
    }

    public static int FindKeyword(string keyword) => KeywordIndex.Value.TryGetValue(keyword, out int index) ? index : -1;

    public static DicomVR PrimaryVR(int index)
    {
        Span<DicomVR> vrs = stackalloc DicomVR[4];
        return VRRules.ForImplicit(vrs[..Unpack(BuiltInDictionaryTable.VRs[index], vrs)]);
    }

    public static DicomDictionaryEntry Get(int index)
    {
        var entry = Volatile.Read(ref Entries[index]);
        if (entry is not null)
        {
            return entry;
        }

        entry = Create(index);
        return Interlocked.CompareExchange(ref Entries[index], entry, null) ?? entry;
    }

    private static DicomDictionaryEntry Create(int index)
    {
        Span<DicomVR> buffer = stackalloc DicomVR[4];
        DicomVR[] allowed = buffer[..Unpack(BuiltInDictionaryTable.VRs[index], buffer)].ToArray();
        byte vmAndFlags = BuiltInDictionaryTable.VMAndFlags[index];
        var (keyword, name) = Text(index);
        uint mask = index < BuiltInDictionaryTable.ExactCount
            ? 0xFFFFFFFF
            : BuiltInDictionaryTable.Masks[index - BuiltInDictionaryTable.ExactCount];
        return new DicomDictionaryEntry(
            new DicomTag(BuiltInDictionaryTable.Tags[index]),
            mask,
            VRRules.ForImplicit(allowed),
            allowed,
            BuiltInDictionaryTable.VMs[vmAndFlags & ~BuiltInDictionaryTable.RetiredBit],
            keyword,
            name,
            (vmAndFlags & BuiltInDictionaryTable.RetiredBit) != 0);
    }

    private static int Unpack(ulong packed, Span<DicomVR> vrs)
    {
        int count = 0;
        for (; count < vrs.Length && packed != 0; count++, packed >>= 16)
        {
            vrs[count] = DicomVR.FromCode((ushort)packed);
        }

        return count;
    }

    private static (string Keyword, string Name) Text(int index)
    {
        var offsets = BuiltInDictionaryTable.TextOffsets;
        var row = BuiltInDictionaryTable.Text.AsSpan(offsets[index], offsets[index + 1] - offsets[index]);
        int tab = row.IndexOf('\t');
        return (row[..tab].ToString(), row[(tab + 1)..].ToString());
    }

    private static Dictionary<string, int> BuildKeywordIndex()
    {
        var index = new Dictionary<string, int>(BuiltInDictionaryTable.Count, StringComparer.Ordinal);
        var offsets = BuiltInDictionaryTable.TextOffsets;
        for (int i = 0; i < BuiltInDictionaryTable.Count; i++)
        {
            var row = BuiltInDictionaryTable.Text.AsSpan(offsets[i], offsets[i + 1] - offsets[i]);
            int tab = row.IndexOf('\t');
            if (tab > 0)
            {
                index.TryAdd(row[..tab].ToString(), i);
            }
        }

        return index;
    }
}

/// <summary>Which of several allowed VRs a reader assumes when the encoding does not say (implicit VR).</summary>
internal static class VRRules
{
    /// <summary>
    /// PS3.5 A.1: in implicit VR little endian, pixel data, overlay data, audio samples and LUT data (the rows allowing
    /// OW) are OW; the US-or-SS rows are read as US until Pixel Representation says otherwise.
    /// </summary>
    public static DicomVR ForImplicit(ReadOnlySpan<DicomVR> allowed)
    {
        if (allowed.IsEmpty)
        {
            return DicomVR.None;
        }

        return allowed.Length > 1 && allowed.Contains(DicomVR.OW) ? DicomVR.OW : allowed[0];
    }
}
