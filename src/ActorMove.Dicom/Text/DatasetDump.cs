using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using ActorMove.Dicom.Dictionary;

namespace ActorMove.Dicom.Text;

/// <summary>How <see cref="DatasetDump"/> lists a data set.</summary>
public sealed record DatasetDumpOptions
{
    /// <summary>dcmdump's default: long values are cut short.</summary>
    public static DatasetDumpOptions Dcmdump { get; } = new();

    /// <summary>dcmdump +L, and how movescu -v logs its request identifiers: every value whole.</summary>
    public static DatasetDumpOptions WholeValues { get; } = new() { ShortenLongValues = false };

    /// <summary>
    /// A value whose printed form would pass 70 characters ends in "..." instead, as dcmdump shows it without +L.
    /// </summary>
    public bool ShortenLongValues { get; init; } = true;

    /// <summary>Where the keyword column comes from; null: <see cref="DicomDictionary.Default"/>.</summary>
    public DicomDictionary? Dictionary { get; init; }
}

/// <summary>
/// A data set as DCMTK's dcmdump lists it, line for line: "# Dicom-Data-Set", the transfer syntax it was read in, then
/// per element its tag, VR and value, padded to a column, and after "#" its length, value multiplicity and keyword, with
/// sequence items indented. The layout, the value forms and DCMTK's names are taken from dcmdump 3.6.7's output
/// (tests/ActorMove.Dicom.Tests/Text compares the two).
/// </summary>
public static class DatasetDump
{
    // dcmdump pads the value to this width, so that the '#' columns line up below each other.
    private const int ValueColumnWidth = 40;

    // A shortened value, ellipsis included, is at most this long.
    private const int ShortValueLength = 70;
    private const string Ellipsis = "...";
    private const string NoValue = "(no value available)";
    private const string UnknownName = "Unknown Tag & Data";
    private const string RetiredPrefix = "RETIRED_";

    public static string Format(DicomDataset dataset, TransferSyntax syntax, DatasetDumpOptions? options = null)
    {
        var output = new StringBuilder();
        Append(output, dataset, syntax, options);
        return output.ToString();
    }

    /// <summary>Appends the listing; it starts with an empty line, as dcmdump's does, and every line ends with '\n'.</summary>
    public static void Append(StringBuilder output, DicomDataset dataset, TransferSyntax syntax, DatasetDumpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(syntax);
        options ??= DatasetDumpOptions.Dcmdump;
        output.Append("\n# Dicom-Data-Set\n# Used TransferSyntax: ").Append(DcmtkNames.TransferSyntaxName(syntax)).Append('\n');
        new Lister(output, options.Dictionary ?? DicomDictionary.Default, options.ShortenLongValues, syntax.IsExplicitVR).Dataset(dataset, 0);
    }

    private sealed class Lister(StringBuilder output, DicomDictionary dictionary, bool shorten, bool explicitVR)
    {
        public void Dataset(DicomDataset dataset, int depth)
        {
            foreach (var element in dataset)
            {
                switch (element)
                {
                    case DicomSequence sequence:
                        Sequence(dataset, sequence, depth);
                        break;
                    case DicomFragmentSequence fragments:
                        Fragments(dataset, fragments, depth);
                        break;
                    case DicomPrimitiveElement primitive:
                        Primitive(dataset, primitive, depth);
                        break;
                }
            }
        }

        private void Primitive(DicomDataset owner, DicomPrimitiveElement element, int depth)
        {
            string name = Name(owner, element.Tag);
            string length = element.Value.Length.ToString(CultureInfo.InvariantCulture);
            string vr = ImplicitVR(element) ?? element.VR.ToString();
            if (element.Value.Length == 0)
            {
                Line(depth, element.Tag, vr, NoValue, length, 0, name);
                return;
            }

            byte[] bytes = element.Value.ToArray();
            var (value, multiplicity) = element.VR.IsString
                ? Text(element.VR, bytes)
                : Binary(element.VR, bytes, owner.SourceIsLittleEndian);
            Line(depth, element.Tag, vr, value, length, multiplicity, name);
        }

