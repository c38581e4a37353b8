namespace ActorMove.Cli.Options;

/// <summary>
/// Reads numbers the way C's sscanf does ("%lu", "%li", "%x"), because DCMTK accepts and rejects numbers by those rules:
/// leading white space and trailing garbage are allowed ("1x" is 1), "%li" detects hex and octal prefixes,
/// out-of-range values saturate instead of failing, and "%lu" wraps a negative number.
/// </summary>
public static class CNumberScanner
{
    /// <summary>sscanf("%lu"): false when no digit was read.</summary>
    public static bool TryScanUnsigned(string text, out ulong value)
    {
        int position = SkipWhiteSpace(text, 0);
        bool negative = ReadSign(text, ref position);
        if (!TryReadMagnitude(text, ref position, 10, out ulong magnitude, out bool overflow))
        {
            value = 0;
            return false;
        }

        // strtoul: an overflow gives ULONG_MAX whatever the sign; otherwise a minus sign negates in unsigned arithmetic.
        value = overflow ? ulong.MaxValue : negative ? unchecked(0UL - magnitude) : magnitude;
        return true;
    }

    /// <summary>sscanf("%li"): base 16 after "0x", base 8 after a leading "0", base 10 otherwise; false when no digit was read.</summary>
    public static bool TryScanSigned(string text, out long value)
    {
        int position = SkipWhiteSpace(text, 0);
        bool negative = ReadSign(text, ref position);
        int numberBase = 10;
        if (position < text.Length && text[position] == '0')
        {
            if (HasHexPrefix(text, position))
            {
                numberBase = 16;
                position += 2;
            }
            else
            {
                numberBase = 8;
            }
        }

        if (!TryReadMagnitude(text, ref position, numberBase, out ulong magnitude, out bool overflow))
        {
            value = 0;
            return false;
        }

        if (negative)
        {
            value = overflow || magnitude > (ulong)long.MaxValue + 1 ? long.MinValue : unchecked(-(long)magnitude);
        }
        else
        {
            value = overflow || magnitude > long.MaxValue ? long.MaxValue : (long)magnitude;
        }

        return true;
    }

    /// <summary>sscanf("%x") into an unsigned int, starting at <paramref name="position"/>; advances past what it read.</summary>
    public static bool TryScanHex32(string text, ref int position, out uint value)
    {
        int cursor = SkipWhiteSpace(text, position);
        bool negative = ReadSign(text, ref cursor);
        if (HasHexPrefix(text, cursor))
        {
            cursor += 2;
        }

        if (!TryReadMagnitude(text, ref cursor, 16, out ulong magnitude, out bool overflow))
        {
            value = 0;
            return false;
        }

        ulong wide = overflow ? ulong.MaxValue : negative ? unchecked(0UL - magnitude) : magnitude;
        value = unchecked((uint)wide);
        position = cursor;
        return true;
    }

    /// <summary>"0x" counts as a prefix only when a hex digit follows; otherwise the "0" alone is the number.</summary>
    private static bool HasHexPrefix(string text, int position) =>
        position + 2 < text.Length && text[position] == '0' && (text[position + 1] is 'x' or 'X') && IsDigit(text[position + 2], 16);

    private static int SkipWhiteSpace(string text, int position)
    {
        while (position < text.Length && text[position] is ' ' or '\t' or '\n' or '\v' or '\f' or '\r')
        {
            position++;
        }

        return position;
    }

    private static bool ReadSign(string text, ref int position)
    {
        if (position < text.Length && text[position] is '+' or '-')
        {
            return text[position++] == '-';
        }

        return false;
    }

    private static bool TryReadMagnitude(string text, ref int position, int numberBase, out ulong magnitude, out bool overflow)
    {
        magnitude = 0;
        overflow = false;
        int start = position;
        while (position < text.Length && IsDigit(text[position], numberBase))
        {
            uint digit = DigitValue(text[position]);
            if (!overflow)
            {
                if (magnitude > (ulong.MaxValue - digit) / (ulong)numberBase)
                {
                    overflow = true;
                }
                else
                {
                    magnitude = magnitude * (ulong)numberBase + digit;
                }
            }

            position++;
        }

        return position > start;
    }

    private static bool IsDigit(char c, int numberBase) => numberBase switch
    {
        8 => c is >= '0' and <= '7',
        10 => char.IsAsciiDigit(c),
        _ => char.IsAsciiHexDigit(c),
    };

    private static uint DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => (uint)(c - '0'),
        >= 'a' and <= 'f' => (uint)(c - 'a' + 10),
        _ => (uint)(c - 'A' + 10),
    };
}
