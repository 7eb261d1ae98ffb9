using System.Globalization;
using NetTopologySuite.Geometries;
using NuPlanBus.Domain.Errors;
using NuPlanBus.Maps.Gpkg;
using NuPlanBus.Maps.Objects;

namespace NuPlanBus.Maps;

/// <summary>
/// A nuPlan map with the devkit's map API (docs/nuplan-maps.md §2): layer queries at a point, proximity, nearest
/// distance, objects by id and the lane graph, each layer behind an STR-tree. Built once from a map's content,
/// immutable afterwards and shared by every scenario and thread of a process (<see cref="MapProvider"/>).
/// </summary>
public sealed class NuPlanMap
{
    private readonly LayerIndex<Lane> _lanes;
    private readonly LayerIndex<LaneConnector> _connectorPolygons;
    private readonly LayerIndex<LaneConnector> _connectorLines;
    private readonly LayerIndex<Roadblock> _roadblocks;
    private readonly LayerIndex<RoadblockConnector> _roadblockConnectors;
    private readonly LayerIndex<StopLine> _stopLines;
    private readonly LayerIndex<StopLine> _turnStops;
    private readonly LayerIndex<PolygonMapObject> _crosswalks;
    private readonly LayerIndex<PolygonMapObject> _intersections;
    private readonly LayerIndex<PolygonMapObject> _walkways;
    private readonly LayerIndex<PolygonMapObject> _carparks;
    private readonly LayerIndex<PolygonMapObject> _drivableArea;
    private readonly Dictionary<long, Lane> _laneById;
    private readonly Dictionary<long, LaneConnector> _connectorById;
    private readonly Dictionary<long, Roadblock> _roadblockById;
    private readonly Dictionary<long, RoadblockConnector> _roadblockConnectorById;
    private readonly Dictionary<long, StopLine> _stopLineById;

    private NuPlanMap(string location, string source, int srid, MapObjects objects)
    {
        Location = location;
        Source = source;
        Srid = srid;
        _lanes = new LayerIndex<Lane>(objects.Lanes, l => l.Polygon);
        _connectorPolygons = new LayerIndex<LaneConnector>(objects.ConnectorsByPolygonRow, c => c.Polygon);
        _connectorLines = new LayerIndex<LaneConnector>(objects.Connectors, c => c.Line);
        _roadblocks = new LayerIndex<Roadblock>(objects.Roadblocks, r => r.Polygon);
        _roadblockConnectors = new LayerIndex<RoadblockConnector>(objects.RoadblockConnectors, r => r.Polygon);
        _stopLines = new LayerIndex<StopLine>(objects.StopLines, s => s.Polygon);
        _turnStops = new LayerIndex<StopLine>([.. objects.StopLines.Where(s => s.Type == StopLineType.TurnStop)], s => s.Polygon);
        _crosswalks = new LayerIndex<PolygonMapObject>(objects.Crosswalks, o => o.Polygon);
        _intersections = new LayerIndex<PolygonMapObject>(objects.Intersections, o => o.Polygon);
        _walkways = new LayerIndex<PolygonMapObject>(objects.Walkways, o => o.Polygon);
        _carparks = new LayerIndex<PolygonMapObject>(objects.Carparks, o => o.Polygon);
        _drivableArea = new LayerIndex<PolygonMapObject>(objects.DrivableArea, o => o.Polygon);
        _laneById = objects.Lanes.ToDictionary(l => l.Fid);
        _connectorById = objects.Connectors.ToDictionary(c => c.Fid);
        _roadblockById = objects.Roadblocks.ToDictionary(r => r.Fid);
        _roadblockConnectorById = objects.RoadblockConnectors.ToDictionary(r => r.Fid);
        _stopLineById = objects.StopLines.ToDictionary(s => s.Fid);
    }

    /// <summary>The map's location (<c>log.map_version</c>), e.g. <c>us-nv-las-vegas-strip</c>.</summary>
    public string Location { get; }

    /// <summary>The file the map was read from (for messages).</summary>
    public string Source { get; }

    /// <summary>EPSG code of the projected frame every coordinate is in.</summary>
    public int Srid { get; }

    public IReadOnlyList<Lane> Lanes => _lanes.Items;

    public IReadOnlyList<LaneConnector> LaneConnectors => _connectorLines.Items;

    public IReadOnlyList<Roadblock> Roadblocks => _roadblocks.Items;

    public IReadOnlyList<RoadblockConnector> RoadblockConnectors => _roadblockConnectors.Items;

    public IReadOnlyList<StopLine> StopLines => _stopLines.Items;

    public IReadOnlyList<PolygonMapObject> Intersections => _intersections.Items;

    public IReadOnlyList<PolygonMapObject> Crosswalks => _crosswalks.Items;

