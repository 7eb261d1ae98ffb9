using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.States;
using NuPlanBus.Maps;
using NuPlanBus.Maps.Synthetic;
using NuPlanBus.Metrics.Engine;
using NuPlanBus.Metrics.Evaluation;
using NuPlanBus.Metrics.Evaluation.Collisions;
using NuPlanBus.Metrics.Evaluation.Lanes;
using NuPlanBus.Metrics.Results;
using static NuPlanBus.Metrics.Tests.MetricTestScenes;

namespace NuPlanBus.Metrics.Tests;

/// <summary>
/// The map-based metrics on a hand-built road: a synthetic corridor laid along +x from the origin, so x is the
/// distance along the road and y the offset to its left. Lanes in the direction of travel cover y ∈ [1.75, 5.25]
/// (index 1), [−1.75, 1.75] (2), [−5.25, −1.75] (3); oncoming lanes y ∈ [5.75, 9.25] and [9.25, 12.75]; the road
/// surface reaches y = −8; roadblocks are cut every 100 m with 2 m connector gaps at x ∈ [98, 100], [198, 200], …;
/// every limit is 50 mph = 50 / 2.237 m/s. The box car's footprint is x ∈ [−1, 4], y ∈ [−1, 1] about its rear axle.
/// </summary>
public sealed class MapMetricTests
{
    private static readonly NuPlanMap Map = BuildMap();

    private static readonly double Limit = 50 / 2.237;

    private static NuPlanMap BuildMap()
    {
        var builder = new SyntheticMapBuilder("hand-built", 32611);
        new SyntheticCorridor(0, 0, 0, 0, -100, 600).AddTo(builder);
        return NuPlanMap.Build(builder.Build(), "hand-built.gpkg");
    }

    /// <summary>States every 0.1 s from <paramref name="x0"/>, <paramref name="y0"/> moving by (dx, dy) per step.</summary>
    private static EgoState[] Drive(int count, double x0, double y0, double dx, double dy, double heading = 0, double? speed = null)
    {
        var v = speed ?? Math.Sqrt(dx * dx + dy * dy) / 0.1;
        return [.. Enumerable.Range(0, count).Select(i => Ego(1_000_000L + i * 100_000L, x0 + dx * i, y0 + dy * i, heading, v))];
    }

    private static IReadOnlyList<MetricStatistics> Run(MetricInput input, params string[] metrics) =>
        MetricCatalog.CreateDefault().CreateEngine(metrics).Compute(input).Metrics;

    private static MetricInput OnMap(EgoState[] egos, TrackedObject[][]? objects = null, EgoState[]? expert = null) =>
        Closed(egos, objects ?? [.. egos.Select(_ => Array.Empty<TrackedObject>())], map: Map, expertStates: expert);

    private static MetricStatistics Named(IReadOnlyList<MetricStatistics> results, string name) => results.Single(r => r.Name == name);

    private static double Value(MetricStatistics result, string statistic) => result.Statistics.Single(s => s.Name == statistic).Value;

    [Fact]
    public void A_lawful_drive_along_a_lane_and_through_a_gap_is_compliant_everywhere()
    {
        // 10 m/s in lane 2 from x = 90.25 for 3 s: through the connector gap at x ∈ [98, 100] into the next roadblock
        // (off whole metres, so no corner lands exactly on a polygon edge, where strict containment finds nothing).
        var input = OnMap(Drive(31, 90.25, 0, 1.0, 0));

        var results = Run(input, MetricNames.DrivableAreaCompliance, MetricNames.DrivingDirectionCompliance,
            MetricNames.SpeedLimitCompliance, MetricNames.EgoIsMakingProgress, MetricNames.EgoLaneChange);

        Assert.Equal(1.0, Named(results, MetricNames.DrivableAreaCompliance).MetricScore);
        Assert.Equal(1.0, Named(results, MetricNames.CornersInDrivableArea).Statistics[0].Value);
        Assert.Null(Named(results, MetricNames.CornersInDrivableArea).MetricScore);
        Assert.Equal(1.0, Named(results, MetricNames.DrivingDirectionCompliance).MetricScore);
        Assert.Equal(1.0, Named(results, MetricNames.SpeedLimitCompliance).MetricScore);
        Assert.Equal(1.0, Named(results, MetricNames.EgoIsMakingProgress).MetricScore);
        Assert.Equal(0, Value(Named(results, MetricNames.EgoLaneChange), "number_of_ego_lane_change"));
        Assert.Null(Named(results, MetricNames.EgoLaneChange).MetricScore);
        // The driven route: lane 2 of block 0, its connector, lane 2 of block 1 (centre = rear axle + 1.5 m).
        var route = LaneChangeAnalysis.Of(input)!.DrivenRoute;
        Assert.Equal(Map.GetLane(new SyntheticCorridor(0, 0, 0, 0, -100, 600).LaneId(0, 2))!.Fid, route[0].Single().Fid);
        Assert.True(route[7].Single().IsConnector);
        Assert.False(route[30].Single().IsConnector);
    }

