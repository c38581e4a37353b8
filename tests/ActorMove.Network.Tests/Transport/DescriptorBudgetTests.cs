using ActorMove.Network.Transport;
using Xunit;

namespace ActorMove.Network.Tests.Transport;

public class DescriptorBudgetTests
{
    [Theory]
    [InlineData(1024, 3, 320)]
    [InlineData(1024, 4, 240)]
    [InlineData(1024, 1, 960)]
    [InlineData(160, 3, 32)]
    [InlineData(64, 3, 4)]
    [InlineData(10, 1, 4)]
    public void The_budget_leaves_the_reserve_and_the_descriptors_of_each_connection(int descriptors, int perConnection, int connections) =>
        Assert.Equal(connections, DescriptorBudget.ForLimit(descriptors, perConnection));

    [Fact]
    public void A_connection_holds_at_least_its_socket() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DescriptorBudget.ForLimit(1024, 0));

    [Fact]
    public void The_processs_own_limit_gives_a_budget_below_it()
    {
        int budget = DescriptorBudget.MaxInboundConnections(3);

        Assert.InRange(budget, 4, DescriptorBudget.Fallback * 1024);
        if (OperatingSystem.IsLinux())
        {
            // This process's soft limit, as the kernel reports it for itself.
            string limits = File.ReadAllText("/proc/self/limits");
            string line = limits.Split('\n').Single(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            string soft = line["Max open files".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            Assert.Equal(soft == "unlimited" ? DescriptorBudget.Fallback : DescriptorBudget.ForLimit(int.Parse(soft, System.Globalization.CultureInfo.InvariantCulture), 3), budget);
            Assert.Equal(soft == "unlimited" ? null : int.Parse(soft, System.Globalization.CultureInfo.InvariantCulture), DescriptorBudget.ProcessLimit());
        }
    }
}
