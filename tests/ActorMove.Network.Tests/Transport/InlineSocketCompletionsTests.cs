using ActorMove.Network.Transport;
using Xunit;

namespace ActorMove.Network.Tests.Transport;

public class InlineSocketCompletionsTests
{
    [Fact]
    public void An_environment_without_the_variable_gets_inline_completions()
    {
        var environment = new Dictionary<string, string>();

        bool on = InlineSocketCompletions.Prefer(name => environment.GetValueOrDefault(name), value => environment[InlineSocketCompletions.EnvironmentVariable] = value);

        Assert.True(on);
        Assert.Equal("1", environment[InlineSocketCompletions.EnvironmentVariable]);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("0", false)]
    [InlineData("", false)]
    public void A_value_the_user_set_is_kept(string value, bool expected)
    {
        var environment = new Dictionary<string, string> { [InlineSocketCompletions.EnvironmentVariable] = value };

        bool on = InlineSocketCompletions.Prefer(name => environment.GetValueOrDefault(name), _ => Assert.Fail("the user's setting was overwritten"));

        Assert.Equal(expected, on);
        Assert.Equal(value, environment[InlineSocketCompletions.EnvironmentVariable]);
    }
}