    [Theory]
    [InlineData(23.0)]
    [InlineData(25.0)]
    public void Over_speeding_is_scored_by_its_integral_over_2_23_meters_per_second_and_the_duration(double speed)
    {
        // 21 states at a constant speed above the 50 mph limit, well inside lane 2.
        var input = OnMap(Drive(21, 10, 0, speed * 0.1, 0));

        var result = Named(Run(input, MetricNames.SpeedLimitCompliance), MetricNames.SpeedLimitCompliance);

        var over = speed - Limit;
        // Σ depth · dt / (2.23 · T) with 21 equal depths, dt = 0.1 s, T = 2.0 s.
        var expected = Math.Max(0, 1 - 21 * over * 0.1 / (2.23 * 2.0));
        Assert.Equal(expected, result.MetricScore!.Value, 9);
        Assert.Equal(1, Value(result, "number_of_violations_of_speed_limit_compliance"));
        Assert.Equal(over, Value(result, "max_violation_of_speed_limit_compliance"), 9);
        Assert.Equal(over, Value(result, "mean_violation_of_speed_limit_compliance"), 9);
        Assert.Equal(0.0, result.Statistics[^1].Value);
        Assert.All(result.TimeSeries!.Values, v => Assert.Equal(over, v, 9));
    }

    [Fact]
    public void On_a_connector_the_limit_is_that_of_its_lanes_and_a_zero_limit_means_unchecked()
    {
        var connector = Map.LaneConnectorsAt(99, 0).Single();
        Assert.All(connector.IncomingEdges.Concat(connector.OutgoingEdges), e => Assert.Equal(Limit, e.SpeedLimitMps));

        var builder = new SyntheticMapBuilder("no-limits", 32611);
        new SyntheticCorridor(0, 0, 0, 0, -100, 600).AddTo(builder);
        var content = builder.Build();
        var lanes = content.Tables["lanes_polygons"];
        var tables = new Dictionary<string, Maps.Gpkg.MapFeatureTable>(content.Tables)
        {
            ["lanes_polygons"] = lanes with
            {
                Rows = [.. lanes.Rows.Select(r => r with { Attributes = new Dictionary<string, object?>(r.Attributes) { ["speed_limit_mps"] = 0.0 } })],
            },
        };
        var unlimited = NuPlanMap.Build(content with { Tables = tables }, "no-limits.gpkg");
        var input = Closed(Drive(21, 10, 0, 3.0, 0), [.. Enumerable.Range(0, 21).Select(_ => Array.Empty<TrackedObject>())], map: unlimited);

        Assert.Equal(1.0, Named(Run(input, MetricNames.SpeedLimitCompliance), MetricNames.SpeedLimitCompliance).MetricScore);
    }

    [Theory]
    [InlineData(0.5, 0.5, -5.5)]
    [InlineData(0.7, 0.0, -7.7)]
    [InlineData(0.1, 1.0, -1.1)]
    public void Driving_against_the_baseline_scores_by_the_worst_second_of_backward_progress(double step, double score, double worst)
    {
        // Reversing along lane 2 (heading π): every frame but the first adds −step; the window of frames i − 10 … i
        // holds 11 of them, so the worst second is −11·step.
        var input = OnMap(Drive(31, 60, 0, -step, 0, heading: Math.PI));

        var result = Named(Run(input, MetricNames.DrivingDirectionCompliance), MetricNames.DrivingDirectionCompliance);

        Assert.Equal(score, result.MetricScore);
        Assert.Equal(worst, Value(result, "min_progress_along_driving_direction_in_1_second_interval"), 9);
        Assert.Equal("progress_along_driving_direction_in_last_1_seconds_[m]", result.TimeSeries!.Unit);
        Assert.Equal(0.0, result.TimeSeries.Values[0]);
        Assert.Equal(-step, result.TimeSeries.Values[1], 9);
    }

    [Fact]
    public void Corners_off_the_road_fail_the_drivable_area_beyond_0_3_m_and_are_tolerated_within()
    {
        // Footprint y ∈ [−8.2, −6.2]: right corners 0.2 m beyond the road edge at y = −8 (tolerated).
        var tolerated = Run(OnMap(Drive(11, 10, -7.2, 0.5, 0)), MetricNames.DrivableAreaCompliance);
        Assert.Equal(1.0, Named(tolerated, MetricNames.DrivableAreaCompliance).MetricScore);
        Assert.Equal(0.0, Named(tolerated, MetricNames.CornersInDrivableArea).Statistics[0].Value);
        Assert.All(Named(tolerated, MetricNames.CornersInDrivableArea).TimeSeries!.Values, v => Assert.Equal(0.0, v));

        // Footprint y ∈ [−8.4, −6.4]: 0.4 m beyond (far).
        var far = Run(OnMap(Drive(11, 10, -7.4, 0.5, 0)), MetricNames.DrivableAreaCompliance);
        Assert.Equal(0.0, Named(far, MetricNames.DrivableAreaCompliance).MetricScore);

        // On the shoulder (road surface, no lane): inside the drivable area.
        var shoulder = Run(OnMap(Drive(11, 10, -6.5, 0.5, 0)), MetricNames.DrivableAreaCompliance);
        Assert.Equal(1.0, Named(shoulder, MetricNames.CornersInDrivableArea).Statistics[0].Value);
    }

