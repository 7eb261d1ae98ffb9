using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Metrics.Engine;

/// <summary>A metric failed for a scenario; as in the devkit this aborts the engine for that scenario.</summary>
public sealed class MetricComputationException : NuPlanBusException
{
    public MetricComputationException(string metricName, string scenarioName, string plannerName, Exception innerException)
        : base($"Metric '{metricName}' failed for scenario '{scenarioName}' (planner '{plannerName}'): {innerException.Message}", innerException)
    {
        MetricName = metricName;
        ScenarioName = scenarioName;
        PlannerName = plannerName;
    }

    public string MetricName { get; }

    public string ScenarioName { get; }

    public string PlannerName { get; }
}
