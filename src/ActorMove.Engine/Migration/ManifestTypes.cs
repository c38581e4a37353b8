using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;

namespace ActorMove.Engine.Migration;

/// <summary>How a manifest separates its fields.</summary>
public enum ManifestFormat
{
    Csv,
    Tsv,
}

/// <summary>
/// One attribute set on every row's identifier, as movescu's -k does on query files: it replaces the row's value of the
/// same tag, or is inserted. An empty <see cref="Value"/> sends the attribute with no value (a return key).
/// </summary>
public readonly record struct ManifestKey(DicomTag Tag, DicomVR VR, string Value);

/// <summary>A header column resolved against the dictionary.</summary>
/// <param name="Number">1-based.</param>
/// <param name="Name">The header text as written (trimmed).</param>
public sealed record ManifestColumn(int Number, string Name, DicomTag Tag, DicomVR VR);

/// <summary>One data row of a manifest: one C-MOVE identifier.</summary>
/// <param name="Row">1-based record number, the header being row 1 (blank and comment lines are not counted).</param>
/// <param name="Line">The physical line the row starts on.</param>
/// <param name="Key">
/// Stable across runs: "{Row}:{16 hex digits of SHA-256 over the final identifier}" (tags, VRs and values after -k keys).
/// Unchanged rows keep their key even when other rows of the file were edited; a changed row, or a row moved to another
/// position, is a new row.
/// </param>
public sealed record ManifestRow(int Row, int Line, string Key, DicomDataset Identifier);

/// <summary>What <see cref="Manifest.Open"/> needs besides the path.</summary>
public sealed record ManifestOptions
{
    /// <summary>The -k keys, applied to every row after its own fields (they win).</summary>
    public IReadOnlyList<ManifestKey> Keys { get; init; } = [];

    /// <summary>Called with every row's identifier after <see cref="Keys"/>; for keys the caller applies itself.</summary>
    public Action<DicomDataset>? ApplyKeys { get; init; }

    /// <summary>Resolves header keywords and VRs; <see cref="ActorMove.Dicom.Dictionary.DicomDictionary.Default"/> when null.</summary>
    public ActorMove.Dicom.Dictionary.DicomDictionary? Dictionary { get; init; }

    /// <summary>Overrides detection by extension and header.</summary>
    public ManifestFormat? Format { get; init; }
}
