using NuPlanBus.Domain.Errors;
using NuPlanBus.Metrics.Engine;
using NuPlanBus.Metrics.Evaluation;
using NuPlanBus.Metrics.Results;

namespace NuPlanBus.Metrics.Tests;

public class MetricEngineTests
{
    [Fact]
    public void Unknown_metric_name_fails_listing_the_known_names()
    {
        var catalog = MetricCatalog.CreateDefault();

        var ex = Assert.Throws<ConfigurationException>(() => catalog.CreateEngine(["ego_jerk", "ego_warp_speed"]));

        Assert.Contains("ego_warp_speed", ex.Message);
        Assert.Contains("ego_mean_speed", ex.Message);
        Assert.Throws<ConfigurationException>(() => catalog.GetSet("closed_loop"));
    }

    [Fact]
    public void Duplicate_registration_or_listing_fails()
    {
        var catalog = MetricCatalog.CreateDefault();

        Assert.Throws<ConfigurationException>(() => catalog.Register(MetricNames.EgoJerk, () => DynamicsMetrics.EgoJerk()));
        Assert.Throws<ConfigurationException>(() => catalog.CreateEngine(["ego_jerk", "ego_jerk"]));
        Assert.Throws<ConfigurationException>(() => new MetricEngine([new EgoMeanSpeedMetric(), new EgoMeanSpeedMetric()]));
    }

    [Fact]
    public void Missing_dependencies_are_added_and_computed_before_the_high_level_metric()
    {
        var engine = MetricCatalog.CreateDefault().CreateEngine([MetricNames.EgoIsComfortable, MetricNames.EgoMeanSpeed]);

        var names = engine.MetricNames;

        Assert.Equal(8, names.Count);
        Assert.Equal(MetricNames.EgoIsComfortable, names[^1]);
        Assert.Equal(MetricNames.EgoMeanSpeed, names[0]);
        Assert.Contains(MetricNames.EgoYawAcceleration, names);
    }

    [Fact]
    public void Named_sets_hold_the_dynamics_and_default_metrics()
    {
        var catalog = MetricCatalog.CreateDefault();

        Assert.Equal(9, catalog.GetSet(MetricCatalog.DynamicsSet).Count);
        var defaults = catalog.CreateEngineForSet(MetricCatalog.DefaultSet).MetricNames;
        Assert.Equal(14, defaults.Count);
        Assert.Equal([MetricNames.EgoIsComfortable, MetricNames.TimeToCollisionWithinBound], defaults.TakeLast(2));
        Assert.Contains(MetricNames.NoEgoAtFaultCollisions, defaults);
    }

    [Fact]
    public void A_stationary_ego_is_comfortable_and_every_series_is_zero()
    {
        var (history, scenario) = TestScenes.Stationary(20);
        var engine = MetricCatalog.CreateDefault().CreateEngineForSet(MetricCatalog.DefaultSet);

        var result = engine.Compute(history, scenario, "SimplePlanner");

        Assert.Equal(14, result.Metrics.Count);
        Assert.Equal("2021.01.01.00.00.00_test", result.LogName);
        Assert.Equal("0123456789abcdef", result.ScenarioName);
        var comfortable = result.Metrics.Single(m => m.Name == MetricNames.EgoIsComfortable);
        Assert.Equal(1.0, comfortable.MetricScore);
        var ttc = result.Metrics.Single(m => m.Name == MetricNames.TimeToCollisionWithinBound);
        Assert.All(ttc.TimeSeries!.Values, v => Assert.Equal(double.PositiveInfinity, v));
        Assert.Equal(1.0, ttc.MetricScore);
        Assert.Equal(1.0, result.Metrics.Single(m => m.Name == MetricNames.NoEgoAtFaultCollisions).MetricScore);
        foreach (var metric in result.Metrics.Where(m => m.TimeSeries is not null && m.Name != MetricNames.TimeToCollisionWithinBound))
        {
            Assert.Equal(19, metric.TimeSeries!.Values.Count);
            Assert.All(metric.TimeSeries.Values, v => Assert.Equal(0.0, v, 9));
            Assert.Null(metric.MetricScore);
        }
        var lonAcceleration = result.Metrics.Single(m => m.Name == MetricNames.EgoLonAcceleration);
        Assert.Equal(
            ["max_ego_lon_acceleration", "min_ego_lon_acceleration", "avg_ego_lon_acceleration", "p90_ego_lon_acceleration", "abs_ego_lon_acceleration_within_bounds"],
            lonAcceleration.Statistics.Select(s => s.Name));
        Assert.Equal("meters_per_second_squared", lonAcceleration.Statistics[0].Unit);
        Assert.Equal("boolean", lonAcceleration.Statistics[^1].Unit);
        Assert.DoesNotContain(result.Metrics.Single(m => m.Name == MetricNames.EgoLatJerk).Statistics, s => s.Type == StatisticType.BOOLEAN);
        Assert.Equal(0.0, result.Metrics.Single(m => m.Name == MetricNames.EgoMeanSpeed).Statistics[0].Value);
    }

