using NuPlanBus.Domain.Errors;
using NuPlanBus.Maps.Objects;
using NuPlanBus.Maps.Synthetic;

namespace NuPlanBus.Maps.Tests;

public sealed class MapApiTests : IDisposable
{
    private readonly TestMapRoot _maps = new();
    private readonly NuPlanMap _map;

    public MapApiTests()
    {
        _map = _maps.Load();
    }

    private SyntheticCorridor Corridor => _maps.Corridor;

    public void Dispose() => _maps.Dispose();

    private (double X, double Y) At(double s, double d) => Corridor.ToGlobal(s, d);

    [Fact]
    public void A_point_in_a_lane_finds_that_lane_its_roadblock_and_its_neighbours()
    {
        var (x, y) = At(250, 0.2);

        var lane = Assert.IsType<Lane>(_map.GetOneMapObject(x, y, SemanticMapLayer.Lane));

        Assert.Equal(Corridor.LaneId(2, 2), lane.Fid);
        Assert.Equal(2, lane.Index);
        Assert.Equal(Corridor.RoadblockId(2).ToString(System.Globalization.CultureInfo.InvariantCulture), lane.RoadblockId);
        Assert.Same(_map.GetMapObject(lane.RoadblockId, SemanticMapLayer.Roadblock), lane.Parent);
        Assert.Equal(Corridor.LaneId(2, 1), lane.LeftNeighbour!.Fid);
        Assert.Equal(Corridor.LaneId(2, 3), lane.RightNeighbour!.Fid);
        Assert.True(lane.LeftNeighbour.IsLeftOf(lane));
        Assert.Equal(SyntheticCorridor.SpeedLimitMps, lane.SpeedLimitMps);
        Assert.Equal(50 / 2.237, lane.SpeedLimitMps);
        Assert.True(_map.IsInLayer(x, y, SemanticMapLayer.Lane));
        Assert.True(_map.IsInLayer(x, y, SemanticMapLayer.DrivableArea));
        Assert.False(_map.IsInLayer(x, y, SemanticMapLayer.LaneConnector));
        Assert.Empty(_map.LaneConnectorsAt(x, y));
    }

    [Fact]
    public void Lanes_and_connectors_form_the_lane_graph_in_the_direction_of_travel()
    {
        var lane = _map.GetLane(Corridor.LaneId(2, 1))!;
        var connector = Assert.IsType<LaneConnector>(Assert.Single(lane.OutgoingEdges));
        var next = Assert.IsType<Lane>(Assert.Single(connector.OutgoingEdges));
        Assert.Equal(Corridor.LaneId(3, 1), next.Fid);
        Assert.Same(lane, Assert.Single(connector.IncomingEdges));
        Assert.Same(connector, Assert.Single(next.IncomingEdges));
        // The connector's baseline starts where the lane's ends and ends where the next lane's starts.
        Assert.True(lane.Baseline.LineString.EndPoint.EqualsExact(connector.Baseline.LineString.StartPoint));
        Assert.True(connector.Baseline.LineString.EndPoint.EqualsExact(next.Baseline.LineString.StartPoint));
        Assert.False(connector.HasTrafficLights);

        var block = lane.Parent;
        var blockConnector = Assert.Single(block.OutgoingEdges);
        Assert.Same(connector.Parent, blockConnector);
        Assert.Same(next.Parent, Assert.Single(blockConnector.OutgoingEdges));
        Assert.Equal(3, block.InteriorEdges.Count);

        // Oncoming lanes are digitised the other way: block 3 leads to block 2.
        var oncoming = _map.GetLane(Corridor.LaneId(3, 1, oncoming: true))!;
        Assert.Equal(Corridor.LaneId(2, 1, oncoming: true), Assert.Single(Assert.Single(oncoming.OutgoingEdges).OutgoingEdges).Fid);
    }

    [Fact]
    public void A_point_in_a_gap_is_in_a_connector_polygon_but_in_no_lane()
    {
        var (x, y) = At(299, 0.1);

        Assert.Null(_map.GetOneMapObject(x, y, SemanticMapLayer.Lane));
        var connector = Assert.Single(_map.LaneConnectorsAt(x, y));
        Assert.Equal(Corridor.LaneConnectorId(2, 2), connector.Fid);
        Assert.Equal(Corridor.RoadblockConnectorId(2), Assert.IsType<RoadblockConnector>(_map.GetOneMapObject(x, y, SemanticMapLayer.RoadblockConnector)).Fid);
        Assert.True(_map.IsInLayer(x, y, SemanticMapLayer.DrivableArea));
    }

    [Fact]
    public void Containment_is_strict_on_shared_lane_edges()
    {
        // d = 1.75 is the boundary between lanes 1 and 2: neither contains the point, as with GEOS.
        var (x, y) = At(250, 1.75);
        var onEdge = _map.LanesAt(x, y);
        var (xi, yi) = At(250, 1.7);

        Assert.True(onEdge.Count <= 1, "at most one lane may contain a point near a shared edge (rounding)");
        Assert.Single(_map.LanesAt(xi, yi));
    }

