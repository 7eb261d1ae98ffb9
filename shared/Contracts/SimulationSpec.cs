namespace NuPlanBus.Contracts;

/// <summary>The components of every simulation in a run, by their registered names.</summary>
public sealed record SimulationSpec
{
    public string Planner { get; init; } = "simple_planner";

    public string Controller { get; init; } = "two_stage_controller";

    public string Observation { get; init; } = "box_observation";

    /// <summary>Metric names or metric-set names; empty means no metrics.</summary>
    public IReadOnlyList<string> Metrics { get; init; } = ["default"];

    /// <summary>Whether to write a simulation log per scenario (needed for metrics).</summary>
    public bool WriteSimulationLog { get; init; } = true;

    /// <summary>Fail the partition on the first failed scenario instead of reporting and going on.</summary>
    public bool ExitOnFailure { get; init; }

    /// <summary>The maps of the run's logs; null for a run without maps (map metrics absent, scores partial).</summary>
    public MapSpec? Maps { get; init; }
}
