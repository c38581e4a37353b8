namespace ActorMove.Engine.Migration;

/// <summary>Exact percentiles of recorded values, no estimation.</summary>
public static class Percentiles
{
    /// <summary>
    /// The nearest-rank percentile: the smallest value such that at least <paramref name="percentile"/> percent of the
    /// values are less than or equal to it, i.e. sorted[ceil(p / 100 * N) - 1] (p = 100 is the maximum). It is always
    /// one of the recorded values. <paramref name="sorted"/> must be in ascending order and not empty.
    /// </summary>
    public static double NearestRank(ReadOnlySpan<double> sorted, double percentile)
    {
        if (sorted.IsEmpty)
        {
            throw new ArgumentException("no values", nameof(sorted));
        }

        if (percentile is <= 0 or > 100 || double.IsNaN(percentile))
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "in (0, 100]");
        }

        // Computed in decimal so that e.g. 95% of 20 values is exactly rank 19, not 19.000000000000004 -> 20.
        decimal rank = Math.Ceiling((decimal)percentile / 100m * sorted.Length);
        return sorted[(int)Math.Max(1, rank) - 1];
    }
}
