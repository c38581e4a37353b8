using ActorMove.Network.Transport;
using Xunit;

namespace ActorMove.Network.Tests.Transport;

public class DescriptorBudgetTests
{
    [Theory]
    [InlineData(1024, 320)]
    [InlineData(160, 32)]
    [InlineData(64, 4)]
    [InlineData(10, 4)]
    public void The_budget_leaves_the_reserve_and_three_descriptors_per_connection(int descriptors, int connections) =>
        Assert.Equal(connections, DescriptorBudget.ForLimit(descriptors));

    [Fact]
    public void The_processs_own_limit_gives_a_budget_below_it()
    {
        int budget = DescriptorBudget.MaxInboundConnections();

        Assert.InRange(budget, 4, DescriptorBudget.Fallback * 1024);
        if (OperatingSystem.IsLinux())
        {
            // This process's soft limit, as the kernel reports it for itself.
            string limits = File.ReadAllText("/proc/self/limits");
            string line = limits.Split('\n').Single(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            string soft = line["Max open files".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            Assert.Equal(soft == "unlimited" ? DescriptorBudget.Fallback : DescriptorBudget.ForLimit(int.Parse(soft, System.Globalization.CultureInfo.InvariantCulture)), budget);
        }
    }
}