        /// <summary>
        /// What dcmdump shows for the VR of an element read without one: "??" when the dictionary does not know the tag
        /// (our reader calls it UN), and DCMTK's names for the dictionary's "US or SS" and "OB or OW".
        /// </summary>
        private string? ImplicitVR(DicomElement element)
        {
            if (explicitVR)
            {
                return null;
            }

            if (element.VR == DicomVR.UN)
            {
                return "??";
            }

            if (element.Tag.IsPrivate || !dictionary.TryGetEntry(element.Tag, out var entry) || entry.AllowedVRs.Count < 2)
            {
                return null;
            }

            var allowed = entry.AllowedVRs;
            if (allowed.Count == 2 && allowed.Contains(DicomVR.US) && allowed.Contains(DicomVR.SS))
            {
                return "xs";
            }

            return allowed.Count == 2 && allowed.Contains(DicomVR.OB) && allowed.Contains(DicomVR.OW) ? "ox" : null;
        }

        private (string Value, int Multiplicity) Text(DicomVR vr, byte[] bytes)
        {
            // Trailing padding is not shown; leading spaces are part of the value and are.
            string text = Encoding.Latin1.GetString(bytes).TrimEnd(' ', '\0');
            bool singleValued = vr == DicomVR.LT || vr == DicomVR.ST || vr == DicomVR.UT || vr == DicomVR.UR;
            int multiplicity = text.Length == 0 ? 0 : singleValued ? 1 : text.Count(c => c == '\\') + 1;
            if (vr == DicomVR.UI && multiplicity == 1 && DcmtkNames.UidName(text) is { } uidName)
            {
                return ("=" + uidName, multiplicity);
            }

            string value = "[" + text + "]";
            if (shorten && value.Length > ShortValueLength)
            {
                value = value[..(ShortValueLength - Ellipsis.Length)] + Ellipsis;
            }

            return (value, multiplicity);
        }

        private (string Value, int Multiplicity) Binary(DicomVR vr, byte[] bytes, bool littleEndian)
        {
            int size = vr == DicomVR.OB || vr == DicomVR.UN ? 1 : vr == DicomVR.AT ? 4 : vr.SwapUnitSize;
            int count = bytes.Length / size;
            bool isOther = vr == DicomVR.OB || vr == DicomVR.UN || vr == DicomVR.OW || vr == DicomVR.OL || vr == DicomVR.OF
                           || vr == DicomVR.OD || vr == DicomVR.OV;
            var value = new StringBuilder();
            for (int i = 0; i < count; i++)
            {
                string number = Number(vr, bytes.AsSpan(i * size, size), littleEndian);
                int added = number.Length + (i == 0 ? 0 : 1);
                // dcmdump adds values while the line stays short, keeping room for the ellipsis unless it is the last one.
                if (shorten && value.Length + added + (i == count - 1 ? 0 : Ellipsis.Length) > ShortValueLength)
                {
                    value.Append(Ellipsis);
                    break;
                }

                if (i > 0)
                {
                    value.Append('\\');
                }

                value.Append(number);
            }

            return (value.ToString(), isOther ? 1 : count);
        }