    [Fact]
    public void A_lane_change_opens_when_the_corners_split_and_succeeds_in_the_neighbouring_lane()
    {
        // Sliding left by 0.1 m per frame from lane 2 (y = 0) into lane 1: the footprint straddles y = 1.75 for
        // centres y ∈ (0.75, 2.75), frames 8 to 27; frame 28 is the first wholly in lane 1, 2.0 s later.
        var input = OnMap(Drive(41, 10, 0, 1.0, 0.1));

        var result = Named(Run(input, MetricNames.EgoLaneChange), MetricNames.EgoLaneChange);

        Assert.Equal(1, Value(result, "number_of_ego_lane_change"));
        Assert.Equal(2.0, Value(result, "max_ego_lane_change_duration"), 9);
        Assert.Equal(0.0, Value(result, "ratio_of_failed_ego_lane_change"));
        Assert.Equal(1.0, Value(result, "ego_lane_change_fail_rate_below_threshold"));
        var inside = LaneChangeAnalysis.Of(input)!.InsideOneLane;
        Assert.True(inside[7]);
        Assert.False(inside[8]);
        Assert.False(inside[27]);
        Assert.True(inside[28]);
    }

    [Fact]
    public void A_lateral_collision_is_at_fault_only_while_the_ego_straddles_lanes()
    {
        // A vehicle beside the ego, touching its left side, moving with it; the ego slides left as above.
        TrackedObject[] Beside(EgoState ego) => [Object("car", TrackedObjectType.Vehicle, ego.RearAxle.X + 1.5, ego.RearAxle.Y + 1.95, 0, 4.0, 2.0, speed: 10)];
        var straddling = Drive(41, 10, 0, 1.0, 0.1);
        var keeping = Drive(41, 10, 0, 1.0, 0.0);
        // Collide at frame 10 (straddling) in one scene and at frame 10 in lane in the other.
        TrackedObject[][] Objects(EgoState[] egos) => [.. egos.Select((e, i) => i == 10 ? Beside(e) : [])];

        var atFault = Named(Run(OnMap(straddling, Objects(straddling)), MetricNames.NoEgoAtFaultCollisions), MetricNames.NoEgoAtFaultCollisions);
        var notAtFault = Named(Run(OnMap(keeping, Objects(keeping)), MetricNames.NoEgoAtFaultCollisions), MetricNames.NoEgoAtFaultCollisions);

        Assert.Equal(CollisionType.ActiveLateral, EgoCollisions.Of(OnMap(straddling, Objects(straddling))).Single().Type);
        Assert.Equal(0.0, atFault.MetricScore);
        Assert.Equal(1.0, notAtFault.MetricScore);
    }

    [Fact]
    public void Progress_is_measured_along_the_expert_lanes_and_skipped_roadblocks_still_count()
    {
        // The expert drives 20 m along lane 2 across a gap; the ego drives 10 m, then a second ego only 1 m.
        var expert = Drive(21, 88, 0, 1.0, 0);
        var half = OnMap(Drive(20, 88, 0, 0.5, 0), expert: expert);
        var stuck = OnMap(Drive(20, 88, 0, 0.05, 0), expert: expert);

        var halfResult = Named(Run(half, MetricNames.EgoProgressAlongExpertRoute), MetricNames.EgoProgressAlongExpertRoute);
        var stuckResults = Run(stuck, MetricNames.EgoIsMakingProgress);

        Assert.Equal(20.0, Value(halfResult, "expert_total_progress_along_route"), 9);
        Assert.Equal(9.5, Value(halfResult, "ego_total_progress_along_route"), 9);
        Assert.Equal(9.5 / 20.0, halfResult.MetricScore!.Value, 9);
        // 0.95 m is below the 2 m floor: ratio max(0.95, 2) / 20 = 0.1 < 0.2, not making progress.
        Assert.Equal(0.1, Named(stuckResults, MetricNames.EgoProgressAlongExpertRoute).MetricScore!.Value, 9);
        Assert.Equal(0.0, Named(stuckResults, MetricNames.EgoIsMakingProgress).MetricScore);
    }

    [Fact]
    public void Without_a_map_the_map_metrics_return_nothing_and_collisions_fall_back_to_the_lane_assumption()
    {
        var input = Closed(Drive(11, 10, 0, 1.0, 0), [.. Enumerable.Range(0, 11).Select(_ => Array.Empty<TrackedObject>())]);

        var results = Run(input, [.. MetricCatalog.CreateDefault().GetSet(MetricCatalog.ClosedLoopNonReactiveAgentsSet)]);

        Assert.DoesNotContain(results, r => MetricNames.MapBased.Contains(r.MetricComputator));
        Assert.Contains(results, r => r.Name == MetricNames.NoEgoAtFaultCollisions);
        Assert.Null(LaneChangeAnalysis.Of(input));
    }
}
