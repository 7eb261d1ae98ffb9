using System.Globalization;
using NetTopologySuite.Geometries;
using NuPlanBus.Domain.Errors;
using NuPlanBus.Maps.Gpkg;
using NuPlanBus.Maps.Objects;

namespace NuPlanBus.Maps;

/// <summary>
/// The map objects of one map, wired into the lane graph as the devkit's wrappers see it (docs/nuplan-maps.md §1.4,
/// §2.3): a lane's baseline by <c>lane_fid</c>, a connector's by <c>lane_connector_fid</c>, connectors linking exit to
/// entry lanes, lanes and connectors grouped into roadblocks and roadblock connectors, neighbours by lane index,
/// stop lines of signalised connectors. A broken reference is a <see cref="MapDataException"/> naming the table.
/// </summary>
internal sealed class MapObjects
{
    public required Lane[] Lanes { get; init; }
    public required LaneConnector[] Connectors { get; init; }
    public required LaneConnector[] ConnectorsByPolygonRow { get; init; }
    public required Roadblock[] Roadblocks { get; init; }
    public required RoadblockConnector[] RoadblockConnectors { get; init; }
    public required StopLine[] StopLines { get; init; }
    public required PolygonMapObject[] Crosswalks { get; init; }
    public required PolygonMapObject[] Intersections { get; init; }
    public required PolygonMapObject[] Walkways { get; init; }
    public required PolygonMapObject[] Carparks { get; init; }
    public required PolygonMapObject[] DrivableArea { get; init; }

    public static MapObjects Create(MapContent content, string source)
    {
        var builder = new Builder(content, source);
        return builder.Build();
    }

