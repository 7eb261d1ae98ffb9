namespace NuPlanBus.Contracts;

/// <summary>What a run does with its scenarios (<see cref="SimulationRunAccepted.Kind"/>).</summary>
public static class RunKinds
{
    /// <summary>Simulate every scenario, then compute its metrics from the simulation log.</summary>
    public const string Simulation = "simulation";

    /// <summary>Only compute metrics from existing simulation logs (<see cref="SubmitMetricRun"/>).</summary>
    public const string Metrics = "metrics";
}
