using NuPlanBus.Domain.Geometry;
using NuPlanBus.Maps;
using NuPlanBus.Maps.Objects;

namespace NuPlanBus.Metrics.Evaluation.Lanes;

/// <summary>
/// The devkit's <c>route_extractor</c> (docs/nuplan-maps.md §3.1): the lanes or lane connectors under a sequence of
/// points with its continuity rules, the corner routes of footprints, and the "common or connected" test behind lane
/// membership. Quirks kept on purpose: the 5 m "stay on the previous connector" rule starts at the third point,
/// corner candidates grow within a frame only at the second frame, and an empty next entry wipes a multi-connector
/// entry (and so on backwards).
/// </summary>
public static class RouteExtractor
{
    /// <summary>Distance within which a previous lane connector is kept for a point in a junction (strict).</summary>
    public const double ConnectorProximity = 5.0;

    /// <summary><c>get_current_route_objects</c>: the one lane containing the point, else every connector containing it.</summary>
    public static List<LaneGraphEdge> CurrentObjects(NuPlanMap map, double x, double y)
    {
        var lane = map.GetOneMapObject(x, y, SemanticMapLayer.Lane);
        return lane is Lane l ? [l] : [.. map.LaneConnectorsAt(x, y)];
    }

    /// <summary>
    /// <c>get_route_obj_with_candidates</c>: the candidates containing the point; with none and exactly one candidate,
    /// its outgoing edges containing the point.
    /// </summary>
    public static List<LaneGraphEdge> WithCandidates(double x, double y, IReadOnlyList<LaneGraphEdge> candidates)
    {
        var result = new List<LaneGraphEdge>();
        foreach (var candidate in candidates)
        {
            if (candidate.ContainsPoint(x, y))
            {
                result.Add(candidate);
            }
        }
        if (result.Count == 0 && candidates.Count == 1)
        {
            foreach (var edge in candidates[0].OutgoingEdges)
            {
                if (edge.ContainsPoint(x, y))
                {
                    result.Add(edge);
                }
            }
        }
        return result;
    }

    /// <summary><c>get_route</c>: per point its lane or connectors, with the continuity rules.</summary>
    public static List<LaneGraphEdge>[] Route(NuPlanMap map, IReadOnlyList<Vector2> points)
    {
        if (points.Count == 0)
        {
            throw new ArgumentException("A route needs at least one point.", nameof(points));
        }
        var route = new List<LaneGraphEdge>[points.Count];
        List<LaneGraphEdge> current = [];
        for (var i = 0; i < points.Count; i++)
        {
            var (x, y) = (points[i].X, points[i].Y);
            if (current.Count > 0)
            {
                current = WithCandidates(x, y, current);
            }
            if (current.Count == 0)
            {
                current = CurrentObjects(map, x, y);
                var previous = i > 0 ? route[i - 1] : null;
                if (i > 1 && previous is { Count: > 0 } && previous[0].IsConnector
                    && ((current.Count > 0 && current[0].IsConnector) || (current.Count == 0 && map.IsInLayer(x, y, SemanticMapLayer.Intersection))))
                {
                    var near = previous.Where(o => o.DistanceTo(x, y) < ConnectorProximity).ToList();
                    if (near.Count > 0)
                    {
                        current = near;
                    }
                }
            }
            route[i] = current;
        }
        return RemoveExtraLaneConnectors(route);
    }

    /// <summary>
    /// <c>remove_extra_lane_connectors</c>, walking backwards: an entry of several connectors becomes the next entry
    /// when that is a smaller subset of it (an empty next entry counts), then, when the next entry is a lane, is
    /// narrowed to that lane's incoming connectors if any of its original connectors are among them.
    /// </summary>
    public static List<LaneGraphEdge>[] RemoveExtraLaneConnectors(List<LaneGraphEdge>[] route)
    {
        var result = (List<LaneGraphEdge>[])route.Clone();
        for (var i = result.Length - 2; i >= 0; i--)
        {
            var current = route[i];
            if (current.Count <= 1)
            {
                continue;
            }
            var next = result[i + 1];
            if (current.Count > next.Count && next.All(o => current.Any(c => c.Fid == o.Fid)))
            {
                result[i] = next;
            }
            if (next.Count > 0 && next[0] is Lane lane)
            {
                var keep = current.Where(c => lane.IncomingEdges.Any(e => e.Fid == c.Fid)).ToList();
                if (keep.Count > 0)
                {
                    result[i] = keep;
                }
            }
        }
        return result;
    }

