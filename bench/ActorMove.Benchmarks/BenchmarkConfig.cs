using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;

namespace ActorMove.Benchmarks;

/// <summary>
/// A throughput column (the classes ask for the memory diagnoser), and a short job unless the command line names one: on a shared 2-core machine
/// the whole suite has to finish in minutes, and every operation is long enough (0.2 ms to 1 s) that 3 iterations tell.
/// </summary>
public static class BenchmarkConfig
{
    public static IConfig Create(string[] args)
    {
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddColumn(new ThroughputColumn())
            .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(40))
            .WithOptions(ConfigOptions.JoinSummary);

        if (!args.Any(a => a is "--job" or "-j" || a.StartsWith("--job=", StringComparison.Ordinal)))
        {
            // One invocation per call: the 200 MiB operations take long enough that unrolling 16 calls would only stretch the run.
            config.AddJob(Job.ShortRun.WithUnrollFactor(1).AsDefault());
        }

        return config;
    }
}
