namespace NuPlanBus.Metrics.Numerics;

/// <summary>NaN-ignoring reductions matching numpy's <c>nanmax</c>, <c>nanmin</c>, <c>nanmean</c> and 1.23's P90.</summary>
public static class SeriesStatistics
{
    public static double NanMax(ReadOnlySpan<double> values)
    {
        var result = double.NaN;
        foreach (var v in values)
        {
            if (!double.IsNaN(v) && (double.IsNaN(result) || v > result))
            {
                result = v;
            }
        }
        return result;
    }

    public static double NanMin(ReadOnlySpan<double> values)
    {
        var result = double.NaN;
        foreach (var v in values)
        {
            if (!double.IsNaN(v) && (double.IsNaN(result) || v < result))
            {
                result = v;
            }
        }
        return result;
    }

    public static double NanMean(ReadOnlySpan<double> values)
    {
        var sum = 0.0;
        var count = 0;
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
            {
                sum += v;
                count++;
            }
        }
        return count == 0 ? double.NaN : sum / count;
    }

    /// <summary>
    /// <c>np.nanpercentile(values, q, method="closest_observation")</c> as numpy 1.23 computes it: over the n sorted
    /// non-NaN values, idx = n·q/100 − 1 − 0.5; take floor(idx) when idx is whole and its floor is even, otherwise the
    /// next element; clip to [0, n − 1]. Newer numpy changed the parity test; parity with the devkit needs this one.
    /// </summary>
    public static double NanPercentileClosestObservation(ReadOnlySpan<double> values, double percentile = 90)
    {
        var kept = new double[values.Length];
        var n = 0;
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
            {
                kept[n++] = v;
            }
        }
        if (n == 0)
        {
            return double.NaN;
        }
        var sorted = kept.AsSpan(0, n);
        sorted.Sort();
        var index = ClosestObservationIndex(n, percentile / 100.0);
        return sorted[index];
    }

    /// <summary>The element index numpy 1.23's closest-observation rule picks among <paramref name="n"/> sorted values.</summary>
    public static int ClosestObservationIndex(int n, double quantile)
    {
        var index = n * quantile - 1 - 0.5;
        var previous = Math.Floor(index);
        var gamma = index - previous;
        var pick = gamma == 0 && previous % 2 == 0 ? previous : previous + 1;
        return (int)Math.Clamp(pick, 0, n - 1);
    }
}
