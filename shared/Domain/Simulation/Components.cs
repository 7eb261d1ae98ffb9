using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.States;

namespace NuPlanBus.Domain.Simulation;

public sealed record PlannerInitialization(IReadOnlyList<string> RouteRoadblockIds, Pose? MissionGoal, string MapName);

public sealed record PlannerInput(
    SimulationIteration Iteration,
    HistoryBuffer History,
    IReadOnlyList<TrafficLightStatus> TrafficLights);

/// <summary>A planner: initialised once per simulation, then asked for a trajectory every step.</summary>
public interface IPlanner
{
    /// <summary>The name reports carry (the class name for built-ins, as in nuPlan).</summary>
    string Name { get; }

    void Initialize(PlannerInitialization initialization);

    ITrajectory ComputeTrajectory(PlannerInput input);
}

/// <summary>Moves the ego from one iteration to the next given the planned trajectory.</summary>
public interface IEgoController
{
    void Reset();

    EgoState GetState();

    void UpdateState(SimulationIteration current, SimulationIteration next, EgoState egoState, ITrajectory trajectory);
}

/// <summary>What the planner observes of the other road users (boxes).</summary>
public interface IObservation
{
    void Reset();

    void Initialize();

    IReadOnlyList<TrackedObject> GetObservation();

    void UpdateObservation(SimulationIteration current, SimulationIteration next, HistoryBuffer history);
}

/// <summary>Builds a fresh planner per simulation (planners are stateful and never shared between runs).</summary>
public interface IPlannerFactory
{
    string Name { get; }

    IPlanner Create(IScenario scenario);
}

public interface IEgoControllerFactory
{
    string Name { get; }

    IEgoController Create(IScenario scenario);
}

public interface IObservationFactory
{
    string Name { get; }

    IObservation Create(IScenario scenario);
}