    public IReadOnlyList<PolygonMapObject> Walkways => _walkways.Items;

    public IReadOnlyList<PolygonMapObject> CarparkAreas => _carparks.Items;

    /// <summary>The derived DRIVABLE_AREA rows: road segments, intersections, generic drivable areas, car parks.</summary>
    public IReadOnlyList<PolygonMapObject> DrivableArea => _drivableArea.Items;

    /// <summary>
    /// <c>is_in_layer</c>: some row strictly contains the point. LANE_CONNECTOR tests the connector lines and is
    /// therefore always false, as in the devkit; DRIVABLE_AREA tests the rows of the derived layer.
    /// </summary>
    public bool IsInLayer(double x, double y, SemanticMapLayer layer) => layer switch
    {
        SemanticMapLayer.Lane => _lanes.AnyContains(x, y),
        SemanticMapLayer.LaneConnector => false,
        SemanticMapLayer.Roadblock => _roadblocks.AnyContains(x, y),
        SemanticMapLayer.RoadblockConnector => _roadblockConnectors.AnyContains(x, y),
        SemanticMapLayer.Intersection => _intersections.AnyContains(x, y),
        SemanticMapLayer.StopLine => _stopLines.AnyContains(x, y),
        SemanticMapLayer.TurnStop => _turnStops.AnyContains(x, y),
        SemanticMapLayer.Crosswalk => _crosswalks.AnyContains(x, y),
        SemanticMapLayer.Walkways => _walkways.AnyContains(x, y),
        SemanticMapLayer.CarparkArea => _carparks.AnyContains(x, y),
        SemanticMapLayer.DrivableArea => _drivableArea.AnyContains(x, y),
        SemanticMapLayer.BaselinePaths or SemanticMapLayer.Boundaries => false,
        _ => throw Unsupported(layer, "is_in_layer"),
    };

    /// <summary><c>get_all_map_objects</c>: every object of the layer strictly containing the point, in row order.</summary>
    public IReadOnlyList<MapObject> GetAllMapObjects(double x, double y, SemanticMapLayer layer) => layer switch
    {
        SemanticMapLayer.Lane => _lanes.Containing(x, y),
        SemanticMapLayer.LaneConnector => _connectorPolygons.Containing(x, y),
        SemanticMapLayer.Roadblock => _roadblocks.Containing(x, y),
        SemanticMapLayer.RoadblockConnector => _roadblockConnectors.Containing(x, y),
        SemanticMapLayer.StopLine => _stopLines.Containing(x, y),
        SemanticMapLayer.Crosswalk => _crosswalks.Containing(x, y),
        SemanticMapLayer.Intersection => _intersections.Containing(x, y),
        SemanticMapLayer.Walkways => _walkways.Containing(x, y),
        SemanticMapLayer.CarparkArea => _carparks.Containing(x, y),
        _ => throw Unsupported(layer, "get_all_map_objects"),
    };

    /// <summary>Lanes strictly containing the point, in row order.</summary>
    public List<Lane> LanesAt(double x, double y) => _lanes.Containing(x, y);

    /// <summary>Lane connectors whose generated polygon strictly contains the point, in that layer's row order.</summary>
    public List<LaneConnector> LaneConnectorsAt(double x, double y) => _connectorPolygons.Containing(x, y);

    /// <summary><c>get_one_map_object</c>: null when no object contains the point; an error when several do.</summary>
    public MapObject? GetOneMapObject(double x, double y, SemanticMapLayer layer)
    {
        var all = GetAllMapObjects(x, y, layer);
        return all.Count switch
        {
            0 => null,
            1 => all[0],
            _ => throw new MapDataException(Source,
                $"{all.Count} {layer} objects ({string.Join(", ", all.Select(o => o.Id))}) contain the point ({Format(x)}, {Format(y)}); the devkit expects at most one."),
        };
    }

    /// <summary>
    /// <c>get_proximal_map_objects</c>: per layer, the objects intersecting the axis-aligned square of half-size
    /// <paramref name="radius"/> around the point (not a circle); lane connectors by their lines.
    /// </summary>
    public IReadOnlyDictionary<SemanticMapLayer, IReadOnlyList<MapObject>> GetProximalMapObjects(
        double x, double y, double radius, IEnumerable<SemanticMapLayer> layers)
    {
        var patch = new Envelope(x - radius, x + radius, y - radius, y + radius);
        var result = new Dictionary<SemanticMapLayer, IReadOnlyList<MapObject>>();
        foreach (var layer in layers)
        {
            result[layer] = layer switch
            {
                SemanticMapLayer.Lane => _lanes.Intersecting(patch),
                SemanticMapLayer.LaneConnector => _connectorLines.Intersecting(patch),
                SemanticMapLayer.Roadblock => _roadblocks.Intersecting(patch),
                SemanticMapLayer.RoadblockConnector => _roadblockConnectors.Intersecting(patch),
                SemanticMapLayer.StopLine => _stopLines.Intersecting(patch),
                SemanticMapLayer.Crosswalk => _crosswalks.Intersecting(patch),
                SemanticMapLayer.Intersection => _intersections.Intersecting(patch),
                SemanticMapLayer.Walkways => _walkways.Intersecting(patch),
                SemanticMapLayer.CarparkArea => _carparks.Intersecting(patch),
                _ => throw Unsupported(layer, "get_proximal_map_objects"),
            };
        }
        return result;
    }

