using NuPlanBus.Metrics.Engine;
using NuPlanBus.Metrics.Evaluation;
using NuPlanBus.Metrics.Evaluation.Collisions;
using NuPlanBus.Metrics.Evaluation.OpenLoop;
using NuPlanBus.Metrics.Results;
using NuPlanBus.Metrics.Tests.Scenes;

namespace NuPlanBus.Metrics.Tests;

/// <summary>The devkit's own metric scenes with its expected values, compared as its tests compare them.</summary>
public class GoldenSceneTests
{
    [Fact]
    public void Ego_acceleration_matches_the_devkit()
    {
        var scene = Fixtures.Load("ego_acceleration/ego_acceleration.json");

        var results = Compute(scene, DynamicsMetrics.EgoAcceleration());

        AssertMatches(scene, results);
        Assert.DoesNotContain(results[0].Statistics, s => s.Type == StatisticType.BOOLEAN);
    }

    [Fact]
    public void Ego_lat_acceleration_matches_the_devkit()
    {
        var scene = Fixtures.Load("ego_lat_acceleration/ego_lat_acceleration.json");

        var results = Compute(scene, DynamicsMetrics.EgoLatAcceleration(maxAbsLatAccel: 10));

        AssertMatches(scene, results);
        Assert.Equal("abs_ego_lat_acceleration_within_bounds", results[0].Statistics[^1].Name);
    }

    [Fact]
    public void Ego_yaw_rate_matches_the_devkit()
    {
        var scene = Fixtures.Load("ego_yaw_rate/ego_yaw_rate.json");

        var results = Compute(scene, DynamicsMetrics.EgoYawRate(maxAbsYawRate: 5));

        AssertMatches(scene, results);
    }

    [Fact]
    public void Ego_mean_speed_matches_the_devkit()
    {
        var scene = Fixtures.Load("ego_mean_speed/ego_mean_speed.json");

        var results = Compute(scene, new EgoMeanSpeedMetric());

        AssertMatches(scene, results);
        Assert.Equal("ego_mean_speed_value", results[0].Statistics[0].Name);
        Assert.Null(results[0].TimeSeries);
        Assert.Null(results[0].MetricScore);
    }

    [Fact]
    public void Ego_expert_l2_error_with_yaw_is_zero_when_ego_follows_the_expert()
    {
        var scene = Fixtures.Load("ego_expert_l2_error_with_yaw/ego_expert_l2_error_with_yaw_zero.json");

        var results = Compute(scene, EgoExpertL2ErrorMetric.WithYaw(headingDiffWeight: 2.5));

        AssertMatches(scene, results);
        Assert.Equal(["max_ego_expert_l2_error_with_yaw", "avg_ego_expert_l2_error_with_yaw", "p90_ego_expert_l2_error_with_yaw"],
            results[0].Statistics.Select(s => s.Name));
    }

    [Fact]
    public void Ego_is_comfortable_without_its_dependencies_is_false_as_in_the_devkit_test()
    {
        var scene = Fixtures.Load("ego_acceleration/ego_acceleration.json");

        var results = Compute(scene, new EgoIsComfortableMetric());

        var statistic = Assert.Single(results[0].Statistics);
        Assert.Equal(StatisticType.BOOLEAN, statistic.Type);
        Assert.False(statistic.AsBoolean);
        Assert.Equal(0.0, results[0].MetricScore);
        Assert.Equal("bool", results[0].MetricScoreUnit);
        Assert.Equal("Violations", results[0].Category);
    }

    [Fact]
    public void No_ego_at_fault_collisions_without_a_collision_matches_the_devkit()
    {
        var scene = Fixtures.Load("no_ego_at_fault_collision/no_collision.json");

        var results = Compute(scene, new NoEgoAtFaultCollisionsMetric());

        AssertMatches(scene, results);
        Assert.Equal(
            ["no_ego_at_fault_collisions", "number_of_all_at_fault_collisions", "number_of_at_fault_collisions_with_VRUs",
                "number_of_at_fault_collisions_with_vehicles", "number_of_at_fault_collisions_with_objects"],
            results[0].Statistics.Select(s => s.Name));
        Assert.Equal(1.0, results[0].MetricScore);
        Assert.Equal("float", results[0].MetricScoreUnit);
        Assert.Equal("Dynamics", results[0].Category);
        Assert.Null(results[0].TimeSeries);
    }

