namespace ActorMove.Dicom.Core;

/// <summary>
/// How a data set is encoded (PS3.5 10): VR explicit or implicit, byte order, deflate, encapsulated pixel data.
/// The registry holds every transfer syntax of PS3.6 Annex A; <see cref="Lookup"/> also answers for private ones.
/// </summary>
public sealed partial class TransferSyntax : IEquatable<TransferSyntax>
{
    public TransferSyntax(string uid, string name, bool isExplicitVR, bool isLittleEndian, bool isDeflated, bool isEncapsulated,
        bool isRetired = false, string? keyword = null)
    {
        Uid = uid;
        Name = name;
        IsExplicitVR = isExplicitVR;
        IsLittleEndian = isLittleEndian;
        IsDeflated = isDeflated;
        IsEncapsulated = isEncapsulated;
        IsRetired = isRetired;
        Keyword = keyword ?? name;
    }

    public string Uid { get; }
    public string Name { get; }
    public string Keyword { get; }
    public bool IsExplicitVR { get; }
    public bool IsLittleEndian { get; }
    public bool IsDeflated { get; }

    /// <summary>Pixel data stands as fragments in an undefined-length OB element (PS3.5 A.4).</summary>
    public bool IsEncapsulated { get; }

    public bool IsRetired { get; }

    /// <summary>Known from the registry (not made up for an unknown UID).</summary>
    public bool IsKnown => Registry.ContainsKey(Uid);

    public static readonly TransferSyntax ImplicitVRLittleEndian =
        new("1.2.840.10008.1.2", "Implicit VR Little Endian", false, true, false, false, keyword: "ImplicitVRLittleEndian");

    public static readonly TransferSyntax ExplicitVRLittleEndian =
        new("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, true, false, false, keyword: "ExplicitVRLittleEndian");

    public static readonly TransferSyntax DeflatedExplicitVRLittleEndian =
        new("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, true, true, false, keyword: "DeflatedExplicitVRLittleEndian");

    public static readonly TransferSyntax ExplicitVRBigEndian =
        new("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, false, false, false, isRetired: true, keyword: "ExplicitVRBigEndian");

    // In a nested class so the registry is built after every static field of both partial files is set: C# gives no
    // order between the field initialisers of two files of one partial class.
    private static Dictionary<string, TransferSyntax> Registry => RegistryHolder.Registry;

    private static class RegistryHolder
    {
        internal static readonly Dictionary<string, TransferSyntax> Registry = BuildRegistry();
    }

    /// <summary>Every transfer syntax the registry knows, in PS3.6 order.</summary>
    public static IReadOnlyCollection<TransferSyntax> All => Registry.Values;

    public static bool TryLookup(string uid, out TransferSyntax syntax)
    {
        if (Registry.TryGetValue(uid.TrimEnd('\0', ' '), out var found))
        {
            syntax = found;
            return true;
        }

        syntax = null!;
        return false;
    }

    /// <summary>
    /// The registered syntax, or for an unknown UID a private one that PS3.5 A.4 says must be treated as
    /// explicit VR little endian with encapsulated pixel data.
    /// </summary>
    public static TransferSyntax Lookup(string uid) =>
        TryLookup(uid, out var syntax)
            ? syntax
            : new TransferSyntax(uid.TrimEnd('\0', ' '), "Unknown Transfer Syntax", true, true, false, true);

    private static Dictionary<string, TransferSyntax> BuildRegistry()
    {
        var registry = new Dictionary<string, TransferSyntax>(StringComparer.Ordinal);
        foreach (var syntax in Generated())
        {
            registry.TryAdd(syntax.Uid, syntax);
        }

        foreach (var syntax in new[] { ImplicitVRLittleEndian, ExplicitVRLittleEndian, DeflatedExplicitVRLittleEndian, ExplicitVRBigEndian })
        {
            registry.TryAdd(syntax.Uid, syntax);
        }

        return registry;
    }

    /// <summary>Every syntax of the UID table in its order (the four above included); generated.</summary>
    private static partial IEnumerable<TransferSyntax> Generated();

    public bool Equals(TransferSyntax? other) => other is not null && other.Uid == Uid;
    public override bool Equals(object? obj) => Equals(obj as TransferSyntax);
    public override int GetHashCode() => Uid.GetHashCode(StringComparison.Ordinal);
    public override string ToString() => $"{Name} ({Uid})";
}
