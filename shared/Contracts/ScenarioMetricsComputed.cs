using MassTransit;

namespace NuPlanBus.Contracts;

[MessageUrn("nuplanbus:scenario-metrics-computed:v1")]
public sealed record ScenarioMetricsComputed
{
    public required Guid RunId { get; init; }

    public required string ScenarioId { get; init; }

    /// <summary>Metric score per metric statistics name, for metrics that produce one.</summary>
    public IReadOnlyDictionary<string, double> Scores { get; init; } = new Dictionary<string, double>();

    /// <summary>Wall-clock Unix seconds when the work started (read of the log) and ended; the report of a metric run.</summary>
    public double? StartTime { get; init; }

    public double? EndTime { get; init; }
}
