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
        Special(value) ?? Format(Decompose(((double)value).ToString("E" + (SinglePrecision - 1), CultureInfo.InvariantCulture)), SinglePrecision);

    /// <summary>The shortest digits that read back as <paramref name="value"/> (.NET's round-trip form).</summary>
    public static string Double(double value) =>
        Special(value) ?? Format(Decompose(value.ToString("R", CultureInfo.InvariantCulture)), DoublePrecision);

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

    /// <summary>
    /// The sign, the significant digits (no leading or trailing zeros) and the decimal exponent of the first of them, from
    /// .NET's text of a non-zero number: "0.001", "123.45", "1E-05" or "1.00000001E-001".
    /// </summary>
    private static (bool Negative, string Digits, int Exponent) Decompose(string number)
    {
        bool negative = number.StartsWith('-');
        string unsigned = negative ? number[1..] : number;
        int exponentAt = unsigned.IndexOfAny(['E', 'e']);
        int exponent = exponentAt < 0 ? 0 : int.Parse(unsigned[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        string mantissa = exponentAt < 0 ? unsigned : unsigned[..exponentAt];
        int point = mantissa.IndexOf('.');
        string digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        int integerDigits = point < 0 ? mantissa.Length : point;
        string significant = digits.TrimStart('0');
        exponent += integerDigits - (digits.Length - significant.Length) - 1;
        significant = significant.TrimEnd('0');
        return (negative, significant.Length == 0 ? "0" : significant, exponent);
    }

    /// <summary>"%.{precision}g" of a number already rounded to its significant digits.</summary>
    private static string Format((bool Negative, string Digits, int Exponent) number, int precision)
    {
        var (negative, digits, exponent) = number;
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