    /// <summary><c>get_route_simplified</c>: the non-empty entries, each kept only when it shares no id with the last kept one.</summary>
    public static List<List<LaneGraphEdge>> Simplify(IReadOnlyList<List<LaneGraphEdge>> route)
    {
        var simplified = new List<List<LaneGraphEdge>>();
        foreach (var entry in route)
        {
            if (entry.Count == 0)
            {
                continue;
            }
            if (simplified.Count == 0 || !simplified[^1].Any(o => entry.Any(e => e.Fid == o.Fid)))
            {
                simplified.Add(entry);
            }
        }
        return simplified;
    }

    /// <summary>
    /// <c>extract_corners_route</c>: per footprint, the objects of each corner (front left, rear left, rear right, front
    /// right), looked up first among the previous frame's objects of all four corners.
    /// </summary>
    public static List<LaneGraphEdge>[][] CornersRoute(NuPlanMap map, IReadOnlyList<OrientedBox> footprints)
    {
        var result = new List<LaneGraphEdge>[footprints.Count][];
        List<LaneGraphEdge> candidates = [];
        Span<Vector2> corners = stackalloc Vector2[4];
        for (var i = 0; i < footprints.Count; i++)
        {
            footprints[i].GetCorners(corners);
            var frame = new List<LaneGraphEdge>[4];
            var next = new List<LaneGraphEdge>();
            for (var c = 0; c < 4; c++)
            {
                var (x, y) = (corners[c].X, corners[c].Y);
                List<LaneGraphEdge> objects = candidates.Count > 0 ? WithCandidates(x, y, candidates) : [];
                if (objects.Count == 0)
                {
                    objects = CurrentObjects(map, x, y);
                    if (i == 1)
                    {
                        AddNew(candidates, objects);
                    }
                }
                AddNew(next, objects);
                frame[c] = objects;
            }
            result[i] = frame;
            candidates = next;
        }
        return result;
    }

    /// <summary>
    /// <c>extract_common_or_connecting_route_objs</c> for one frame's corners: an empty list when every corner is off
    /// lanes and connectors, null when only some are or the corners lie in unconnected objects, else the objects common
    /// to all four corners or, failing that, those linking rear corners to front corners.
    /// </summary>
    public static List<LaneGraphEdge>? CommonOrConnected(List<LaneGraphEdge>[] corners)
    {
        var empty = corners.Count(c => c.Count == 0);
        if (empty == 4)
        {
            return [];
        }
        if (empty > 0)
        {
            return null;
        }
        var byId = new Dictionary<long, LaneGraphEdge>();
        foreach (var list in corners)
        {
            foreach (var o in list)
            {
                byId[o.Fid] = o;
            }
        }
        var ids = corners.Select(c => c.Select(o => o.Fid).ToHashSet()).ToArray();
        var common = new HashSet<long>(ids[0]);
        for (var c = 1; c < 4; c++)
        {
            common.IntersectWith(ids[c]);
        }
        if (common.Count > 0)
        {
            return [.. common.Order().Select(id => byId[id])];
        }

        // Corners FL = 0, RL = 1, RR = 2, FR = 3.
        var rearRightOut = Edges(corners[2], outgoing: true);
        var rearLeftOut = Edges(corners[1], outgoing: true);
        foreach (var (id, edge) in rearRightOut.Concat(rearLeftOut))
        {
            byId[id] = edge;
        }
        var rearRightReach = ids[2].Union(rearRightOut.Keys).ToHashSet();
        var rearLeftReach = ids[1].Union(rearLeftOut.Keys).ToHashSet();
        var gate = ids[1].Intersect(rearRightReach).Union(ids[2].Intersect(rearLeftReach));
        if (!gate.Any())
        {
            return null;
        }
        var frontLeftReach = ids[0].Union(Edges(corners[0], outgoing: false).Keys);
        var frontRightReach = ids[3].Union(Edges(corners[3], outgoing: false).Keys);
        var connected = frontLeftReach.Intersect(rearRightReach).Intersect(frontRightReach.Intersect(rearLeftReach)).ToList();
        return connected.Count > 0 ? [.. connected.Order().Select(id => byId[id])] : null;
    }

    /// <summary>Outgoing (or incoming) edges of the objects by id; a repeated id keeps the last edge.</summary>
    public static Dictionary<long, LaneGraphEdge> Edges(IEnumerable<LaneGraphEdge> objects, bool outgoing)
    {
        var edges = new Dictionary<long, LaneGraphEdge>();
        foreach (var o in objects)
        {
            foreach (var edge in outgoing ? o.OutgoingEdges : o.IncomingEdges)
            {
                edges[edge.Fid] = edge;
            }
        }
        return edges;
    }

    private static void AddNew(List<LaneGraphEdge> target, List<LaneGraphEdge> objects)
    {
        foreach (var o in objects)
        {
            if (!target.Any(t => t.Fid == o.Fid))
            {
                target.Add(o);
            }
        }
    }
}
