using NuPlanBus.Metrics.Results;

namespace NuPlanBus.Metrics.Output;

/// <summary>
/// One row of a per-statistics table (docs/nuplan-simulation.md §4.7): the (scenario, planner) keys plus one MetricStatistics.
/// </summary>
public sealed record MetricRow(
    string LogName,
    string ScenarioName,
    string ScenarioType,
    string PlannerName,
    MetricStatistics Statistics)
{
    public static IEnumerable<MetricRow> From(ScenarioMetricResult result)
    {
        foreach (var statistics in result.Metrics)
        {
            yield return new MetricRow(result.LogName, result.ScenarioName, result.ScenarioType, result.PlannerName, statistics);
        }
    }
}
