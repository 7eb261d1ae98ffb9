using MassTransit;

namespace NuPlanBus.Contracts;

/// <summary>The submission was valid: the scenarios were enumerated once and the run directory chosen.</summary>
[MessageUrn("nuplanbus:simulation-run-accepted:v1")]
public sealed record SimulationRunAccepted
{
    public required Guid RunId { get; init; }

    public required string RunName { get; init; }

    public required string OutputDirectory { get; init; }

    public required SimulationSpec Simulation { get; init; }

    public required int PartitionSize { get; init; }

    public required IReadOnlyList<ScenarioDescriptor> Scenarios { get; init; }

    public required DateTime AcceptedAt { get; init; }

    /// <summary><see cref="RunKinds.Simulation"/> or <see cref="RunKinds.Metrics"/>.</summary>
    public string Kind { get; init; } = RunKinds.Simulation;

    /// <summary>
    /// Set when the run is one node's share of a coordinator-less batch job: the run writes only that node's part of the
    /// outputs (its own runner report and settled scenarios); node 0 writes the run outputs once every node finished.
    /// </summary>
    public int? NodeRank { get; init; }
}
