using NetTopologySuite.Geometries;
using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.States;
using NuPlanBus.Maps;
using NuPlanBus.Maps.Objects;

namespace NuPlanBus.Simulation.Routes;

/// <summary>
/// The devkit IDM planner's route on the lane graph (docs/nuplan-scoring-and-planners.md §B.2): the scenario's
/// roadblock ids looked up as roadblocks, else roadblock connectors; the candidate edges are their lanes and
/// connectors; the start edge is the first of the first two blocks' edges containing the ego centre, else the one
/// nearest the ego footprint; a breadth-first search over outgoing edges among the candidates must reach the last
/// block at exactly the route's depth, and otherwise the plan ends at the last edge it enqueued (the devkit's
/// fallback). The path is the plan's baseline vertices, repeats removed and — as the devkit's path builder does —
/// the very last vertex dropped.
/// </summary>
public sealed class LaneGraphRoute
{
    private LaneGraphRoute(IReadOnlyList<LaneGraphEdge> edges, HashSet<long> candidates, bool reachedGoal, PathPolyline path)
    {
        Edges = edges;
        CandidateIds = candidates;
        ReachedGoal = reachedGoal;
        Path = path;
    }

    /// <summary>The planned edges, lanes and connectors alternating, from the start edge.</summary>
    public IReadOnlyList<LaneGraphEdge> Edges { get; }

    /// <summary>Ids of every lane and connector of the route's blocks (red lights are looked up among them).</summary>
    public IReadOnlySet<long> CandidateIds { get; }

    /// <summary>Whether the search reached the last route block at the route's depth (else the devkit's fallback).</summary>
    public bool ReachedGoal { get; }

    public PathPolyline Path { get; }

    /// <summary>The first edge's speed limit, the IDM planner's target velocity when it has one.</summary>
    public double? SpeedLimitMps => Edges[0].SpeedLimitMps;

    /// <summary>The route, or null when fewer than two of the ids name blocks of the map (the devkit asserts two).</summary>
    public static LaneGraphRoute? Build(NuPlanMap map, IReadOnlyList<string> roadblockIds, in EgoState ego, VehicleParameters vehicle)
    {
        ArgumentNullException.ThrowIfNull(map);
        var blocks = roadblockIds.Select(map.GetRoadblockOrConnector).ToList();
        if (blocks.Count < 2 || blocks[0] is null || blocks[1] is null)
        {
            return null;
        }
        var candidates = new HashSet<long>();
        foreach (var block in blocks)
        {
            foreach (var edge in block?.InteriorEdges ?? [])
            {
                candidates.Add(edge.Fid);
            }
        }
        var start = StartingEdge(blocks[0]!, blocks[1]!, ego, vehicle);
        if (start is null)
        {
            return null;
        }
        var offset = start.RoadblockFid == blocks[1]!.Fid ? 1 : 0;
        var target = blocks[^1];
        var (edges, reached) = BreadthFirstSearch(start, candidates, target?.Fid, blocks.Count - offset);
        return new LaneGraphRoute(edges, candidates, reached, PathOf(edges));
    }

    private static LaneGraphEdge? StartingEdge(RoadblockBase first, RoadblockBase second, in EgoState ego, VehicleParameters vehicle)
    {
        var centre = ego.Center(vehicle);
        var edges = first.InteriorEdges.Concat(second.InteriorEdges).ToList();
        foreach (var edge in edges)
        {
            if (edge.ContainsPoint(centre.X, centre.Y))
            {
                return edge;
            }
        }
        if (edges.Count == 0)
        {
            return null;
        }
        var footprint = MapObject.ToPolygon(edges[0].Polygon.Factory, ego.Footprint(vehicle));
        return edges.MinBy(e => e.Polygon.Distance(footprint));
    }

    /// <summary>
    /// The devkit's <c>BreadthFirstSearch.search</c>: levels separated by a depth marker, the goal an edge of the
    /// target block at exactly <paramref name="targetDepth"/>; the path of the last enqueued edge otherwise.
    /// </summary>
    private static (List<LaneGraphEdge> Edges, bool Reached) BreadthFirstSearch(
        LaneGraphEdge start, HashSet<long> candidates, long? targetBlock, int targetDepth)
    {
        var parents = new Dictionary<(long Fid, int Depth), (LaneGraphEdge Edge, int Depth)?> { [(start.Fid, 1)] = null };
        var queue = new Queue<LaneGraphEdge?>([start, null]);
        var depth = 1;
        var end = (Edge: start, Depth: 1);
        while (queue.Count > 0)
        {
            if (depth > targetDepth)
            {
                break;
            }
            var current = queue.Dequeue();
            if (current is null)
            {
                depth++;
                queue.Enqueue(null);
                if (queue.Peek() is null)
                {
                    break;
                }
                continue;
            }
            if (current.RoadblockFid == targetBlock && depth == targetDepth)
            {
                return (Trace(parents, current, depth), true);
            }
            foreach (var next in current.OutgoingEdges)
            {
                if (!candidates.Contains(next.Fid))
                {
                    continue;
                }
                parents[(next.Fid, depth + 1)] = (current, depth);
                end = (next, depth + 1);
                queue.Enqueue(next);
            }
        }
        return (Trace(parents, end.Edge, end.Depth), false);
    }

    private static List<LaneGraphEdge> Trace(
        Dictionary<(long Fid, int Depth), (LaneGraphEdge Edge, int Depth)?> parents, LaneGraphEdge edge, int depth)
    {
        var path = new List<LaneGraphEdge> { edge };
        var key = (edge.Fid, depth);
        while (parents.TryGetValue(key, out var parent) && parent is { } p)
        {
            path.Add(p.Edge);
            key = (p.Edge.Fid, p.Depth);
        }
        path.Reverse();
        return path;
    }

    /// <summary>The planned edges' baseline vertices, repeats removed, the very last vertex dropped (the devkit's path builder).</summary>
    private static PathPolyline PathOf(List<LaneGraphEdge> edges) => BaselinePath(edges, dropLastVertex: true);

    /// <summary>
    /// The concatenated <c>discrete_path</c> vertices of consecutive edges' baselines as one path, consecutive repeats
    /// (where one baseline ends and the next starts) removed; optionally without the very last vertex.
    /// </summary>
    public static PathPolyline BaselinePath(IReadOnlyList<LaneGraphEdge> edges, bool dropLastVertex)
    {
        var poses = new List<Pose>();
        foreach (var edge in edges)
        {
            foreach (var pose in edge.Baseline.DiscretePath)
            {
                if (poses.Count == 0 || poses[^1].X != pose.X || poses[^1].Y != pose.Y)
                {
                    poses.Add(pose);
                }
            }
        }
        if (dropLastVertex && poses.Count > 2)
        {
            poses.RemoveAt(poses.Count - 1);
        }
        return PathPolyline.FromPoses(poses.ToArray(), minVertexSpacingM: 1e-9);
    }
}
