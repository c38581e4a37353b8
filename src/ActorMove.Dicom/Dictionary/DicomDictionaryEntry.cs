using ActorMove.Dicom.Core;

namespace ActorMove.Dicom.Dictionary;

/// <summary>
/// One dictionary row. <see cref="Mask"/> marks repeating groups: a tag matches when (tag &amp; Mask) == Tag.Value,
/// e.g. (60xx,3000) has mask 0xFF00FFFF.
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
    public bool Matches(DicomTag tag) => (tag.Value & Mask) == Tag.Value;
}
