using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.Data;
using Xunit;

namespace ActorMove.Dicom.Tests.Reading;

/// <summary>
/// Compares a data set read by our reader with what DCMTK's dcmdump prints for the same file (run with -Un), line by
/// line: nesting, tag, VR, length (or u/l), item counts, and the value as dcmdump renders it.
/// </summary>
internal static partial class DcmdumpComparer
{
    internal sealed record DumpLine(int Depth, DicomTag Tag, string VR, string Value, string Length);

    private sealed record Node(int Depth, DicomTag Tag, DicomVR VR, uint Length, DicomValue? Value, bool LittleEndian, int? Count);

    [GeneratedRegex(@"^(?<indent> *)\((?<g>[0-9a-f]{4}),(?<e>[0-9a-f]{4})\) (?<vr>\S\S) (?<value>.*?)\s*# *(?<len>u/l|\d+), *\d+ .*$")]
    private static partial Regex LinePattern();

    [GeneratedRegex(@"#=(\d+)\)")]
    private static partial Regex CountPattern();

    /// <summary>The meta header lines and the data set lines of a dcmdump listing, without delimitation items.</summary>
    public static (List<DumpLine> Meta, List<DumpLine> Dataset) Parse(string dump)
    {
        var meta = new List<DumpLine>();
        var dataset = new List<DumpLine>();
        var current = dataset;
        foreach (string line in dump.Split('\n'))
        {
            if (line.StartsWith("# Dicom-Meta-Information-Header", StringComparison.Ordinal))
            {
                current = meta;
                continue;
            }

            if (line.StartsWith("# Dicom-Data-Set", StringComparison.Ordinal))
            {
                current = dataset;
                continue;
            }

            var match = LinePattern().Match(line.TrimEnd('\r'));
            if (!match.Success)
            {
                continue;
            }

            var tag = new DicomTag(ushort.Parse(match.Groups["g"].Value, NumberStyles.HexNumber), ushort.Parse(match.Groups["e"].Value, NumberStyles.HexNumber));
            if (tag == DicomTag.ItemDelimitationItem || tag == DicomTag.SequenceDelimitationItem)
            {
                continue;
            }

            current.Add(new DumpLine(match.Groups["indent"].Length / 2, tag, match.Groups["vr"].Value, match.Groups["value"].Value, match.Groups["len"].Value));
        }

        return (meta, dataset);
    }

    /// <summary>Asserts that our tree prints as dcmdump printed it (in implicit VR both take VRs from their dictionaries).</summary>
    public static void AssertMatches(IReadOnlyList<DumpLine> expected, DicomDataset actual)
    {
        var nodes = new List<Node>();
        Flatten(actual, 0, nodes);
        Assert.True(expected.Count == nodes.Count,
            $"dcmdump printed {expected.Count} lines, the reader produced {nodes.Count}:\n{string.Join('\n', expected)}\n---\n{string.Join('\n', nodes)}");
        for (int i = 0; i < nodes.Count; i++)
        {
            var line = expected[i];
            var node = nodes[i];
            string where = $"line {i}: {line}";
            Assert.True(line.Tag == node.Tag, $"{where}: tag {node.Tag}");
            Assert.True(line.Depth == node.Depth, $"{where}: depth {node.Depth}");
            Assert.True(line.Length == (node.Length == DicomConstants.UndefinedLength ? "u/l" : node.Length.ToString(CultureInfo.InvariantCulture)),
                $"{where}: length {node.Length}");
            if (line.VR is not ("na" or "pi"))
            {
                // dcmdump prints "??" for a tag its dictionary does not know in implicit VR, which we read as UN.
                string expectedVR = line.VR == "??" ? "UN" : line.VR;
                Assert.True(expectedVR == node.VR.ToString(), $"{where}: VR {node.VR}");
            }

            if (node.Count is { } count)
            {
                Assert.True(CountPattern().Match(line.Value) is { Success: true } m && m.Groups[1].Value == count.ToString(CultureInfo.InvariantCulture),
                    $"{where}: {count} items");
            }
            else if (node.Value is { } value)
            {
                string rendered = Render(line.VR, value, node.LittleEndian);
                string printed = line.Value;
                if (printed.EndsWith("...", StringComparison.Ordinal))
                {
                    printed = printed[..^3];
                    rendered = rendered.Length >= printed.Length ? rendered[..printed.Length] : rendered;
                }

                Assert.True(printed == rendered, $"{where}: value {rendered}");
            }
        }
    }

