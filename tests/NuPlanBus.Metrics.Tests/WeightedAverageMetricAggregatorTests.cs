using NuPlanBus.Metrics.Aggregation;
using NuPlanBus.Metrics.Output;
using NuPlanBus.Metrics.Results;

namespace NuPlanBus.Metrics.Tests;

public class WeightedAverageMetricAggregatorTests
{
    [Fact]
    public void Closed_loop_score_multiplies_and_weights_as_the_devkit()
    {
        var tables = Tables(
            ("s1", "type_a", new Dictionary<string, double?>
            {
                ["no_ego_at_fault_collisions"] = 1.0,
                ["drivable_area_compliance"] = 1.0,
                ["ego_is_making_progress"] = 1.0,
                ["driving_direction_compliance"] = 0.5,
                ["ego_progress_along_expert_route"] = 0.8,
                ["time_to_collision_within_bound"] = 1.0,
                ["speed_limit_compliance"] = 0.9,
                ["ego_is_comfortable"] = 0.0,
                ["ego_jerk"] = null,
            }),
            ("s2", "type_a", new Dictionary<string, double?>
            {
                ["no_ego_at_fault_collisions"] = 0.0,
                ["ego_progress_along_expert_route"] = 1.0,
                ["ego_jerk"] = null,
            }),
            ("s3", "type_b", new Dictionary<string, double?>
            {
                ["ego_progress_along_expert_route"] = 0.5,
                ["ego_is_comfortable"] = 1.0,
                ["ego_jerk"] = null,
            }));
        var aggregator = WeightedAverageMetricAggregator.ClosedLoop("closed_loop_nonreactive_agents_weighted_average", "cl");

        var table = aggregator.Aggregate(tables);

        var s1 = 0.5 * (5 * 0.8 + 5 * 1.0 + 4 * 0.9 + 2 * 0.0) / 16;
        var s3 = (5 * 0.5 + 2 * 1.0) / 7;
        // Scenarios in order of first appearance over the alphabetically sorted metric tables, then types, then final.
        Assert.Equal(["s1", "s3", "s2", "type_a", "type_b", "final_score"], table.Rows.Select(r => r.Scenario));
        Assert.Equal(s1, table.Rows[0].Score!.Value, 12);
        Assert.Equal(s3, table.Rows[1].Score!.Value, 12);
        Assert.Equal(0.0, table.Rows[2].Score);
        var typeA = table.Rows[3];
        Assert.Equal(2, typeA.NumScenarios);
        Assert.Null(typeA.LogName);
        Assert.Equal((s1 + 0.0) / 2, typeA.Score!.Value, 12);
        Assert.Equal(1.8, typeA.MetricScores["ego_progress_along_expert_route"]!.Value, 12); // summed, not averaged
        Assert.Null(typeA.MetricScores["ego_jerk"]);
        var final = table.Rows[^1];
        Assert.Equal(3, final.NumScenarios);
        Assert.Equal((s1 + 0.0 + s3) / 3, final.Score!.Value, 12);
        Assert.Equal((0.8 + 1.0 + 0.5) / 3, final.MetricScores["ego_progress_along_expert_route"]!.Value, 12);
        Assert.Equal(final.Score, table.FinalScore);
        Assert.Equal(table.MetricNames.Order(StringComparer.Ordinal), table.MetricNames);
        // s2 and s3 lack metrics of the challenge formula: the scores are partial.
        Assert.True(table.IsPartial);
        Assert.Contains("drivable_area_compliance", table.MissingMetrics);
    }

    [Fact]
    public void With_every_metric_of_the_challenge_the_closed_loop_score_is_the_devkit_formula_and_complete()
    {
        var tables = Tables(("s1", "t", new Dictionary<string, double?>
        {
            ["no_ego_at_fault_collisions"] = 1.0,
            ["drivable_area_compliance"] = 1.0,
            ["ego_is_making_progress"] = 1.0,
            ["driving_direction_compliance"] = 0.5,
            ["ego_progress_along_expert_route"] = 0.9,
            ["time_to_collision_within_bound"] = 0.0,
            ["speed_limit_compliance"] = 0.75,
            ["ego_is_comfortable"] = 1.0,
            ["corners_in_drivable_area"] = null,
            ["ego_lane_change"] = null,
        }));

        var table = WeightedAverageMetricAggregator.ClosedLoop("closed_loop_reactive_agents_weighted_average", "cl").Aggregate(tables);

        // NAC·DAC·MP·DDC · (5·EP + 5·TTC + 4·SLC + 2·C) / 16, exactly.
        Assert.Equal(0.5 * (5 * 0.9 + 5 * 0.0 + 4 * 0.75 + 2 * 1.0) / 16, table.Rows[0].Score);
        Assert.False(table.IsPartial);
        Assert.Empty(table.MissingMetrics);
    }

    [Fact]
    public async Task Writes_the_aggregated_table_to_parquet()
    {
        var directory = Path.Combine(Path.GetTempPath(), "nuplanbus-agg-" + Guid.NewGuid().ToString("N"));
        try
        {
            var table = WeightedAverageMetricAggregator.Default().Aggregate(Tables(
                ("s1", "t", new Dictionary<string, double?> { ["ego_is_comfortable"] = 1.0, ["ego_mean_speed"] = null })));
            var path = Path.Combine(directory, "aggregator_metric", "weighted_average_metric_aggregator.parquet");

            await WeightedAverageMetricAggregator.WriteParquetAsync(path, table);

            var rows = await MetricResultFilesTests.ReadParquet(path);
            Assert.Equal(3, rows.Count);
            Assert.Equal("final_score", MetricResultFilesTests.Get(rows[2], "scenario")?.ToString());
            Assert.Equal(1.0, Convert.ToDouble(MetricResultFilesTests.Get(rows[2], "score")));
            Assert.Equal("weighted_average", MetricResultFilesTests.Get(rows[0], "aggregator_type")?.ToString());
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
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
                rows.Add(new MetricRow("log", scenario, type, "SimplePlanner",
                    new MetricStatistics(metric, metric, "Planning", [], MetricScore: score)));
            }
        }
        return tables.ToDictionary(p => p.Key, p => (IReadOnlyList<MetricRow>)p.Value, StringComparer.Ordinal);
    }
}
