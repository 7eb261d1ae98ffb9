using Microsoft.Extensions.DependencyInjection;
using NuPlanBus.Common.Experiments;
using NuPlanBus.Contracts;
using NuPlanBus.Coordinator.Outputs;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Metrics.Engine;
using Parquet;
using Parquet.Schema;

namespace NuPlanBus.Pipeline.Tests;

public class EmbeddedPipelineTests(SampleDatasetFixture dataset) : IClassFixture<SampleDatasetFixture>
{
    [Fact]
    public async Task N_scenarios_in_give_N_succeeded_reports_and_every_output()
    {
        var submission = EmbeddedRun.Submission(dataset.DatasetDirectory, dataset.NewOutputRoot());
        var progress = new RecordingProgress();

        var outcome = await EmbeddedRun.RunAsync(submission, progress: progress);

        Assert.Null(outcome.Rejected);
        var completed = outcome.Completed!;
        var expected = dataset.Scenarios.Count;
        Assert.True(expected >= 10, $"the sample log should hold at least 10 tagged scenarios, found {expected}");
        Assert.Equal(expected, completed.Expected);
        Assert.Equal(expected, completed.Succeeded);
        Assert.Equal(0, completed.Failed);
        Assert.Equal(expected, progress.Updates.Max(u => u.Settled));

        var directory = completed.OutputDirectory;
        var rows = await ReadRunnerReportAsync(directory);
        Assert.Equal(expected, rows.Count);
        Assert.All(rows, r => Assert.True(r.Succeeded));
        Assert.Equal(
            dataset.Scenarios.Select(s => s.Token).Order(StringComparer.Ordinal),
            rows.Select(r => r.ScenarioName).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal("SimplePlanner", r.PlannerName));
        Assert.All(rows, r => Assert.True(r.Duration > 0));

        Assert.True(File.Exists(Path.Combine(RunLayout.MetricsDirectory(directory), "ego_is_comfortable.parquet")));
        Assert.Equal(expected, Directory.GetFiles(Path.Combine(directory, RunLayout.SimulationLogDirectoryName), "*.msgpack.zst", SearchOption.AllDirectories).Length);
        foreach (var component in new[] { "coordinator", "simworker", "metricworker" })
        {
            Assert.True(File.Exists(RunLayout.ComponentLog(directory, component)), $"{component} log missing");
        }
        var summary = System.Text.Json.JsonSerializer.Deserialize<RunSummary>(
            await File.ReadAllTextAsync(RunLayout.Summary(directory)), RunOutputWriter.JsonOptions)!;
        Assert.Equal(expected, summary.Scenarios);
        Assert.Equal(1.0, summary.SuccessRate);
        Assert.Contains(summary.MetricAggregates, m => m.Name == "ego_is_comfortable" && m.Scenarios == expected && m.MeanScore is >= 0 and <= 1);

        // A third-party reader sees the devkit's columns.
        var report = await DuckDb.DescribeAsync(RunLayout.RunnerReport(directory));
        Assert.Equal(RunnerReportParquet.Columns, report.Columns.Select(c => c.Name));
        Assert.Equal("BOOLEAN", report.Columns[0].Type);
        Assert.Equal(expected, report.Rows);
        var jerk = await DuckDb.DescribeAsync(Path.Combine(RunLayout.MetricsDirectory(directory), "ego_jerk.parquet"));
        Assert.Equal(expected, jerk.Rows);
        Assert.Contains(jerk.Columns, c => c.Name == "max_ego_jerk_stat_value" && c.Type == "DOUBLE");
        Assert.Contains(jerk.Columns, c => c.Name == "time_series_values" && c.Type == "DOUBLE[]");
        Assert.Equal(
            ["log_name", "scenario_name", "scenario_type", "planner_name", "metric_computator", "metric_statistics_name", "metric_score", "metric_score_unit", "metric_category"],
            jerk.Columns.Take(9).Select(c => c.Name));
    }

