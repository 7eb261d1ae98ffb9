using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.States;

namespace NuPlanBus.Domain.Simulation;

public sealed record SimulationHistorySample(
    SimulationIteration Iteration,
    EgoState EgoState,
    ITrajectory Trajectory,
    IReadOnlyList<TrackedObject> Observation,
    IReadOnlyList<TrafficLightStatus> TrafficLights);

/// <summary>Everything a simulation produced, one sample per planner step (N − 1 for N iterations).</summary>
public sealed class SimulationHistory
{
    private readonly List<SimulationHistorySample> _samples;

    public SimulationHistory(string mapName, Pose? missionGoal, int expectedSamples = 0)
    {
        MapName = mapName;
        MissionGoal = missionGoal;
        _samples = new List<SimulationHistorySample>(expectedSamples);
    }

    public string MapName { get; }

    public Pose? MissionGoal { get; }

    public IReadOnlyList<SimulationHistorySample> Samples => _samples;

    public int Count => _samples.Count;

    public SimulationHistorySample Last() => _samples.Count > 0
        ? _samples[^1]
        : throw new InvalidOperationException("The simulation history is empty.");

    public void Add(SimulationHistorySample sample) => _samples.Add(sample);

    public void Clear() => _samples.Clear();

    /// <summary>The ego states of all samples, in order.</summary>
    public EgoState[] EgoStates()
    {
        var states = new EgoState[_samples.Count];
        for (var i = 0; i < states.Length; i++)
        {
            states[i] = _samples[i].EgoState;
        }
        return states;
    }
}
