namespace NuPlanBus.Metrics.Results;

/// <summary>
/// What one metric returns for one scenario (nuPlan's MetricStatistics): <see cref="Name"/> is the statistics
/// name (normally the metric name), <see cref="MetricScore"/> is null for unscored metrics, which aggregation ignores.
/// </summary>
public sealed record MetricStatistics(
    string MetricComputator,
    string Name,
    string Category,
    IReadOnlyList<Statistic> Statistics,
    TimeSeries? TimeSeries = null,
    double? MetricScore = null,
    string? MetricScoreUnit = null)
{
    /// <summary>The first statistic of the given type, or null.</summary>
    public Statistic? Find(StatisticType type)
    {
        foreach (var statistic in Statistics)
        {
            if (statistic.Type == type)
            {
                return statistic;
            }
        }
        return null;
    }
}
