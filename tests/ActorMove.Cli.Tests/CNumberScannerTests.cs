using ActorMove.Cli.Options;
using Xunit;

namespace ActorMove.Cli.Tests;

public class CNumberScannerTests
{
    [Theory]
    [InlineData("0", 0UL)]
    [InlineData("  42abc", 42UL)]
    [InlineData("+7", 7UL)]
    [InlineData("-1", ulong.MaxValue)]
    [InlineData("-0", 0UL)]
    [InlineData("18446744073709551615", ulong.MaxValue)]
    [InlineData("18446744073709551616", ulong.MaxValue)]
    [InlineData("-18446744073709551615", 1UL)]
    [InlineData("-99999999999999999999", ulong.MaxValue)]
    [InlineData("0x10", 0UL)]
    public void Unsigned_like_strtoul(string text, ulong expected)
    {
        Assert.True(CNumberScanner.TryScanUnsigned(text, out ulong value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("abc")]
    [InlineData("-")]
    [InlineData("+x")]
    public void No_digits_no_number(string text)
    {
        Assert.False(CNumberScanner.TryScanUnsigned(text, out _));
        Assert.False(CNumberScanner.TryScanSigned(text, out _));
    }

    [Theory]
    [InlineData("10", 10L)]
    [InlineData("010", 8L)]
    [InlineData("08", 0L)]
    [InlineData("0x1F", 31L)]
    [InlineData("-0X10", -16L)]
    [InlineData("0x", 0L)]
    [InlineData("0xg", 0L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("9223372036854775808", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    [InlineData("-9223372036854775809", long.MinValue)]
    [InlineData("-18446744073709551615", long.MinValue)]
    public void Signed_like_strtol_base_0(string text, long expected)
    {
        Assert.True(CNumberScanner.TryScanSigned(text, out long value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("0010", 0x10u, 4)]
    [InlineData(" 0x7fe0,", 0x7FE0u, 7)]
    [InlineData("-10", 0xFFFFFFF0u, 3)]
    [InlineData("fffff", 0xFFFFFu, 5)]
    [InlineData("1ffffffff", 0xFFFFFFFFu, 9)]
    public void Hex_like_sscanf_x(string text, uint expected, int end)
    {
        int position = 0;
        Assert.True(CNumberScanner.TryScanHex32(text, ref position, out uint value));
        Assert.Equal(expected, value);
        Assert.Equal(end, position);
    }
}
