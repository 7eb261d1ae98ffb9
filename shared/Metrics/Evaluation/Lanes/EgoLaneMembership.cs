using NuPlanBus.Maps;
using NuPlanBus.Metrics.Engine;
using NuPlanBus.Metrics.Evaluation.Collisions;

namespace NuPlanBus.Metrics.Evaluation.Lanes;

/// <summary>
/// Per history state, whether the ego is inside one lane or a connected pair and whether its rear axle lies in an
/// intersection — what the devkit's at-fault collisions and TTC read from ego_lane_change and the INTERSECTION layer
/// (docs/nuplan-scoring-and-planners.md §A.3). With a map both come from it; without one the configured
/// <see cref="EgoLaneAssumption"/> holds for every state and the ego is never in an intersection.
/// </summary>
public sealed class EgoLaneMembership
{
    private readonly IReadOnlyList<bool>? _insideOneLane;
    private readonly NuPlanMap? _map;
    private readonly MetricInput _input;
    private readonly EgoLaneAssumption _fallback;

    private EgoLaneMembership(MetricInput input, EgoLaneAssumption fallback)
    {
        _input = input;
        _fallback = fallback;
        _map = input.Map;
        _insideOneLane = LaneChangeAnalysis.Of(input)?.InsideOneLane;
    }

    public static EgoLaneMembership Of(MetricInput input, EgoLaneAssumption fallback) => new(input, fallback);

    /// <summary>Whether lane membership comes from the map (true) or from the map-free assumption.</summary>
    public bool FromMap => _insideOneLane is not null;

    public bool InsideOneLane(int sampleIndex) =>
        _insideOneLane?[sampleIndex] ?? _fallback == EgoLaneAssumption.InsideLane;

    public bool RearAxleInIntersection(int sampleIndex)
    {
        if (_map is null)
        {
            return false;
        }
        var rear = _input.EgoStates[sampleIndex].RearAxle;
        return _map.IsInLayer(rear.X, rear.Y, SemanticMapLayer.Intersection);
    }
}
