using Xunit;

namespace ActorMove.Cli.Tests;

public class HelpTests
{
    [Fact]
    public void Help_prints_usage_and_exits_zero()
    {
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        try
        {
            Assert.Equal(0, Program.Main(["--help"]));
        }
        finally
        {
            Console.SetOut(original);
        }

        Assert.Contains("usage: actormove [options] peer port [dcmfile-in...]", output.ToString());
    }
}