    [Fact]
    public void No_ego_at_fault_collisions_with_an_active_front_collision_matches_the_devkit()
    {
        var scene = Fixtures.Load("no_ego_at_fault_collision/active_front_collision.json");

        var results = Compute(scene, new NoEgoAtFaultCollisionsMetric());

        AssertMatches(scene, results);
        Assert.Equal(
            ["max_collision_energy_with_VRUs", "min_collision_energy_with_VRUs", "mean_collision_energy_with_VRUs"],
            results[0].Statistics.Skip(5).Select(s => s.Name));
        Assert.All(results[0].Statistics.Skip(5), s => Assert.Equal("meters_per_second", s.Unit));
        Assert.Equal(0.0, results[0].MetricScore);
    }

    /// <summary>
    /// The devkit's two lateral-collision scenes sit on the real Las Vegas map, which says the ego straddles lanes at the
    /// lateral collision of one and is inside one lane at that of the other; no single map-free assumption passes
    /// both. Here each runs on a small road built around it: the lanes follow the ego's heading at its first collision,
    /// with the ego centre on a lane boundary (straddling) or on a lane centre (inside).
    /// </summary>
    [Theory]
    [InlineData("no_ego_at_fault_collision/active_lateral_collision.json", 1.75)]
    [InlineData("no_ego_at_fault_collision/multiple_collisions.json", 0.0)]
    public void Lateral_collisions_match_the_devkit_with_lane_membership_from_a_map_built_around_the_scene(string path, double lateralOffset)
    {
        var scene = Fixtures.Load(path);
        var first = EgoCollisions.Of(new MetricInput(scene.History, scene.Scenario, "SimplePlanner"))[0];
        Assert.Equal(CollisionType.ActiveLateral, first.Type);
        var ego = scene.History.Samples[first.SampleIndex].EgoState;
        var centre = ego.Center(scene.Scenario.Vehicle);
        var (sin, cos) = Math.SinCos(centre.Heading);
        // A corridor whose block 0 holds the centre 50 m along the road, lateralOffset to the left of lane 2's centre.
        var corridor = new Maps.Synthetic.SyntheticCorridor(
            0, centre.X - 50 * cos + lateralOffset * sin, centre.Y - 50 * sin - lateralOffset * cos, centre.Heading, -100, 200);
        var builder = new Maps.Synthetic.SyntheticMapBuilder("scene-road", 32611);
        corridor.AddTo(builder);
        var map = Maps.NuPlanMap.Build(builder.Build(), "scene-road.gpkg");
        var input = new MetricInput(scene.History, scene.Scenario, "SimplePlanner", map);

        var results = MetricCatalog.CreateDefault().CreateEngine([MetricNames.NoEgoAtFaultCollisions, MetricNames.EgoLaneChange]).Compute(input).Metrics;

        var collisions = results.Single(r => r.Name == MetricNames.NoEgoAtFaultCollisions);
        AssertMatches(scene, [collisions]);
        Assert.Equal(lateralOffset != 0, !Evaluation.Lanes.LaneChangeAnalysis.Of(input)!.InsideOneLane[first.SampleIndex]);
        // Without the map, the lane assumption decides both scenes the same way, so one of them must differ from the devkit.
        var inside = new MetricEngine([new NoEgoAtFaultCollisionsMetric(lanes: EgoLaneAssumption.InsideLane)])
            .Compute(scene.History, scene.Scenario, "SimplePlanner").Metrics[0];
        Assert.Equal(lateralOffset == 0, inside.Statistics[1].Value == collisions.Statistics[1].Value);
    }

