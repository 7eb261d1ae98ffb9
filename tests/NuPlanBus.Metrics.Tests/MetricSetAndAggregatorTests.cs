using NuPlanBus.Domain.States;
using NuPlanBus.Metrics.Aggregation;
using NuPlanBus.Metrics.Engine;
using NuPlanBus.Metrics.Evaluation;
using NuPlanBus.Metrics.Output;
using NuPlanBus.Metrics.Results;
using static NuPlanBus.Metrics.Tests.MetricTestScenes;

namespace NuPlanBus.Metrics.Tests;

public class MetricSetAndAggregatorTests
{
    private static readonly DateTimeOffset RunStart = new(2024, 5, 1, 12, 3, 4, TimeSpan.Zero);

    [Fact]
    public void Experiment_sets_are_the_devkit_metric_lists_in_its_order()
    {
        var catalog = MetricCatalog.CreateDefault();

        var closedLoop = catalog.GetSet(MetricCatalog.ClosedLoopNonReactiveAgentsSet);
        Assert.Equal(closedLoop, catalog.GetSet(MetricCatalog.ClosedLoopReactiveAgentsSet));
        // simulation_closed_loop_(non)reactive_agents.yaml: low level, then high level.
        Assert.Equal(
        [
            "ego_lane_change", "ego_jerk", "ego_lat_acceleration", "ego_lon_acceleration", "ego_lon_jerk",
            "ego_yaw_acceleration", "ego_yaw_rate", "ego_progress_along_expert_route",
            "drivable_area_compliance", "no_ego_at_fault_collisions", "time_to_collision_within_bound",
            "speed_limit_compliance", "ego_is_comfortable", "ego_is_making_progress", "driving_direction_compliance",
        ], closedLoop);
        Assert.Equal(5, catalog.GetSet(MetricCatalog.OpenLoopBoxesSet).Count);
        Assert.Equal(
            [MetricCatalog.ClosedLoopNonReactiveAgentsSet, MetricCatalog.ClosedLoopReactiveAgentsSet, MetricCatalog.DefaultSet,
                MetricCatalog.DynamicsSet, MetricCatalog.OpenLoopBoxesSet],
            catalog.SetNames.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void High_level_metrics_requested_alone_bring_their_dependencies()
    {
        var catalog = MetricCatalog.CreateDefault();

        Assert.Equal([MetricNames.NoEgoAtFaultCollisions, MetricNames.TimeToCollisionWithinBound],
            catalog.CreateEngine([MetricNames.TimeToCollisionWithinBound]).MetricNames);
        Assert.Equal([MetricNames.PlannerExpertAverageL2ErrorWithinBound, MetricNames.PlannerMissRateWithinBound],
            catalog.CreateEngine([MetricNames.PlannerMissRateWithinBound]).MetricNames);
    }

    [Fact]
    public void Each_experiment_set_gets_the_devkit_aggregator_and_file_name()
    {
        var nonReactive = WeightedAverageMetricAggregator.ForMetricSet(MetricCatalog.ClosedLoopNonReactiveAgentsSet, RunStart);
        var reactive = WeightedAverageMetricAggregator.ForMetricSet(MetricCatalog.ClosedLoopReactiveAgentsSet, RunStart);
        var openLoop = WeightedAverageMetricAggregator.ForMetricSet(MetricCatalog.OpenLoopBoxesSet, RunStart);
        var fallback = WeightedAverageMetricAggregator.ForMetricSet(MetricCatalog.DefaultSet, RunStart);

        Assert.Equal("closed_loop_nonreactive_agents_weighted_average", nonReactive.Name);
        Assert.Equal("closed_loop_nonreactive_agents_weighted_average_metrics_2024.05.01.12.03.04", nonReactive.FileName);
        Assert.Equal("closed_loop_reactive_agents_weighted_average", reactive.Name);
        Assert.Equal(
            ["drivable_area_compliance", "driving_direction_compliance", "ego_is_making_progress", "no_ego_at_fault_collisions"],
            nonReactive.Multipliers.Order(StringComparer.Ordinal));
        Assert.Equal(5.0, nonReactive.WeightOf(MetricNames.EgoProgressAlongExpertRoute));
        Assert.Equal(5.0, nonReactive.WeightOf(MetricNames.TimeToCollisionWithinBound));
        Assert.Equal(4.0, nonReactive.WeightOf(MetricNames.SpeedLimitCompliance));
        Assert.Equal(2.0, nonReactive.WeightOf(MetricNames.EgoIsComfortable));
        Assert.Equal(1.0, nonReactive.WeightOf(MetricNames.EgoMeanSpeed));
        Assert.Equal(reactive.Multipliers.Order(StringComparer.Ordinal), nonReactive.Multipliers.Order(StringComparer.Ordinal));
        Assert.Equal("open_loop_boxes_weighted_average_metrics_2024.05.01.12.03.04", openLoop.FileName);
        Assert.Equal(["planner_miss_rate_within_bound"], openLoop.Multipliers);
        Assert.Equal(2.0, openLoop.WeightOf(MetricNames.PlannerExpertAverageHeadingErrorWithinBound));
        Assert.Equal(1.0, openLoop.WeightOf(MetricNames.PlannerExpertFinalL2ErrorWithinBound));
        Assert.Equal("weighted_average_metric_aggregator", fallback.Name);
        Assert.Equal("weighted_average_metrics_2024.05.01.12.03.04", fallback.FileName);
        Assert.Empty(fallback.Multipliers);
        Assert.Equal("weighted_average_metric_aggregator",
            WeightedAverageMetricAggregator.ForMetricSelection(["ego_jerk", "ego_mean_speed"], RunStart).Name);
        Assert.Equal(Path.Combine("run", "aggregator_metric", openLoop.FileName + ".parquet"), openLoop.ParquetPath("run"));
    }

    [Fact]
    public void Open_loop_scenario_score_is_the_miss_rate_times_the_weighted_errors()
    {
        var scores = new Dictionary<string, double?>
        {
            [MetricNames.PlannerExpertAverageL2ErrorWithinBound] = 0.5,
            [MetricNames.PlannerExpertAverageHeadingErrorWithinBound] = 0.8,
            [MetricNames.PlannerExpertFinalL2ErrorWithinBound] = 0.2,
            [MetricNames.PlannerExpertFinalHeadingErrorWithinBound] = 0.6,
            [MetricNames.PlannerMissRateWithinBound] = 1.0,
        };
        var table = WeightedAverageMetricAggregator.ForMetricSet(MetricCatalog.OpenLoopBoxesSet, RunStart).Aggregate(Tables(("s1", "t", scores)));

        Assert.Equal((0.5 + 2 * 0.8 + 0.2 + 2 * 0.6) / 6, table.ScenarioRows.Single().Score!.Value, 12);

        scores[MetricNames.PlannerMissRateWithinBound] = 0.0;
        table = WeightedAverageMetricAggregator.ForMetricSet(MetricCatalog.OpenLoopBoxesSet, RunStart).Aggregate(Tables(("s1", "t", scores)));
        Assert.Equal(0.0, table.FinalScore);
    }

    [Fact]
    public async Task A_closed_loop_run_yields_scenario_type_and_final_nuplan_scores()
    {
        var directory = Path.Combine(Path.GetTempPath(), "nuplanbus-cl-" + Guid.NewGuid().ToString("N"));
        try
        {
            var metricsDirectory = Path.Combine(directory, "metrics");
            var engine = MetricCatalog.CreateDefault().CreateEngineForSet(MetricCatalog.ClosedLoopNonReactiveAgentsSet);
            // Clean cruise; an at-fault collision with a parked car; a car close ahead (TTC 0.6 s).
            var clean = Cruise("aaaaaaaaaaaaaaaa", "following", null);
            var crash = Cruise("bbbbbbbbbbbbbbbb", "following", Object("parked", TrackedObjectType.Vehicle, 5.0, 0, 0, 4.0, 2.0));
            var close = Cruise("cccccccccccccccc", "stopping", Object("parked", TrackedObjectType.Vehicle, 11.5, 0, 0, 4.0, 2.0));
            foreach (var input in new[] { clean, crash, close })
            {
                await MetricResultFiles.WriteScenarioAsync(metricsDirectory, engine.Compute(input));
            }
            var aggregator = WeightedAverageMetricAggregator.ForMetricSet(MetricCatalog.ClosedLoopNonReactiveAgentsSet, RunStart);

            var table = await aggregator.RunAsync(metricsDirectory, Path.Combine(directory, WeightedAverageMetricAggregator.AggregatorDirectoryName));

            var scenarios = table.ScenarioRows.ToDictionary(r => r.Scenario, r => r.Score);
            Assert.Equal(1.0, scenarios["aaaaaaaaaaaaaaaa"]!.Value, 12);           // (5·1 + 2·1)/7
            Assert.Equal(0.0, scenarios["bbbbbbbbbbbbbbbb"]);                         // collision multiplier 0
            Assert.Equal(2.0 / 7.0, scenarios["cccccccccccccccc"]!.Value, 12);     // (5·0 + 2·1)/7
            var following = table.ScenarioTypeRows.Single(r => r.ScenarioType == "following");
            Assert.Equal(2, following.NumScenarios);
            Assert.Equal(0.5, following.Score!.Value, 12);
            Assert.Equal(1.0, following.MetricScores[MetricNames.NoEgoAtFaultCollisions]); // summed: 1 + 0
            var final = Assert.Single(table.FinalRows);
            Assert.Equal((1.0 + 0.0 + 2.0 / 7.0) / 3, final.Score!.Value, 12);
            Assert.Equal(final.Score, table.FinalScoreOf("SimplePlanner"));
            Assert.Equal(final.Score, table.FinalScore);
            Assert.True(File.Exists(aggregator.ParquetPath(directory)));
            var rows = await MetricResultFilesTests.ReadParquet(aggregator.ParquetPath(directory));
            Assert.Equal(3 + 2 + 1, rows.Count);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    /// <summary>20 samples at 0.1 s, 10 m/s straight along +x with zero acceleration, optionally one object.</summary>
    private static MetricInput Cruise(string token, string type, TrackedObject? obstacle)
    {
        var egos = new EgoState[20];
        var objects = new TrackedObject[20][];
        for (var i = 0; i < egos.Length; i++)
        {
            egos[i] = Ego(i * 100_000L, 0, 0, 0, 10.0); // the closed-loop metrics only read the states, not how they move
            objects[i] = obstacle is { } o ? [o] : [];
        }
        var input = Closed(egos, objects);
        var scenario = (Domain.Scenarios.RecordedScenario)input.Scenario;
        var renamed = new Domain.Scenarios.RecordedScenario(
            scenario.Metadata with { Token = token, ScenarioType = type },
            scenario.FrameTimesUs, scenario.FrameEgoStates, scenario.FrameObjects, scenario.FrameTrafficLights,
            scenario.IterationFrames, null, [], scenario.Vehicle);
        return new MetricInput(input.History, renamed, "SimplePlanner");
    }

    private static Dictionary<string, IReadOnlyList<MetricRow>> Tables(params (string Scenario, string Type, Dictionary<string, double?> Scores)[] scenarios)
    {
        var tables = new Dictionary<string, List<MetricRow>>(StringComparer.Ordinal);
        foreach (var (scenario, type, scores) in scenarios)
        {
            foreach (var (metric, score) in scores)
            {
                if (!tables.TryGetValue(metric, out var rows))
                {
                    tables[metric] = rows = [];
                }
                rows.Add(new MetricRow("log", scenario, type, "LogFuturePlanner", new MetricStatistics(metric, metric, "Planning", [], MetricScore: score)));
            }
        }
        return tables.ToDictionary(p => p.Key, p => (IReadOnlyList<MetricRow>)p.Value, StringComparer.Ordinal);
    }
}
