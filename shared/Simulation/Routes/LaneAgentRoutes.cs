using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.States;
using NuPlanBus.Maps;
using NuPlanBus.Maps.Objects;

namespace NuPlanBus.Simulation.Routes;

/// <summary>An IDM agent's lane route: the path along its baselines, where on it the agent starts, and its first lane.</summary>
public sealed record LaneAgentRoute(PathPolyline Path, double StartProgress, LaneGraphEdge Segment, IReadOnlyList<LaneGraphEdge> Edges);

/// <summary>
/// The devkit's IDM agent builder on the lane graph (docs/nuplan-maps.md §3.10, docs/nuplan-scoring-and-planners.md
/// §B.4): an agent whose centre is in a lane snaps to the lane whose nearest baseline pose heading differs least from
/// its own (the difference not wrapped, as in the devkit); one inside an intersection to such a connector; any other is
/// dropped. Its route is that segment's baseline extended, edge by edge, by the outgoing edge of least |curvature| at
/// its start — a signalised connector only when GREEN, any other unless RED.
/// </summary>
public static class LaneAgentRoutes
{
    /// <summary>The snapped segment for an agent at <paramref name="centre"/>, or null when the devkit drops it.</summary>
    public static LaneGraphEdge? Snap(NuPlanMap map, Pose centre)
    {
        List<LaneGraphEdge> candidates;
        if (map.IsInLayer(centre.X, centre.Y, SemanticMapLayer.Lane))
        {
            candidates = [.. map.LanesAt(centre.X, centre.Y)];
        }
        else if (map.IsInLayer(centre.X, centre.Y, SemanticMapLayer.Intersection))
        {
            candidates = [.. map.LaneConnectorsAt(centre.X, centre.Y)];
        }
        else
        {
            return null;
        }
        return candidates.Count == 0 ? null : candidates.MinBy(c => Math.Abs(c.Baseline.NearestPose(centre.X, centre.Y).Heading - centre.Heading));
    }

    /// <summary>
    /// The route from <paramref name="segment"/> extended until it reaches <paramref name="minimumLengthM"/> beyond the
    /// agent's start (or no edge can follow), with the lights of the frame the agent was built in.
    /// </summary>
    public static LaneAgentRoute Build(LaneGraphEdge segment, Pose centre, double minimumLengthM, IReadOnlyList<TrafficLightStatus> lights)
    {
        var start = segment.Baseline.Project(centre.X, centre.Y);
        var edges = new List<LaneGraphEdge> { segment };
        var length = segment.Baseline.Length - start;
        while (length < minimumLengthM && edges.Count < 1000)
        {
            var next = edges[^1].OutgoingEdges
                .Where(e => Allowed(e, lights))
                .MinBy(e => Math.Abs(e.Baseline.CurvatureAt(0)));
            if (next is null)
            {
                break;
            }
            edges.Add(next);
            length += next.Baseline.Length;
        }
        return new LaneAgentRoute(LaneGraphRoute.BaselinePath(edges, dropLastVertex: false), start, segment, edges);
    }

    /// <summary>
    /// A stop polygon as an oriented box (its minimum-area enclosing rectangle, exact for the rectangular stop polygons of
    /// nuPlan maps), so agents can meet it with the same box tests as other obstacles.
    /// </summary>
    public static OrientedBox StopBox(StopLine stopLine)
    {
        var rectangle = NetTopologySuite.Algorithm.MinimumDiameter.GetMinimumRectangle(stopLine.Polygon);
        var c = rectangle.Coordinates;
        if (c.Length < 4)
        {
            var p = rectangle.Centroid;
            return new OrientedBox(new Pose(p.X, p.Y, 0), 1e-3, 1e-3, 1);
        }
        var centre = rectangle.Centroid;
        var length = c[0].Distance(c[1]);
        var width = c[1].Distance(c[2]);
        return new OrientedBox(new Pose(centre.X, centre.Y, Math.Atan2(c[1].Y - c[0].Y, c[1].X - c[0].X)), Math.Max(length, 1e-3), Math.Max(width, 1e-3), 1);
    }

    private static bool Allowed(LaneGraphEdge edge, IReadOnlyList<TrafficLightStatus> lights)
    {
        TrafficLightState? state = null;
        foreach (var light in lights)
        {
            if (light.LaneConnectorId == edge.Fid)
            {
                state = light.Status;
            }
        }
        return edge is LaneConnector { HasTrafficLights: true } ? state == TrafficLightState.Green : state != TrafficLightState.Red;
    }
}
