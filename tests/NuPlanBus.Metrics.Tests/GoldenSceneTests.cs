using NuPlanBus.Metrics.Engine;
using NuPlanBus.Metrics.Evaluation;
using NuPlanBus.Metrics.Fixtures;
using NuPlanBus.Metrics.Results;

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
    public void Scene_loader_reads_infinite_expected_values()
    {
        var scene = Fixtures.Load("time_to_collision_within_bound/no_collisions.json");

        Assert.Equal(double.PositiveInfinity, scene.Expected[0].Statistics[0].Value);
        Assert.Equal(0.95, scene.MetricParameters["least_min_ttc"]);
    }

    private static IReadOnlyList<MetricStatistics> Compute(MetricScene scene, IMetric metric) =>
        new MetricEngine([metric]).Compute(scene.History, scene.Scenario, "SimplePlanner").Metrics;

    /// <summary>The devkit's comparison: statistics in order by type and value (abs 0.01), series at 2 dp.</summary>
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
                    Math.Abs(expected.Statistics[i].Value - actual.Statistics[i].Value) <= 0.01,
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
