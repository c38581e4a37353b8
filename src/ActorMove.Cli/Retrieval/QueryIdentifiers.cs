using System.Buffers.Binary;
using System.Globalization;
using ActorMove.Cli.Options;
using ActorMove.Dicom;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Dicom.Dictionary;
using ActorMove.Dicom.IO.Reading;

namespace ActorMove.Cli.Retrieval;

/// <summary>One C-MOVE identifier and the encoding its values are in.</summary>
/// <param name="ReadSyntax">The transfer syntax the query file was read in, where it differs from <paramref name="Syntax"/> (deflated).</param>
public sealed record QueryIdentifier(string Source, DicomDataset Dataset, TransferSyntax Syntax, TransferSyntax? ReadSyntax = null)
{
    /// <summary>What movescu warns about while it builds this identifier (spaces taken out of UIDs), in its words.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>A query file that could not be read as DICOM: its path as given, why in DCMTK's words, and why in ours.</summary>
/// <param name="Reason">DCMTK's condition: "End of stream" for an empty file, "I/O suspension or premature end of stream" for all else it cannot parse.</param>
/// <param name="Detail">What our reader found, for the debug log: where the data ends early, or which value does not fit.</param>
public sealed record UnreadableQueryFile(string Path, string Reason, string Detail);

/// <summary>
/// movescu's identifiers: each query file's data set with the -k keys applied on top, or the -k keys alone when no
/// file was given. A key replaces or inserts its element; a key without value gives a zero-length element. Keys are
/// applied in movescu's order (<see cref="MoveOptions.OverrideKeysAsApplied"/>): of two for one attribute the leftmost wins.
/// </summary>
public static class QueryIdentifiers
{
    /// <summary>Every identifier; a query file that cannot be read throws (<see cref="DicomFormatException"/>, <see cref="IOException"/>).</summary>
    public static IReadOnlyList<QueryIdentifier> Build(MoveOptions options, DicomDictionary? dictionary = null)
    {
        dictionary ??= DicomDictionary.Default;
        if (options.QueryFiles.Count == 0)
        {
            return [KeysAlone(options, dictionary)];
        }

        return options.QueryFiles.Select(path => ReadQueryFile(path, options, dictionary)).ToList();
    }

    /// <summary>
    /// movescu's way with query files: the identifiers of the files before the first one that cannot be read, and that
    /// file. movescu moves those, then reports the file as a bad DICOM file and stops.
    /// </summary>
    public static IReadOnlyList<QueryIdentifier> BuildUpToUnreadable(MoveOptions options, out UnreadableQueryFile? unreadable,
        DicomDictionary? dictionary = null)
    {
        dictionary ??= DicomDictionary.Default;
        unreadable = null;
        if (options.QueryFiles.Count == 0)
        {
            return [KeysAlone(options, dictionary)];
        }

        var identifiers = new List<QueryIdentifier>(options.QueryFiles.Count);
        foreach (string path in options.QueryFiles)
        {
            try
            {
                identifiers.Add(ReadQueryFile(path, options, dictionary));
            }
            catch (Exception e) when (e is DicomFormatException or IOException or UnauthorizedAccessException)
            {
                string detail = e is DicomFormatException format ? format.Reason : e.Message;
                unreadable = new UnreadableQueryFile(path, detail == EmptyFileReason ? detail : PrematureEndReason, detail);
                break;
            }
        }

        return identifiers;
    }

    private static QueryIdentifier KeysAlone(MoveOptions options, DicomDictionary dictionary)
    {
        var dataset = new DicomDataset();
        Apply(dataset, options.OverrideKeysAsApplied, dictionary);
        return new QueryIdentifier("-k", dataset, TransferSyntax.ExplicitVRLittleEndian) { Warnings = RemoveSpacesFromUids(dataset, dictionary) };
    }

    private const string EmptyFileReason = "End of stream";

    /// <summary>DCMTK's words for every other query file it cannot read: truncated, not DICOM, a folder.</summary>
    private const string PrematureEndReason = "I/O suspension or premature end of stream";

    private static QueryIdentifier ReadQueryFile(string path, MoveOptions options, DicomDictionary dictionary)
    {
        // An empty file would read as an empty data set; movescu refuses it, in DCMTK's words.
        if (new FileInfo(path).Length == 0)
        {
            throw new DicomFormatException(EmptyFileReason, 0);
        }

        using var file = DicomReader.ReadFile(path);
        // The reader inflates a deflated file: its values are then explicit VR little endian.
        var syntax = file.TransferSyntax.IsDeflated ? TransferSyntax.ExplicitVRLittleEndian : file.TransferSyntax;
        Apply(file.Dataset, options.OverrideKeysAsApplied, dictionary);
        return new QueryIdentifier(path, file.Dataset, syntax, file.TransferSyntax == syntax ? null : file.TransferSyntax)
        {
            Warnings = RemoveSpacesFromUids(file.Dataset, dictionary),
        };
    }

