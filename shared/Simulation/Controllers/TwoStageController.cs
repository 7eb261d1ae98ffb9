using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Domain.States;

namespace NuPlanBus.Simulation.Controllers;

/// <summary>nuPlan's TwoStageController: the LQR tracker turns the plan into commands, the bicycle model applies them.</summary>
public sealed class TwoStageController : IEgoController
{
    private readonly IScenario _scenario;
    private EgoState? _current;

    public TwoStageController(IScenario scenario, LqrTracker? tracker = null, KinematicBicycleModel? motionModel = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        _scenario = scenario;
        Tracker = tracker ?? new LqrTracker(scenario.Vehicle);
        MotionModel = motionModel ?? new KinematicBicycleModel(scenario.Vehicle);
    }

    public LqrTracker Tracker { get; }

    public KinematicBicycleModel MotionModel { get; }

    public void Reset() => _current = null;

    public EgoState GetState() => _current ?? _scenario.GetEgoState(0);

    public void UpdateState(SimulationIteration current, SimulationIteration next, EgoState egoState, ITrajectory trajectory)
    {
        var samplingTimeUs = next.TimeUs - current.TimeUs;
        var command = Tracker.Track(current, egoState, trajectory);
        _current = MotionModel.Propagate(egoState, command.Acceleration, command.SteeringRate, samplingTimeUs);
    }
}
