using ActorMove.Dicom.Core;

namespace ActorMove.Dicom.Dictionary;

/// <summary>
/// Tag, VR and keyword lookups: the built-in PS3.6 table, overridden by the dictionary files DCMDICTPATH lists (in
/// DCMTK's dicom.dic format, later files winning), plus private rows keyed by group, creator and element byte.
/// Immutable once loaded, so one instance serves every thread; lookups allocate nothing once a row has been seen.
/// </summary>
public sealed class DicomDictionary
{
    /// <summary>The environment variable DCMTK reads its dictionary files from.</summary>
    public const string PathVariable = "DCMDICTPATH";

    private static readonly Lazy<DicomDictionary> LazyDefault =
        new(() => FromSearchPath(Environment.GetEnvironmentVariable(PathVariable)));

    // Rows from files. Exact rows are looked up before any repeating row, built-in or not, as DCMTK does.
    private readonly Dictionary<uint, DicomDictionaryEntry> _exact = new();
    private readonly List<DicomDictionaryEntry> _repeating = []; // newest first
    private readonly Dictionary<string, DicomTag> _keywords = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PrivateBlock> _private = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PrivateBlock>.AlternateLookup<ReadOnlySpan<char>> _privateBySpan;

    private DicomDictionary()
    {
        _privateBySpan = _private.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>
    /// The built-in table plus the files of DCMDICTPATH, loaded on first use. Throws <see cref="DicomDictionaryException"/>
    /// (every time it is read) when a listed file is missing or malformed.
    /// </summary>
    public static DicomDictionary Default => LazyDefault.Value;

    /// <summary>The built-in table with <paramref name="extraFiles"/> loaded over it, in order.</summary>
    public static DicomDictionary Load(IEnumerable<string> extraFiles)
    {
        var dictionary = new DicomDictionary();
        foreach (string file in extraFiles)
        {
            dictionary.Add(DicomDictionaryFile.Read(file));
        }

        return dictionary;
    }

    /// <summary>
    /// Like DCMTK: <paramref name="searchPath"/> lists dictionary files separated by ':' (';' on Windows); empty elements
    /// are skipped. DCMTK's own dicom.dic may be listed: it describes the same standard and simply loads over the
    /// built-in rows (with DCMTK's RETIRED_ keywords for retired ones). A listed file that does not exist is an error.
    /// </summary>
    public static DicomDictionary FromSearchPath(string? searchPath) =>
        Load((searchPath ?? "").Split(Path.PathSeparator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    public bool TryGetEntry(DicomTag tag, out DicomDictionaryEntry entry)
    {
        if (_exact.Count > 0 && _exact.TryGetValue(tag.Value, out var found))
        {
            entry = found;
            return true;
        }

        int index = BuiltInDictionary.Find(tag);
        if (index >= 0 && index < BuiltInDictionaryTable.ExactCount)
        {
            entry = BuiltInDictionary.Get(index);
            return true;
        }

        foreach (var candidate in _repeating)
        {
            if (candidate.Matches(tag))
            {
                entry = candidate;
                return true;
            }
        }

        if (index >= 0)
        {
            entry = BuiltInDictionary.Get(index);
            return true;
        }

        entry = null!;
        return false;
    }

    /// <summary>
    /// The row for a private data element (gggg,xxee) whose block xx was reserved by <paramref name="creator"/> (the value
    /// of (gggg,00xx), padding ignored).
    /// </summary>
    public bool TryGetPrivateEntry(DicomTag tag, ReadOnlySpan<char> creator, out DicomDictionaryEntry entry)
    {
        if (tag.IsPrivate && _private.Count > 0 && _privateBySpan.TryGetValue(creator.Trim(" \0"), out var block))
        {
            var candidates = block.ByElementByte[tag.Element & 0xFF];
            if (candidates is not null)
            {
                foreach (var candidate in candidates)
                {
                    if (candidate.Matches(tag))
                    {
                        entry = candidate;
                        return true;
                    }
                }
            }
        }

        entry = null!;
        return false;
    }

    public bool TryGetPrivateEntry(DicomTag tag, string creator, out DicomDictionaryEntry entry) =>
        TryGetPrivateEntry(tag, creator.AsSpan(), out entry);

    /// <summary>The tag of a keyword (the first tag of a repeating group, e.g. (6000,3000) for OverlayData).</summary>
    public bool TryGetTag(string keyword, out DicomTag tag)
    {
        if (_keywords.Count > 0 && _keywords.TryGetValue(keyword, out tag))
        {
            return true;
        }

        int index = BuiltInDictionary.FindKeyword(keyword);
        tag = index >= 0 ? new DicomTag(BuiltInDictionaryTable.Tags[index]) : default;
        return index >= 0;
    }

    /// <summary>The VR an implicit VR reader uses; UN when the tag is unknown (and for private data elements).</summary>
    public DicomVR GetVR(DicomTag tag)
    {
        if (tag.IsGroupLength)
        {
            return DicomVR.UL;
        }

        if (tag.IsPrivateCreator)
        {
            return DicomVR.LO;
        }

        if (_exact.Count == 0 && _repeating.Count == 0)
        {
            // The common case reads the packed table without materialising the row.
            int index = BuiltInDictionary.Find(tag);
            return index >= 0 ? BuiltInDictionary.PrimaryVR(index) : DicomVR.UN;
        }

        return TryGetEntry(tag, out var entry) ? entry.VR : DicomVR.UN;
    }

    /// <summary>As <see cref="GetVR(DicomTag)"/>, using the private dictionary for a private data element.</summary>
    public DicomVR GetVR(DicomTag tag, ReadOnlySpan<char> privateCreator)
    {
        if (tag.IsPrivate && !tag.IsGroupLength && !tag.IsPrivateCreator && TryGetPrivateEntry(tag, privateCreator, out var entry))
        {
            return entry.VR;
        }

        return GetVR(tag);
    }

    private void Add(List<DicomDictionaryEntry> entries)
    {
        foreach (var entry in entries)
        {
            if (entry.PrivateCreator is { } creator)
            {
                if (!_private.TryGetValue(creator, out var block))
                {
                    _private[creator] = block = new PrivateBlock();
                }

                // Newest first, so a later file overrides an earlier one.
                (block.ByElementByte[entry.Tag.Element & 0xFF] ??= []).Insert(0, entry);
                continue;
            }

            if (entry.IsRepeating)
            {
                _repeating.Insert(0, entry);
            }
            else
            {
                _exact[entry.Tag.Value] = entry;
            }

            _keywords[entry.Keyword] = entry.Tag;
        }
    }

    private sealed class PrivateBlock
    {
        public readonly List<DicomDictionaryEntry>?[] ByElementByte = new List<DicomDictionaryEntry>?[256];
    }
}
