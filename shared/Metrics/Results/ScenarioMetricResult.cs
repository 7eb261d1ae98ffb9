using System.Text.Json.Serialization;

namespace NuPlanBus.Metrics.Results;

/// <summary>All metric statistics of one (scenario, planner) pair, with the keys every output row carries.</summary>
public sealed record ScenarioMetricResult(
    string LogName,
    string ScenarioName,
    string ScenarioType,
    string PlannerName,
    IReadOnlyList<MetricStatistics> Metrics)
{
    /// <summary>The per-scenario file name the devkit uses: <c>&lt;type&gt;_&lt;name&gt;_&lt;planner&gt;</c>.</summary>
    [JsonIgnore]
    public string FileStem => $"{ScenarioType}_{ScenarioName}_{PlannerName}";
}
