using ActorMove.Dicom.Core;
using ActorMove.Dicom.Dictionary;

namespace ActorMove.Cli.Options;

/// <summary>
/// Checks -k names against the data dictionary (built-in table plus DCMDICTPATH) the way movescu does: keywords must match
/// exactly; a numeric tag must be in the dictionary, where group lengths (gggg,0000) and private creators (gggg,0010-00FF)
/// always are, as DCMTK's dicom.dic has generic rows for both.
/// </summary>
public sealed class DictionaryOverrideKeys(Func<DicomDictionary> dictionary) : IOverrideKeyDictionary
{
    private static readonly Lazy<DicomDictionary> FallbackSafeDefault = new(() =>
    {
        try
        {
            return DicomDictionary.Default;
        }
        catch (DicomDictionaryException)
        {
            return DicomDictionary.Load([]);
        }
    });

    /// <summary>
    /// Looks at <see cref="DicomDictionary.Default"/> only when a -k needs it. When DCMDICTPATH names a broken file, the
    /// built-in table still answers (DCMTK too carries on with what it could load).
    /// </summary>
    public static DictionaryOverrideKeys Default { get; } = new(() => FallbackSafeDefault.Value);

    public bool TryGetTag(string keyword, out DicomTag tag) => dictionary().TryGetTag(keyword, out tag);

    public bool IsKnown(DicomTag tag) => tag.IsGroupLength || tag.IsPrivateCreator || dictionary().TryGetEntry(tag, out _);
}
