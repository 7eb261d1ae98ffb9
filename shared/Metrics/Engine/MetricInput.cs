using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Domain.States;

namespace NuPlanBus.Metrics.Engine;

/// <summary>What every metric reads for one (scenario, planner) simulation; ego states extracted once.</summary>
public sealed class MetricInput
{
    public MetricInput(SimulationHistory history, IScenario scenario, string plannerName)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentException.ThrowIfNullOrWhiteSpace(plannerName);
        History = history;
        Scenario = scenario;
        PlannerName = plannerName;
        EgoStates = history.EgoStates();
        TimestampsUs = new long[EgoStates.Length];
        for (var i = 0; i < EgoStates.Length; i++)
        {
            TimestampsUs[i] = EgoStates[i].TimeUs;
        }
    }

    public SimulationHistory History { get; }

    public IScenario Scenario { get; }

    public string PlannerName { get; }

    /// <summary>The history's ego states in order (N − 1 for a scenario of N iterations).</summary>
    public EgoState[] EgoStates { get; }

    public long[] TimestampsUs { get; }

    public VehicleParameters Vehicle => Scenario.Vehicle;
}
