using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.States;
using NuPlanBus.Maps;
using NuPlanBus.Maps.Synthetic;
using NuPlanBus.Simulation.Planners;
using NuPlanBus.Simulation.Routes;
using NuPlanBus.Simulation.Runners;

namespace NuPlanBus.Simulation.Tests;

/// <summary>
/// The IDM planner on the lane graph of a hand-built road: a synthetic corridor along +x from the origin (lane 2 of
/// the direction of travel centred on y = 0, roadblocks every 100 m joined by connector gaps at x ∈ [98, 100],
/// [198, 200], …; 50 mph limits). Scenario routes name its roadblocks and roadblock connectors.
/// </summary>
public class IdmPlannerLaneGraphTests
{
    private static readonly SyntheticCorridor Corridor = new(0, 0, 0, 0, -100, 1000);

    private static readonly NuPlanMap Map = BuildMap();

    private static NuPlanMap BuildMap()
    {
        var builder = new SyntheticMapBuilder("lane-graph-test", 32611);
        Corridor.AddTo(builder);
        return NuPlanMap.Build(builder.Build(), "lane-graph-test.gpkg");
    }

    private static SimulationRunner Runner(double startX, double speed, IReadOnlyList<string> route, Func<long, TrafficLightStatus[]>? lights = null, int iterations = 151)
    {
        var scenario = IdmScenarios.Build(iterations, new Pose(startX, 0.2, 0), speed, route, lights);
        return SimulationBuilder.Build(scenario, "idm_planner", "perfect_tracking_controller", "box_observation", map: Map);
    }

    [Fact]
    public void The_planner_follows_the_route_lanes_through_the_connectors_at_the_first_lane_speed_limit()
    {
        var runner = Runner(20, 5.0, Corridor.RouteIds(20, 700));

        runner.Run();

        var planner = Assert.IsType<IdmPlanner>(runner.Planner);
        Assert.Equal(RouteSources.Lanes, planner.RouteSource);
        Assert.True(planner.Route!.ReachedGoal);
        // Lane 2 of block 0, its connector, lane 2 of block 1, … alternating lanes and connectors.
        Assert.Equal(Corridor.LaneId(0, 2), planner.Route.Edges[0].Fid);
        Assert.True(planner.Route.Edges[1].IsConnector);
        Assert.All(planner.Route.Edges.Where((_, i) => i % 2 == 0), e => Assert.False(e.IsConnector));
        Assert.Equal(50 / 2.237, planner.TargetVelocity);
        var egos = runner.Simulation.History.EgoStates();
        // It drives along the lane baseline (y = 0), past the gap at x = 98–100, speeding up towards the limit.
        Assert.All(egos.Skip(5), e => Assert.InRange(e.RearAxle.Y, -0.05, 0.25));
        Assert.True(egos[^1].RearAxle.X > 120, $"ended at x = {egos[^1].RearAxle.X}");
        Assert.True(egos[^1].Speed > 12, $"speed {egos[^1].Speed}");
    }

    [Fact]
    public void A_red_light_on_a_route_connector_stops_the_ego_before_the_connector_and_green_lets_it_pass()
    {
        var connector = Corridor.LaneConnectorId(1, 2);
        TrafficLightStatus[] Red(long t) => [new TrafficLightStatus(connector, TrafficLightState.Red, t)];
        TrafficLightStatus[] Green(long t) => [new TrafficLightStatus(connector, TrafficLightState.Green, t)];
        var route = Corridor.RouteIds(150, 450);

        var red = Runner(150, 8.0, route, Red);
        red.Run();
        var green = Runner(150, 8.0, route, Green);
        green.Run();

        // The connector polygon starts at x = 198; the ego's front is 4.049 m ahead of its rear axle.
        var front = VehicleParameters.Pacifica.FrontLength;
        var stopped = red.Simulation.History.EgoStates()[^1];
        Assert.True(stopped.RearAxle.X + front < 198, $"front at {stopped.RearAxle.X + front}");
        Assert.True(stopped.Speed < 0.5, $"speed {stopped.Speed}");
        Assert.True(green.Simulation.History.EgoStates()[^1].RearAxle.X > 200);
    }

    [Fact]
    public void A_route_that_does_not_alternate_falls_back_to_the_last_edge_reached_and_without_a_map_the_expert_path_is_followed()
    {
        // Block 0, then block 2: the connector between is missing, so the search cannot reach block 2 at depth 2.
        var broken = Runner(20, 5.0, [Corridor.RoadblockId(0).ToString(System.Globalization.CultureInfo.InvariantCulture), Corridor.RoadblockId(2).ToString(System.Globalization.CultureInfo.InvariantCulture)], iterations: 20);
        broken.Run();
        var planner = Assert.IsType<IdmPlanner>(broken.Planner);
        Assert.False(planner.Route!.ReachedGoal);
        Assert.Equal(Corridor.LaneId(0, 2), planner.Route.Edges[0].Fid);

        var mapless = SimulationBuilder.Build(IdmScenarios.Build(20, new Pose(20, 0.2, 0), 5.0), "idm_planner", "perfect_tracking_controller", "box_observation");
        mapless.Run();
        Assert.Equal(RouteSources.ExpertPath, ((IdmPlanner)mapless.Planner).RouteSource);
    }
}

/// <summary>IDM agents snapped to the lane graph of the same hand-built road.</summary>
public class IdmAgentsLaneGraphTests
{
    private static readonly SyntheticCorridor Corridor = new(0, 0, 0, 0, -100, 1000);

    private static readonly NuPlanMap Map = BuildMap();

