using System.Buffers.Binary;
using System.Globalization;
using ActorMove.Cli.Options;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Dicom.Dictionary;
using ActorMove.Dicom.IO.Reading;

namespace ActorMove.Cli.Retrieval;

/// <summary>One C-MOVE identifier and the encoding its values are in.</summary>
public sealed record QueryIdentifier(string Source, DicomDataset Dataset, TransferSyntax Syntax);

/// <summary>
/// movescu's identifiers: each query file's data set with the -k keys applied on top, or the -k keys alone when no
/// file was given. A key replaces or inserts its element; a key without value gives a zero-length element.
/// </summary>
public static class QueryIdentifiers
{
    public static IReadOnlyList<QueryIdentifier> Build(MoveOptions options, DicomDictionary? dictionary = null)
    {
        dictionary ??= DicomDictionary.Default;
        if (options.QueryFiles.Count == 0)
        {
            var dataset = new DicomDataset();
            Apply(dataset, options.OverrideKeys, dictionary);
            return [new QueryIdentifier("-k", dataset, TransferSyntax.ExplicitVRLittleEndian)];
        }

        var identifiers = new List<QueryIdentifier>(options.QueryFiles.Count);
        foreach (string path in options.QueryFiles)
        {
            using var file = DicomReader.ReadFile(path);
            // The reader inflates a deflated file: its values are then explicit VR little endian.
            var syntax = file.TransferSyntax.IsDeflated ? TransferSyntax.ExplicitVRLittleEndian : file.TransferSyntax;
            Apply(file.Dataset, options.OverrideKeys, dictionary);
            identifiers.Add(new QueryIdentifier(path, file.Dataset, syntax));
        }

        return identifiers;
    }

    private static void Apply(DicomDataset dataset, IReadOnlyList<OverrideKey> keys, DicomDictionary dictionary)
    {
        foreach (var key in keys)
        {
            var tag = key.Tag ?? (key.Keyword is not null && dictionary.TryGetTag(key.Keyword, out var found)
                ? found
                : throw new ArgumentException($"unknown key: {key.Text}"));
            var vr = dictionary.GetVR(tag);
            string value = key.Value ?? "";
            if (BinarySize(vr) == 0)
            {
                dataset.AddOrUpdate(tag, vr, value);
            }
            else
            {
                dataset.AddOrUpdate(new DicomPrimitiveElement(tag, vr, DicomValue.FromBytes(EncodeNumbers(vr, value, dataset.SourceIsLittleEndian, key.Text))));
            }
        }
    }

    /// <summary>Bytes per number of the binary VRs a key may set; 0 for text, which the data set pads itself.</summary>
    private static int BinarySize(DicomVR vr) =>
        vr == DicomVR.US || vr == DicomVR.SS ? 2 : vr == DicomVR.UL || vr == DicomVR.SL || vr == DicomVR.FL ? 4 : vr == DicomVR.FD ? 8 : 0;

    /// <summary>Backslash-separated numbers, binary in the data set's byte order.</summary>
    private static byte[] EncodeNumbers(DicomVR vr, string value, bool littleEndian, string keyText)
    {
        if (value.Length == 0)
        {
            return [];
        }

        int size = BinarySize(vr);
        string[] parts = value.Split('\\');
        var bytes = new byte[parts.Length * size];
        for (int i = 0; i < parts.Length; i++)
        {
            var slot = bytes.AsSpan(i * size, size);
            bool ok = true;
            if (vr == DicomVR.US && ushort.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out ushort us))
            {
                if (littleEndian) BinaryPrimitives.WriteUInt16LittleEndian(slot, us); else BinaryPrimitives.WriteUInt16BigEndian(slot, us);
            }
            else if (vr == DicomVR.SS && short.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out short ss))
            {
                if (littleEndian) BinaryPrimitives.WriteInt16LittleEndian(slot, ss); else BinaryPrimitives.WriteInt16BigEndian(slot, ss);
            }
            else if (vr == DicomVR.UL && uint.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out uint ul))
            {
                if (littleEndian) BinaryPrimitives.WriteUInt32LittleEndian(slot, ul); else BinaryPrimitives.WriteUInt32BigEndian(slot, ul);
            }
            else if (vr == DicomVR.SL && int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out int sl))
            {
                if (littleEndian) BinaryPrimitives.WriteInt32LittleEndian(slot, sl); else BinaryPrimitives.WriteInt32BigEndian(slot, sl);
            }
            else if (vr == DicomVR.FL && float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out float fl))
            {
                if (littleEndian) BinaryPrimitives.WriteSingleLittleEndian(slot, fl); else BinaryPrimitives.WriteSingleBigEndian(slot, fl);
            }
            else if (vr == DicomVR.FD && double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double fd))
            {
                if (littleEndian) BinaryPrimitives.WriteDoubleLittleEndian(slot, fd); else BinaryPrimitives.WriteDoubleBigEndian(slot, fd);
            }
            else
            {
                ok = false;
            }

            if (!ok)
            {
                // movescu's words for a value its VR cannot hold.
                throw new ArgumentException($"cannot put tag value: {keyText}");
            }
        }

        return bytes;
    }
}
