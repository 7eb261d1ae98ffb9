using NuPlanBus.Metrics.Results;

namespace NuPlanBus.Metrics.Engine;

/// <summary>The statistics computed so far for one scenario, by metric name, in computation order.</summary>
public sealed class MetricResults
{
    private readonly Dictionary<string, IReadOnlyList<MetricStatistics>> _byMetric = new(StringComparer.Ordinal);
    private readonly List<MetricStatistics> _all = [];

    public IReadOnlyList<MetricStatistics> All => _all;

    public bool Contains(string metricName) => _byMetric.ContainsKey(metricName);

    public bool TryGet(string metricName, out IReadOnlyList<MetricStatistics> statistics)
    {
        if (_byMetric.TryGetValue(metricName, out var found))
        {
            statistics = found;
            return true;
        }
        statistics = [];
        return false;
    }

    /// <summary>
    /// The value of the metric's first BOOLEAN statistic, or null when the metric was not computed or emitted
    /// none (a within-bound metric without thresholds).
    /// </summary>
    public bool? BooleanOf(string metricName)
    {
        if (!_byMetric.TryGetValue(metricName, out var list))
        {
            return null;
        }
        foreach (var statistics in list)
        {
            if (statistics.Find(StatisticType.BOOLEAN) is { } boolean)
            {
                return boolean.AsBoolean;
            }
        }
        return null;
    }

    internal void Add(string metricName, IReadOnlyList<MetricStatistics> statistics)
    {
        _byMetric.Add(metricName, statistics);
        _all.AddRange(statistics);
    }
}
