using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Simulation.Controllers;
using NuPlanBus.Simulation.Observations;
using NuPlanBus.Simulation.Planners;

namespace NuPlanBus.Simulation.Components;

public sealed class SimplePlannerFactory(SimplePlannerOptions? options = null) : IPlannerFactory
{
    public const string ConfigName = "simple_planner";

    public string Name => ConfigName;

    public IPlanner Create(IScenario scenario) => new SimplePlanner(scenario.Vehicle, options);
}

public sealed class LogFuturePlannerFactory(
    int numPoses = LogFuturePlanner.DefaultNumPoses,
    double futureHorizonS = LogFuturePlanner.DefaultFutureHorizonS) : IPlannerFactory
{
    public const string ConfigName = "log_future_planner";

    public string Name => ConfigName;

    public IPlanner Create(IScenario scenario) => new LogFuturePlanner(scenario, numPoses, futureHorizonS);
}

public sealed class LogPlaybackControllerFactory : IEgoControllerFactory
{
    public const string ConfigName = "log_play_back_controller";

    public string Name => ConfigName;

    public IEgoController Create(IScenario scenario) => new LogPlaybackController(scenario);
}

public sealed class PerfectTrackingControllerFactory : IEgoControllerFactory
{
    public const string ConfigName = "perfect_tracking_controller";

    public string Name => ConfigName;

    public IEgoController Create(IScenario scenario) => new PerfectTrackingController(scenario);
}

public sealed class TwoStageControllerFactory(LqrTrackerOptions? trackerOptions = null) : IEgoControllerFactory
{
    public const string ConfigName = "two_stage_controller";

    public string Name => ConfigName;

    public IEgoController Create(IScenario scenario) =>
        new TwoStageController(scenario, new LqrTracker(scenario.Vehicle, trackerOptions), new KinematicBicycleModel(scenario.Vehicle));
}

public sealed class TracksObservationFactory : IObservationFactory
{
    public const string ConfigName = "box_observation";

    public string Name => ConfigName;

    public IObservation Create(IScenario scenario) => new TracksObservation(scenario);
}

/// <summary>The built-in planners, controllers and observations with their nuPlan configuration names.</summary>
public static class BuiltInComponents
{
    public static IReadOnlyList<IPlannerFactory> Planners { get; } =
        [new SimplePlannerFactory(), new LogFuturePlannerFactory()];

    public static IReadOnlyList<IEgoControllerFactory> EgoControllers { get; } =
        [new LogPlaybackControllerFactory(), new PerfectTrackingControllerFactory(), new TwoStageControllerFactory()];

    public static IReadOnlyList<IObservationFactory> Observations { get; } = [new TracksObservationFactory()];

    public static NamedRegistry<IPlannerFactory> PlannerRegistry(IEnumerable<IPlannerFactory>? extra = null) =>
        new(extra is null ? Planners : Planners.Concat(extra), f => f.Name);

    public static NamedRegistry<IEgoControllerFactory> EgoControllerRegistry(IEnumerable<IEgoControllerFactory>? extra = null) =>
        new(extra is null ? EgoControllers : EgoControllers.Concat(extra), f => f.Name);

    public static NamedRegistry<IObservationFactory> ObservationRegistry(IEnumerable<IObservationFactory>? extra = null) =>
        new(extra is null ? Observations : Observations.Concat(extra), f => f.Name);
}