    [Theory]
    [InlineData("time_to_collision_within_bound/no_collisions.json")]
    [InlineData("time_to_collision_within_bound/ego_stopped.json")]
    public void Time_to_collision_within_bound_matches_the_devkit(string path)
    {
        var scene = Fixtures.Load(path);
        var parameters = scene.MetricParameters;
        var ttc = new TimeToCollisionWithinBoundMetric(
            parameters["time_step_size"], parameters["time_horizon"], parameters["least_min_ttc"]);

        var results = new MetricEngine([new NoEgoAtFaultCollisionsMetric(), ttc])
            .Compute(scene.History, scene.Scenario, "SimplePlanner").Metrics;

        var result = Assert.Single(results, r => r.Name == "time_to_collision_within_bound");
        AssertMatches(scene, [result]);
        Assert.Equal(["min_time_to_collision", "time_to_collision_within_bound"], result.Statistics.Select(s => s.Name));
        Assert.Equal("time_to_collision_under_5.0_seconds [s]", result.TimeSeries!.Unit);
        Assert.Equal(1.0, result.MetricScore);
        Assert.Equal("bool", result.MetricScoreUnit);
        Assert.Equal("Planning", result.Category);
    }

    [Fact]
    public void Planner_expert_final_l2_error_matches_the_devkit()
    {
        var scene = Fixtures.Load("planner_expert_final_l2_error_within_bound/high_final_l2_error.json");

        var results = new MetricEngine([PlannerExpertErrorMetric.AverageL2(), PlannerExpertErrorMetric.FinalL2(8)])
            .Compute(scene.History, scene.Scenario, "SimplePlanner").Metrics;

        var result = Assert.Single(results, r => r.Name == "planner_expert_final_l2_error_within_bound");
        AssertMatches(scene, [result]);
        Assert.Equal(
            ["planner_expert_FDE_horizon_3", "planner_expert_FDE_horizon_5", "planner_expert_FDE_horizon_8",
                "planner_expert_final_l2_error_within_bound", "avg_planner_expert_FDE_over_all_horizons"],
            result.Statistics.Select(s => s.Name));
        Assert.Equal(0.0, result.MetricScore);
        Assert.Equal("float", result.MetricScoreUnit);
        Assert.Equal("avg_planner_expert_FDE_over_all_horizons [meter]", result.TimeSeries!.Unit);
        Assert.Equal([0, 1, 2, 3, 4], result.TimeSeries.SelectedFrames!);
        Assert.Equal([1_000_000L, 2_000_000L, 3_000_000L, 4_000_000L, 5_000_000L], result.TimeSeries.TimestampsUs);
    }

