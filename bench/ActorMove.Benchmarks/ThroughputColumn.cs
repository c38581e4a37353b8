using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ActorMove.Benchmarks;

/// <summary>A benchmark parameter that knows how many bytes of input one operation processes.</summary>
public interface IHasInputBytes
{
    long InputBytes { get; }
}

/// <summary>
/// Input bytes of one operation (the source file's size) divided by the mean time, in MB/s (10^6 bytes per second), so
/// the 1 GB/s goal reads as 1000.
/// </summary>
public sealed class ThroughputColumn : IColumn
{
    public string Id => nameof(ThroughputColumn);
    public string ColumnName => "MB/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Input file bytes / mean time, in 10^6 bytes per second";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        long? bytes = benchmarkCase.Parameters.Items.Select(p => p.Value).OfType<IHasInputBytes>().FirstOrDefault()?.InputBytes;
        double? meanNanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (bytes is null || meanNanoseconds is not > 0)
        {
            return "-";
        }

        double megabytesPerSecond = bytes.Value / meanNanoseconds.Value * 1e9 / 1e6;
        return megabytesPerSecond.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
    }
}
