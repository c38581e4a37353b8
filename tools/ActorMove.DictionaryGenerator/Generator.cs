using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ActorMove.DictionaryGenerator;

/// <summary>Reads the PS3.6 TSV tables and writes the *.Generated.cs files of ActorMove.Dicom.</summary>
internal static partial class Generator
{
    public const string RegenerateCommand = "dotnet run --project tools/ActorMove.DictionaryGenerator -- [path-to-tsv-folder, default ../shared/dicom]";

    private const string TransferSyntaxType = "Transfer Syntax";
    private const string SopClassType = "SOP Class";

    public static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ActorMove.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    /// <summary>The supplement of data elements DCMTK knows and the shared table lacks, relative to the repository root.</summary>
    public const string SupplementPath = "tools/ActorMove.DictionaryGenerator/supplement.tsv";

    /// <summary>DCMTK's names for UIDs and transfer syntaxes as dcmdump prints them (observe-dcmtk-names.sh reads them off), relative to the repository root.</summary>
    public const string DcmtkUidNamesPath = "tools/ActorMove.DictionaryGenerator/dcmtk-uid-names.tsv";

    public const string DcmtkTransferSyntaxNamesPath = "tools/ActorMove.DictionaryGenerator/dcmtk-transfer-syntax-names.tsv";

    private static readonly string[] ElementHeader = ["tag", "vr", "vm", "keyword", "name", "retired"];

    public static IReadOnlyList<string> Run(string tsvFolder, string supplementFile, string dicomProject, string dcmtkUidNamesFile,
        string dcmtkTransferSyntaxNamesFile)
    {
        var shared = ReadTsv(Path.Combine(tsvFolder, "data-elements.tsv"), ElementHeader).Select(ParseElement).ToList();
        var supplement = ReadTsv(supplementFile, ElementHeader, allowComments: true).Select(ParseElement).ToList();
        // The shared table wins: a supplement row it has gained is dropped, not a duplicate.
        var sharedTags = shared.Select(e => (e.Tag, e.Mask)).ToHashSet();
        var elements = shared.Concat(supplement.Where(e => !sharedTags.Contains((e.Tag, e.Mask)))).ToList();
        var uids = ReadTsv(Path.Combine(tsvFolder, "uids.tsv"), ["uid", "keyword", "name", "type", "retired"])
            .Select(r => new UidRow(r.Fields[0], r.Fields[1], r.Fields[2], r.Fields[3], r.Fields[4] == "R")).ToList();
        var accepted = ReadTsv(Path.Combine(tsvFolder, "storage-sop-classes-accepted.tsv"), ["sop_class_uid", "dcmtk_name"])
            .Select(r => r.Fields[0]).ToList();
        var prefixes = ReadTsv(Path.Combine(tsvFolder, "file-name-prefixes.tsv"), ["sop_class_uid", "prefix"])
            .Select(r => (Uid: r.Fields[0], Prefix: r.Fields[1])).ToList();

        var uidNames = ReadTsv(dcmtkUidNamesFile, ["uid", "dcmtk_name"]).Select(r => (Uid: r.Fields[0], Name: r.Fields[1])).ToList();
        var syntaxNames = ReadTsv(dcmtkTransferSyntaxNamesFile, ["uid", "dcmtk_name"]).Select(r => (Uid: r.Fields[0], Name: r.Fields[1])).ToList();

        CheckUnique(elements.Where(e => e.Keyword.Length > 0).Select(e => e.Keyword), "data element keyword");
        CheckUnique(elements.Select(e => (e.Tag, e.Mask)), "data element tag");
        CheckUnique(uids.Where(u => u.Keyword.Length > 0).Select(u => u.Keyword), "UID keyword");
        CheckUnique(uids.Select(u => u.Uid), "UID");
        CheckUnique(accepted, "accepted storage SOP class");
        CheckUnique(prefixes.Select(p => p.Uid), "file-name prefix SOP class");
        CheckUnique(uidNames.Select(n => n.Uid), "DCMTK UID name");
        CheckUnique(syntaxNames.Select(n => n.Uid), "DCMTK transfer syntax name");

        var written = new List<string>
        {
            Write(Path.Combine(dicomProject, "Dictionary", "BuiltInDictionaryTable.Generated.cs"), DictionaryTable(elements)),
            Write(Path.Combine(dicomProject, "Dictionary", "DicomTags.Generated.cs"), Tags(elements)),
            Write(Path.Combine(dicomProject, "Dictionary", "DicomUids.Generated.cs"), Uids(uids)),
            Write(Path.Combine(dicomProject, "Core", "TransferSyntax.Generated.cs"), TransferSyntaxes(uids)),
            Write(Path.Combine(dicomProject, "Dictionary", "StorageSopClasses.Generated.cs"), StorageClasses(uids, accepted, prefixes)),
            Write(Path.Combine(dicomProject, "Text", "DcmtkNames.Generated.cs"), DcmtkNames(uidNames, syntaxNames)),
        };
        return written;
    }

