using NuPlanBus.Metrics.Engine;
using NuPlanBus.Metrics.Numerics;
using NuPlanBus.Metrics.Results;

namespace NuPlanBus.Metrics.Evaluation;

/// <summary>
/// The devkit's WithinBoundMetricBase: a per-ego-state series with max/min/avg/p90 statistics, plus a BOOLEAN
/// <c>abs_&lt;name&gt;_within_bounds</c> when thresholds are configured. Low level: never scored.
/// </summary>
public sealed class WithinBoundMetric : IMetric
{
    private readonly Func<MetricInput, double[]> _extract;

    public WithinBoundMetric(
        string name,
        string category,
        string unit,
        Func<MetricInput, double[]> extract,
        double? minThreshold = null,
        double? maxThreshold = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(extract);
        Name = name;
        Category = category;
        Unit = unit;
        _extract = extract;
        MinThreshold = minThreshold;
        MaxThreshold = maxThreshold;
    }

    public string Name { get; }

    public string Category { get; }

    public string Unit { get; }

    public double? MinThreshold { get; }

    public double? MaxThreshold { get; }

    public IReadOnlyList<string> Dependencies => [];

    /// <summary>The statistic name <c>ego_is_comfortable</c> and the aggregator look for.</summary>
    public string WithinBoundsStatisticName => $"abs_{Name}_within_bounds";

    public IReadOnlyList<MetricStatistics> Compute(MetricInput input, MetricResults computedSoFar)
    {
        var values = _extract(input);
        if (values.Length != input.TimestampsUs.Length)
        {
            throw new InvalidOperationException($"{Name}: extractor returned {values.Length} values for {input.TimestampsUs.Length} states.");
        }
        var statistics = TimeSeriesStatistic.Compute(Name, Unit, values, TimeSeriesStatistic.AllTypes);
        if (WithinBound.Check(values, MinThreshold, MaxThreshold) is { } withinBound)
        {
            statistics.Add(Statistic.Boolean(WithinBoundsStatisticName, withinBound));
        }
        var series = new TimeSeries(Unit, input.TimestampsUs, values);
        return [new MetricStatistics(Name, Name, Category, statistics, series)];
    }
}
