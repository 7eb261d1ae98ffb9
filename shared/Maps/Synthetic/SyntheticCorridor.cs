using NetTopologySuite.Geometries;
using NuPlanBus.Maps.Gpkg;

namespace NuPlanBus.Maps.Synthetic;

/// <summary>
/// A straight two-way road of a synthetic map, laid out in road coordinates (s along the road from
/// <see cref="OriginX"/>, <see cref="OriginY"/> in direction <see cref="Heading"/>, d to its left): three lanes in the
/// direction of travel centred at d = 3.5, 0, −3.5 m (lane indices 1–3 from the left), two oncoming lanes at
/// d = 7.5 and 11 m, a 0.5 m median and a shoulder to d = −8 m. The road is cut every <see cref="BlockLength"/> m into
/// roadblocks (lane groups) joined by 2 m roadblock connectors of straight lane connectors, so routes alternate
/// roadblock and roadblock connector as on real nuPlan maps (docs/nuplan-maps.md §4.4 (A), "optional split").
/// Every id of corridor <see cref="Index"/> lies in [(Index + 1)·10⁶, (Index + 2)·10⁶), so corridors share a map.
/// </summary>
public sealed class SyntheticCorridor
{
    public const double LaneWidth = 3.5;
    public const double BlockLength = 100;
    public const double GapLength = 2;

    /// <summary>50 mph, written as real nuPlan maps write limits (mph / 2.237).</summary>
    public static readonly double SpeedLimitMps = 50 / 2.237;

    /// <summary>Centre offsets of the lanes in the direction of travel, lane index 1 (leftmost) first.</summary>
    public static readonly double[] ForwardLanes = [3.5, 0, -3.5];

    /// <summary>Centre offsets of the oncoming lanes, lane index 1 (leftmost in their direction) first.</summary>
    public static readonly double[] OncomingLanes = [7.5, 11];

    public const double ShoulderEdge = -8;
    public const double MedianLeft = 5.25;
    public const double MedianRight = 5.75;

    private const double BaselineSpacing = 1.0;
    private const double ConnectorSpacing = 0.5;

    public SyntheticCorridor(int index, double originX, double originY, double heading, double sStart, double sEnd, IReadOnlyList<double>? crosswalks = null)
    {
        if (index is < 0 or > 998)
        {
            throw new ArgumentOutOfRangeException(nameof(index), "A synthetic map holds at most 999 corridors.");
        }
        if (!(sEnd > sStart))
        {
            throw new ArgumentException("A corridor needs sEnd > sStart.", nameof(sEnd));
        }
        Index = index;
        OriginX = originX;
        OriginY = originY;
        Heading = heading;
        FirstBlock = (int)Math.Floor(sStart / BlockLength);
        LastBlock = (int)Math.Ceiling(sEnd / BlockLength) - 1;
        if (LastBlock - FirstBlock >= 4000)
        {
            throw new ArgumentException("A corridor is at most 400 km long.", nameof(sEnd));
        }
        Crosswalks = crosswalks ?? [];
        (Sin, Cos) = Math.SinCos(heading);
    }

    public int Index { get; }
    public double OriginX { get; }
    public double OriginY { get; }
    public double Heading { get; }
    public int FirstBlock { get; }
    public int LastBlock { get; }
    public IReadOnlyList<double> Crosswalks { get; }
    private double Sin { get; }
    private double Cos { get; }

    private long Base => (Index + 1) * 1_000_000L;

    public (double X, double Y) ToGlobal(double s, double d) => (OriginX + s * Cos - d * Sin, OriginY + s * Sin + d * Cos);

    /// <summary>Roadblock (lane group) id of block <paramref name="k"/> in the direction of travel (or oncoming).</summary>
    public long RoadblockId(int k, bool oncoming = false) => Base + 200_000 + Slot(k) * 2 + (oncoming ? 1 : 0);

    /// <summary>Roadblock connector id of the gap after block <paramref name="k"/> (between k and k + 1).</summary>
    public long RoadblockConnectorId(int k, bool oncoming = false) => Base + 400_000 + Slot(k) * 2 + (oncoming ? 1 : 0);

    /// <summary>Lane id of block <paramref name="k"/>, lane index <paramref name="laneIndex"/> (1-based).</summary>
    public long LaneId(int k, int laneIndex, bool oncoming = false) => Base + 300_000 + Slot(k) * 8 + (oncoming ? 3 : 0) + laneIndex - 1;