    private sealed record TsvRow(string File, int Line, string[] Fields);

    private sealed record ElementRow(uint Tag, uint Mask, string[] VRs, string VM, string Keyword, string Name, bool Retired);

    private sealed record UidRow(string Uid, string Keyword, string Name, string Type, bool Retired);

    /// <summary>A TSV table whose first line is the header; with <paramref name="allowComments"/>, '#' lines before the header are skipped.</summary>
    private static List<TsvRow> ReadTsv(string path, string[] header, bool allowComments = false)
    {
        var lines = File.ReadAllLines(path);
        int comments = allowComments ? lines.TakeWhile(l => l.StartsWith('#')).Count() : 0;
        lines = lines[comments..];
        if (lines.Length == 0 || lines[0].Split('\t') is var head && !head.SequenceEqual(header))
        {
            throw new InvalidDataException($"{path}: expected header '{string.Join("\\t", header)}'");
        }

        var rows = new List<TsvRow>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            var fields = lines[i].Split('\t');
            if (fields.Length != header.Length)
            {
                throw new InvalidDataException($"{path}:{comments + i + 1}: expected {header.Length} fields, found {fields.Length}");
            }

            rows.Add(new TsvRow(path, comments + i + 1, fields.Select(f => f.Trim()).ToArray()));
        }