    [Fact]
    public void An_uncomfortable_dependency_makes_ego_uncomfortable()
    {
        var (history, scenario) = TestScenes.Stationary(10);
        var catalog = MetricCatalog.CreateDefault();
        // Zero yaw rate is not strictly inside (0, 1): the yaw-rate check fails.
        var engine = new MetricEngine([
            DynamicsMetrics.EgoJerk(), DynamicsMetrics.EgoLatAcceleration(), DynamicsMetrics.EgoLonAcceleration(),
            DynamicsMetrics.EgoLonJerk(), DynamicsMetrics.EgoYawAcceleration(),
            new Evaluation.WithinBoundMetric(MetricNames.EgoYawRate, "Dynamics", "radians_per_second",
                input => Numerics.EgoSignals.YawRate(input.EgoStates), 0.0, 1.0),
            catalog.Create(MetricNames.EgoIsComfortable),
        ]);

        var result = engine.Compute(history, scenario, "SimplePlanner");

        Assert.Equal(0.0, result.Metrics.Single(m => m.Name == MetricNames.EgoIsComfortable).MetricScore);
    }

    [Fact]
    public void A_failing_custom_metric_aborts_the_scenario_naming_the_metric()
    {
        var catalog = MetricCatalog.CreateDefault().Register("always_fails", () => new ThrowingMetric());
        var engine = catalog.CreateEngine([MetricNames.EgoMeanSpeed, "always_fails"]);
        var (history, scenario) = TestScenes.Stationary(5);

        var ex = Assert.Throws<MetricComputationException>(() => engine.Compute(history, scenario, "SimplePlanner"));

        Assert.Equal("always_fails", ex.MetricName);
        Assert.Equal(scenario.Token, ex.ScenarioName);
        Assert.IsType<InvalidOperationException>(ex.InnerException);
    }

    [Fact]
    public void A_custom_metric_reads_the_results_of_its_dependency()
    {
        var catalog = MetricCatalog.CreateDefault().Register("double_mean_speed", () => new DoubleMeanSpeed());
        var engine = catalog.CreateEngine(["double_mean_speed"]);
        var (history, scenario) = TestScenes.Stationary(5);

        var result = engine.Compute(history, scenario, "SimplePlanner");

        Assert.Equal([MetricNames.EgoMeanSpeed, "double_mean_speed"], engine.MetricNames);
        Assert.Equal(0.0, result.Metrics[^1].Statistics[0].Value);
    }

    [Fact]
    public void Dependency_cycles_fail()
    {
        Assert.Throws<ConfigurationException>(() => new MetricEngine([new Cyclic("a", "b"), new Cyclic("b", "a")]));
    }

    [Fact]
    public void Expert_l2_error_measures_centre_distance_and_weighted_heading()
    {
        var (history, scenario) = TestScenes.Stationary(6);
        var shifted = history.Samples.Select(s => s with
        {
            EgoState = s.EgoState with { RearAxle = s.EgoState.RearAxle with { X = s.EgoState.RearAxle.X + 3, Y = s.EgoState.RearAxle.Y + 4, Heading = 0.3 + 0.1 } },
        }).ToList();
        var moved = new Domain.Simulation.SimulationHistory(history.MapName, null);
        shifted.ForEach(moved.Add);
        var engine = new MetricEngine([EgoExpertL2ErrorMetric.Position(), EgoExpertL2ErrorMetric.WithYaw(discountFactor: 0.5)]);

        var result = engine.Compute(moved, scenario, "SimplePlanner");

        // The rear axle moves by (3, 4) and turns 0.1 rad, so the centres are further apart than 5 m.
        var vehicle = scenario.Vehicle;
        var distance = moved.Samples[0].EgoState.Center(vehicle).DistanceTo(scenario.ExpertTrajectory[0].Center(vehicle));
        Assert.True(distance > 5.0);
        Assert.All(result.Metrics[0].TimeSeries!.Values, v => Assert.Equal(distance, v, 9));
        var withYaw = result.Metrics[1].TimeSeries!.Values;
        for (var i = 0; i < withYaw.Count; i++)
        {
            Assert.Equal((distance + 2.5 * 0.1) * Math.Pow(0.5, i), withYaw[i], 9);
        }
        Assert.Equal("meters", result.Metrics[0].Statistics[0].Unit);
        Assert.Equal("Planning", result.Metrics[0].Category);
    }

    private sealed class ThrowingMetric : IMetric
    {
        public string Name => "always_fails";

        public string Category => "Testing";

        public IReadOnlyList<string> Dependencies => [];

        public IReadOnlyList<MetricStatistics> Compute(MetricInput input, MetricResults computedSoFar) =>
            throw new InvalidOperationException("boom");
    }

    private sealed class DoubleMeanSpeed : IMetric
    {
        public string Name => "double_mean_speed";

        public string Category => "Testing";

        public IReadOnlyList<string> Dependencies => [MetricNames.EgoMeanSpeed];

        public IReadOnlyList<MetricStatistics> Compute(MetricInput input, MetricResults computedSoFar)
        {
            Assert.True(computedSoFar.TryGet(MetricNames.EgoMeanSpeed, out var speed));
            var value = 2 * speed[0].Statistics[0].Value;
            return [new MetricStatistics(Name, Name, Category, [new Statistic("double", "meters_per_second", StatisticType.VALUE, value)])];
        }
    }

    private sealed class Cyclic(string name, string dependency) : IMetric
    {
        public string Name => name;

        public string Category => "Testing";

        public IReadOnlyList<string> Dependencies => [dependency];

        public IReadOnlyList<MetricStatistics> Compute(MetricInput input, MetricResults computedSoFar) => [];
    }
}
