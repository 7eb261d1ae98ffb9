using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.States;

namespace NuPlanBus.Domain.Scenarios;

/// <summary>
/// A nuPlan scenario: a logged drive window sampled into iterations (0.1 s by default), the expert (logged)
/// ego states, the objects around it, and the mission. Identity is (log, anchor token).
/// </summary>
public interface IScenario
{
    /// <summary>The anchor lidar_pc token as 16 hex characters; nuPlan's scenario name.</summary>
    string Token { get; }

    string LogName { get; }

    string ScenarioType { get; }

    string MapName { get; }

    /// <summary>Seconds between iterations (0.05 s / subsample ratio; 0.1 s with the defaults).</summary>
    double DatabaseIntervalS { get; }

    VehicleParameters Vehicle { get; }

    int NumberOfIterations { get; }

    long GetTimeUs(int iteration);

    EgoState GetEgoState(int iteration);

    IReadOnlyList<TrackedObject> GetTrackedObjects(int iteration);

    IReadOnlyList<TrafficLightStatus> GetTrafficLights(int iteration);

    /// <summary>Ego states of all iterations (the logged human drive).</summary>
    IReadOnlyList<EgoState> ExpertTrajectory { get; }

    Pose? MissionGoal { get; }

    IReadOnlyList<string> RouteRoadblockIds { get; }

    /// <summary>Logged ego states before <paramref name="iteration"/>, sampled on raw 0.05 s rows
    /// (docs/nuplan-simulation.md §2.6), ascending; rows before the log start are silently missing.</summary>
    IReadOnlyList<EgoState> GetPastEgoStates(int iteration, double horizonS, int numSamples);

    /// <summary>Logged objects for the same rows as <see cref="GetPastEgoStates"/>.</summary>
    IReadOnlyList<IReadOnlyList<TrackedObject>> GetPastTrackedObjects(int iteration, double horizonS, int numSamples);

    /// <summary>Logged ego states after <paramref name="iteration"/>, ascending; rows past the log end are missing.</summary>
    IReadOnlyList<EgoState> GetFutureEgoStates(int iteration, double horizonS, int numSamples);
}
