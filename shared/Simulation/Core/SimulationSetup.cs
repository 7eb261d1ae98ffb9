using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;

namespace NuPlanBus.Simulation.Core;

/// <summary>The components one simulation is made of (nuPlan's SimulationSetup).</summary>
public sealed record SimulationSetup(
    IScenario Scenario,
    ISimulationTimeController TimeController,
    IObservation Observation,
    IEgoController EgoController)
{
    public void Reset()
    {
        TimeController.Reset();
        Observation.Reset();
        EgoController.Reset();
    }
}
