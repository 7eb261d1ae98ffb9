using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Domain.States;

namespace NuPlanBus.Simulation.Observations;

/// <summary>nuPlan's TracksObservation ("box_observation"): the logged boxes of the current iteration, replayed.</summary>
public sealed class TracksObservation : IObservation
{
    private readonly IScenario _scenario;
    private int _iteration;

    public TracksObservation(IScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        _scenario = scenario;
    }

    public void Reset() => _iteration = 0;

    public void Initialize()
    {
    }

    public IReadOnlyList<TrackedObject> GetObservation() => _scenario.GetTrackedObjects(_iteration);

    public void UpdateObservation(SimulationIteration current, SimulationIteration next, HistoryBuffer history) =>
        _iteration = next.Index;
}
