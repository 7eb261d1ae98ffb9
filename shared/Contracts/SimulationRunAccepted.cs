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
}
