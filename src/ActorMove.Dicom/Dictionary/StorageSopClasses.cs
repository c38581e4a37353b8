using System.Collections.Frozen;

namespace ActorMove.Dicom.Dictionary;

/// <summary>Storage SOP classes and the file-name prefixes movescu gives their objects; the lists are generated.</summary>
public static partial class StorageSopClasses
{
    /// <summary>The storage SOP classes DCMTK 3.6.7 movescu accepts on its store port, in its order.</summary>
    public static IReadOnlyList<string> AcceptedByMovescu { get; } = Array.AsReadOnly(CreateAcceptedByMovescu());

    /// <summary>
    /// Every storage SOP class in the dictionary (for the widened acceptance setting): the PS3.6 ones, retired included,
    /// in PS3.6 order, then any class of <see cref="AcceptedByMovescu"/> PS3.6 does not list (none with the current
    /// tables), so the widened set always contains the default one. Storage Commitment and Media Storage Directory
    /// Storage are not storage classes and are left out.
    /// </summary>
    public static IReadOnlyList<string> All { get; } = Array.AsReadOnly(CreateAll());

    private static readonly FrozenDictionary<string, string> FileNamePrefixes =
        CreateFileNamePrefixes().ToFrozenDictionary(row => row.SopClassUid, row => row.Prefix, StringComparer.Ordinal);

    /// <summary>The file-name prefix movescu uses for a SOP class (CT, MR, ...), or null when the table has none.</summary>
    public static string? FileNamePrefix(string sopClassUid) => FileNamePrefixes.GetValueOrDefault(sopClassUid.TrimEnd('\0', ' '));
}
