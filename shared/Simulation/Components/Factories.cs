using NuPlanBus.Domain.Registries;
using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Maps;
using NuPlanBus.Simulation.Controllers;
using NuPlanBus.Simulation.Observations;
using NuPlanBus.Simulation.Planners;
using NuPlanBus.Simulation.Routes;

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

/// <summary>
/// The IDM planner: on the lane graph when the scenario's map is given, else along the expert's logged path
/// (<see cref="RouteSources"/>).
/// </summary>
public sealed class IdmPlannerFactory(IdmPlannerOptions? options = null) : IMapPlannerFactory, IHasRouteSource
{
    public const string ConfigName = "idm_planner";

    public string Name => ConfigName;

    /// <summary>The route model without a map; with one, the planner reports <see cref="RouteSources.Lanes"/>.</summary>
    public string RouteSource => RouteSources.ExpertPath;

    public IPlanner Create(IScenario scenario) => new IdmPlanner(scenario, options);

    public IPlanner Create(IScenario scenario, NuPlanMap? map) => new IdmPlanner(scenario, options, map);
}

/// <summary>A planner factory whose planners use the scenario's map when there is one.</summary>
public interface IMapPlannerFactory : IPlannerFactory
{
    IPlanner Create(IScenario scenario, NuPlanMap? map);
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

/// <summary>
/// Reactive IDM agents: snapped to the lane graph when the scenario's map is given, else each vehicle follows its
/// logged track (<see cref="RouteSources"/>).
/// </summary>
public sealed class IdmAgentsObservationFactory(IdmAgentsOptions? options = null) : IMapObservationFactory, IHasRouteSource
{
    public const string ConfigName = "idm_agents_observation";

    public string Name => ConfigName;

    /// <summary>The route model without a map; with one, the observation reports <see cref="RouteSources.Lanes"/>.</summary>
    public string RouteSource => RouteSources.LoggedTrack;

    public IObservation Create(IScenario scenario) => new IdmAgentsObservation(scenario, options);

    public IObservation Create(IScenario scenario, NuPlanMap? map) => new IdmAgentsObservation(scenario, options, map);
}

/// <summary>An observation factory whose observations use the scenario's map when there is one.</summary>
public interface IMapObservationFactory : IObservationFactory
{
    IObservation Create(IScenario scenario, NuPlanMap? map);
}

/// <summary>The built-in planners, controllers and observations with their nuPlan configuration names.</summary>
public static class BuiltInComponents
{
    public static IReadOnlyList<IPlannerFactory> Planners { get; } =
        [new SimplePlannerFactory(), new LogFuturePlannerFactory(), new IdmPlannerFactory()];

    public static IReadOnlyList<IEgoControllerFactory> EgoControllers { get; } =
        [new LogPlaybackControllerFactory(), new PerfectTrackingControllerFactory(), new TwoStageControllerFactory()];

    public static IReadOnlyList<IObservationFactory> Observations { get; } =
        [new TracksObservationFactory(), new IdmAgentsObservationFactory()];

    public static NamedRegistry<IPlannerFactory> PlannerRegistry(IEnumerable<IPlannerFactory>? extra = null) =>
        new(extra is null ? Planners : Planners.Concat(extra), f => f.Name, "planner");

    public static NamedRegistry<IEgoControllerFactory> EgoControllerRegistry(IEnumerable<IEgoControllerFactory>? extra = null) =>
        new(extra is null ? EgoControllers : EgoControllers.Concat(extra), f => f.Name, "ego controller");

    public static NamedRegistry<IObservationFactory> ObservationRegistry(IEnumerable<IObservationFactory>? extra = null) =>
        new(extra is null ? Observations : Observations.Concat(extra), f => f.Name, "observation");
}