    private static NuPlanMap BuildMap()
    {
        var builder = new SyntheticMapBuilder("agents-test", 32611);
        Corridor.AddTo(builder);
        return NuPlanMap.Build(builder.Build(), "agents-test.gpkg");
    }

    [Fact]
    public void Agents_are_snapped_onto_their_lane_keep_it_through_the_connectors_and_target_its_speed_limit()
    {
        // A car in lane 1 (centre y = 3.5) logged 0.4 m off its baseline and slightly askew, one far off the road, one
        // oncoming in lane y = 7.5 heading −x.
        // 8 s, the ego replaying 10 m/s, so every agent stays within the 100 m the devkit keeps agents.
        var scenario = IdmScenarios.Build(81, new Pose(0, 0, 0), 10.0, [], null,
            new ObjectSpec("lane", TrackedObjectType.Vehicle, new Pose(40, 3.9, 0.05), 8.0),
            new ObjectSpec("off-road", TrackedObjectType.Vehicle, new Pose(40, -20, 0), 8.0),
            new ObjectSpec("oncoming", TrackedObjectType.Vehicle, new Pose(90, 7.5, Math.PI), 8.0));
        var runner = SimulationBuilder.Build(scenario, "log_future_planner", "log_play_back_controller", "idm_agents_observation", map: Map);

        runner.Run();

        var observation = Assert.IsType<Observations.IdmAgentsObservation>(runner.Simulation.Setup.Observation);
        Assert.Equal(RouteSources.Lanes, observation.RouteSource);
        var samples = runner.Simulation.History.Samples;
        Assert.All(samples, s => Assert.DoesNotContain(s.Observation, o => o.TrackToken == "off-road"));
        var lane = samples.Select(s => s.Observation.Single(o => o.TrackToken == "lane").Box.Center).ToArray();
        Assert.All(lane, p => Assert.Equal(3.5, p.Y, 9));
        Assert.All(lane, p => Assert.Equal(0.0, p.Heading, 9));
        Assert.True(lane[^1].X > 110, $"the lane agent ended at x = {lane[^1].X}");
        var oncoming = samples.Select(s => s.Observation.Single(o => o.TrackToken == "oncoming").Box.Center).ToArray();
        Assert.All(oncoming, p => Assert.Equal(7.5, p.Y, 9));
        Assert.True(oncoming[^1].X < 50, $"the oncoming agent ended at x = {oncoming[^1].X}");
        // Accelerating from 8 m/s towards the 50 mph limit of its lane, above the configured 10 m/s.
        var last = samples[^1].Observation.Single(o => o.TrackToken == "lane");
        Assert.True(last.Velocity.Magnitude > 12, $"speed {last.Velocity.Magnitude}");
    }

    [Theory]
    [InlineData(TrafficLightState.Red, true)]
    [InlineData(TrafficLightState.Green, false)]
    public void An_agent_stops_at_the_stop_line_of_a_red_connector_on_its_route(TrafficLightState laterState, bool stops)
    {
        // Signalise the connector of lane 2 in the gap x ∈ [198, 200] with a stop polygon x ∈ [197.5, 198]. Its light is
        // GREEN when the agents are built (so the agent's route goes through it), then laterState.
        var connector = Corridor.LaneConnectorId(1, 2);
        var builder = new SyntheticMapBuilder("signal-test", 32611);
        Corridor.AddTo(builder);
        var (x0, y0) = (197.5, -1.75);
        builder.Add(Maps.Gpkg.MapSchema.StopPolygons, 999_999,
            builder.Factory.CreatePolygon([new(x0, y0), new(198, y0), new(198, 1.75), new(x0, 1.75), new(x0, y0)]), ("stop_polygon_type_fid", 2L));
        var content = builder.Build();
        var connectors = content.Tables["lane_connectors"];
        var tables = new Dictionary<string, Maps.Gpkg.MapFeatureTable>(content.Tables)
        {
            ["lane_connectors"] = connectors with
            {
                Rows = [.. connectors.Rows.Select(r => r.Fid != connector ? r
                    : r with { Attributes = new Dictionary<string, object?>(r.Attributes) { ["traffic_light_stop_line_fids"] = "999999" } })],
            },
        };
        var map = NuPlanMap.Build(content with { Tables = tables }, "signal-test.gpkg");
        Assert.True(map.GetLaneConnector(connector)!.HasTrafficLights);
        var start = TestScenarios.StartUs + TestScenarios.HistoryRows * TestScenarios.RowUs;
        TrafficLightStatus[] Lights(long t) => [new(connector, t <= start ? TrafficLightState.Green : laterState, t)];
        // 10 s; the ego replays 10 m/s from 40 m behind the agent, which so stays within the 100 m agents are kept.
        var scenario = IdmScenarios.Build(101, new Pose(120, 0, 0), 10.0, [], Lights,
            new ObjectSpec("car", TrackedObjectType.Vehicle, new Pose(160, 0, 0), 8.0));

        var runner = SimulationBuilder.Build(scenario, "log_future_planner", "log_play_back_controller", "idm_agents_observation", map: map);
        runner.Run();

        var car = runner.Simulation.History.Samples[^1].Observation.Single(o => o.TrackToken == "car");
        var front = car.Box.Center.X + car.Box.Length / 2;
        if (stops)
        {
            Assert.True(front < 197.5, $"front at {front}");
            Assert.True(car.Velocity.Magnitude < 0.5, $"speed {car.Velocity.Magnitude}");
        }
        else
        {
            Assert.True(front > 200, $"front at {front}");
        }
    }
}
