using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Domain.States;
using NuPlanBus.Simulation.Controllers;

namespace NuPlanBus.Simulation.Planners;

/// <summary>nuPlan's simple_planner configuration.</summary>
public sealed record SimplePlannerOptions
{
    public double HorizonS { get; init; } = 10.0;

    public double SamplingTimeS { get; init; } = 0.25;

    public Vector2 Acceleration { get; init; } = Vector2.Zero;

    public double MaxVelocity { get; init; } = 5.0;

    public double SteeringAngle { get; init; } = 0.0;

    public static SimplePlannerOptions Default { get; } = new();
}

/// <summary>
/// nuPlan's SimplePlanner (docs/nuplan-simulation.md §3.8.1): drives straight from the current state with the bicycle model,
/// braking proportionally above the maximum velocity. Keeps the devkit quirk that a brake, once set, stays in
/// the propagated state, so the planned speed keeps falling below the maximum for the rest of the horizon.
/// </summary>
public sealed class SimplePlanner : IPlanner
{
    private readonly SimplePlannerOptions _options;
    private readonly KinematicBicycleModel _motionModel;
    private readonly long _samplingUs;
    private readonly int _steps;

    public SimplePlanner(VehicleParameters vehicle, SimplePlannerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vehicle);
        _options = options ?? SimplePlannerOptions.Default;
        _motionModel = new KinematicBicycleModel(vehicle);
        _samplingUs = (long)(_options.SamplingTimeS * 1e6);
        var horizonUs = (long)(_options.HorizonS * 1e6);
        if (_samplingUs <= 0 || horizonUs < _samplingUs)
        {
            throw new ArgumentException("SimplePlanner needs a positive sampling time no longer than its horizon.");
        }
        _steps = (int)(horizonUs / _samplingUs);
    }

    public string Name => nameof(SimplePlanner);

    public void Initialize(PlannerInitialization initialization)
    {
    }

    public ITrajectory ComputeTrajectory(PlannerInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ego = input.History.CurrentEgoState;
        var state = new EgoState(
            ego.TimeUs,
            ego.RearAxle,
            ego.RearAxleVelocity,
            _options.Acceleration,
            _options.SteeringAngle);
        var states = new EgoState[_steps + 1];
        states[0] = state;
        for (var i = 1; i <= _steps; i++)
        {
            var speed = state.Speed;
            if (speed > _options.MaxVelocity)
            {
                state = state with { RearAxleAcceleration = new Vector2(_options.MaxVelocity - speed, 0.0), TireSteeringRate = 0.0 };
            }
            state = _motionModel.Propagate(state, state.RearAxleAcceleration.X, state.TireSteeringRate, _samplingUs);
            states[i] = state;
        }
        return new InterpolatedTrajectory(states);
    }
}