    [Fact]
    public async Task A_planner_that_throws_on_one_scenario_fails_exactly_that_report_with_its_trace()
    {
        var victim = dataset.Scenarios[dataset.Scenarios.Count / 2].Token;
        var submission = EmbeddedRun.Submission(
            dataset.DatasetDirectory, dataset.NewOutputRoot(), new SimulationSpec { Planner = FaultyPlannerFactory.ConfigName });

        var outcome = await EmbeddedRun.RunAsync(
            submission, services => services.AddSingleton<IPlannerFactory>(new FaultyPlannerFactory(victim)));

        var completed = outcome.Completed!;
        Assert.Equal(dataset.Scenarios.Count, completed.Expected);
        Assert.Equal(1, completed.Failed);
        var rows = await ReadRunnerReportAsync(completed.OutputDirectory);
        var failed = Assert.Single(rows, r => !r.Succeeded);
        Assert.Equal(victim, failed.ScenarioName);
        Assert.Contains(FaultyPlannerFactory.Failure, failed.ErrorMessage);
        Assert.Contains(" at ", failed.ErrorMessage);
        Assert.Null(failed.Mean);
        Assert.All(rows.Where(r => r.Succeeded), r => Assert.Null(r.ErrorMessage));
    }

    [Fact]
    public async Task When_a_metric_callback_fails_exactly_that_report_is_flipped_to_failed()
    {
        var victim = dataset.Scenarios[1].Token;
        var submission = EmbeddedRun.Submission(
            dataset.DatasetDirectory, dataset.NewOutputRoot(), new SimulationSpec { Metrics = ["dynamics", FaultyMetric.ConfigName] });

        var outcome = await EmbeddedRun.RunAsync(
            submission, services => services.AddMetric(FaultyMetric.ConfigName, () => new FaultyMetric(victim)));

        var completed = outcome.Completed!;
        Assert.Equal(1, completed.Failed);
        var rows = await ReadRunnerReportAsync(completed.OutputDirectory);
        var flipped = Assert.Single(rows, r => !r.Succeeded);
        Assert.Equal(victim, flipped.ScenarioName);
        Assert.Contains(FaultyMetric.Failure, flipped.ErrorMessage);
        // The simulation itself succeeded, so its planner statistics stay, and the end time moved to the failure.
        Assert.NotNull(flipped.Mean);
        Assert.True(flipped.Duration > rows.Where(r => r.Succeeded).Min(r => r.Duration));
    }

    [Fact]
    public async Task Runs_with_the_same_name_get_unique_directories()
    {
        var output = dataset.NewOutputRoot();
        var spec = new SimulationSpec { Metrics = [] };
        var first = await EmbeddedRun.RunAsync(EmbeddedRun.Submission(dataset.Logs[0], output, spec, name: "twice") with
        {
            Filter = new ScenarioFilterSpec { ScenarioTokens = [dataset.Scenarios[0].Token] },
        });
        var second = await EmbeddedRun.RunAsync(EmbeddedRun.Submission(dataset.Logs[0], output, spec, name: "twice") with
        {
            Filter = new ScenarioFilterSpec { ScenarioTokens = [dataset.Scenarios[0].Token] },
        });

        Assert.Equal("twice", first.Completed!.RunName);
        Assert.Equal("twice_1", second.Completed!.RunName);
        Assert.Equal(1, second.Completed.Expected);
    }

    internal static async Task<IReadOnlyList<RunnerReportParquet.Row>> ReadRunnerReportAsync(string runDirectory)
    {
        var path = RunLayout.RunnerReport(runDirectory);
        await using (var stream = File.OpenRead(path))
        await using (var reader = await ParquetReader.CreateAsync(stream))
        {
            Assert.Equal(RunnerReportParquet.Columns, reader.Schema.GetDataFields().Select(f => f.Name));
        }
        return await RunnerReportParquet.ReadAsync(path);
    }
}

public class PingTests
{
    [Fact]
    public async Task Every_service_of_the_embedded_host_answers_a_ping_with_its_health()
    {
        var builder = NuPlanBus.Coordinator.EmbeddedHost.CreateBuilder(new NuPlanBus.Coordinator.EmbeddedSettings());
        NuPlanBus.Hosting.Messaging.BusExtensions.AddNuPlanBus(builder.Services, builder.Configuration);
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var bus = host.Services.GetRequiredService<MassTransit.IBus>();

            var answers = await NuPlanBus.Coordinator.Cli.PingCommand.PingAsync(bus, TimeSpan.FromSeconds(2), CancellationToken.None);

            Assert.Equal(
                NuPlanBus.Coordinator.Cli.PingCommand.RequiredServices.Order(),
                answers.Select(a => a.Service).Order());
            Assert.All(answers, a => Assert.Equal("Healthy", a.Health));
            Assert.All(answers, a => Assert.Equal(Environment.ProcessId, a.ProcessId));
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
