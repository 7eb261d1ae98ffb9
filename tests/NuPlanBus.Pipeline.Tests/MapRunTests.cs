using System.Text.Json;
using NuPlanBus.Common.Experiments;
using NuPlanBus.Contracts;
using NuPlanBus.Coordinator.Outputs;
using NuPlanBus.Maps;
using NuPlanBus.Metrics.Evaluation;
using NuPlanBus.Scenarios.Synthetic;

namespace NuPlanBus.Pipeline.Tests;

/// <summary>Runs scored on maps: the sample's own map, a missing or corrupt one, and a run without maps.</summary>
[Collection(nameof(ConsoleCollection))]
public class MapRunTests(SampleDatasetFixture dataset) : IClassFixture<SampleDatasetFixture>
{
    private static RunSummary Summary(string run) =>
        JsonSerializer.Deserialize<RunSummary>(File.ReadAllText(RunLayout.Summary(run)), RunOutputWriter.JsonOptions)!;

    private SimulationSpec ClosedLoop(MapSpec? maps, string planner = "simple_planner", string controller = "two_stage_controller") => new()
    {
        Planner = planner,
        Controller = controller,
        Metrics = ["closed_loop_nonreactive_agents"],
        Maps = maps,
    };

    private MapSpec SampleMaps => new() { Root = SampleDataset.MapsDirectory(dataset.DatasetDirectory) };

    [Fact]
    public async Task Log_replay_on_the_sample_map_is_fully_compliant_and_scores_CLS_NR_above_0_9()
    {
        var submission = EmbeddedRun.Submission(dataset.DatasetDirectory, dataset.NewOutputRoot(),
            ClosedLoop(SampleMaps, "log_future_planner", "log_play_back_controller"));

        var outcome = await EmbeddedRun.RunAsync(submission);

        var summary = Summary(outcome.Completed!.OutputDirectory);
        Assert.Equal(NuPlanScore.Complete, summary.Score!.ScoreKind);
        Assert.Empty(summary.Score.MissingMetrics);
        foreach (var metric in new[]
                 {
                     MetricNames.DrivableAreaCompliance, MetricNames.DrivingDirectionCompliance, MetricNames.SpeedLimitCompliance,
                     MetricNames.EgoIsMakingProgress, MetricNames.NoEgoAtFaultCollisions,
                 })
        {
            Assert.Equal(1.0, summary.MetricAggregates.Single(m => m.Name == metric).MeanScore);
        }
        Assert.True(summary.Score.Final >= 0.9, $"CLS-NR {summary.Score.Final}");
        Assert.Equal(SampleMaps.Root, summary.Maps!.Root);
        // The aggregator parquet carries the devkit's columns, then score_kind, for an independent reader too.
        var aggregator = Directory.GetFiles(RunLayout.AggregatorDirectory(outcome.Completed.OutputDirectory), "*.parquet").Single();
        var columns = (await DuckDb.DescribeAsync(aggregator)).Columns.Select(c => c.Name).ToList();
        Assert.Equal(["score", "score_kind"], columns[^2..]);
    }

    [Fact]
    public async Task Without_maps_the_score_is_labelled_partial_and_lacks_the_map_metrics()
    {
        var outcome = await EmbeddedRun.RunAsync(EmbeddedRun.Submission(dataset.DatasetDirectory, dataset.NewOutputRoot(), ClosedLoop(null)));

        var summary = Summary(outcome.Completed!.OutputDirectory);
        Assert.Equal(NuPlanScore.PartialNoMap, summary.Score!.ScoreKind);
        Assert.Equal(
            ["drivable_area_compliance", "driving_direction_compliance", "ego_is_making_progress", "ego_progress_along_expert_route", "speed_limit_compliance"],
            summary.Score.MissingMetrics);
        Assert.DoesNotContain(summary.MetricAggregates, m => MetricNames.MapBased.Contains(m.Name));
        Assert.Null(summary.Maps);
    }

    [Fact]
    public async Task A_log_whose_map_is_not_under_the_maps_root_is_rejected_before_any_work_naming_the_map_and_the_paths()
    {
        var empty = Directory.CreateTempSubdirectory("nuplanbus-maps-").FullName;
        MapsRoot.WriteVersionFile(Path.Combine(empty, "nuplan-maps-v1.0.json"), new Dictionary<string, string> { ["us-ma-boston"] = "9.12.1817" });
        var output = dataset.NewOutputRoot();

        var outcome = await EmbeddedRun.RunAsync(EmbeddedRun.Submission(dataset.DatasetDirectory, output, ClosedLoop(new MapSpec { Root = empty })));

        Assert.Null(outcome.Completed);
        Assert.Contains("'synthetic-town' is not listed", outcome.Rejected!.Reason);
        Assert.Contains(Path.Combine(empty, "nuplan-maps-v1.0.json"), outcome.Rejected.Reason);
        Assert.Contains("us-ma-boston", outcome.Rejected.Reason);
        Assert.Empty(Directory.GetFileSystemEntries(output));
    }

    [Fact]
    public async Task Allowing_missing_maps_scores_the_run_partially_instead()
    {
        var empty = Directory.CreateTempSubdirectory("nuplanbus-maps-").FullName;
        MapsRoot.WriteVersionFile(Path.Combine(empty, "nuplan-maps-v1.0.json"), new Dictionary<string, string>());

        var outcome = await EmbeddedRun.RunAsync(EmbeddedRun.Submission(dataset.DatasetDirectory, dataset.NewOutputRoot(),
            ClosedLoop(new MapSpec { Root = empty, AllowMissing = true })));

        Assert.Equal(NuPlanScore.PartialNoMap, Summary(outcome.Completed!.OutputDirectory).Score!.ScoreKind);
        Assert.Equal(0, outcome.Completed.Failed);
    }

    [Fact]
    public async Task A_corrupt_map_is_rejected_naming_the_file_and_the_layer()
    {
        var copy = Directory.CreateTempSubdirectory("nuplanbus-maps-").FullName;
        foreach (var file in Directory.GetFiles(SampleMaps.Root, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(SampleMaps.Root, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        var gpkg = new MapsRoot(copy).Resolve(SampleDataset.MapName);
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={gpkg};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE baseline_paths";
            command.ExecuteNonQuery();
        }

        var outcome = await EmbeddedRun.RunAsync(EmbeddedRun.Submission(dataset.DatasetDirectory, dataset.NewOutputRoot(),
            ClosedLoop(new MapSpec { Root = copy })));

        Assert.Contains(gpkg, outcome.Rejected!.Reason);
        Assert.Contains("layer baseline_paths is missing", outcome.Rejected.Reason);
    }
}
