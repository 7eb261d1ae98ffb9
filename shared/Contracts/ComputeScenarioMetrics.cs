using MassTransit;

namespace NuPlanBus.Contracts;

/// <summary>Asks a MetricWorker to compute metrics from a stored simulation log (the asynchronous callback work).</summary>
[MessageUrn("nuplanbus:compute-scenario-metrics:v1")]
public sealed record ComputeScenarioMetrics
{
    public required Guid RunId { get; init; }

    public required string ScenarioId { get; init; }

    public required string SimulationLogPath { get; init; }

    /// <summary>Directory the metric files go to (the run's metrics directory).</summary>
    public required string MetricsDirectory { get; init; }

    public required IReadOnlyList<string> Metrics { get; init; }

    /// <summary>Where the scenario's map is; null scores it without the map-based metrics.</summary>
    public MapSpec? Maps { get; init; }
}
