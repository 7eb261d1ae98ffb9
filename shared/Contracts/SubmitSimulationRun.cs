using MassTransit;

namespace NuPlanBus.Contracts;

/// <summary>
/// Asks the Coordinator to evaluate a planner on the scenarios of a dataset. Any publisher may send it.
/// The Coordinator answers with <see cref="SimulationRunAccepted"/> or <see cref="SimulationRunRejected"/>,
/// then <see cref="SimulationRunProgressed"/> as scenarios settle and <see cref="SimulationRunCompleted"/> once.
/// </summary>
[MessageUrn("nuplanbus:submit-simulation-run:v1")]
public sealed record SubmitSimulationRun
{
    public required Guid RunId { get; init; }

    /// <summary>Human name of the run; made unique under <see cref="OutputRoot"/> (name, name_1, …).</summary>
    public required string RunName { get; init; }

    /// <summary>A nuPlan log database (.db) or a directory of them.</summary>
    public required string DatasetLocation { get; init; }

    /// <summary>Directory under which the run directory is created.</summary>
    public required string OutputRoot { get; init; }

    public ScenarioFilterSpec Filter { get; init; } = new();

    public SimulationSpec Simulation { get; init; } = new();

    /// <summary>
    /// Scenarios per partition by default: enough neighbouring windows of a log for one pass over its rows to serve
    /// them all, few enough to keep a partition well inside the broker's consumer timeout.
    /// </summary>
    public const int DefaultPartitionSize = 16;

    /// <summary>Scenarios per <see cref="SimulateScenarioPartition"/> message; a partition takes them by log and anchor time.</summary>
    public int PartitionSize { get; init; } = DefaultPartitionSize;
}
