using NuPlanBus.Domain.Geometry;
using NuPlanBus.Maps.Objects;
using NuPlanBus.Metrics.Engine;

namespace NuPlanBus.Metrics.Evaluation.Lanes;

/// <summary>One lane change of the ego (the devkit's <c>LaneChangeData</c>): from the first frame whose corners split.</summary>
public sealed record LaneChange(long StartUs, long DurationUs, bool Success);

/// <summary>
/// What the devkit's ego_lane_change leaves behind for the other map metrics (docs/nuplan-simulation.md §4.3.5): the
/// driven route of the ego's box centres, the corner routes of its footprints, per frame the common-or-connected
/// objects of the corners (null when split), which frames have the ego inside one lane or a connected pair, and the
/// lane changes. Computed once per scenario and shared through <see cref="MetricInput.GetShared{T}"/>.
/// </summary>
public sealed class LaneChangeAnalysis
{
    private const string SharedKey = "lane-change";

    private LaneChangeAnalysis(
        List<LaneGraphEdge>[] drivenRoute, List<LaneGraphEdge>[][] cornersRoute, List<LaneGraphEdge>?[] commonOrConnected, long[] timestampsUs)
    {
        DrivenRoute = drivenRoute;
        CornersRoute = cornersRoute;
        CommonOrConnected = commonOrConnected;
        InsideOneLane = [.. commonOrConnected.Select(c => c is { Count: > 0 })];
        LaneChanges = FindLaneChanges(timestampsUs, commonOrConnected);
    }

    /// <summary>Per history state, the lane or connectors under the ego's box centre.</summary>
    public IReadOnlyList<List<LaneGraphEdge>> DrivenRoute { get; }

    /// <summary>Per history state, the objects under each corner (front left, rear left, rear right, front right).</summary>
    public IReadOnlyList<List<LaneGraphEdge>[]> CornersRoute { get; }

    /// <summary>Per history state: empty when every corner is off lanes, null when the corners are split, else the shared objects.</summary>
    public IReadOnlyList<List<LaneGraphEdge>?> CommonOrConnected { get; }

    /// <summary>Per history state: whether the ego is inside one lane or a connected pair (the at-fault and TTC input).</summary>
    public IReadOnlyList<bool> InsideOneLane { get; }

    public IReadOnlyList<LaneChange> LaneChanges { get; }

    /// <summary>The analysis of this scenario, or null when it has no map.</summary>
    public static LaneChangeAnalysis? Of(MetricInput input) =>
        input.Map is null ? null : input.GetShared(SharedKey, Compute);

    private static LaneChangeAnalysis Compute(MetricInput input)
    {
        var map = input.Map!;
        var vehicle = input.Vehicle;
        var states = input.EgoStates;
        var centres = new Vector2[states.Length];
        var footprints = new OrientedBox[states.Length];
        for (var i = 0; i < states.Length; i++)
        {
            centres[i] = states[i].Center(vehicle).Position;
            footprints[i] = states[i].Footprint(vehicle);
        }
        var driven = RouteExtractor.Route(map, centres);
        var corners = RouteExtractor.CornersRoute(map, footprints);
        var common = corners.Select(RouteExtractor.CommonOrConnected).ToArray();
        return new LaneChangeAnalysis(driven, corners, common, input.TimestampsUs);
    }

    /// <summary>
    /// <c>find_lane_changes</c>: a change opens at the first split frame after a frame inside one lane, and closes at
    /// the next frame that is not split; it succeeds when the final objects are neither the initial ones nor their
    /// successors. A change still open at the end, or ending with every corner off lanes, fails.
    /// </summary>
    private static LaneChange[] FindLaneChanges(long[] timestampsUs, List<LaneGraphEdge>?[] objects)
    {
        var changes = new List<LaneChange>();
        (long Start, List<LaneGraphEdge> Initial)? open = null;
        for (var i = 1; i < objects.Length; i++)
        {
            var current = objects[i];
            if (open is null)
            {
                if (current is null && objects[i - 1] is { Count: > 0 } initial)
                {
                    open = (timestampsUs[i], initial);
                }
            }
            else if (current is not null)
            {
                var (start, initialObjects) = open.Value;
                var success = false;
                if (current.Count > 0)
                {
                    var initialIds = initialObjects.Select(o => o.Fid).Union(RouteExtractor.Edges(initialObjects, outgoing: true).Keys).ToHashSet();
                    success = !current.Any(o => initialIds.Contains(o.Fid));
                }
                changes.Add(new LaneChange(start, timestampsUs[i] - start, success));
                open = null;
            }
        }
        if (open is { } unfinished)
        {
            changes.Add(new LaneChange(unfinished.Start, timestampsUs[^1] - unfinished.Start, false));
        }
        return [.. changes];
    }
}
