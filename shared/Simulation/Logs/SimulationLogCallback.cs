using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Simulation.Callbacks;
using NuPlanBus.Simulation.Core;

namespace NuPlanBus.Simulation.Logs;

/// <summary>
/// Serialises the run at simulation end and hands the bytes to <paramref name="write"/>; where they are stored is the
/// caller's (the run layout names the path). Runs inline, so a failing write fails the simulation (no unawaited
/// futures).
/// </summary>
public sealed class SimulationLogCallback(Action<byte[]> write) : SimulationCallbackBase
{
    public override void OnSimulationEnd(SimulationSetup setup, IPlanner planner, SimulationHistory history)
    {
        if (history.Count == 0)
        {
            throw new InvalidOperationException("Cannot write a simulation log: the number of samples has to be greater than 0.");
        }
        if (setup.Scenario is not RecordedScenario recorded)
        {
            throw new InvalidOperationException(
                $"Simulation logs need a {nameof(RecordedScenario)}; scenario {setup.Scenario.Token} is a {setup.Scenario.GetType().Name}.");
        }
        var plannerName = planner.Name;
        var bytes = SimulationLogSerializer.Serialize(SimulationLog.Create(plannerName, recorded, history));
        write(bytes);
    }
}