    private sealed class Builder(MapContent content, string source)
    {
        public MapObjects Build()
        {
            var boundaries = content.Rows(MapSchema.Boundaries)
                .ToDictionary(r => r.Fid, r => new Polyline(Id(r.Fid), Line(MapSchema.Boundaries, r)));
            var baselinesOfLanes = new Dictionary<long, Polyline>();
            var baselinesOfConnectors = new Dictionary<long, Polyline>();
            foreach (var row in content.Rows(MapSchema.BaselinePaths))
            {
                var line = Line(MapSchema.BaselinePaths, row);
                if (!(line.Length > 0))
                {
                    throw Error(MapSchema.BaselinePaths, $"baseline {row.Fid} has zero length.");
                }
                var lane = row.Long("lane_fid");
                var connector = row.Long("lane_connector_fid");
                var target = lane is not null ? baselinesOfLanes : connector is not null ? baselinesOfConnectors : null;
                var key = lane ?? connector;
                if (target is null || key is null)
                {
                    continue;
                }
                if (!target.TryAdd(key.Value, new Polyline(Id(row.Fid), line)))
                {
                    throw Error(MapSchema.BaselinePaths, $"{(lane is not null ? "lane" : "lane connector")} {key} has more than one baseline path.");
                }
            }

            var roadblocks = content.Rows(MapSchema.LaneGroupsPolygons)
                .Select(r => new Roadblock(r.Fid, Surface(MapSchema.LaneGroupsPolygons, r))).ToArray();
            var roadblockById = roadblocks.ToDictionary(r => r.Fid);
            var intersections = Polygons(MapSchema.Intersections);
            var intersectionById = intersections.ToDictionary(i => i.Fid);
            var roadblockConnectorRows = content.Rows(MapSchema.LaneGroupConnectors);
            var roadblockConnectors = roadblockConnectorRows
                .Select(r => new RoadblockConnector(r.Fid, Surface(MapSchema.LaneGroupConnectors, r))).ToArray();
            var roadblockConnectorById = roadblockConnectors.ToDictionary(r => r.Fid);

            var laneRows = content.Rows(MapSchema.LanesPolygons);
            var lanes = new Lane[laneRows.Count];
            for (var i = 0; i < laneRows.Count; i++)
            {
                var row = laneRows[i];
                var group = Required(MapSchema.LanesPolygons, row, "lane_group_fid");
                if (!roadblockById.TryGetValue(group, out var parent))
                {
                    throw Error(MapSchema.LanesPolygons, $"lane {row.Fid} names lane group {group}, which lane_groups_polygons lacks.");
                }
                if (!baselinesOfLanes.TryGetValue(row.Fid, out var baseline))
                {
                    throw Error(MapSchema.BaselinePaths, $"lane {row.Fid} has no baseline path.");
                }
                lanes[i] = new Lane(row.Fid, Surface(MapSchema.LanesPolygons, row), baseline, SpeedLimit(row), group,
                    (int)(row.Long("lane_index") ?? 0))
                {
                    Parent = parent,
                    LeftBoundary = Boundary(boundaries, row.Long("left_boundary_fid")),
                    RightBoundary = Boundary(boundaries, row.Long("right_boundary_fid")),
                };
            }
            var laneById = lanes.ToDictionary(l => l.Fid);

            var stopLines = content.Rows(MapSchema.StopPolygons)
                .Select(r => new StopLine(r.Fid, Surface(MapSchema.StopPolygons, r), StopType(r))).ToArray();
            var stopLineById = stopLines.ToDictionary(s => s.Fid);

            var polygonRows = content.Rows(MapSchema.LaneConnectorPolygons);
            var polygonOfConnector = new Dictionary<long, MapFeature>();
            foreach (var row in polygonRows)
            {
                var connector = Required(MapSchema.LaneConnectorPolygons, row, "lane_connector_fid");
                if (!polygonOfConnector.TryAdd(connector, row))
                {
                    throw Error(MapSchema.LaneConnectorPolygons, $"lane connector {connector} has more than one polygon.");
                }
            }

            var connectorRows = content.Rows(MapSchema.LaneConnectors);
            var connectors = new LaneConnector[connectorRows.Count];
            var exits = new Dictionary<long, long>();
            var entries = new Dictionary<long, long>();
            for (var i = 0; i < connectorRows.Count; i++)
            {
                var row = connectorRows[i];
                var group = Required(MapSchema.LaneConnectors, row, "lane_group_connector_fid");
                if (!roadblockConnectorById.TryGetValue(group, out var parent))
                {
                    throw Error(MapSchema.LaneConnectors, $"lane connector {row.Fid} names lane group connector {group}, which lane_group_connectors lacks.");
                }
                if (!polygonOfConnector.TryGetValue(row.Fid, out var polygonRow))
                {
                    throw Error(MapSchema.LaneConnectorPolygons, $"lane connector {row.Fid} has no polygon.");
                }
                if (!baselinesOfConnectors.TryGetValue(row.Fid, out var baseline))
                {
                    throw Error(MapSchema.BaselinePaths, $"lane connector {row.Fid} has no baseline path.");
                }
                exits[row.Fid] = Required(MapSchema.LaneConnectors, row, "exit_lane_fid");
                entries[row.Fid] = Required(MapSchema.LaneConnectors, row, "entry_lane_fid");
                var stopLineText = row.Text("traffic_light_stop_line_fids") ?? string.Empty;
                var listed = ParseIds(stopLineText, row.Fid)
                    .Select(id => stopLineById.TryGetValue(id, out var s) ? s
                        : throw Error(MapSchema.LaneConnectors, $"lane connector {row.Fid} lists stop polygon {id}, which stop_polygons lacks."))
                    .ToArray();
                connectors[i] = new LaneConnector(row.Fid, Surface(MapSchema.LaneConnectorPolygons, polygonRow), baseline,
                    SpeedLimit(row), group, Line(MapSchema.LaneConnectors, row))
                {
                    Parent = parent,
                    HasTrafficLights = listed.Length > 0,
                    StopLines = StopLinesOf(listed, baseline),
                    LeftBoundary = Boundary(boundaries, polygonRow.Long("left_boundary_fid")),
                    RightBoundary = Boundary(boundaries, polygonRow.Long("right_boundary_fid")),
                };
            }
            var connectorById = connectors.ToDictionary(c => c.Fid);
            var connectorsByPolygonRow = polygonRows
                .Select(r => r.Long("lane_connector_fid")!.Value)
                .Select(id => connectorById.TryGetValue(id, out var c) ? c
                    : throw Error(MapSchema.LaneConnectorPolygons, $"polygon of lane connector {id}, which lane_connectors lacks."))
                .ToArray();

            // Lane graph: connectors go from their exit lane to their entry lane, in lane_connectors row order.
            var outgoingOfLane = lanes.ToDictionary(l => l.Fid, _ => new List<LaneGraphEdge>());
            var incomingOfLane = lanes.ToDictionary(l => l.Fid, _ => new List<LaneGraphEdge>());
            foreach (var connector in connectors)
            {
                var exit = LaneOf(laneById, exits[connector.Fid], connector, "exit_lane_fid");
                var entry = LaneOf(laneById, entries[connector.Fid], connector, "entry_lane_fid");
                outgoingOfLane[exit.Fid].Add(connector);
                incomingOfLane[entry.Fid].Add(connector);
                connector.Link([exit], [entry]);
            }
            foreach (var lane in lanes)
            {
                lane.Link([.. incomingOfLane[lane.Fid]], [.. outgoingOfLane[lane.Fid]]);
            }
            foreach (var group in lanes.GroupBy(l => l.RoadblockFid))
            {
                var byIndex = group.ToLookup(l => l.Index);
                foreach (var lane in group)
                {
                    lane.LeftNeighbour = byIndex[lane.Index - 1].FirstOrDefault();
                    lane.RightNeighbour = byIndex[lane.Index + 1].FirstOrDefault();
                }
            }

            // Route graph: lane groups and lane group connectors.
            var lanesOfGroup = lanes.ToLookup(l => l.RoadblockFid);
            var connectorsOfGroup = connectors.ToLookup(c => c.RoadblockFid);
            var outgoingOfBlock = roadblocks.ToDictionary(r => r.Fid, _ => new List<RoadblockBase>());
            var incomingOfBlock = roadblocks.ToDictionary(r => r.Fid, _ => new List<RoadblockBase>());
            for (var i = 0; i < roadblockConnectors.Length; i++)
            {
                var block = roadblockConnectors[i];
                var row = roadblockConnectorRows[i];
                var from = BlockOf(roadblockById, Required(MapSchema.LaneGroupConnectors, row, "from_lane_group_fid"), block, "from_lane_group_fid");
                var to = BlockOf(roadblockById, Required(MapSchema.LaneGroupConnectors, row, "to_lane_group_fid"), block, "to_lane_group_fid");
                block.IncomingEdges = [from];
                block.OutgoingEdges = [to];
                block.InteriorEdges = [.. connectorsOfGroup[block.Fid]];
                var intersection = row.Long("intersection_fid");
                block.Intersection = intersection is { } id ? intersectionById.GetValueOrDefault(id) : null;
                outgoingOfBlock[from.Fid].Add(block);
                incomingOfBlock[to.Fid].Add(block);
            }
            foreach (var block in roadblocks)
            {
                block.InteriorEdges = [.. lanesOfGroup[block.Fid]];
                block.IncomingEdges = [.. incomingOfBlock[block.Fid]];
                block.OutgoingEdges = [.. outgoingOfBlock[block.Fid]];
            }

            var carparks = Polygons(MapSchema.CarparkAreas);
            var drivable = Polygons(MapSchema.RoadSegments)
                .Concat(intersections)
                .Concat(Polygons(MapSchema.GenericDrivableAreas))
                .Concat(carparks)
                .ToArray();
            return new MapObjects
            {
                Lanes = lanes,
                Connectors = connectors,
                ConnectorsByPolygonRow = connectorsByPolygonRow,
                Roadblocks = roadblocks,
                RoadblockConnectors = roadblockConnectors,
                StopLines = stopLines,
                Crosswalks = Polygons(MapSchema.Crosswalks),
                Intersections = intersections,
                Walkways = Polygons(MapSchema.Walkways),
                Carparks = carparks,
                DrivableArea = drivable,
            };
        }

