using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.States;

namespace NuPlanBus.Metrics.Tests.Scenes;

/// <summary>
/// The devkit harness's mock scenario for a metric scene: everything from the underlying
/// <see cref="RecordedScenario"/>, except that the logged future is taken from the expert states by list
/// position, as <c>testing_utils.setup_history</c> patches it:
/// <c>expert[iteration : iteration + horizon + 1 : horizon // num_samples][1 : num_samples + 1]</c>
/// (horizon in whole seconds, independent of the database interval).
/// </summary>
public sealed class MetricSceneScenario(RecordedScenario recorded) : IScenario
{
    public RecordedScenario Recorded { get; } = recorded ?? throw new ArgumentNullException(nameof(recorded));

    public string Token => Recorded.Token;

    public string LogName => Recorded.LogName;

    public string ScenarioType => Recorded.ScenarioType;

    public string MapName => Recorded.MapName;

    public double DatabaseIntervalS => Recorded.DatabaseIntervalS;

    public VehicleParameters Vehicle => Recorded.Vehicle;

    public int NumberOfIterations => Recorded.NumberOfIterations;

    public IReadOnlyList<EgoState> ExpertTrajectory => Recorded.ExpertTrajectory;

    public Pose? MissionGoal => Recorded.MissionGoal;

    public IReadOnlyList<string> RouteRoadblockIds => Recorded.RouteRoadblockIds;

    public long GetTimeUs(int iteration) => Recorded.GetTimeUs(iteration);

    public EgoState GetEgoState(int iteration) => Recorded.GetEgoState(iteration);

    public IReadOnlyList<TrackedObject> GetTrackedObjects(int iteration) => Recorded.GetTrackedObjects(iteration);

    public IReadOnlyList<TrafficLightStatus> GetTrafficLights(int iteration) => Recorded.GetTrafficLights(iteration);

    public IReadOnlyList<EgoState> GetPastEgoStates(int iteration, double horizonS, int numSamples) =>
        Recorded.GetPastEgoStates(iteration, horizonS, numSamples);

    public IReadOnlyList<IReadOnlyList<TrackedObject>> GetPastTrackedObjects(int iteration, double horizonS, int numSamples) =>
        Recorded.GetPastTrackedObjects(iteration, horizonS, numSamples);

    public IReadOnlyList<EgoState> GetFutureEgoStates(int iteration, double horizonS, int numSamples)
    {
        var horizon = (int)horizonS;
        if (horizon <= 0 || numSamples <= 0 || horizon / numSamples <= 0)
        {
            throw new ArgumentException($"Cannot take {numSamples} samples over {horizonS} s by list position.");
        }
        var expert = Recorded.ExpertTrajectory;
        var stride = horizon / numSamples;
        var end = Math.Min(iteration + horizon + 1, expert.Count);
        var future = new List<EgoState>(numSamples);
        var position = 0;
        for (var i = iteration; i < end; i += stride, position++)
        {
            // [1 : num_samples + 1] of the strided slice: skip the anchor itself, keep at most num_samples.
            if (position >= 1 && position <= numSamples)
            {
                future.Add(expert[i]);
            }
        }
        return future;
    }
}
