namespace NuPlanBus.Domain.Scenarios;

/// <summary>nuPlan's sampling helper for past/future requests on raw database rows (docs/nuplan-simulation.md §2.6).</summary>
public static class SampleIndices
{
    /// <summary>The raw row interval of nuPlan logs (20 Hz), independent of scenario subsampling.</summary>
    public const double RawRowIntervalS = 0.05;

    /// <summary>Row offsets [step, 2·step, …] (index 0, the anchor itself, is never included).</summary>
    public static int[] Compute(int numSamples, double horizonS, double rowIntervalS = RawRowIntervalS)
    {
        if (horizonS <= 0 || rowIntervalS <= 0 || horizonS < rowIntervalS)
        {
            throw new ArgumentException(
                $"Sampling needs horizon > 0, interval > 0 and horizon >= interval (got {horizonS} s, {rowIntervalS} s).");
        }
        var numIntervals = (int)(horizonS / rowIntervalS) + 1;
        var step = numIntervals / numSamples;
        if (step <= 0)
        {
            throw new ArgumentException($"Cannot take {numSamples} samples over {horizonS} s at {rowIntervalS} s.");
        }
        var indices = new List<int>(numSamples);
        for (var i = step; i <= numIntervals && indices.Count < numSamples; i += step)
        {
            indices.Add(i);
        }
        if (indices.Count != numSamples)
        {
            throw new ArgumentException($"Expected {numSamples} sample indices over {horizonS} s, got {indices.Count}.");
        }
        return indices.ToArray();
    }
}