    /// <summary>
    /// A UID has no spaces: DCMTK takes every one out of a UI value before it sends the identifier, with a warning, and
    /// an archive that compares UIDs exactly would otherwise find nothing ("1.2.3 " from a padded key, "1.2. 3").
    /// </summary>
    private static List<string> RemoveSpacesFromUids(DicomDataset dataset, DicomDictionary dictionary)
    {
        var warnings = new List<string>();
        foreach (var element in dataset.OfType<DicomPrimitiveElement>().Where(e => e.VR == DicomVR.UI).ToList())
        {
            string value = System.Text.Encoding.ASCII.GetString(element.Value.ToArray()).TrimEnd('\0');
            if (!value.Contains(' ', StringComparison.Ordinal))
            {
                continue;
            }

            var tag = element.Tag;
            string name = dictionary.TryGetEntry(tag, out var entry) ? entry.Keyword : "Unknown Tag & Data";
            warnings.Add($"DcmUniqueIdentifier: Element {name} ({tag.Group:x4},{tag.Element:x4}) contains one or more space characters, which were removed");
            dataset.AddOrUpdate(tag, DicomVR.UI, value.Replace(" ", "", StringComparison.Ordinal));
        }

        return warnings;
    }

    private static void Apply(DicomDataset dataset, IEnumerable<OverrideKey> keys, DicomDictionary dictionary)
    {
        foreach (var key in keys)
        {
            var tag = key.Tag ?? (key.Keyword is not null && dictionary.TryGetTag(key.Keyword, out var found)
                ? found
                : throw new ArgumentException($"unknown key: {key.Text}"));
            var vr = dictionary.GetVR(tag);
            string value = key.Value ?? "";
            if (NumberParsers.TryGetValue(vr, out var parse))
            {
                dataset.AddOrUpdate(new DicomPrimitiveElement(tag, vr, DicomValue.FromBytes(EncodeNumbers(vr, parse, value, dataset.SourceIsLittleEndian, key.Text))));
            }
            else
            {
                dataset.AddOrUpdate(tag, vr, value);
            }
        }
    }

    /// <summary>Parses one number of a key's text and writes it little endian into a slot of its VR's size.</summary>
    private delegate bool NumberParser(string text, Span<byte> slot);

    /// <summary>The binary VRs whose key text is parsed into numbers; every other VR takes the text, padded by the data set.</summary>
    private static readonly Dictionary<DicomVR, NumberParser> NumberParsers = new()
    {
        [DicomVR.US] = (text, slot) => ushort.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out ushort number)
                                       && BinaryPrimitives.TryWriteUInt16LittleEndian(slot, number),
        [DicomVR.SS] = (text, slot) => short.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out short number)
                                       && BinaryPrimitives.TryWriteInt16LittleEndian(slot, number),
        [DicomVR.UL] = (text, slot) => uint.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out uint number)
                                       && BinaryPrimitives.TryWriteUInt32LittleEndian(slot, number),
        [DicomVR.SL] = (text, slot) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int number)
                                       && BinaryPrimitives.TryWriteInt32LittleEndian(slot, number),
        [DicomVR.FL] = (text, slot) => float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float number)
                                       && BinaryPrimitives.TryWriteSingleLittleEndian(slot, number),
        [DicomVR.FD] = (text, slot) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
                                       && BinaryPrimitives.TryWriteDoubleLittleEndian(slot, number),
    };

    /// <summary>Backslash-separated numbers, binary in the data set's byte order.</summary>
    private static byte[] EncodeNumbers(DicomVR vr, NumberParser parse, string value, bool littleEndian, string keyText)
    {
        if (value.Length == 0)
        {
            return [];
        }

        // One number is what a byte order change swaps, so the VR's swap unit is also the size of each number.
        int size = vr.SwapUnitSize;
        string[] parts = value.Split('\\');
        var bytes = new byte[parts.Length * size];
        for (int i = 0; i < parts.Length; i++)
        {
            var slot = bytes.AsSpan(i * size, size);
            if (!parse(parts[i], slot))
            {
                // movescu's words for a value its VR cannot hold.
                throw new ArgumentException($"cannot put tag value: {keyText}");
            }

            if (!littleEndian)
            {
                slot.Reverse();
            }
        }

        return bytes;
    }
}
