using MassTransit;

namespace NuPlanBus.Contracts;

/// <summary>
/// Asks the Coordinator to recompute metrics from stored simulation logs without simulating again (the devkit's
/// metric run). Answered like a simulation run: <see cref="SimulationRunAccepted"/> (with
/// <see cref="RunKinds.Metrics"/>) or <see cref="SimulationRunRejected"/>, then progress and
/// <see cref="SimulationRunCompleted"/>. The runner report has one row per log, without planner statistics.
/// </summary>
[MessageUrn("nuplanbus:submit-metric-run:v1")]
public sealed record SubmitMetricRun
{
    public required Guid RunId { get; init; }

    /// <summary>Human name of the run; made unique under <see cref="OutputRoot"/>.</summary>
    public required string RunName { get; init; }

    /// <summary>
    /// A directory or s3:// prefix holding simulation logs in the devkit's layout
    /// (<c>[simulation_log/]&lt;planner&gt;/&lt;scenario type&gt;/&lt;log&gt;/&lt;scenario&gt;/&lt;scenario&gt;.msgpack.zst</c>),
    /// for example a finished run's directory.
    /// </summary>
    public required string SimulationLogLocation { get; init; }

    /// <summary>Directory under which the run directory is created.</summary>
    public required string OutputRoot { get; init; }

    /// <summary>Metric names or metric-set names; at least one.</summary>
    public IReadOnlyList<string> Metrics { get; init; } = ["default"];

    /// <summary>The maps of the logs' scenarios; null scores them without the map-based metrics.</summary>
    public MapSpec? Maps { get; init; }

    /// <summary>Logs per deadline-tracked partition.</summary>
    public int PartitionSize { get; init; } = 8;
}