    [Fact]
    public void Every_remaining_scene_has_a_golden_test()
    {
        // Guards against a scene being added to the shared fixtures without a test here.
        string[] covered =
        [
            "ego_acceleration/ego_acceleration.json",
            "ego_lat_acceleration/ego_lat_acceleration.json",
            "ego_yaw_rate/ego_yaw_rate.json",
            "ego_mean_speed/ego_mean_speed.json",
            "ego_expert_l2_error_with_yaw/ego_expert_l2_error_with_yaw_zero.json",
            "no_ego_at_fault_collision/no_collision.json",
            "no_ego_at_fault_collision/active_front_collision.json",
            "no_ego_at_fault_collision/active_lateral_collision.json",
            "no_ego_at_fault_collision/multiple_collisions.json",
            "time_to_collision_within_bound/no_collisions.json",
            "time_to_collision_within_bound/ego_stopped.json",
            "planner_expert_final_l2_error_within_bound/high_final_l2_error.json",
        ];

        Assert.Equal(covered.Order(StringComparer.Ordinal), Fixtures.AllScenes().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Scene_loader_builds_history_scenario_and_interval()
    {
        var scene = Fixtures.Load("ego_acceleration/ego_acceleration.json");

        Assert.Equal(12, scene.History.Count);
        Assert.Equal(1.0, scene.Scenario.DatabaseIntervalS);
        Assert.Equal("us-nv-las-vegas-strip", scene.Scenario.MapName);
        Assert.Single(scene.History.Samples[0].Observation);
        Assert.All(scene.History.Samples, s => Assert.True(s.Trajectory.SampledStates.Count >= 2));
        Assert.Equal(13, scene.Scenario.ExpertTrajectory.Count);
    }

    [Fact]
    public void Scene_loader_plans_like_the_harness_simple_planner()
    {
        var scene = Fixtures.Load("planner_expert_final_l2_error_within_bound/high_final_l2_error.json");

        var plan = scene.History.Samples[0].Trajectory.SampledStates;

        // 10 s at 1 s; |(8, 1)| > 5 sets a brake of 5 − 8.06 m/s² that then stays (devkit quirk), so vx goes 8 → 4.94 → 1.88 …
        Assert.Equal(11, plan.Count);
        Assert.Equal(1_000_000L, plan[0].TimeUs);
        Assert.Equal(11_000_000L, plan[^1].TimeUs);
        var brake = 5.0 - Math.Sqrt(65.0);
        Assert.Equal(8.0 + brake, plan[1].RearAxleVelocity.X, 12);
        Assert.Equal(8.0 + 2 * brake, plan[2].RearAxleVelocity.X, 12);
        Assert.Equal(0.0, plan[1].RearAxleVelocity.Y);
        Assert.Equal(brake, plan[5].RearAxleAcceleration.X, 12);
        var start = scene.History.Samples[0].EgoState.RearAxle;
        Assert.Equal(start.X + 8.0 * Math.Cos(start.Heading), plan[1].RearAxle.X, 9);
    }

    [Fact]
    public void Scene_loader_takes_the_logged_future_by_expert_list_position()
    {
        var scene = Fixtures.Load("planner_expert_final_l2_error_within_bound/high_final_l2_error.json");

        var future = scene.Scenario.GetFutureEgoStates(4, 8, 8);

        Assert.Equal(Enumerable.Range(6, 8).Select(s => s * 1_000_000L), future.Select(s => s.TimeUs));
        Assert.Equal(3, scene.Scenario.GetFutureEgoStates(9, 8, 8).Count); // expert[9:18][1:9] of 13 states
    }

    [Fact]
    public void Scene_loader_reads_infinite_expected_values()
    {
        var scene = Fixtures.Load("time_to_collision_within_bound/no_collisions.json");

        Assert.Equal(double.PositiveInfinity, scene.Expected[0].Statistics[0].Value);
        Assert.Equal(0.95, scene.MetricParameters["least_min_ttc"]);
    }

    private static IReadOnlyList<MetricStatistics> Compute(MetricScene scene, IMetric metric) =>
        new MetricEngine([metric]).Compute(scene.History, scene.Scenario, "SimplePlanner").Metrics;

    /// <summary>
    /// numpy's <c>isclose(expected, actual, atol=0.01)</c> (rtol 1e-5 of the actual value): equal infinities match,
    /// NaN never does.
    /// </summary>
    private static bool IsClose(double expected, double actual) =>
        expected == actual || Math.Abs(expected - actual) <= 0.01 + 1e-5 * Math.Abs(actual);

    /// <summary>The devkit's comparison: statistics in order by type and value (np.isclose, atol 0.01), series at 2 dp.</summary>
    private static void AssertMatches(MetricScene scene, IReadOnlyList<MetricStatistics> results)
    {
        Assert.Equal(scene.Expected.Count, results.Count);
        for (var r = 0; r < results.Count; r++)
        {
            var expected = scene.Expected[r];
            var actual = results[r];
            Assert.Equal(expected.Statistics.Count, actual.Statistics.Count);
            for (var i = 0; i < expected.Statistics.Count; i++)
            {
                Assert.Equal(expected.Statistics[i].Type, actual.Statistics[i].Type.DevkitName());
                Assert.True(
                    IsClose(expected.Statistics[i].Value, actual.Statistics[i].Value),
                    $"{actual.Statistics[i].Name}: expected {expected.Statistics[i].Value}, got {actual.Statistics[i].Value}");
            }
            if (expected.Values is not null)
            {
                Assert.NotNull(actual.TimeSeries);
                Assert.Equal(expected.TimestampsUs, actual.TimeSeries.TimestampsUs);
                var rounded = actual.TimeSeries.Values.Select(v => Math.Round(v, 2, MidpointRounding.ToEven)).ToArray();
                Assert.Equal(expected.Values, rounded);
            }
        }
    }
}