    public long LaneConnectorId(int k, int laneIndex, bool oncoming = false) => Base + 500_000 + Slot(k) * 8 + (oncoming ? 3 : 0) + laneIndex - 1;

    /// <summary>
    /// The route in the direction of travel from the block holding <paramref name="sFrom"/> to the one holding
    /// <paramref name="sTo"/>: alternating roadblock and roadblock connector ids, as <c>scene.roadblock_ids</c>.
    /// </summary>
    public IReadOnlyList<string> RouteIds(double sFrom, double sTo)
    {
        // Route nodes along the road: block k, then the gap after it (none after the last block).
        var first = Node(sFrom);
        var last = Node(Math.Max(sFrom, sTo));
        var route = new List<string>(last - first + 1);
        for (var node = first; node <= last; node++)
        {
            var k = FirstBlock + node / 2;
            route.Add(Id(node % 2 == 0 ? RoadblockId(k) : RoadblockConnectorId(k)));
        }
        return route;
    }

    private int Node(double s)
    {
        var k = Math.Clamp((int)Math.Floor(s / BlockLength), FirstBlock, LastBlock);
        var inGap = k < LastBlock && s - k * BlockLength > BlockLength - GapLength;
        return 2 * Slot(k) + (inGap ? 1 : 0);
    }

    /// <summary>Appends this corridor's rows to the tables of a map under construction.</summary>
    public void AddTo(SyntheticMapBuilder map)
    {
        ArgumentNullException.ThrowIfNull(map);
        for (var k = FirstBlock; k <= LastBlock; k++)
        {
            var s0 = k * BlockLength;
            var s1 = k < LastBlock ? s0 + BlockLength - GapLength : s0 + BlockLength;
            AddGroup(map, k, s0, s1, oncoming: false);
            AddGroup(map, k, s0, s1, oncoming: true);
            if (k < LastBlock)
            {
                AddGap(map, k, s1, s0 + BlockLength, oncoming: false);
                AddGap(map, k, s1, s0 + BlockLength, oncoming: true);
            }
        }
        var start = FirstBlock * BlockLength;
        var end = (LastBlock + 1) * BlockLength;
        map.Add(MapSchema.RoadSegments, Base + 910_000, Rectangle(map.Factory, start, end, ShoulderEdge, MedianRight + LaneWidth * OncomingLanes.Length),
            ("lane_group_fids", string.Empty));
        for (var j = 0; j < Crosswalks.Count; j++)
        {
            var c = Crosswalks[j];
            map.Add(MapSchema.Crosswalks, Base + 920_000 + j,
                Rectangle(map.Factory, c - 2, c + 2, -LaneWidth * 1.5, MedianRight + LaneWidth * OncomingLanes.Length), ("is_marked", 1L));
        }
    }

    private void AddGroup(SyntheticMapBuilder map, int k, double s0, double s1, bool oncoming)
    {
        var lanes = oncoming ? OncomingLanes : ForwardLanes;
        var (dLow, dHigh) = GroupRange(oncoming);
        var group = RoadblockId(k, oncoming);
        map.Add(MapSchema.LaneGroupsPolygons, group, Rectangle(map.Factory, s0, s1, dLow, dHigh));
        for (var i = 0; i < lanes.Length; i++)
        {
            var index = i + 1;
            var d = lanes[i];
            var lane = LaneId(k, index, oncoming);
            // Left in the direction of travel: +d going forward, −d going back.
            var left = oncoming ? d - LaneWidth / 2 : d + LaneWidth / 2;
            var right = oncoming ? d + LaneWidth / 2 : d - LaneWidth / 2;
            var leftBoundary = BoundaryId(k, left, oncoming);
            var rightBoundary = BoundaryId(k, right, oncoming);
            map.Add(MapSchema.LanesPolygons, lane, Rectangle(map.Factory, s0, s1, d - LaneWidth / 2, d + LaneWidth / 2),
                ("lane_fid", lane), ("lane_group_fid", group), ("lane_index", (long)index), ("speed_limit_mps", SpeedLimitMps),
                ("left_boundary_fid", leftBoundary), ("right_boundary_fid", rightBoundary), ("lane_type_fid", 0L), ("width", LaneWidth));
            map.Add(MapSchema.BaselinePaths, Base + 700_000 + (lane - Base - 300_000) * 2,
                Path(map.Factory, oncoming ? s1 : s0, oncoming ? s0 : s1, d, BaselineSpacing), ("lane_fid", lane), ("path_type_fid", 0L));
        }
        for (var b = 0; b <= lanes.Length; b++)
        {
            var d = oncoming ? MedianRight + b * LaneWidth : MedianLeft - b * LaneWidth;
            var solid = b == 0 || b == lanes.Length;
            map.Add(MapSchema.Boundaries, BoundaryId(k, d, oncoming),
                Path(map.Factory, oncoming ? s1 : s0, oncoming ? s0 : s1, d, s1 - s0), ("boundary_type_fid", solid ? 2L : 0L));
        }
    }

