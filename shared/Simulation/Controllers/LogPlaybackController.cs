using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Domain.States;

namespace NuPlanBus.Simulation.Controllers;

/// <summary>nuPlan's LogPlaybackController: the ego is the logged ego of the current iteration; the plan is ignored.</summary>
public sealed class LogPlaybackController : IEgoController
{
    private readonly IScenario _scenario;
    private int _iteration;

    public LogPlaybackController(IScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        _scenario = scenario;
    }

    public void Reset() => _iteration = 0;

    public EgoState GetState() => _scenario.GetEgoState(_iteration);

    public void UpdateState(SimulationIteration current, SimulationIteration next, EgoState egoState, ITrajectory trajectory) =>
        _iteration = next.Index;
}
