using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;

namespace NuPlanBus.Maps.Objects;

/// <summary>
/// A map object with an id (the decimal fid, as the devkit's string ids) and a surface. Containment is strict, as
/// GEOS's <c>contains</c>: a point on the boundary is not contained (docs/nuplan-maps.md §2.2).
/// </summary>
public abstract class MapObject(long fid, Geometry polygon)
{
    public long Fid { get; } = fid;

    public string Id { get; } = fid.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public Geometry Polygon { get; } = polygon;

    public bool ContainsPoint(double x, double y) => StrictlyContains(Polygon, x, y);

    /// <summary>Euclidean distance from the point to the surface (0 inside or on its boundary).</summary>
    public double DistanceTo(double x, double y) => Polygon.Distance(Polygon.Factory.CreatePoint(new Coordinate(x, y)));

    /// <summary>An oriented box (a footprint) as an NTS polygon: corners front left, rear left, rear right, front right.</summary>
    public static Polygon ToPolygon(GeometryFactory factory, in Domain.Geometry.OrientedBox box)
    {
        Span<Domain.Geometry.Vector2> corners = stackalloc Domain.Geometry.Vector2[4];
        box.GetCorners(corners);
        return factory.CreatePolygon(
        [
            new Coordinate(corners[0].X, corners[0].Y), new Coordinate(corners[1].X, corners[1].Y),
            new Coordinate(corners[2].X, corners[2].Y), new Coordinate(corners[3].X, corners[3].Y),
            new Coordinate(corners[0].X, corners[0].Y),
        ]);
    }

    internal static bool StrictlyContains(Geometry geometry, double x, double y) =>
        geometry.EnvelopeInternal.Contains(x, y)
        && SimplePointInAreaLocator.Locate(new Coordinate(x, y), geometry) == Location.Interior;

    public override string ToString() => $"{GetType().Name} {Id}";
}

/// <summary>A crosswalk, walkway, car park, intersection or drivable-area piece: a polygon and nothing else.</summary>
public sealed class PolygonMapObject(long fid, Geometry polygon) : MapObject(fid, polygon);

/// <summary>A stop polygon (the devkit's STOP_LINE, an area rather than a line).</summary>
public sealed class StopLine(long fid, Geometry polygon, StopLineType type) : MapObject(fid, polygon)
{
    public StopLineType Type { get; } = type;
}

/// <summary>
/// A lane or a lane connector: an edge of the lane graph with a baseline digitised in the direction of travel.
/// Only connectors link lanes (a lane's outgoing edges are connectors, a connector's its entry lane).
/// </summary>
public abstract class LaneGraphEdge(long fid, Geometry polygon, Polyline baseline, double? speedLimitMps, long roadblockFid)
    : MapObject(fid, polygon)
{
    private LaneGraphEdge[] _incoming = [];
    private LaneGraphEdge[] _outgoing = [];

    public Polyline Baseline { get; } = baseline;

    /// <summary>The speed limit in m/s; null where the map has none.</summary>
    public double? SpeedLimitMps { get; } = speedLimitMps;

    /// <summary>The devkit's <c>get_roadblock_id()</c>: the lane group (connector) the edge belongs to.</summary>
    public string RoadblockId { get; } = roadblockFid.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public long RoadblockFid { get; } = roadblockFid;

    public IReadOnlyList<LaneGraphEdge> IncomingEdges => _incoming;

    public IReadOnlyList<LaneGraphEdge> OutgoingEdges => _outgoing;

    public Polyline? LeftBoundary { get; internal set; }

    public Polyline? RightBoundary { get; internal set; }

    public abstract bool IsConnector { get; }

    internal void Link(LaneGraphEdge[] incoming, LaneGraphEdge[] outgoing)
    {
        _incoming = incoming;
        _outgoing = outgoing;
    }
}

/// <summary>A lane of a roadblock (lane group), numbered from the left in the direction of travel.</summary>
public sealed class Lane(long fid, Geometry polygon, Polyline baseline, double? speedLimitMps, long roadblockFid, int index)
    : LaneGraphEdge(fid, polygon, baseline, speedLimitMps, roadblockFid)
{
    /// <summary><c>lane_index</c>: 1 is the leftmost lane in the direction of travel.</summary>
    public int Index { get; } = index;

    public Roadblock Parent { get; internal set; } = null!;

    public Lane? LeftNeighbour { get; internal set; }

    public Lane? RightNeighbour { get; internal set; }

    public override bool IsConnector => false;

    public bool IsLeftOf(Lane other) => other.RoadblockFid == RoadblockFid && Index < other.Index;

    public bool IsRightOf(Lane other) => other.RoadblockFid == RoadblockFid && Index > other.Index;
}

/// <summary>A lane connector: the link from one lane to another (mostly through an intersection).</summary>
public sealed class LaneConnector(
    long fid, Geometry polygon, Polyline baseline, double? speedLimitMps, long roadblockFid, LineString line)
    : LaneGraphEdge(fid, polygon, baseline, speedLimitMps, roadblockFid)
{
    /// <summary>The <c>lane_connectors</c> geometry (a centre line), used by proximity and distance queries.</summary>
    public LineString Line { get; } = line;

    public RoadblockConnector Parent { get; internal set; } = null!;

    /// <summary>True when <c>traffic_light_stop_line_fids</c> lists any stop polygon.</summary>
    public bool HasTrafficLights { get; internal set; }

    public IReadOnlyList<StopLine> StopLines { get; internal set; } = [];

    public override bool IsConnector => true;
}

/// <summary>A roadblock (lane group) or roadblock connector (lane group connector): a node of the route graph.</summary>
public abstract class RoadblockBase(long fid, Geometry polygon) : MapObject(fid, polygon)
{
    public IReadOnlyList<LaneGraphEdge> InteriorEdges { get; internal set; } = [];

    public IReadOnlyList<RoadblockBase> IncomingEdges { get; internal set; } = [];

    public IReadOnlyList<RoadblockBase> OutgoingEdges { get; internal set; } = [];
}

public sealed class Roadblock(long fid, Geometry polygon) : RoadblockBase(fid, polygon);

public sealed class RoadblockConnector(long fid, Geometry polygon) : RoadblockBase(fid, polygon)
{
    public PolygonMapObject? Intersection { get; internal set; }
}
