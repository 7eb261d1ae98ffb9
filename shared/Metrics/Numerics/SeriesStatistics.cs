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

    /// <summary><c>np.sum</c>: numpy's pairwise summation (blocks of 8, split above 128), so totals match the devkit's bit for bit.</summary>
    public static double Sum(IReadOnlyList<double> values) => PairwiseSum(values, 0, values.Count);

    private static double PairwiseSum(IReadOnlyList<double> values, int start, int count)
    {
        if (count < 8)
        {
            var s = 0.0;
            for (var i = start; i < start + count; i++)
            {
                s += values[i];
            }
            return s;
        }
        if (count <= 128)
        {
            Span<double> r = stackalloc double[8];
            for (var k = 0; k < 8; k++)
            {
                r[k] = values[start + k];
            }
            var i = 8;
            for (; i < count - count % 8; i += 8)
            {
                for (var k = 0; k < 8; k++)
                {
                    r[k] += values[start + i + k];
                }
            }
            var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < count; i++)
            {
                res += values[start + i];
            }
            return res;
        }
        var half = count / 2;
        half -= half % 8;
        return PairwiseSum(values, start, half) + PairwiseSum(values, start + half, count - half);
    }

    /// <summary><c>np.mean(np.diff(timestamps))</c> for integer microsecond timestamps: exactly (last − first) / (n − 1).</summary>
    public static double MeanStepUs(ReadOnlySpan<long> timestampsUs) =>
        (double)(timestampsUs[^1] - timestampsUs[0]) / (timestampsUs.Length - 1);

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
