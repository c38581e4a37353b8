using ActorMove.Dicom.Core;

namespace ActorMove.Dicom.Dictionary;

/// <summary>
/// Tag, VR and keyword lookups. Placeholder: only the rules that hold without a table (group length, private creator);
/// the generated table and DCMDICTPATH come with the dictionary generator.
/// </summary>
public sealed class DicomDictionary
{
    public static DicomDictionary Default { get; } = new();

    public bool TryGetEntry(DicomTag tag, out DicomDictionaryEntry entry)
    {
        entry = null!;
        return false;
    }

    public bool TryGetTag(string keyword, out DicomTag tag)
    {
        tag = default;
        return false;
    }

    /// <summary>The VR an implicit VR reader uses; UN when the tag is unknown.</summary>
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

        return TryGetEntry(tag, out var entry) ? entry.VR : DicomVR.UN;
    }
}
