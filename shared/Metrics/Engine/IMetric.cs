using NuPlanBus.Metrics.Results;

namespace NuPlanBus.Metrics.Engine;

/// <summary>
/// A metric: a pure function of one simulation (history + scenario) returning typed statistics. High-level
/// metrics name their <see cref="Dependencies"/> and read those metrics' statistics from
/// <c>computedSoFar</c> instead of sharing mutable state, so one instance can serve many scenarios.
/// </summary>
public interface IMetric
{
    string Name { get; }

    string Category { get; }

    /// <summary>Names of metrics whose results this one reads; they are computed first when present.</summary>
    IReadOnlyList<string> Dependencies { get; }

    IReadOnlyList<MetricStatistics> Compute(MetricInput input, MetricResults computedSoFar);
}
