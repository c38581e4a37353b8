using System.Globalization;
using ActorMove.Dicom.Core;

namespace ActorMove.Dicom.Dictionary;

/// <summary>
/// Reads a dictionary file in DCMTK's dicom.dic format: one row per line, tab-separated
/// <c>Tag VR Keyword [VM [Version]]</c>; lines starting with # are comments. Tags are (gggg,eeee) in hex, where either
/// part may be a range gggg-gggg (even numbers only), gggg-o-gggg (odd), gggg-e-gggg (even) or gggg-u-gggg (all);
/// private rows are (gggg,"CREATOR",ee). The PS3.6 notation with x digits, (60xx,3000), is accepted as well.
/// VRs are the standard ones or DCMTK's: ox and px (OB or OW), xs (US or SS), lt (US, SS or OW), up (UL), na (none).
/// </summary>
internal static class DicomDictionaryFile
{
    private const int MinimumFields = 3;
    private const int MaximumFields = 5;
    private const string DefaultVM = "1";

    public static List<DicomDictionaryEntry> Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string reason = e is FileNotFoundException or DirectoryNotFoundException
                ? "dictionary file not found"
                : "cannot read dictionary file";
            throw new DicomDictionaryException(path, reason, e);
        }

        var entries = new List<DicomDictionaryEntry>();
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.Length == 0 || line[0] == '#' || string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            entries.Add(ParseLine(line, path, i + 1));
        }

        return entries;
    }

    private static DicomDictionaryEntry ParseLine(string line, string path, int lineNumber)
    {
        DicomDictionaryException Error(string reason) => new(path, lineNumber, reason);

        // DCMTK wants exactly one tab between fields; runs of tabs and stray spaces are tolerated here.
        string[] fields = line.Split('\t', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < MinimumFields)
        {
            throw Error($"too few fields (found {fields.Length}, need tag, VR and keyword)");
        }

        if (fields.Length > MaximumFields)
        {
            throw Error($"too many fields (found {fields.Length}, at most tag, VR, keyword, VM and version)");
        }

        if (!TryParseVRs(fields[1], out var allowed))
        {
            throw Error($"unknown VR '{fields[1]}'");
        }

        string keyword = fields[2];
        string vm = fields.Length > 3 ? fields[3] : DefaultVM;
        if (!IsValidVM(vm))
        {
            throw Error($"bad VM '{vm}'");
        }

        bool retired = fields.Length > 4 && fields[4].Contains("retired", StringComparison.OrdinalIgnoreCase);
        if (!TryParseTag(fields[0], out var tag, out uint mask, out var range, out string? creator, out string? tagError))
        {
            throw Error($"bad tag '{fields[0]}': {tagError}");
        }

        return new DicomDictionaryEntry(tag, mask, VRRules.ForImplicit(allowed), allowed, vm, keyword, keyword, retired, creator)
        {
            Range = range,
        };
    }

    private static bool TryParseVRs(string text, out DicomVR[] allowed)
    {
        allowed = text switch
        {
            "ox" or "px" => [DicomVR.OB, DicomVR.OW],
            "xs" => [DicomVR.US, DicomVR.SS],
            "lt" => [DicomVR.US, DicomVR.SS, DicomVR.OW],
            "up" => [DicomVR.UL],
            "na" => [],
            _ => null!,
        };
        if (allowed is not null)
        {
            return true;
        }

        // PS3.6 style "US or SS", as the generated table has it.
        string[] parts = text.Split(" or ", StringSplitOptions.TrimEntries);
        allowed = new DicomVR[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length != 2 || !char.IsUpper(parts[i][0]) || !char.IsUpper(parts[i][1])
                || !DicomVR.TryParse(parts[i], out allowed[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>1, 1-n, 2-2n, 1-3, 3-3n ... as in PS3.6 and dicom.dic.</summary>
    private static bool IsValidVM(string vm)
    {
        int dash = vm.IndexOf('-');
        if (dash < 0)
        {
            return IsNumber(vm) || vm == "n";
        }

        var low = vm.AsSpan(0, dash);
        var high = vm.AsSpan(dash + 1);
        return IsNumber(low) && (high is "n" || IsNumber(high) || (high.Length > 1 && high[^1] == 'n' && IsNumber(high[..^1])));
    }

    private static bool IsNumber(ReadOnlySpan<char> s) => !s.IsEmpty && !s.ContainsAnyExceptInRange('0', '9');

    private static bool TryParseTag(string text, out DicomTag tag, out uint mask, out DicomTagRange? range, out string? creator,
        out string? error)
    {
        tag = default;
        mask = 0xFFFFFFFF;
        range = null;
        creator = null;
        error = null;
        if (text.Length < 5 || text[0] != '(' || text[^1] != ')')
        {
            error = "expected (gggg,eeee)";
            return false;
        }

        string inner = text[1..^1];
        string groupText, elementText;
        int firstQuote = inner.IndexOf('"');
        if (firstQuote >= 0)
        {
            int lastQuote = inner.LastIndexOf('"');
            int firstComma = inner.IndexOf(',');
            if (lastQuote == firstQuote || firstComma < 0 || firstComma > firstQuote
                || inner.AsSpan(firstComma + 1, firstQuote - firstComma - 1).Trim().Length != 0
                || lastQuote + 1 >= inner.Length || inner[lastQuote + 1] != ',')
            {
                error = "expected (gggg,\"CREATOR\",ee)";
                return false;
            }

            groupText = inner[..firstComma].Trim();
            creator = inner[(firstQuote + 1)..lastQuote];
            elementText = inner[(lastQuote + 2)..].Trim();
            if (creator.Length == 0)
            {
                error = "empty private creator";
                return false;
            }
        }
        else
        {
            int comma = inner.IndexOf(',');
            if (comma < 0 || inner.IndexOf(',', comma + 1) >= 0)
            {
                error = "expected (gggg,eeee)";
                return false;
            }

            groupText = inner[..comma].Trim();
            elementText = inner[(comma + 1)..].Trim();
        }

        if (!TryParsePart(groupText, out var group, out error) || !TryParsePart(elementText, out var element, out error))
        {
            return false;
        }

        if (creator is not null)
        {
            if (group.Mask != 0xFFFF || element.Mask != 0xFFFF || element.First != element.Last)
            {
                error = "a private row takes one element and no x digits";
                return false;
            }

            // DCMTK's own private.dic has rows in the (illegal) private group 0003, so only the parity is checked.
            if ((group.First & 1) == 0 || (group.Parity != DicomRangeParity.Odd && group.First != group.Last))
            {
                error = "a private row needs an odd group (or an odd range, gggg-o-gggg)";
                return false;
            }
        }

        tag = new DicomTag(group.First, element.First);
        bool groupIsRange = group.First != group.Last;
        bool elementIsRange = element.First != element.Last;
        if ((group.Mask != 0xFFFF || element.Mask != 0xFFFF) && (groupIsRange || elementIsRange))
        {
            error = "x digits and a range cannot be mixed";
            return false;
        }

        mask = ((uint)group.Mask << 16) | element.Mask;
        if (groupIsRange || elementIsRange)
        {
            range = new DicomTagRange(group.First, group.Last, group.Parity, element.First, element.Last, element.Parity);
        }

        return true;
    }

    private readonly record struct Part(ushort First, ushort Last, DicomRangeParity Parity, ushort Mask);

    /// <summary>"gggg", "gggg-gggg" (even), "gggg-o-gggg" / "-e-" / "-u-", or "60xx" (x digits masked).</summary>
    private static bool TryParsePart(string text, out Part part, out string? error)
    {
        part = default;
        error = null;
        string[] pieces = text.Split('-');
        switch (pieces.Length)
        {
            case 1 when text.Length == 4 && text.AsSpan().IndexOfAny('x', 'X') >= 0:
            {
                ushort value = 0, mask = 0;
                foreach (char c in text)
                {
                    value <<= 4;
                    mask <<= 4;
                    if (c is 'x' or 'X')
                    {
                        continue;
                    }

                    if (!char.IsAsciiHexDigit(c))
                    {
                        error = $"'{text}' is not hexadecimal";
                        return false;
                    }

                    value |= (ushort)HexValue(c);
                    mask |= 0xF;
                }

                part = new Part(value, value, DicomRangeParity.Any, mask);
                return true;
            }

            case 1:
                if (!TryHex(text, out ushort single, out error))
                {
                    return false;
                }

                part = new Part(single, single, DicomRangeParity.Any, 0xFFFF);
                return true;

            case 2 or 3:
            {
                DicomRangeParity parity = DicomRangeParity.Even;
                if (pieces.Length == 3)
                {
                    parity = pieces[1].Trim() switch
                    {
                        "o" or "O" => DicomRangeParity.Odd,
                        "e" or "E" => DicomRangeParity.Even,
                        "u" or "U" => DicomRangeParity.Any,
                        _ => (DicomRangeParity)0xFF,
                    };
                    if (parity == (DicomRangeParity)0xFF)
                    {
                        error = $"range restriction '{pieces[1]}' is not o, e or u";
                        return false;
                    }
                }

                if (!TryHex(pieces[0], out ushort first, out error) || !TryHex(pieces[^1], out ushort last, out error))
                {
                    return false;
                }

                if (last < first)
                {
                    error = $"range {text} ends before it starts";
                    return false;
                }

                part = new Part(first, last, parity, 0xFFFF);
                return true;
            }

            default:
                error = $"'{text}' is not gggg, gggg-gggg or gggg-o-gggg";
                return false;
        }
    }

    private static bool TryHex(string text, out ushort value, out string? error)
    {
        text = text.Trim();
        error = null;
        if (text.Length is 0 or > 4 || !ushort.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value))
        {
            value = 0;
            error = $"'{text}' is not a 1 to 4 digit hexadecimal number";
            return false;
        }

        return true;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
