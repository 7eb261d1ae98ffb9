using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Domain.States;

namespace NuPlanBus.Simulation.Core;

/// <summary>
/// nuPlan's Simulation: owns the history buffer and the history, asks the components for the next state.
/// Named ScenarioSimulation so it does not collide with the NuPlanBus.Simulation namespace.
/// </summary>
public sealed class ScenarioSimulation
{
    public const double DefaultHistoryBufferDurationS = 2.0;

    private readonly HistoryBuffer _buffer;
    private readonly int _bufferSize;
    private bool _initialized;
    private bool _running;

    public ScenarioSimulation(SimulationSetup setup, double historyBufferDurationS = DefaultHistoryBufferDurationS)
    {
        ArgumentNullException.ThrowIfNull(setup);
        Setup = setup;
        var interval = setup.Scenario.DatabaseIntervalS;
        _bufferSize = HistoryBuffer.SizeFor(historyBufferDurationS, interval);
        _buffer = new HistoryBuffer(_bufferSize, interval);
        History = new SimulationHistory(
            setup.Scenario.MapName, setup.Scenario.MissionGoal, Math.Max(0, setup.Scenario.NumberOfIterations - 1));
    }

    public SimulationSetup Setup { get; }

    public IScenario Scenario => Setup.Scenario;

    public SimulationHistory History { get; }

    public HistoryBuffer HistoryBuffer => _buffer;

    public int HistoryBufferSize => _bufferSize;

    public bool IsRunning => _running && !Setup.TimeController.ReachedEnd();

    public void Reset()
    {
        History.Clear();
        Setup.Reset();
        _buffer.Clear();
        _initialized = false;
        _running = true;
    }

    /// <summary>Resets everything, fills the history buffer from the log and returns what the planner is initialised with.</summary>
    public PlannerInitialization Initialize()
    {
        Reset();
        var scenario = Setup.Scenario;
        var horizon = _bufferSize * scenario.DatabaseIntervalS;
        var pastObjects = scenario.GetPastTrackedObjects(0, horizon, _bufferSize);
        var pastEgo = scenario.GetPastEgoStates(0, horizon, _bufferSize);
        if (pastObjects.Count != pastEgo.Count)
        {
            throw new InvalidOperationException(
                $"Scenario {scenario.Token} returned {pastEgo.Count} past ego states but {pastObjects.Count} past observations.");
        }
        for (var i = 0; i < pastEgo.Count; i++)
        {
            _buffer.Append(pastEgo[i], pastObjects[i]);
        }
        Setup.Observation.Initialize();
        _buffer.Append(Setup.EgoController.GetState(), Setup.Observation.GetObservation());
        _initialized = true;
        return new PlannerInitialization(scenario.RouteRoadblockIds, scenario.MissionGoal, scenario.MapName);
    }

    public PlannerInput GetPlannerInput()
    {
        EnsureInitialized();
        var iteration = Setup.TimeController.GetIteration();
        return new PlannerInput(iteration, _buffer, Setup.Scenario.GetTrafficLights(iteration.Index));
    }

    /// <summary>Records the current step with the planned trajectory and moves ego and observations to the next iteration.</summary>
    public void Propagate(ITrajectory trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        EnsureInitialized();
        var iteration = Setup.TimeController.GetIteration();
        var ego = _buffer.CurrentEgoState;
        var observation = _buffer.CurrentObservation;
        var trafficLights = Setup.Scenario.GetTrafficLights(iteration.Index);
        History.Add(new SimulationHistorySample(iteration, ego, trajectory, observation, trafficLights));
        var next = Setup.TimeController.NextIteration();
        if (next is { } nextIteration)
        {
            Setup.EgoController.UpdateState(iteration, nextIteration, ego, trajectory);
            Setup.Observation.UpdateObservation(iteration, nextIteration, _buffer);
        }
        else
        {
            _running = false;
        }
        _buffer.Append(Setup.EgoController.GetState(), Setup.Observation.GetObservation());
    }

    private void EnsureInitialized()
    {
        if (!_initialized)
        {
            throw new InvalidOperationException("The simulation was not initialized.");
        }
    }
}