        /// <summary>The listed polygons crossing the baseline; if none does, the listed one nearest its start.</summary>
        private static StopLine[] StopLinesOf(StopLine[] listed, Polyline baseline)
        {
            if (listed.Length == 0)
            {
                return [];
            }
            var crossing = listed.Where(s => s.Polygon.Intersects(baseline.LineString)).ToArray();
            if (crossing.Length > 0)
            {
                return crossing;
            }
            var start = baseline.LineString.StartPoint;
            return [listed.MinBy(s => s.Polygon.Distance(start))!];
        }

        private PolygonMapObject[] Polygons(MapTable table) =>
            [.. content.Rows(table).Select(r => new PolygonMapObject(r.Fid, Surface(table, r)))];

        private Lane LaneOf(Dictionary<long, Lane> lanes, long fid, LaneConnector connector, string column) =>
            lanes.TryGetValue(fid, out var lane) ? lane
                : throw Error(MapSchema.LaneConnectors, $"lane connector {connector.Id} has {column} {fid}, which lanes_polygons lacks.");

        private Roadblock BlockOf(Dictionary<long, Roadblock> blocks, long fid, RoadblockConnector connector, string column) =>
            blocks.TryGetValue(fid, out var block) ? block
                : throw Error(MapSchema.LaneGroupConnectors, $"lane group connector {connector.Id} has {column} {fid}, which lane_groups_polygons lacks.");

