using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Domain.States;

namespace NuPlanBus.Simulation.Planners;

/// <summary>
/// nuPlan's LogFuturePlanner (docs/nuplan-simulation.md §3.8.2), an open-loop oracle: the logged ego state now followed by the
/// logged future (16 poses over 8 s). Near the log end, where no future row exists, it repeats its last plan.
/// </summary>
public sealed class LogFuturePlanner : IPlanner
{
    public const int DefaultNumPoses = 16;
    public const double DefaultFutureHorizonS = 8.0;

    private readonly IScenario _scenario;
    private readonly int _numPoses;
    private readonly double _futureHorizonS;
    private ITrajectory? _trajectory;

    public LogFuturePlanner(IScenario scenario, int numPoses = DefaultNumPoses, double futureHorizonS = DefaultFutureHorizonS)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentOutOfRangeException.ThrowIfLessThan(numPoses, 1);
        _scenario = scenario;
        _numPoses = numPoses;
        _futureHorizonS = futureHorizonS;
    }

    public string Name => nameof(LogFuturePlanner);

    public void Initialize(PlannerInitialization initialization) => _trajectory = null;

    public ITrajectory ComputeTrajectory(PlannerInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var index = input.Iteration.Index;
        var future = _scenario.GetFutureEgoStates(index, _futureHorizonS, _numPoses);
        if (future.Count == 0)
        {
            return _trajectory
                ?? throw new InvalidOperationException(
                    $"The logged future of scenario {_scenario.Token} at iteration {index} cannot be retrieved and there is no previous plan.");
        }
        var states = new EgoState[future.Count + 1];
        states[0] = _scenario.GetEgoState(index);
        for (var i = 0; i < future.Count; i++)
        {
            states[i + 1] = future[i];
        }
        _trajectory = new InterpolatedTrajectory(states);
        return _trajectory;
    }
}