        return rows;
    }

    private static ElementRow ParseElement(TsvRow row)
    {
        // "(gggg,eeee)" where any digit may be 'x': a repeating group such as (60xx,3000) or (0028,04x0).
        var match = TagPattern().Match(row.Fields[0]);
        if (!match.Success)
        {
            throw new InvalidDataException($"{row.File}:{row.Line}: bad tag '{row.Fields[0]}'");
        }

        string digits = match.Groups[1].Value + match.Groups[2].Value;
        uint tag = 0, mask = 0;
        foreach (char c in digits)
        {
            tag <<= 4;
            mask <<= 4;
            if (c is not ('x' or 'X'))
            {
                tag |= uint.Parse(c.ToString(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                mask |= 0xF;
            }
        }

        string[] vrs = row.Fields[1] == "NONE"
            ? []
            : row.Fields[1].Split(" or ", StringSplitOptions.TrimEntries);
        foreach (string vr in vrs)
        {
            if (!VRPattern().IsMatch(vr))
            {
                throw new InvalidDataException($"{row.File}:{row.Line}: bad VR '{row.Fields[1]}'");
            }
        }

        string keyword = row.Fields[3];
        if (keyword.Length > 0 && !IdentifierPattern().IsMatch(keyword))
        {
            throw new InvalidDataException($"{row.File}:{row.Line}: keyword '{keyword}' is not an identifier");
        }

        return new ElementRow(tag, mask, vrs, row.Fields[2], keyword, row.Fields[4], row.Fields[5] == "R");
    }

    private static void CheckUnique<T>(IEnumerable<T> values, string what)
    {
        var duplicate = values.GroupBy(v => v).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidDataException($"duplicate {what}: {duplicate.Key}");
        }
    }

    private static string Header(string content, string? supplement = null) =>
        "// <auto-generated>\n" +
        $"// Generated by tools/ActorMove.DictionaryGenerator from the PS3.6 tables in ../shared/dicom ({content}).\n" +
        (supplement is null ? "" : $"// Supplemented by {supplement}: data elements DCMTK 3.6.7 knows that the shared table lacks.\n") +
        "// Do not edit. Regenerate from the repository root with:\n" +
        $"//     {RegenerateCommand}\n" +
        "// </auto-generated>\n" +
        "#nullable enable\n\n";

    private static string Write(string path, string content)
    {
        // Unix line endings whatever the host, so regenerating never shows a whole-file diff.
        File.WriteAllText(path, content.Replace("\r\n", "\n"), new UTF8Encoding(false));
        return path;
    }

    /// <summary>A C# string literal; the tables are ASCII, anything else is escaped to keep the file ASCII.</summary>
    private static string Literal(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\t': sb.Append("\\t"); break;
                case '\n': sb.Append("\\n"); break;
                case < ' ' or > '~': sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"); break;
                default: sb.Append(c); break;
            }
        }

        return sb.Append('"').ToString();
    }

    private static string DictionaryTable(List<ElementRow> elements)
    {
        // Exact rows sorted by tag for a binary search; masked (repeating group) rows after them, tried in order.
        var exact = elements.Where(e => e.Mask == 0xFFFFFFFF).OrderBy(e => e.Tag).ToList();
        var masked = elements.Where(e => e.Mask != 0xFFFFFFFF).ToList();
        var rows = exact.Concat(masked).ToList();
        var vms = rows.Select(r => r.VM).Distinct().OrderBy(v => v, StringComparer.Ordinal).ToList();
        if (vms.Count > 0x7F)
        {
            throw new InvalidDataException("too many distinct VMs for the packed VM index");
        }

        var sb = new StringBuilder(Header("data-elements.tsv", SupplementPath));
        sb.Append("namespace ActorMove.Dicom.Dictionary;\n\n");
        sb.Append("/// <summary>\n");
        sb.Append("/// The PS3.6 data element registry as flat tables: the numeric columns are constant data the runtime maps\n");
        sb.Append("/// straight from the assembly, the text is one string; nothing is parsed or allocated until a row is asked for.\n");
        sb.Append("/// </summary>\n");
        sb.Append("internal static class BuiltInDictionaryTable\n{\n");
        sb.Append(CultureInfo.InvariantCulture, $"    internal const int Count = {rows.Count};\n\n");
        sb.Append("    /// <summary>Rows [0, ExactCount) have no mask and are sorted by tag.</summary>\n");
        sb.Append(CultureInfo.InvariantCulture, $"    internal const int ExactCount = {exact.Count};\n\n");
        sb.Append("    /// <summary>Retired flag in the VM byte.</summary>\n");
        sb.Append("    internal const byte RetiredBit = 0x80;\n\n");

        sb.Append("    internal static readonly uint[] Tags =\n    [\n");
        AppendNumbers(sb, rows.Select(r => $"0x{r.Tag:X8}"));
        sb.Append("    ];\n\n");

        sb.Append("    /// <summary>The repeating-group masks of rows [ExactCount, Count).</summary>\n");
        sb.Append("    internal static readonly uint[] Masks =\n    [\n");
        AppendNumbers(sb, masked.Select(r => $"0x{r.Mask:X8}"));
        sb.Append("    ];\n\n");

        sb.Append("    /// <summary>Up to four VR codes per row (as DicomVR.Code), the first listed in the low 16 bits; 0 ends the list.</summary>\n");
        sb.Append("    internal static readonly ulong[] VRs =\n    [\n");
        AppendNumbers(sb, rows.Select(r => $"0x{PackVRs(r.VRs):X}"));
        sb.Append("    ];\n\n");

        sb.Append("    /// <summary>Index into <see cref=\"VMs\"/>, with <see cref=\"RetiredBit\"/> set for retired rows.</summary>\n");
        sb.Append("    internal static readonly byte[] VMAndFlags =\n    [\n");
        AppendNumbers(sb, rows.Select(r => $"0x{(vms.IndexOf(r.VM) | (r.Retired ? 0x80 : 0)):X2}"));
        sb.Append("    ];\n\n");

        sb.Append("    internal static readonly string[] VMs = [");
        sb.Append(string.Join(", ", vms.Select(Literal)));
        sb.Append("];\n\n");

        var offsets = new List<int>();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            offsets.Add(text.Length);
            text.Append(row.Keyword).Append('\t').Append(row.Name);
        }

        offsets.Add(text.Length);
        sb.Append("    /// <summary>Row i is Text[TextOffsets[i]..TextOffsets[i + 1]]: keyword, a tab, name.</summary>\n");
        sb.Append("    internal static readonly int[] TextOffsets =\n    [\n");
        AppendNumbers(sb, offsets.Select(o => o.ToString(CultureInfo.InvariantCulture)));
        sb.Append("    ];\n\n");

        sb.Append("    internal const string Text =\n");
        for (int i = 0; i < rows.Count; i++)
        {
            string part = text.ToString(offsets[i], offsets[i + 1] - offsets[i]);
            sb.Append("        ").Append(Literal(part)).Append(i == rows.Count - 1 ? ";\n" : " +\n");
        }

        sb.Append("}\n");
        return sb.ToString();
    }

    private static ulong PackVRs(string[] vrs)
    {
        if (vrs.Length > 4)
        {
            throw new InvalidDataException($"more than four VRs: {string.Join(" or ", vrs)}");
        }

        ulong packed = 0;
        for (int i = 0; i < vrs.Length; i++)
        {
            ulong code = ((ulong)vrs[i][0] << 8) | vrs[i][1];
            packed |= code << (16 * i);
        }

        return packed;
    }

    private static void AppendNumbers(StringBuilder sb, IEnumerable<string> numbers)
    {
        int column = 0;
        foreach (string n in numbers)
        {
            if (column == 0)
            {
                sb.Append("       ");
            }

            sb.Append(' ').Append(n).Append(',');
            if (++column == 8)
            {
                sb.Append('\n');
                column = 0;
            }
        }

        if (column != 0)
        {
            sb.Append('\n');
        }
    }

    private static string Tags(List<ElementRow> elements)
    {
        var sb = new StringBuilder(Header("data-elements.tsv", SupplementPath));
        sb.Append("using ActorMove.Dicom.Core;\n\nnamespace ActorMove.Dicom.Dictionary;\n\n");
        sb.Append("/// <summary>\n");
        sb.Append("/// One tag per PS3.6 keyword (repeating-group rows such as (60xx,3000) excepted: use the dictionary for those).\n");
        sb.Append("/// Properties rather than fields, so thousands of tags cost no static constructor.\n");
        sb.Append("/// </summary>\n");
        sb.Append("public static class DicomTags\n{\n");
        foreach (var e in elements.Where(e => e.Mask == 0xFFFFFFFF && e.Keyword.Length > 0).OrderBy(e => e.Tag))
        {
            string retired = e.Retired ? " (retired)" : "";
            sb.Append(CultureInfo.InvariantCulture, $"    /// <summary>({e.Tag >> 16:X4},{e.Tag & 0xFFFF:X4}) {Escape(e.Name)}, {string.Join(" or ", e.VRs)}, VM {e.VM}{retired}.</summary>\n");
            sb.Append(CultureInfo.InvariantCulture, $"    public static DicomTag {e.Keyword} => new(0x{e.Tag:X8});\n");
        }

        sb.Append("}\n");
        return sb.ToString();
    }

    private static string Escape(string xmlText) => xmlText.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static string Uids(List<UidRow> uids)
    {
        var sb = new StringBuilder(Header("uids.tsv"));
        sb.Append("namespace ActorMove.Dicom.Dictionary;\n\n");
        sb.Append("public static partial class DicomUids\n{\n");
        foreach (var u in uids.Where(u => u.Keyword.Length > 0))
        {
            string retired = u.Retired ? " (retired)" : "";
            sb.Append(CultureInfo.InvariantCulture, $"    /// <summary>{Escape(u.Name)}: {u.Type}{retired}.</summary>\n");
            sb.Append(CultureInfo.InvariantCulture, $"    public const string {u.Keyword} = {Literal(u.Uid)};\n");
        }

        sb.Append("\n    /// <summary>One row per UID: uid, keyword, name, type, \"R\" or \"\", separated by tabs, ended by a newline.</summary>\n");
        sb.Append("    private const string Table =\n");
        for (int i = 0; i < uids.Count; i++)
        {
            var u = uids[i];
            string row = $"{u.Uid}\t{u.Keyword}\t{u.Name}\t{u.Type}\t{(u.Retired ? "R" : "")}\n";
            sb.Append("        ").Append(Literal(row)).Append(i == uids.Count - 1 ? ";\n" : " +\n");
        }

        sb.Append("}\n");
        return sb.ToString();
    }

    private static string TransferSyntaxes(List<UidRow> uids)
    {
        // The four syntaxes declared by hand in TransferSyntax.cs are reused, so there is one object per UID.
        var declaredByHand = new HashSet<string>(StringComparer.Ordinal)
        {
            "ImplicitVRLittleEndian", "ExplicitVRLittleEndian", "DeflatedExplicitVRLittleEndian", "ExplicitVRBigEndian",
        };
        var syntaxes = uids.Where(u => u.Type == TransferSyntaxType).ToList();
        foreach (var u in syntaxes.Where(u => u.Keyword.Length == 0))
        {
            throw new InvalidDataException($"transfer syntax {u.Uid} has no keyword");
        }

        var sb = new StringBuilder(Header("uids.tsv, rows of type Transfer Syntax"));
        sb.Append("namespace ActorMove.Dicom.Core;\n\n");
        sb.Append("public sealed partial class TransferSyntax\n{\n");
        foreach (var u in syntaxes.Where(u => !declaredByHand.Contains(u.Keyword)))
        {
            sb.Append(CultureInfo.InvariantCulture, $"    /// <summary>{Escape(u.Name)} ({u.Uid}){(u.Retired ? ", retired" : "")}.</summary>\n");
            sb.Append(CultureInfo.InvariantCulture, $"    public static readonly TransferSyntax {u.Keyword} =\n        {Construct(u)};\n\n");
        }

        sb.Append("    /// <summary>Every transfer syntax of PS3.6 Annex A, in its order.</summary>\n");
        sb.Append("    private static partial IEnumerable<TransferSyntax> Generated() =>\n    [\n");
        foreach (var u in syntaxes)
        {
            sb.Append(CultureInfo.InvariantCulture, $"        {u.Keyword},\n");
        }

        sb.Append("    ];\n}\n");
        return sb.ToString();
    }

    private static string Construct(UidRow u)
    {
        var (explicitVR, littleEndian, deflated, encapsulated) = Properties(u);
        return $"new({Literal(u.Uid)}, {Literal(u.Name)}, isExplicitVR: {Bool(explicitVR)}, isLittleEndian: {Bool(littleEndian)}, " +
               $"isDeflated: {Bool(deflated)}, isEncapsulated: {Bool(encapsulated)}, isRetired: {Bool(u.Retired)}, keyword: {Literal(u.Keyword)})";
    }

    private static string Bool(bool b) => b ? "true" : "false";

    /// <summary>
    /// PS3.5 8 and 10 and Annex A: only implicit VR syntaxes say so in their name, only one is big endian; "deflated"
    /// means the whole data set after the meta header is deflated (Deflated Explicit VR LE and the JPIP Referenced
    /// Deflate syntaxes), not the frames (Deflated Image Frame Compression, 1.2.840.10008.1.2.8.x, is encapsulated);
    /// every compression (JPEG family, MPEG, HEVC, RLE) and Encapsulated Uncompressed put pixel data in fragments, JPIP
    /// references it by URL instead, and the SMPTE ST 2110 syntaxes carry no pixel data in the data set.
    /// </summary>
    private static (bool ExplicitVR, bool LittleEndian, bool Deflated, bool Encapsulated) Properties(UidRow u)
    {
        bool isJpip = u.Keyword.StartsWith("JPIP", StringComparison.Ordinal);
        bool explicitVR = !u.Name.Contains("Implicit VR", StringComparison.Ordinal);
        bool littleEndian = !u.Name.Contains("Big Endian", StringComparison.Ordinal);
        bool deflated = u.Keyword == "DeflatedExplicitVRLittleEndian" || (isJpip && u.Keyword.EndsWith("Deflate", StringComparison.Ordinal));
        bool encapsulated = (u.Uid.StartsWith("1.2.840.10008.1.2.4.", StringComparison.Ordinal) && !isJpip)
                            || u.Uid == "1.2.840.10008.1.2.5"
                            || u.Uid.StartsWith("1.2.840.10008.1.2.8.", StringComparison.Ordinal)
                            || u.Keyword.StartsWith("Encapsulated", StringComparison.Ordinal);
        return (explicitVR, littleEndian, deflated, encapsulated);
    }

    private static string StorageClasses(List<UidRow> uids, List<string> accepted, List<(string Uid, string Prefix)> prefixes)
    {
        // PS3.6 names every storage SOP class "... Storage"; Storage Commitment (a notification service) and Media Storage
        // Directory Storage (the DICOMDIR, never sent over C-STORE) carry the word without being storage classes.
        var all = uids.Where(u => u.Type == SopClassType
                                  && u.Name.Contains("Storage", StringComparison.Ordinal)
                                  && !u.Name.Contains("Storage Commitment", StringComparison.Ordinal)
                                  && u.Uid != "1.2.840.10008.1.3.10")
            .Select(u => u.Uid).ToList();
        var inAll = all.ToHashSet(StringComparer.Ordinal);

        // DCMTK also accepts the DICOS and DICONDE classes, which PS3.6 does not list; the widened set keeps them.
        var extra = accepted.Where(a => !inAll.Contains(a)).ToList();

        var sb = new StringBuilder(Header("uids.tsv, storage-sop-classes-accepted.tsv, file-name-prefixes.tsv"));
        sb.Append("namespace ActorMove.Dicom.Dictionary;\n\n");
        sb.Append("public static partial class StorageSopClasses\n{\n");
        sb.Append(CultureInfo.InvariantCulture, $"    /// <summary>The {accepted.Count} classes of storage-sop-classes-accepted.tsv, in its order.</summary>\n");
        sb.Append("    private static string[] CreateAcceptedByMovescu() =>\n    [\n");
        foreach (string uid in accepted)
        {
            sb.Append(CultureInfo.InvariantCulture, $"        {Literal(uid)},\n");
        }

        sb.Append("    ];\n\n");
        string extraNote = extra.Count == 0 ? "" : $", then the {extra.Count} accepted ones it does not list";
        sb.Append(CultureInfo.InvariantCulture, $"    /// <summary>The {all.Count} storage SOP classes of uids.tsv (retired included) in its order{extraNote}.</summary>\n");
        sb.Append("    private static string[] CreateAll() =>\n    [\n");
        foreach (string uid in all.Concat(extra))
        {
            sb.Append(CultureInfo.InvariantCulture, $"        {Literal(uid)},\n");
        }

        sb.Append("    ];\n\n");
        // Rows of data, not a switch: a string switch over hundreds of UIDs is one huge method, and the runtime compiles it
        // a second time, optimised, once it is hot (it is called for every received object): ~0.4 s of JIT on the cores
        // the first transfer needs.
        AppendPairRows(sb, $"The {prefixes.Count} rows of file-name-prefixes.tsv: SOP class UID, file-name prefix.",
            "private static (string SopClassUid, string Prefix)[] CreateFileNamePrefixes()", prefixes);
        sb.Append("}\n");
        return sb.ToString();
    }

    /// <summary>A method of the generated code that returns rows of two strings, with its summary.</summary>
    private static void AppendPairRows(StringBuilder sb, string summary, string declaration, IEnumerable<(string, string)> rows)
    {
        sb.Append(CultureInfo.InvariantCulture, $"    /// <summary>{summary}</summary>\n");
        sb.Append(CultureInfo.InvariantCulture, $"    {declaration} =>\n    [\n");
        foreach (var (first, second) in rows)
        {
            sb.Append(CultureInfo.InvariantCulture, $"        ({Literal(first)}, {Literal(second)}),\n");
        }

        sb.Append("    ];\n");
    }

    private static string DcmtkNames(List<(string Uid, string Name)> uidNames, List<(string Uid, string Name)> syntaxNames)
    {
        var sb = new StringBuilder(
            "// <auto-generated>\n" +
            $"// Generated by tools/ActorMove.DictionaryGenerator from {Path.GetFileName(DcmtkUidNamesPath)} and {Path.GetFileName(DcmtkTransferSyntaxNamesPath)},\n" +
            "// which observe-dcmtk-names.sh next to them reads off DCMTK 3.6.7's dcmdump.\n" +
            "// Do not edit. Regenerate from the repository root with:\n" +
            $"//     {RegenerateCommand}\n" +
            "// </auto-generated>\n" +
            "#nullable enable\n\n");
        sb.Append("namespace ActorMove.Dicom.Text;\n\n");
        sb.Append("public static partial class DcmtkNames\n{\n");
        AppendPairRows(sb, $"The {uidNames.Count} UIDs dcmdump prints by name (\"=Name\" for a UI value).",
            "private static (string Uid, string Name)[] CreateUidNames()", uidNames);
        sb.Append('\n');
        AppendPairRows(sb, $"The {syntaxNames.Count} transfer syntaxes as dcmdump's \"# Used TransferSyntax: \" line names them.",
            "private static (string Uid, string Name)[] CreateTransferSyntaxNames()", syntaxNames);
        sb.Append("}\n");
        return sb.ToString();
    }

    [GeneratedRegex(@"^\(([0-9A-Fa-fxX]{4}),([0-9A-Fa-fxX]{4})\)$")]
    private static partial Regex TagPattern();

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex VRPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex IdentifierPattern();
}