    private static void Flatten(DicomDataset dataset, int depth, List<Node> nodes)
    {
        foreach (var element in dataset)
        {
            switch (element)
            {
                case DicomSequence sequence:
                    nodes.Add(new Node(depth, sequence.Tag, sequence.VR, sequence.SourceLength, null, dataset.SourceIsLittleEndian, sequence.Items.Count));
                    foreach (var item in sequence.Items)
                    {
                        nodes.Add(new Node(depth + 1, DicomTag.Item, DicomVR.None, item.SourceItemLength, null, item.SourceIsLittleEndian, item.Count));
                        Flatten(item, depth + 2, nodes);
                    }

                    break;
                case DicomFragmentSequence fragments:
                    nodes.Add(new Node(depth, fragments.Tag, fragments.VR, fragments.SourceLength, null, true, fragments.Fragments.Count + 1));
                    foreach (var fragment in (DicomValue[])[fragments.OffsetTable, .. fragments.Fragments])
                    {
                        nodes.Add(new Node(depth + 1, DicomTag.Item, DicomVR.None, fragment.Length, fragment, true, null));
                    }

                    break;
                case DicomPrimitiveElement primitive:
                    nodes.Add(new Node(depth, primitive.Tag, primitive.VR, primitive.SourceLength, primitive.Value, dataset.SourceIsLittleEndian, null));
                    break;
            }
        }
    }

    /// <summary>The value as dcmdump prints it for the VR it printed (which, in implicit VR, comes from DCMTK's dictionary).</summary>
    private static string Render(string vr, DicomValue value, bool littleEndian)
    {
        if (value.Length == 0)
        {
            return "(no value available)";
        }

        // dcmdump prints at most a few dozen values of a long binary element, so a prefix is all that is needed.
        byte[] bytes = new byte[Math.Min(value.Length, 4096)];
        if (value.IsDeferred)
        {
            value.Source!.ReadExactly(value.Offset, bytes);
        }
        else
        {
            value.Bytes.Span[..bytes.Length].CopyTo(bytes);
        }

        switch (vr)
        {
            case "US":
                return Numbers(bytes, 2, b => (littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b)).ToString(CultureInfo.InvariantCulture));
            case "SS":
                return Numbers(bytes, 2, b => (littleEndian ? BinaryPrimitives.ReadInt16LittleEndian(b) : BinaryPrimitives.ReadInt16BigEndian(b)).ToString(CultureInfo.InvariantCulture));
            case "UL":
                return Numbers(bytes, 4, b => (littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b)).ToString(CultureInfo.InvariantCulture));
            case "SL":
                return Numbers(bytes, 4, b => (littleEndian ? BinaryPrimitives.ReadInt32LittleEndian(b) : BinaryPrimitives.ReadInt32BigEndian(b)).ToString(CultureInfo.InvariantCulture));
            case "OW":
                return Numbers(bytes, 2, b => (littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b)).ToString("x4", CultureInfo.InvariantCulture));
            case "OB" or "UN" or "??" or "pi":
                return Numbers(bytes, 1, b => b[0].ToString("x2", CultureInfo.InvariantCulture));
            default:
                return "[" + Encoding.ASCII.GetString(bytes).TrimEnd(' ', '\0') + "]";
        }
    }

    private static string Numbers(byte[] bytes, int size, Func<byte[], string> format)
    {
        var parts = new List<string>();
        for (int i = 0; i + size <= bytes.Length; i += size)
        {
            parts.Add(format(bytes[i..(i + size)]));
        }

        return string.Join('\\', parts);
    }
}
