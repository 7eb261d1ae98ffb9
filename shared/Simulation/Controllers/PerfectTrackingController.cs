using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Domain.States;

namespace NuPlanBus.Simulation.Controllers;

/// <summary>nuPlan's PerfectTrackingController: the next ego state is the plan interpolated at the next iteration's time.</summary>
public sealed class PerfectTrackingController : IEgoController
{
    /// <summary>Speeds at or above this mean the plan diverged (nuPlan's sanity limit).</summary>
    public const double MaxSpeed = 50.0;

    private readonly IScenario _scenario;
    private EgoState? _current;

    public PerfectTrackingController(IScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        _scenario = scenario;
    }

    public void Reset() => _current = null;

    public EgoState GetState() => _current ?? _scenario.GetEgoState(0);

    public void UpdateState(SimulationIteration current, SimulationIteration next, EgoState egoState, ITrajectory trajectory)
    {
        var state = trajectory.Interpolate(next.TimeUs);
        if (state.Speed >= MaxSpeed)
        {
            throw new InvalidOperationException(
                $"Perfect tracking diverged: the planned speed at iteration {next.Index} ({next.TimeUs} µs) is " +
                $"{state.Speed:F3} m/s, at or above the {MaxSpeed} m/s limit.");
        }
        _current = state;
    }
}
