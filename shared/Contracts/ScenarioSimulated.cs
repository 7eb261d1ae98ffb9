using MassTransit;

namespace NuPlanBus.Contracts;

/// <summary>One scenario finished simulating (successfully or not); carries its runner report.</summary>
[MessageUrn("nuplanbus:scenario-simulated:v1")]
public sealed record ScenarioSimulated
{
    public required Guid RunId { get; init; }

    public required string ScenarioId { get; init; }

    public required RunnerReportRecord Report { get; init; }

    /// <summary>Claim check: where the simulation log was written, never the log bytes.</summary>
    public string? SimulationLogPath { get; init; }

    /// <summary>Whether asynchronous metric work was requested; the report is settled only when it ends.</summary>
    public bool MetricsRequested { get; init; }
}
