using System.Globalization;
using System.Text;

namespace ActorMove.Dicom.Text;

/// <summary>
/// Floating point values in C's "%g" style, as DCMTK's dumps show them: lower-case exponent with a sign and at least two
/// digits ("1e-05", "1e+21"), no trailing zeros, "inf" and "nan". FL values get 9 significant digits (dcmdump prints
/// 0.1f as 0.100000001); FD values the fewest digits that read back as the same double. DCMTK formats FD with its own
/// routine, which now and then differs from that in the last digit (it prints 2/3 as 0.66666666666666661).
/// </summary>
internal static class FloatingPoint
{
    private const int SinglePrecision = 9;
    private const int DoublePrecision = 17;

    public static string Single(float value) =>
        Special(value) ?? Format(((double)value).ToString("E" + (SinglePrecision - 1), CultureInfo.InvariantCulture), SinglePrecision);

    public static string Double(double value) => Special(value) ?? Format(Shortest(value), DoublePrecision);

    private static string? Special(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        // Negative zero too: dcmdump shows -0.0 as 0.
        return value == 0 ? "0" : null;
    }

    /// <summary>The shortest round-trip digits of <paramref name="value"/> in "d.dddE+xxx" form.</summary>
    private static string Shortest(double value)
    {
        string roundTrip = value.ToString("R", CultureInfo.InvariantCulture);
        bool negative = roundTrip.StartsWith('-');
        string unsigned = negative ? roundTrip[1..] : roundTrip;
        int exponentAt = unsigned.IndexOfAny(['E', 'e']);
        int exponent = exponentAt < 0 ? 0 : int.Parse(unsigned[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        string mantissa = exponentAt < 0 ? unsigned : unsigned[..exponentAt];
        int point = mantissa.IndexOf('.');
        string digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        int integerDigits = point < 0 ? mantissa.Length : point;
        int leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.TrimStart('0');
        exponent += integerDigits - leadingZeros - 1;
        string fraction = digits.Length > 1 ? "." + digits[1..] : "";
        return (negative ? "-" : "") + digits[0] + fraction + "E" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("000", CultureInfo.InvariantCulture);
    }

    /// <summary>"%.{precision}g" from a value already rounded to its digits, written as "[-]d.dddE[+-]xxx".</summary>
    private static string Format(string scientific, int precision)
    {
        bool negative = scientific.StartsWith('-');
        string unsigned = negative ? scientific[1..] : scientific;
        int exponentAt = unsigned.IndexOf('E');
        int exponent = int.Parse(unsigned[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        string digits = unsigned[..exponentAt].Replace(".", "", StringComparison.Ordinal).TrimEnd('0');
        if (digits.Length == 0)
        {
            digits = "0";
        }

        var text = new StringBuilder();
        if (negative)
        {
            text.Append('-');
        }

        if (exponent < -4 || exponent >= precision)
        {
            text.Append(digits[0]);
            if (digits.Length > 1)
            {
                text.Append('.').Append(digits, 1, digits.Length - 1);
            }

            text.Append('e').Append(exponent < 0 ? '-' : '+').Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
        }
        else if (exponent < 0)
        {
            text.Append("0.").Append('0', -exponent - 1).Append(digits);
        }
        else if (digits.Length <= exponent + 1)
        {
            text.Append(digits).Append('0', exponent + 1 - digits.Length);
        }
        else
        {
            text.Append(digits, 0, exponent + 1).Append('.').Append(digits, exponent + 1, digits.Length - exponent - 1);
        }

        return text.ToString();
    }
}