    /// <summary>
    /// <c>get_distance_to_nearest_map_object</c>: the id and distance of the nearest object (0 inside); lane connectors
    /// are measured to their lines. An empty layer is an error, as in the devkit.
    /// </summary>
    public (string Id, double Distance) GetDistanceToNearestMapObject(double x, double y, SemanticMapLayer layer)
    {
        (MapObject item, double distance) nearest = layer switch
        {
            SemanticMapLayer.Lane => Nearest(_lanes, x, y, layer),
            SemanticMapLayer.LaneConnector => Nearest(_connectorLines, x, y, layer),
            SemanticMapLayer.Roadblock => Nearest(_roadblocks, x, y, layer),
            SemanticMapLayer.RoadblockConnector => Nearest(_roadblockConnectors, x, y, layer),
            SemanticMapLayer.StopLine => Nearest(_stopLines, x, y, layer),
            SemanticMapLayer.Crosswalk => Nearest(_crosswalks, x, y, layer),
            SemanticMapLayer.Intersection => Nearest(_intersections, x, y, layer),
            SemanticMapLayer.Walkways => Nearest(_walkways, x, y, layer),
            SemanticMapLayer.CarparkArea => Nearest(_carparks, x, y, layer),
            SemanticMapLayer.DrivableArea => Nearest(_drivableArea, x, y, layer),
            _ => throw Unsupported(layer, "get_distance_to_nearest_map_object"),
        };
        return (nearest.item.Id, nearest.distance);
    }

    /// <summary><c>get_map_object</c>: the object with that id, or null.</summary>
    public MapObject? GetMapObject(string id, SemanticMapLayer layer)
    {
        if (!long.TryParse(id, NumberStyles.Integer, CultureInfo.InvariantCulture, out var fid))
        {
            return null;
        }
        return layer switch
        {
            SemanticMapLayer.Lane => _laneById.GetValueOrDefault(fid),
            SemanticMapLayer.LaneConnector => _connectorById.GetValueOrDefault(fid),
            SemanticMapLayer.Roadblock => _roadblockById.GetValueOrDefault(fid),
            SemanticMapLayer.RoadblockConnector => _roadblockConnectorById.GetValueOrDefault(fid),
            SemanticMapLayer.StopLine => _stopLineById.GetValueOrDefault(fid),
            _ => throw Unsupported(layer, "get_map_object"),
        };
    }

    public Lane? GetLane(long fid) => _laneById.GetValueOrDefault(fid);

    public LaneConnector? GetLaneConnector(long fid) => _connectorById.GetValueOrDefault(fid);

    /// <summary>A roadblock or, failing that, a roadblock connector with that id (the IDM planner's route look-up).</summary>
    public RoadblockBase? GetRoadblockOrConnector(string id) =>
        (RoadblockBase?)GetMapObject(id, SemanticMapLayer.Roadblock) ?? (RoadblockBase?)GetMapObject(id, SemanticMapLayer.RoadblockConnector);

    /// <summary>The roadblock (for a lane) or roadblock connector (for a connector) an edge belongs to.</summary>
    public RoadblockBase RoadblockOf(LaneGraphEdge edge) => edge switch
    {
        Lane lane => lane.Parent,
        LaneConnector connector => connector.Parent,
        _ => throw new ArgumentOutOfRangeException(nameof(edge)),
    };

    /// <summary>Builds the map API over a map's content, checking the references the API follows.</summary>
    public static NuPlanMap Build(MapContent content, string source)
    {
        ArgumentNullException.ThrowIfNull(content);
        var srid = content.Srid;
        return new NuPlanMap(content.Location, source, srid, MapObjects.Create(content, source));
    }

    private (MapObject, double) Nearest<T>(LayerIndex<T> index, double x, double y, SemanticMapLayer layer)
        where T : MapObject
    {
        if (index.Count == 0)
        {
            throw new MapDataException(Source, $"the {layer} layer is empty, so there is no nearest {layer} object.");
        }
        var (item, distance) = index.Nearest(x, y);
        return (item, distance);
    }

    private static string Format(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    private static NotSupportedException Unsupported(SemanticMapLayer layer, string query) =>
        new($"The map API does not answer {query} for the {layer} layer (as the devkit).");
}
