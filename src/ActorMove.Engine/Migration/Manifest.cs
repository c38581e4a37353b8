using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Dicom.Dictionary;

namespace ActorMove.Engine.Migration;

/// <summary>
/// A --manifest file: a header row naming attributes (keywords such as StudyInstanceUID, or tags as gggg,eeee,
/// (gggg,eeee) or ggggeeee), then one C-MOVE identifier per row. <see cref="Open"/> reads and checks the header only;
/// <see cref="ReadRows"/> streams the rows, reading the file anew on each enumeration.
/// </summary>
public sealed class Manifest
{
    private readonly ManifestOptions _options;

    private Manifest(string path, ManifestFormat format, IReadOnlyList<ManifestColumn> columns, ManifestOptions options)
    {
        Path = path;
        Format = format;
        Columns = columns;
        _options = options;
        Identity = $"{System.IO.Path.GetFileName(path)}|{format.ToString().ToLowerInvariant()}|"
                   + string.Join(';', columns.Select(c => $"{c.Tag.Group:X4}{c.Tag.Element:X4}"));
    }

    public string Path { get; }

    public ManifestFormat Format { get; }

    public IReadOnlyList<ManifestColumn> Columns { get; }

    /// <summary>
    /// What a journal checks to tell it belongs to this manifest: the file name, format and resolved columns. Rows may be
    /// edited or appended between runs (their keys tell them apart); another manifest gets another identity.
    /// </summary>
    public string Identity { get; }

    /// <summary>Detects the format, reads the header and resolves its columns; throws <see cref="ManifestException"/>.</summary>
    public static Manifest Open(string path, ManifestOptions? options = null)
    {
        options ??= new ManifestOptions();
        var dictionary = options.Dictionary ?? DicomDictionary.Default;
        foreach (var key in options.Keys)
        {
            CheckKey(path, key);
        }

        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var format = options.Format ?? DetectFormat(path, reader);
        reader.BaseStream.Position = 0;
        reader.DiscardBufferedData();

        var records = new ManifestRecordReader(reader, path, Delimiter(format));
        var fields = new List<string>();
        if (!records.TryRead(fields, out int row, out int line))
        {
            throw new ManifestException(path, null, null, null, null, "the file is empty: a header row naming the attributes is required");
        }

        var columns = new List<ManifestColumn>(fields.Count);
        var seen = new Dictionary<DicomTag, int>();
        for (int i = 0; i < fields.Count; i++)
        {
            var column = ResolveColumn(path, row, line, i + 1, fields[i], dictionary);
            if (seen.TryGetValue(column.Tag, out int first))
            {
                throw new ManifestException(path, row, line, i + 1, fields[i], $"{column.Tag} is already column {first}");
            }

            seen.Add(column.Tag, i + 1);
            columns.Add(column);
        }

        return new Manifest(path, format, columns, options);
    }

