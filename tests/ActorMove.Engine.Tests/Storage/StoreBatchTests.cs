using ActorMove.Engine.Storage;
using Xunit;

namespace ActorMove.Engine.Tests.Storage;

public class StoreBatchTests
{
    [Theory]
    [InlineData(4L * 1024 * 1024, 1024 * 1024)] // the default budget: 1 MiB blocks
    [InlineData(64L * 1024 * 1024, 1024 * 1024)] // never more than 1 MiB
    [InlineData(256L * 1024, 64 * 1024)] // a quarter of a small budget
    [InlineData(64L * 1024, 16 * 1024)] // the smallest budget the configuration allows
    [InlineData(1024L, 16 * 1024)] // never below 16 KiB
    public void A_block_is_a_quarter_of_the_budget_within_bounds(long budget, int expected) =>
        Assert.Equal(expected, StoreBatch.BlockBytes(budget));
}
