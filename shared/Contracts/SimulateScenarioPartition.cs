using MassTransit;

namespace NuPlanBus.Contracts;

/// <summary>Asks a SimWorker to simulate a slice of a run's scenarios.</summary>
[MessageUrn("nuplanbus:simulate-scenario-partition:v1")]
public sealed record SimulateScenarioPartition
{
    public required Guid RunId { get; init; }

    public required int PartitionIndex { get; init; }

    /// <summary>1 for the first delivery; higher when the Coordinator re-published a partition that missed its deadline.</summary>
    public int Attempt { get; init; } = 1;

    public required string OutputDirectory { get; init; }

    public required SimulationSpec Simulation { get; init; }

    public required IReadOnlyList<ScenarioDescriptor> Scenarios { get; init; }
}
