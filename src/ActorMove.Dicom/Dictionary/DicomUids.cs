namespace ActorMove.Dicom.Dictionary;

/// <summary>A row of the PS3.6 UID registry.</summary>
public sealed record DicomUidInfo(string Uid, string Keyword, string Name, string Type, bool IsRetired)
{
    public bool IsTransferSyntax => Type == "Transfer Syntax";
    public bool IsSopClass => Type == "SOP Class";
}

/// <summary>The PS3.6 UIDs: one constant per keyword (generated) and a lookup by UID.</summary>
public static partial class DicomUids
{
    private static readonly Lazy<Dictionary<string, DicomUidInfo>> ByUid = new(BuildLookup);

    /// <summary>Every UID of the registry, in PS3.6 order.</summary>
    public static IReadOnlyCollection<DicomUidInfo> All => ByUid.Value.Values;

    /// <summary>Looks a UID up; trailing NUL or space padding (as on the wire) is ignored.</summary>
    public static bool TryGetInfo(string uid, out DicomUidInfo info)
    {
        var lookup = ByUid.Value;
        if (lookup.TryGetValue(uid, out var found) || lookup.TryGetValue(uid.TrimEnd('\0', ' '), out found))
        {
            info = found;
            return true;
        }

        info = null!;
        return false;
    }

    private static Dictionary<string, DicomUidInfo> BuildLookup()
    {
        var lookup = new Dictionary<string, DicomUidInfo>(StringComparer.Ordinal);
        Span<Range> fields = stackalloc Range[6];
        foreach (var line in Table.AsSpan().EnumerateLines())
        {
            if (line.IsEmpty)
            {
                continue;
            }

            if (line.Split(fields, '\t') != 5)
            {
                throw new InvalidOperationException("corrupt generated UID table");
            }

            var info = new DicomUidInfo(line[fields[0]].ToString(), line[fields[1]].ToString(), line[fields[2]].ToString(),
                line[fields[3]].ToString(), line[fields[4]] is "R");
            lookup.Add(info.Uid, info);
        }

        return lookup;
    }
}