        private static Polyline? Boundary(Dictionary<long, Polyline> boundaries, long? fid) =>
            fid is { } id ? boundaries.GetValueOrDefault(id) : null;

        private static double? SpeedLimit(MapFeature row) => row.Double("speed_limit_mps");

        private static StopLineType StopType(MapFeature row) =>
            row.Long("stop_polygon_type_fid") is { } t && t is >= 0 and <= 5 ? (StopLineType)t : StopLineType.Unknown;

        private long Required(MapTable table, MapFeature row, string column) =>
            row.Long(column) ?? throw Error(table, $"row {row.Fid} has no {column}.");

        private Geometry Surface(MapTable table, MapFeature row) => row.Geometry switch
        {
            Polygon or MultiPolygon => row.Geometry,
            null => throw Error(table, $"row {row.Fid} has no geometry."),
            var g => throw Error(table, $"row {row.Fid} is a {g.GeometryType}, not a polygon."),
        };

        private LineString Line(MapTable table, MapFeature row) => row.Geometry switch
        {
            LineString line => line,
            MultiLineString { NumGeometries: 1 } multi => (LineString)multi.GetGeometryN(0),
            null => throw Error(table, $"row {row.Fid} has no geometry."),
            var g => throw Error(table, $"row {row.Fid} is a {g.GeometryType}, not a line string."),
        };

        private MapDataException Error(MapTable table, string reason) => new(source, $"layer {table.Name}: {reason}");

        private static string Id(long fid) => fid.ToString(CultureInfo.InvariantCulture);

        /// <summary>A comma-separated fid list (spaces ignored, as the devkit strips them).</summary>
        private IEnumerable<long> ParseIds(string text, long connector) =>
            text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(t => long.TryParse(t.Replace(" ", string.Empty, StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)
                    ? id
                    : throw Error(MapSchema.LaneConnectors, $"lane connector {connector} has traffic_light_stop_line_fids '{text}', which is not a list of fids."));
    }
}
