using System.Collections;
using NuPlanBus.Metrics.Engine;
using NuPlanBus.Metrics.Output;
using NuPlanBus.Metrics.Results;
using Parquet.Serialization;

namespace NuPlanBus.Metrics.Tests;

public sealed class MetricResultFilesTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nuplanbus-metrics-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Scenario_files_round_trip_and_are_named_by_type_scenario_and_planner()
    {
        var result = ComputeStationary("aaaaaaaaaaaaaaaa", "stationary");

        var path = await MetricResultFiles.WriteScenarioAsync(_directory, result);
        var read = await MetricResultFiles.ReadScenarioAsync(path);

        Assert.Equal(Path.Combine(_directory, "scenarios", "stationary_aaaaaaaaaaaaaaaa_SimplePlanner.json"), path);
        Assert.Single(Directory.GetFiles(Path.Combine(_directory, "scenarios")));
        Assert.Equal(result.Metrics.Count, read.Metrics.Count);
        Assert.Equal(result.ScenarioName, read.ScenarioName);
        var comfortable = read.Metrics.Single(m => m.Name == "ego_is_comfortable");
        Assert.Equal(1.0, comfortable.MetricScore);
        Assert.Equal(StatisticType.BOOLEAN, comfortable.Statistics[0].Type);
        var jerk = read.Metrics.Single(m => m.Name == "ego_jerk");
        Assert.Equal(result.Metrics.Single(m => m.Name == "ego_jerk").TimeSeries!.TimestampsUs, jerk.TimeSeries!.TimestampsUs);
    }

    [Fact]
    public async Task Non_finite_values_survive_the_scenario_file()
    {
        var statistics = new MetricStatistics("ttc", "ttc", "Planning",
            [new Statistic("min_ttc", "seconds", StatisticType.MIN, double.PositiveInfinity)],
            new TimeSeries("seconds", [1L, 2L], [double.PositiveInfinity, double.NaN], [0, 1]));
        var result = new ScenarioMetricResult("log", "bbbbbbbbbbbbbbbb", "type", "Planner", [statistics]);

        var read = await MetricResultFiles.ReadScenarioAsync(await MetricResultFiles.WriteScenarioAsync(_directory, result));

        Assert.Equal(double.PositiveInfinity, read.Metrics[0].Statistics[0].Value);
        Assert.True(double.IsNaN(read.Metrics[0].TimeSeries!.Values[1]));
        Assert.Equal([0, 1], read.Metrics[0].TimeSeries!.SelectedFrames!);
    }

    [Fact]
    public async Task Merge_writes_one_parquet_per_statistics_name_with_devkit_columns()
    {
        await MetricResultFiles.WriteScenarioAsync(_directory, ComputeStationary("bbbbbbbbbbbbbbbb", "stationary"));
        await MetricResultFiles.WriteScenarioAsync(_directory, ComputeStationary("aaaaaaaaaaaaaaaa", "stationary"));

        var merge = await MetricResultFiles.MergeToParquetAsync(_directory);

        Assert.Equal(2, merge.ScenarioFileCount);
        Assert.Equal(14, merge.ParquetFiles.Count);
        Assert.Contains(Path.Combine(_directory, "ego_jerk.parquet"), merge.ParquetFiles);
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));

        var columns = await ReadColumnNames(Path.Combine(_directory, "ego_jerk.parquet"));
        Assert.Equal(
            [
                "log_name", "scenario_name", "scenario_type", "planner_name", "metric_computator", "metric_statistics_name",
                "metric_score", "metric_score_unit", "metric_category",
                "max_ego_jerk_stat_type", "max_ego_jerk_stat_unit", "max_ego_jerk_stat_value",
                "min_ego_jerk_stat_type", "min_ego_jerk_stat_unit", "min_ego_jerk_stat_value",
                "avg_ego_jerk_stat_type", "avg_ego_jerk_stat_unit", "avg_ego_jerk_stat_value",
                "p90_ego_jerk_stat_type", "p90_ego_jerk_stat_unit", "p90_ego_jerk_stat_value",
                "abs_ego_jerk_within_bounds_stat_type", "abs_ego_jerk_within_bounds_stat_unit", "abs_ego_jerk_within_bounds_stat_value",
                "time_series_unit", "time_series_timestamps", "time_series_values", "time_series_selected_frames",
            ],
            columns);
        var jerk = await ReadParquet(Path.Combine(_directory, "ego_jerk.parquet"));
        Assert.Equal(2, jerk.Count);
        // Rows follow file-name order: scenario "aaaa…" first.
        Assert.Equal("aaaaaaaaaaaaaaaa", Get(jerk[0], "scenario_name")?.ToString());
        Assert.Equal("2021.01.01.00.00.00_test", Get(jerk[0], "log_name")?.ToString());
        Assert.Equal("stationary", Get(jerk[0], "scenario_type")?.ToString());
        Assert.Equal("SimplePlanner", Get(jerk[0], "planner_name")?.ToString());
        Assert.Equal("ego_jerk", Get(jerk[0], "metric_computator")?.ToString());
        Assert.Equal("ego_jerk", Get(jerk[0], "metric_statistics_name")?.ToString());
        Assert.Equal("Dynamics", Get(jerk[0], "metric_category")?.ToString());
        Assert.Null(Get(jerk[0], "metric_score"));
        Assert.Equal("MAX", Get(jerk[0], "max_ego_jerk_stat_type")?.ToString());
        Assert.Equal("meters_per_second_cubed", Get(jerk[0], "max_ego_jerk_stat_unit")?.ToString());
        Assert.Equal(0.0, Convert.ToDouble(Get(jerk[0], "max_ego_jerk_stat_value")));
        Assert.Equal("BOOLEAN", Get(jerk[0], "abs_ego_jerk_within_bounds_stat_type")?.ToString());
        Assert.Equal(1.0, Convert.ToDouble(Get(jerk[0], "abs_ego_jerk_within_bounds_stat_value")));
        Assert.Equal("meters_per_second_cubed", Get(jerk[0], "time_series_unit")?.ToString());
        var timestamps = ((IEnumerable)Get(jerk[0], "time_series_timestamps")!).Cast<object>().Select(Convert.ToInt64).ToList();
        Assert.Equal(9, timestamps.Count);
        Assert.Equal(1_000_000L, timestamps[0]);
        var values = ((IEnumerable)Get(jerk[0], "time_series_values")!).Cast<object>().Select(Convert.ToDouble).ToList();
        Assert.Equal(9, values.Count);

        var comfortable = await ReadParquet(Path.Combine(_directory, "ego_is_comfortable.parquet"));
        Assert.Equal(1.0, Convert.ToDouble(Get(comfortable[1], "metric_score")));
        Assert.Equal("bool", Get(comfortable[1], "metric_score_unit")?.ToString());
        Assert.Null(Get(comfortable[1], "time_series_unit"));
        Assert.Null(Get(comfortable[1], "time_series_values"));
        Assert.Null(Get(jerk[0], "time_series_selected_frames"));

        var speed = merge.Aggregates.Single(a => a.MetricStatisticsName == "ego_mean_speed");
        Assert.Equal(2, speed.ScenarioCount);
        Assert.Null(speed.MeanScore);
        Assert.Equal(0.0, speed.MeanStatisticValues["ego_mean_speed_value"]);
        var comfort = merge.Aggregates.Single(a => a.MetricStatisticsName == "ego_is_comfortable");
        Assert.Equal(1.0, comfort.MeanScore);
    }

    [Fact]
    public async Task Merge_of_an_empty_directory_writes_nothing()
    {
        var merge = await MetricResultFiles.MergeToParquetAsync(_directory);

        Assert.Empty(merge.ParquetFiles);
        Assert.Equal(0, merge.ScenarioFileCount);
    }

    private static ScenarioMetricResult ComputeStationary(string token, string type)
    {
        var (history, scenario) = TestScenes.Stationary(10, token, type);
        return MetricCatalog.CreateDefault().CreateEngineForSet(MetricCatalog.DefaultSet).Compute(history, scenario, "SimplePlanner");
    }

    internal static object? Get(Dictionary<string, object> row, string column) => row.TryGetValue(column, out var value) ? value : null;

    internal static async Task<List<string>> ReadColumnNames(string path)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await Parquet.ParquetReader.CreateAsync(stream);
        return reader.Schema.Fields.Select(f => f.Name).ToList();
    }

    internal static async Task<IList<Dictionary<string, object>>> ReadParquet(string path)
    {
        await using var stream = File.OpenRead(path);
        var result = await ParquetSerializer.DeserializeUntypedAsync(stream);
        return result.Data;
    }
}
