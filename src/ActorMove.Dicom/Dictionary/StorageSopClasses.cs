namespace ActorMove.Dicom.Dictionary;

/// <summary>
/// Storage SOP classes. Placeholder until the dictionary generator writes the lists from ../shared/dicom/.
/// </summary>
public static partial class StorageSopClasses
{
    /// <summary>The storage SOP classes DCMTK 3.6.7 movescu accepts on its store port, in its order.</summary>
    public static IReadOnlyList<string> AcceptedByMovescu { get; } = [];

    /// <summary>Every storage SOP class in the dictionary (for the widened acceptance setting).</summary>
    public static IReadOnlyList<string> All { get; } = [];

    /// <summary>The file-name prefix movescu uses for a SOP class (CT, MR, ...), or null when the table has none.</summary>
    public static string? FileNamePrefix(string sopClassUid) => null;
}
