using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.States;

namespace NuPlanBus.Domain.Scenarios;

/// <summary>
/// A scenario held in memory as a stretch of raw log rows (20 Hz) with a map from iterations to rows.
/// The nuPlan database reader loads the window plus the history and future margins into one of these in
/// a few queries; simulation logs and metric fixtures rebuild one, so every consumer sees the same model.
/// </summary>
public sealed class RecordedScenario : IScenario
{
    private readonly EgoState[] _expert;

    public RecordedScenario(
        ScenarioMetadata metadata,
        long[] frameTimesUs,
        EgoState[] frameEgoStates,
        TrackedObject[]?[] frameObjects,
        TrafficLightStatus[]?[] frameTrafficLights,
        int[] iterationFrames,
        Pose? missionGoal,
        IReadOnlyList<string> routeRoadblockIds,
        VehicleParameters? vehicle = null)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var n = frameTimesUs.Length;
        if (frameEgoStates.Length != n || frameObjects.Length != n || frameTrafficLights.Length != n)
        {
            throw new ArgumentException("Frame arrays must have the same length.");
        }
        if (iterationFrames.Length == 0)
        {
            throw new ArgumentException("A scenario needs at least one iteration.", nameof(iterationFrames));
        }
        for (var i = 0; i < iterationFrames.Length; i++)
        {
            var f = iterationFrames[i];
            if (f < 0 || f >= n || (i > 0 && f <= iterationFrames[i - 1]))
            {
                throw new ArgumentException("Iteration frames must be increasing indexes into the frame arrays.", nameof(iterationFrames));
            }
            if (frameObjects[f] is null)
            {
                throw new ArgumentException($"Objects of iteration {i} are missing.", nameof(frameObjects));
            }
        }
        Metadata = metadata;
        FrameTimesUs = frameTimesUs;
        FrameEgoStates = frameEgoStates;
        FrameObjects = frameObjects;
        FrameTrafficLights = frameTrafficLights;
        IterationFrames = iterationFrames;
        MissionGoal = missionGoal;
        RouteRoadblockIds = routeRoadblockIds;
        Vehicle = vehicle ?? VehicleParameters.Pacifica;
        _expert = new EgoState[iterationFrames.Length];
        for (var i = 0; i < iterationFrames.Length; i++)
        {
            _expert[i] = frameEgoStates[iterationFrames[i]];
        }
    }

    public ScenarioMetadata Metadata { get; }

    public long[] FrameTimesUs { get; }

    public EgoState[] FrameEgoStates { get; }

    /// <summary>Objects per raw row; null for rows whose objects were not loaded.</summary>
    public TrackedObject[]?[] FrameObjects { get; }

    public TrafficLightStatus[]?[] FrameTrafficLights { get; }

    public int[] IterationFrames { get; }

    public string Token => Metadata.Token;

    public string LogName => Metadata.LogName;

    public string ScenarioType => Metadata.ScenarioType;

    public string MapName => Metadata.MapName;

    public double DatabaseIntervalS => Metadata.DatabaseIntervalS;

    public VehicleParameters Vehicle { get; }

    public int NumberOfIterations => IterationFrames.Length;

    public IReadOnlyList<EgoState> ExpertTrajectory => _expert;

    public Pose? MissionGoal { get; }

    public IReadOnlyList<string> RouteRoadblockIds { get; }

    public long GetTimeUs(int iteration) => FrameTimesUs[IterationFrames[iteration]];

    public EgoState GetEgoState(int iteration) => _expert[iteration];

    public IReadOnlyList<TrackedObject> GetTrackedObjects(int iteration) => FrameObjects[IterationFrames[iteration]]!;

    public IReadOnlyList<TrafficLightStatus> GetTrafficLights(int iteration) =>
        FrameTrafficLights[IterationFrames[iteration]] ?? [];

    public IReadOnlyList<EgoState> GetPastEgoStates(int iteration, double horizonS, int numSamples)
    {
        var rows = PastRows(iteration, horizonS, numSamples);
        var states = new EgoState[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            states[i] = FrameEgoStates[rows[i]];
        }
        return states;
    }

    public IReadOnlyList<IReadOnlyList<TrackedObject>> GetPastTrackedObjects(int iteration, double horizonS, int numSamples)
    {
        var rows = PastRows(iteration, horizonS, numSamples);
        var objects = new IReadOnlyList<TrackedObject>[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            objects[i] = FrameObjects[rows[i]]
                ?? throw new InvalidOperationException($"Objects {FrameTimesUs[rows[i]]} µs before iteration {iteration} were not loaded.");
        }
        return objects;
    }

    public IReadOnlyList<EgoState> GetFutureEgoStates(int iteration, double horizonS, int numSamples)
    {
        var anchor = IterationFrames[iteration];
        var offsets = SampleIndices.Compute(numSamples, horizonS);
        var states = new List<EgoState>(offsets.Length);
        foreach (var offset in offsets)
        {
            var row = anchor + offset;
            if (row < FrameEgoStates.Length)
            {
                states.Add(FrameEgoStates[row]);
            }
        }
        return states;
    }

    private List<int> PastRows(int iteration, double horizonS, int numSamples)
    {
        var anchor = IterationFrames[iteration];
        var offsets = SampleIndices.Compute(numSamples, horizonS);
        var rows = new List<int>(offsets.Length);
        for (var i = offsets.Length - 1; i >= 0; i--)
        {
            var row = anchor - offsets[i];
            if (row >= 0)
            {
                rows.Add(row);
            }
        }
        return rows;
    }
}

/// <summary>What identifies and describes a scenario, independent of its data.</summary>
public sealed record ScenarioMetadata(
    string Token,
    string LogName,
    string ScenarioType,
    string MapName,
    double DatabaseIntervalS);