        private static string Number(DicomVR vr, ReadOnlySpan<byte> bytes, bool littleEndian)
        {
            var culture = CultureInfo.InvariantCulture;
            if (vr == DicomVR.OB || vr == DicomVR.UN)
            {
                return bytes[0].ToString("x2", culture);
            }

            if (vr == DicomVR.AT)
            {
                return $"({U16(bytes).ToString("x4", culture)},{U16(bytes[2..]).ToString("x4", culture)})";
            }

            if (vr == DicomVR.OW)
            {
                return U16(bytes).ToString("x4", culture);
            }

            if (vr == DicomVR.OL)
            {
                return U32(bytes).ToString("x8", culture);
            }

            if (vr == DicomVR.OV)
            {
                return U64(bytes).ToString("x16", culture);
            }

            if (vr == DicomVR.US)
            {
                return U16(bytes).ToString(culture);
            }

            if (vr == DicomVR.SS)
            {
                return ((short)U16(bytes)).ToString(culture);
            }

            if (vr == DicomVR.UL)
            {
                return U32(bytes).ToString(culture);
            }

            if (vr == DicomVR.SL)
            {
                return ((int)U32(bytes)).ToString(culture);
            }

            if (vr == DicomVR.UV)
            {
                return U64(bytes).ToString(culture);
            }

            if (vr == DicomVR.SV)
            {
                return ((long)U64(bytes)).ToString(culture);
            }

            if (vr == DicomVR.FL || vr == DicomVR.OF)
            {
                return FloatingPoint.Single(BitConverter.UInt32BitsToSingle(U32(bytes)));
            }

            return FloatingPoint.Double(BitConverter.UInt64BitsToDouble(U64(bytes)));

            ushort U16(ReadOnlySpan<byte> b) => littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b);
            uint U32(ReadOnlySpan<byte> b) => littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);
            ulong U64(ReadOnlySpan<byte> b) => littleEndian ? BinaryPrimitives.ReadUInt64LittleEndian(b) : BinaryPrimitives.ReadUInt64BigEndian(b);
        }

        private void Sequence(DicomDataset owner, DicomSequence sequence, int depth)
        {
            bool undefined = sequence.SourceHadUndefinedLength;
            Line(depth, sequence.Tag, sequence.VR.ToString(),
                $"(Sequence with {(undefined ? "undefined" : "explicit")} length #={sequence.Items.Count})",
                undefined ? "u/l" : sequence.SourceLength.ToString(CultureInfo.InvariantCulture), 1, Name(owner, sequence.Tag));
            foreach (var item in sequence.Items)
            {
                bool itemUndefined = item.SourceItemLength == DicomConstants.UndefinedLength;
                Line(depth + 1, DicomTag.Item, "na", $"(Item with {(itemUndefined ? "undefined" : "explicit")} length #={item.Count})",
                    itemUndefined ? "u/l" : item.SourceItemLength.ToString(CultureInfo.InvariantCulture), 1, "Item");
                Dataset(item, depth + 2);
                // An explicit length needs no delimiter on the wire; dcmdump lists one anyway, for writing it with undefined length.
                Line(depth + 1, DicomTag.ItemDelimitationItem, "na",
                    itemUndefined ? "(ItemDelimitationItem)" : "(ItemDelimitationItem for re-encoding)", "0", 0, "ItemDelimitationItem");
            }

            Line(depth, DicomTag.SequenceDelimitationItem, "na",
                undefined ? "(SequenceDelimitationItem)" : "(SequenceDelimitationItem for re-encod.)", "0", 0, "SequenceDelimitationItem");
        }

        private void Fragments(DicomDataset owner, DicomFragmentSequence fragments, int depth)
        {
            Line(depth, fragments.Tag, fragments.VR.ToString(), $"(PixelSequence #={fragments.Fragments.Count + 1})", "u/l", 1, Name(owner, fragments.Tag));
            foreach (var fragment in fragments.Fragments.Prepend(fragments.OffsetTable))
            {
                byte[] bytes = fragment.ToArray();
                string value = bytes.Length == 0 ? NoValue : Binary(DicomVR.OB, bytes, littleEndian: true).Value;
                Line(depth + 1, DicomTag.Item, "pi", value, fragment.Length.ToString(CultureInfo.InvariantCulture), bytes.Length == 0 ? 0 : 1, "Item");
            }

            Line(depth, DicomTag.SequenceDelimitationItem, "na", "(SequenceDelimitationItem)", "0", 0, "SequenceDelimitationItem");
        }

        private string Name(DicomDataset owner, DicomTag tag)
        {
            if (tag.IsPrivate)
            {
                if (tag.IsPrivateCreator)
                {
                    return "PrivateCreator";
                }

                // The block's creator is the value of (gggg,00xx) for element xxee.
                string? creator = tag.Element > 0xFF ? owner.GetString(new DicomTag(tag.Group, (ushort)(tag.Element >> 8))) : null;
                return creator is not null && dictionary.TryGetPrivateEntry(tag, creator, out var privateEntry) && privateEntry.Keyword.Length > 0
                    ? Keyword(privateEntry)
                    : UnknownName;
            }

            if (dictionary.TryGetEntry(tag, out var entry) && entry.Keyword.Length > 0)
            {
                return Keyword(entry);
            }

            return tag.IsGroupLength ? "GenericGroupLength" : UnknownName;
        }

        private static string Keyword(DicomDictionaryEntry entry) =>
            entry.IsRetired && !entry.Keyword.StartsWith(RetiredPrefix, StringComparison.Ordinal) ? RetiredPrefix + entry.Keyword : entry.Keyword;

        private void Line(int depth, DicomTag tag, string vr, string value, string length, int multiplicity, string name)
        {
            var culture = CultureInfo.InvariantCulture;
            output.Append(' ', depth * 2)
                .Append('(').Append(tag.Group.ToString("x4", culture)).Append(',').Append(tag.Element.ToString("x4", culture)).Append(") ")
                .Append(vr).Append(' ').Append(value);
            if (value.Length < ValueColumnWidth)
            {
                output.Append(' ', ValueColumnWidth - value.Length);
            }

            output.Append(" # ").Append(length.PadLeft(3)).Append(',').Append(multiplicity.ToString(culture).PadLeft(2)).Append(' ').Append(name).Append('\n');
        }
    }
}
