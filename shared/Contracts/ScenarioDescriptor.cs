namespace NuPlanBus.Contracts;

/// <summary>
/// One scenario of a run. <see cref="ScenarioId"/> is the stable identity ("log_name/token"): reports are
/// keyed by it, never by a (scenario, planner, log) name tuple, which can collide.
/// </summary>
public sealed record ScenarioDescriptor
{
    public required string ScenarioId { get; init; }

    public required string LogPath { get; init; }

    public required string LogName { get; init; }

    public required string Token { get; init; }

    public required string ScenarioType { get; init; }

    public required string MapName { get; init; }

    /// <summary>Timestamp (µs) of the anchor frame; the scenario window is placed relative to it.</summary>
    public required long AnchorTimestampUs { get; init; }

    /// <summary>In a metric run: the stored simulation log (local path or s3:// URI) the metrics are computed from.</summary>
    public string? SimulationLogPath { get; init; }

    /// <summary>In a metric run: the planner that produced <see cref="SimulationLogPath"/>.</summary>
    public string? PlannerName { get; init; }
}
