using MassTransit;

namespace NuPlanBus.Contracts;

/// <summary>Metric work for a scenario failed; the run flips that scenario's report to failed.</summary>
[MessageUrn("nuplanbus:scenario-metrics-failed:v1")]
public sealed record ScenarioMetricsFailed
{
    public required Guid RunId { get; init; }

    public required string ScenarioId { get; init; }

    /// <summary>The full trace of the failure.</summary>
    public required string ErrorMessage { get; init; }

    /// <summary>Wall-clock Unix seconds of the failure; becomes the report's new end time.</summary>
    public required double FailedAt { get; init; }

    /// <summary>Wall-clock Unix seconds when the work started; the start time of a metric run's report.</summary>
    public double? StartTime { get; init; }
}