    [Fact]
    public void Off_road_points_are_outside_the_drivable_area_at_their_distance_to_it()
    {
        var (x, y) = At(250, SyntheticCorridor.ShoulderEdge - 2);

        Assert.False(_map.IsInLayer(x, y, SemanticMapLayer.DrivableArea));
        var (_, distance) = _map.GetDistanceToNearestMapObject(x, y, SemanticMapLayer.DrivableArea);
        Assert.Equal(2.0, distance, 9);
        var (laneId, laneDistance) = _map.GetDistanceToNearestMapObject(x, y, SemanticMapLayer.Lane);
        Assert.Equal(Corridor.LaneId(2, 3).ToString(System.Globalization.CultureInfo.InvariantCulture), laneId);
        Assert.Equal(2.0 + (-SyntheticCorridor.ShoulderEdge - 5.25), laneDistance, 9);
    }

    [Fact]
    public void Proximity_uses_an_axis_aligned_square_and_connectors_by_their_lines()
    {
        var (x, y) = At(299, 0);
        var near = _map.GetProximalMapObjects(x, y, 0.5, [SemanticMapLayer.Lane, SemanticMapLayer.LaneConnector, SemanticMapLayer.Crosswalk]);

        Assert.Contains(near[SemanticMapLayer.LaneConnector], o => o.Fid == Corridor.LaneConnectorId(2, 2));
        Assert.DoesNotContain(near[SemanticMapLayer.LaneConnector], o => o.Fid == Corridor.LaneConnectorId(2, 1));
        Assert.Empty(near[SemanticMapLayer.Crosswalk]);
        Assert.All(near[SemanticMapLayer.Lane], o => Assert.True(o.Polygon.Distance(o.Polygon.Factory.CreatePoint(new NetTopologySuite.Geometries.Coordinate(x, y))) <= 0.5 * Math.Sqrt(2) + 1e-9));
    }

    [Fact]
    public void Routes_alternate_roadblocks_and_roadblock_connectors_that_exist_on_the_map()
    {
        var route = Corridor.RouteIds(150, 420);

        Assert.Equal(7, route.Count);
        for (var i = 0; i < route.Count; i++)
        {
            var layer = i % 2 == 0 ? SemanticMapLayer.Roadblock : SemanticMapLayer.RoadblockConnector;
            var block = Assert.IsAssignableFrom<RoadblockBase>(_map.GetMapObject(route[i], layer));
            if (i > 0)
            {
                Assert.Contains(block, ((RoadblockBase)_map.GetRoadblockOrConnector(route[i - 1])!).OutgoingEdges);
            }
        }
        Assert.Equal([Corridor.RoadblockConnectorId(2).ToString(System.Globalization.CultureInfo.InvariantCulture)], Corridor.RouteIds(299, 299));
    }

    [Fact]
    public void Get_one_map_object_refuses_a_point_inside_several_objects()
    {
        // Two overlapping roadblock connectors cannot occur on the corridor; the drivable-area rows overlap instead
        // (road segment and crosswalk lie over each other only in different layers), so use the crosswalk layer of a
        // map with two crosswalks at the same place.
        var builder = new SyntheticMapBuilder("overlap", 32611);
        var corridor = new SyntheticCorridor(0, 600_000, 4_000_000, 0, 0, 200, [50, 51]);
        corridor.AddTo(builder);
        var map = NuPlanMap.Build(builder.Build(), "overlap.gpkg");
        var (x, y) = corridor.ToGlobal(50.5, 0);

        var error = Assert.Throws<MapDataException>(() => map.GetOneMapObject(x, y, SemanticMapLayer.Crosswalk));

        Assert.Contains("2 Crosswalk objects", error.Message);
        Assert.Equal(2, map.GetAllMapObjects(x, y, SemanticMapLayer.Crosswalk).Count);
    }

    [Fact]
    public void A_maps_root_resolves_a_location_and_names_what_it_searched_when_it_cannot()
    {
        Assert.Equal(_maps.MapPath, _maps.Root.Resolve(TestMapRoot.Location));
        Assert.Equal(_maps.MapPath, _maps.Root.Resolve(TestMapRoot.Location + ".gpkg"));

        var unknown = Assert.Throws<MapDataException>(() => _maps.Root.Resolve("us-ma-boston"));
        Assert.Contains("'us-ma-boston' is not listed", unknown.Message);
        Assert.Contains(TestMapRoot.Location, unknown.Message);
        Assert.Equal(_maps.Root.VersionFile, unknown.Path);

        File.Delete(_maps.MapPath);
        var missing = Assert.Throws<MapDataException>(() => new MapsRoot(_maps.Directory).Resolve(TestMapRoot.Location));
        Assert.Equal(_maps.MapPath, missing.Path);

        var noRoot = Assert.Throws<MapDataException>(() => new MapsRoot(Path.Combine(_maps.Directory, "nowhere")).Resolve("x"));
        Assert.Contains("NUPLAN_MAPS_ROOT", noRoot.Message);

        var noVersionFile = Assert.Throws<MapDataException>(() => new MapsRoot(_maps.Directory, "nuplan-maps-v9.9").Resolve("x"));
        Assert.EndsWith("nuplan-maps-v9.9.json", noVersionFile.Path);
    }

    [Fact]
    public async Task A_map_is_loaded_once_per_process_however_many_threads_ask()
    {
        var provider = new MapProvider();

        var maps = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => provider.Get(_maps.Root, TestMapRoot.Location))));

        Assert.All(maps, m => Assert.Same(maps[0], m));
        Assert.Equal(1, provider.LoadedCount);
        Assert.Throws<MapDataException>(() => provider.Get(_maps.Root, "elsewhere"));
        Assert.Equal(1, provider.LoadedCount);
    }
}
