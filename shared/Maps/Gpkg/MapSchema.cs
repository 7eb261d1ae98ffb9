namespace NuPlanBus.Maps.Gpkg;

/// <summary>One column of a map table: its name and SQLite type.</summary>
public sealed record MapColumn(string Name, string SqlType);

/// <summary>
/// One table of a nuPlan map GeoPackage (docs/nuplan-maps.md §1.3): its name, its geometry type (null for the
/// attribute table <c>meta</c>) and the attribute columns besides <c>fid</c> and <c>geom</c>. The writer creates
/// exactly these columns; the reader requires the ones the map API reads (<see cref="Required"/>).
/// </summary>
public sealed record MapTable(string Name, string? GeometryType, IReadOnlyList<MapColumn> Columns, IReadOnlyList<string> Required);

/// <summary>The tables and columns of a nuPlan map, in one place for the reader, the writer and the tests.</summary>
public static class MapSchema
{
    public const string GeometryColumn = "geom";

    public static readonly MapTable Meta = new("meta", null, [Text("key"), Text("value")], ["key", "value"]);

    public static readonly MapTable LanesPolygons = new("lanes_polygons", "POLYGON",
        [Int("lane_fid"), Int("lane_group_fid"), Int("lane_index"), Real("speed_limit_mps"), Int("left_boundary_fid"),
         Int("right_boundary_fid"), Int("lane_type_fid"), Real("width"), Int("creator_id"), Text("name")],
        ["lane_fid", "lane_group_fid", "lane_index", "speed_limit_mps", "left_boundary_fid", "right_boundary_fid"]);

    public static readonly MapTable BaselinePaths = new("baseline_paths", "LINESTRING",
        [Int("lane_fid"), Int("lane_connector_fid"), Int("path_type_fid"), Int("creator_id")],
        ["lane_fid", "lane_connector_fid"]);

    public static readonly MapTable Boundaries = new("boundaries", "LINESTRING",
        [Int("boundary_type_fid"), Int("creator_id")], []);

    public static readonly MapTable LaneGroupsPolygons = new("lane_groups_polygons", "POLYGON",
        [Int("left_boundary_fid"), Int("right_boundary_fid"), Int("from_edge_fid"), Int("to_edge_fid"), Int("creator_id")], []);

    public static readonly MapTable LaneConnectors = new("lane_connectors", "LINESTRING",
        [Int("exit_lane_fid"), Int("entry_lane_fid"), Int("lane_group_connector_fid"), Real("speed_limit_mps"),
         Text("traffic_light_stop_line_fids"), Int("exit_lane_group_fid"), Int("entry_lane_group_fid"),
         Int("intersection_fid"), Int("turn_type_fid"), Int("creator_id")],
        ["exit_lane_fid", "entry_lane_fid", "lane_group_connector_fid", "speed_limit_mps", "traffic_light_stop_line_fids"]);

    public static readonly MapTable LaneConnectorPolygons = new("gen_lane_connectors_scaled_width_polygons", "POLYGON",
        [Int("lane_connector_fid"), Int("left_boundary_fid"), Int("right_boundary_fid"), Int("baseline_path_fid")],
        ["lane_connector_fid"]);

    public static readonly MapTable LaneGroupConnectors = new("lane_group_connectors", "POLYGON",
        [Int("from_lane_group_fid"), Int("to_lane_group_fid"), Int("intersection_fid"), Int("left_boundary_fid"),
         Int("right_boundary_fid"), Int("creator_id")],
        ["from_lane_group_fid", "to_lane_group_fid"]);

    public static readonly MapTable Intersections = new("intersections", "POLYGON",
        [Int("intersection_type_fid"), Int("is_mini"), Int("creator_id")], []);

    public static readonly MapTable StopPolygons = new("stop_polygons", "POLYGON",
        [Int("stop_polygon_type_fid"), Int("lane_group_fid"), Text("lane_fids"), Text("lane_connector_fids"),
         Text("traffic_light_fids"), Text("crosswalk_fids"), Int("creator_id")],
        ["stop_polygon_type_fid"]);

    public static readonly MapTable Crosswalks = new("crosswalks", "POLYGON",
        [Text("intersection_fids"), Text("lane_fids"), Int("is_marked"), Int("creator_id")], []);

    public static readonly MapTable Walkways = new("walkways", "POLYGON", [Int("creator_id")], []);

    public static readonly MapTable CarparkAreas = new("carpark_areas", "POLYGON", [Real("heading"), Int("creator_id")], []);

    public static readonly MapTable GenericDrivableAreas = new("generic_drivable_areas", "POLYGON", [Int("creator_id")], []);

    public static readonly MapTable RoadSegments = new("road_segments", "POLYGON", [Text("lane_group_fids")], []);

    public static readonly MapTable TrafficLights = new("traffic_lights", "POINT", [Real("ori_mean_yaw"), Int("creator_id")], []);

    public static readonly MapTable DubinsNodes = new("dubins_nodes", "POINT", [Real("radius"), Real("heading"), Int("creator_id")], []);

    /// <summary>Every table of a map, in the order the writer creates them.</summary>
    public static IReadOnlyList<MapTable> All { get; } =
    [
        Meta, LanesPolygons, BaselinePaths, Boundaries, LaneGroupsPolygons, LaneConnectors, LaneConnectorPolygons,
        LaneGroupConnectors, Intersections, StopPolygons, Crosswalks, Walkways, CarparkAreas, GenericDrivableAreas,
        RoadSegments, TrafficLights, DubinsNodes,
    ];

    /// <summary>The tables the map API reads; a map lacking one is refused (the other two are never read).</summary>
    public static IReadOnlyList<MapTable> Read { get; } = [.. All.Where(t => t != TrafficLights && t != DubinsNodes)];

    private static MapColumn Int(string name) => new(name, "INTEGER");

    private static MapColumn Real(string name) => new(name, "REAL");

    private static MapColumn Text(string name) => new(name, "TEXT");
}