    private void AddGap(SyntheticMapBuilder map, int k, double g0, double g1, bool oncoming)
    {
        var lanes = oncoming ? OncomingLanes : ForwardLanes;
        var (dLow, dHigh) = GroupRange(oncoming);
        var block = RoadblockConnectorId(k, oncoming);
        var (from, to) = oncoming ? (RoadblockId(k + 1, true), RoadblockId(k, true)) : (RoadblockId(k), RoadblockId(k + 1));
        map.Add(MapSchema.LaneGroupConnectors, block, Rectangle(map.Factory, g0, g1, dLow, dHigh),
            ("from_lane_group_fid", from), ("to_lane_group_fid", to));
        for (var i = 0; i < lanes.Length; i++)
        {
            var index = i + 1;
            var d = lanes[i];
            var connector = LaneConnectorId(k, index, oncoming);
            var (exit, entry) = oncoming ? (LaneId(k + 1, index, true), LaneId(k, index, true)) : (LaneId(k, index), LaneId(k + 1, index));
            var line = Path(map.Factory, oncoming ? g1 : g0, oncoming ? g0 : g1, d, ConnectorSpacing);
            map.Add(MapSchema.LaneConnectors, connector, line,
                ("exit_lane_fid", exit), ("entry_lane_fid", entry), ("lane_group_connector_fid", block),
                ("speed_limit_mps", SpeedLimitMps), ("traffic_light_stop_line_fids", string.Empty),
                ("exit_lane_group_fid", oncoming ? RoadblockId(k + 1, true) : RoadblockId(k)),
                ("entry_lane_group_fid", oncoming ? RoadblockId(k, true) : RoadblockId(k + 1)), ("turn_type_fid", 0L));
            map.Add(MapSchema.LaneConnectorPolygons, Base + 600_000 + (connector - Base - 500_000),
                Rectangle(map.Factory, g0, g1, d - LaneWidth / 2, d + LaneWidth / 2), ("lane_connector_fid", connector));
            map.Add(MapSchema.BaselinePaths, Base + 700_000 + (connector - Base - 500_000) * 2 + 1, line,
                ("lane_connector_fid", connector), ("path_type_fid", 0L));
        }
    }

    private static (double Low, double High) GroupRange(bool oncoming) => oncoming
        ? (MedianRight, MedianRight + LaneWidth * OncomingLanes.Length)
        : (MedianLeft - LaneWidth * ForwardLanes.Length, MedianLeft);

    private long BoundaryId(int k, double d, bool oncoming)
    {
        // Boundary lines of a block by their offset: 4 forward, 3 oncoming, numbered outward from the median.
        var slot = oncoming ? 4 + (int)Math.Round((d - MedianRight) / LaneWidth) : (int)Math.Round((MedianLeft - d) / LaneWidth);
        return Base + 100_000 + Slot(k) * 8 + slot;
    }

    private int Slot(int k) => k - FirstBlock;

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private Polygon Rectangle(GeometryFactory factory, double s0, double s1, double d0, double d1)
    {
        Coordinate C(double s, double d)
        {
            var (x, y) = ToGlobal(s, d);
            return new Coordinate(x, y);
        }
        return factory.CreatePolygon([C(s0, d0), C(s1, d0), C(s1, d1), C(s0, d1), C(s0, d0)]);
    }

    private LineString Path(GeometryFactory factory, double sFrom, double sTo, double d, double spacing)
    {
        var count = Math.Max(2, (int)Math.Ceiling(Math.Abs(sTo - sFrom) / spacing - 1e-9)) + 1;
        var coordinates = new Coordinate[count];
        for (var i = 0; i < count; i++)
        {
            var s = i == count - 1 ? sTo : sFrom + (sTo - sFrom) * i / (count - 1);
            var (x, y) = ToGlobal(s, d);
            coordinates[i] = new Coordinate(x, y);
        }
        return factory.CreateLineString(coordinates);
    }
}
