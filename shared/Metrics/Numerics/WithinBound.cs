namespace NuPlanBus.Metrics.Numerics;

public static class WithinBound
{
    /// <summary>
    /// The devkit's <c>_compute_within_bound</c>: null (no check, no statistic) when both thresholds are missing
    /// or zero; otherwise true iff min &lt; v &lt; max for every value (a missing side is unbounded). NaN fails.
    /// </summary>
    public static bool? Check(ReadOnlySpan<double> values, double? min, double? max)
    {
        // Python truthiness: a threshold of 0.0 counts as "not configured" for this test only.
        if ((min is null || min == 0.0) && (max is null || max == 0.0))
        {
            return null;
        }
        var lower = min ?? double.NegativeInfinity;
        var upper = max ?? double.PositiveInfinity;
        foreach (var v in values)
        {
            if (!(v > lower && v < upper))
            {
                return false;
            }
        }
        return true;
    }
}
