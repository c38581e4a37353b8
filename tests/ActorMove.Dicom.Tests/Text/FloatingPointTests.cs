using ActorMove.Dicom.Text;
using Xunit;

namespace ActorMove.Dicom.Tests.Text;

/// <summary>The expected strings are what dcmdump 3.6.7 printed for FL and FD values written bit for bit.</summary>
public class FloatingPointTests
{
    [Theory]
    [InlineData(0.1f, "0.100000001")]
    [InlineData(1f / 3, "0.333333343")]
    [InlineData(2.5f, "2.5")]
    [InlineData(1e10f, "1e+10")]
    [InlineData(1e-10f, "1.00000001e-10")]
    [InlineData(3.4e38f, "3.39999995e+38")]
    [InlineData(123456.789f, "123456.789")]
    [InlineData(16777217f, "16777216")]
    [InlineData(1e9f, "1e+09")]
    [InlineData(1e8f, "100000000")]
    [InlineData(-1e-20f, "-9.99999968e-21")]
    public void FL_values_have_nine_significant_digits(float value, string expected) =>
        Assert.Equal(expected, FloatingPoint.Single(value));

    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(1.0 / 3, "0.3333333333333333")]
    [InlineData(1e15, "1000000000000000")]
    [InlineData(1e16, "10000000000000000")]
    [InlineData(1e17, "1e+17")]
    [InlineData(123.456, "123.456")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(1e-4, "0.0001")]
    [InlineData(123456789.123, "123456789.123")]
    [InlineData(-0.0, "0")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(9007199254740992.0, "9007199254740992")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    [InlineData(1e21, "1e+21")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NaN, "nan")]
    public void FD_values_have_the_fewest_digits_that_read_back(double value, string expected) =>
        Assert.Equal(expected, FloatingPoint.Double(value));
}