    /// <summary>The data rows, each with -k keys applied; throws <see cref="ManifestException"/> at the first bad row.</summary>
    public IEnumerable<ManifestRow> ReadRows()
    {
        using var reader = new StreamReader(Path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var records = new ManifestRecordReader(reader, Path, Delimiter(Format))
        {
            ColumnNames = Columns.Select(c => c.Name).ToArray(),
        };
        var fields = new List<string>();
        if (!records.TryRead(fields, out _, out _))
        {
            yield break; // emptied since Open
        }

        while (records.TryRead(fields, out int row, out int line))
        {
            if (fields.Count != Columns.Count)
            {
                int column = Math.Min(fields.Count, Columns.Count) + 1;
                string? name = column <= Columns.Count ? Columns[column - 1].Name : null;
                throw new ManifestException(Path, row, line, column, name,
                    $"{fields.Count} field(s) where the header has {Columns.Count}");
            }

            var identifier = new DicomDataset();
            for (int i = 0; i < fields.Count; i++)
            {
                var column = Columns[i];
                if (!IsAscii(fields[i]))
                {
                    throw new ManifestException(Path, row, line, column.Number, column.Name,
                        "a value with non-ASCII characters (no Specific Character Set is sent with the identifier)");
                }

                identifier.AddOrUpdate(column.Tag, column.VR, fields[i]);
            }

            foreach (var key in _options.Keys)
            {
                identifier.AddOrUpdate(key.Tag, key.VR, key.Value);
            }

            _options.ApplyKeys?.Invoke(identifier);
            yield return new ManifestRow(row, line, $"{row.ToString(CultureInfo.InvariantCulture)}:{ContentHash(identifier)}", identifier);
        }
    }

    /// <summary>By extension (.tsv, .csv), else a tab in the first line that is not blank or a comment.</summary>
    public static ManifestFormat DetectFormat(string path, TextReader reader)
    {
        string extension = System.IO.Path.GetExtension(path);
        if (extension.Equals(".tsv", StringComparison.OrdinalIgnoreCase))
        {
            return ManifestFormat.Tsv;
        }

        if (extension.Equals(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return ManifestFormat.Csv;
        }

        while (reader.ReadLine() is { } text)
        {
            if (text.Length == 0 || text[0] == '#' || text.AsSpan().Trim(' ').IsEmpty)
            {
                continue;
            }

            return text.Contains('\t') ? ManifestFormat.Tsv : ManifestFormat.Csv;
        }

        return ManifestFormat.Csv;
    }

    private static char Delimiter(ManifestFormat format) => format == ManifestFormat.Tsv ? '\t' : ',';

    private static ManifestColumn ResolveColumn(string path, int row, int line, int number, string name, DicomDictionary dictionary)
    {
        if (name.Length == 0)
        {
            throw new ManifestException(path, row, line, number, null, "an empty column name");
        }

        DicomTag tag;
        bool looksLikeTag = name.AsSpan().IndexOfAny(",()") >= 0;
        if (looksLikeTag || (name.Length == 8 && name.All(char.IsAsciiHexDigit)))
        {
            bool parsed = looksLikeTag
                ? DicomTag.TryParse(name, out tag)
                : TryParseEightDigits(name, out tag);
            if (!parsed)
            {
                throw new ManifestException(path, row, line, number, name, $"malformed tag '{name}' (expected gggg,eeee or (gggg,eeee))");
            }

            if (!tag.IsGroupLength && !tag.IsPrivateCreator && !dictionary.TryGetEntry(tag, out _))
            {
                throw new ManifestException(path, row, line, number, name, $"{tag} is not in the data dictionary");
            }
        }
        else if (!dictionary.TryGetTag(name, out tag))
        {
            throw new ManifestException(path, row, line, number, name, $"unknown keyword '{name}'");
        }

        var vr = dictionary.GetVR(tag);
        if (vr == DicomVR.SQ)
        {
            throw new ManifestException(path, row, line, number, name, $"{tag} is a sequence (SQ), which a manifest cannot give");
        }

        if (!vr.IsString)
        {
            throw new ManifestException(path, row, line, number, name, $"{tag} has VR {vr}; a manifest gives string values only");
        }

        return new ManifestColumn(number, name, tag, vr);
    }

    private static void CheckKey(string path, ManifestKey key)
    {
        if (key.VR == DicomVR.SQ || !key.VR.IsString)
        {
            throw new ManifestException(path, null, null, null, null, $"-k {key.Tag}: VR {key.VR} cannot be applied to manifest rows (string VRs only)");
        }
    }

    private static bool TryParseEightDigits(string text, out DicomTag tag)
    {
        bool ok = uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value);
        tag = new DicomTag(value);
        return ok;
    }

    private static bool IsAscii(string value) => Ascii.IsValid(value);

    /// <summary>16 hex digits of SHA-256 over "ggggeeee VR value\n" per element: the identifier as it will be sent.</summary>
    internal static string ContentHash(DicomDataset identifier)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] scratch = ArrayPool<byte>.Shared.Rent(64);
        try
        {
            foreach (var element in identifier)
            {
                int written = Encoding.ASCII.GetBytes($"{element.Tag.Value:X8} {element.VR} ", scratch);
                hash.AppendData(scratch, 0, written);
                if (element is DicomPrimitiveElement primitive && !primitive.Value.IsDeferred)
                {
                    hash.AppendData(primitive.Value.Bytes.Span);
                }

                hash.AppendData("\n"u8);
            }

            Span<byte> digest = stackalloc byte[32];
            hash.GetHashAndReset(digest);
            return Convert.ToHexString(digest[..8]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }
}
