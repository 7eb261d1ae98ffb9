using System.Text.Json;
using NuPlanBus.Common.Experiments;
using NuPlanBus.Coordinator.Outputs;

namespace NuPlanBus.Pipeline.Tests;

/// <summary>
/// <c>nuplanbus metrics</c>: the devkit's metric run over stored simulation logs, through the MetricWorker and the run saga,
/// without simulating again.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public class MetricRunTests(SampleDatasetFixture dataset) : IClassFixture<SampleDatasetFixture>
{
    private async Task<string> SimulatedRunAsync(string output, params string[] extra)
    {
        var (code, stdout, error) = await CommandLine.RunAsync(
            ["simulate", "--dataset", dataset.DatasetDirectory, "--output", output, "--name", "original", "--limit", "8", .. extra]);
        Assert.True(code == 0, stdout + error);
        return Path.Combine(output, "original");
    }

    private static RunSummary Summary(string run) =>
        JsonSerializer.Deserialize<RunSummary>(File.ReadAllText(RunLayout.Summary(run)), RunOutputWriter.JsonOptions)!;

    private static string[] ScenarioMetricFiles(string run) =>
        Directory.GetFiles(Path.Combine(RunLayout.MetricsDirectory(run), "scenarios"), "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Fact]
    public async Task Metrics_on_the_simulation_logs_of_a_finished_run_reproduce_its_metric_files_exactly()
    {
        var output = dataset.NewOutputRoot();
        var original = await SimulatedRunAsync(output, "--planner", "idm_planner", "--observation", "idm_agents_observation");

        var (code, stdout, error) = await CommandLine.RunAsync("metrics", original, "--output", output, "--name", "recomputed");

        Assert.True(code == 0, stdout + error);
        var recomputed = Path.Combine(output, "recomputed");
        Assert.False(Directory.Exists(Path.Combine(recomputed, RunLayout.SimulationLogDirectoryName)), "a metric run must not simulate");
        var files = ScenarioMetricFiles(original);
        Assert.Equal(8, files.Length);
        Assert.Equal(files, ScenarioMetricFiles(recomputed));
        foreach (var file in files)
        {
            Assert.Equal(
                await File.ReadAllBytesAsync(Path.Combine(RunLayout.MetricsDirectory(original), "scenarios", file)),
                await File.ReadAllBytesAsync(Path.Combine(RunLayout.MetricsDirectory(recomputed), "scenarios", file)));
        }
        foreach (var table in Directory.GetFiles(RunLayout.MetricsDirectory(original), "*.parquet"))
        {
            Assert.Equal(await File.ReadAllBytesAsync(table), await File.ReadAllBytesAsync(Path.Combine(RunLayout.MetricsDirectory(recomputed), Path.GetFileName(table))));
        }
        Assert.Equal(Summary(original).Score!.Final, Summary(recomputed).Score!.Final);
        Assert.Equal(Summary(original).Score!.PerScenario, Summary(recomputed).Score!.PerScenario);

        // The devkit's MetricRunner report: one row per log, its own times, no planner statistics.
        var rows = await RunnerReportParquet.ReadAsync(RunLayout.RunnerReport(recomputed));
        Assert.Equal(8, rows.Count);
        Assert.All(rows, row =>
        {
            Assert.True(row.Succeeded);
            Assert.Equal("IDMPlanner", row.PlannerName);
            Assert.Null(row.Mean);
            Assert.True(row.EndTime >= row.StartTime);
        });
        var originalRows = await RunnerReportParquet.ReadAsync(RunLayout.RunnerReport(original));
        Assert.Equal(
            originalRows.Select(r => (r.LogName, r.ScenarioName)).Order(),
            rows.Select(r => (r.LogName, r.ScenarioName)).Order());
    }

    [Fact]
    public async Task A_metric_set_chosen_on_the_command_line_is_the_one_computed()
    {
        var output = dataset.NewOutputRoot();
        var original = await SimulatedRunAsync(output);

        var (code, stdout, error) = await CommandLine.RunAsync("metrics", Path.Combine(original, "simulation_log"), "-o", output, "-n", "jerk", "--metrics", "ego_jerk");

        Assert.True(code == 0, stdout + error);
        var tables = Directory.GetFiles(RunLayout.MetricsDirectory(Path.Combine(output, "jerk")), "*.parquet").Select(Path.GetFileName);
        Assert.Equal(["ego_jerk.parquet"], tables);
    }

    [Fact]
    public async Task A_truncated_or_foreign_log_fails_only_its_own_scenario_and_the_run_goes_on()
    {
        var output = dataset.NewOutputRoot();
        var original = await SimulatedRunAsync(output, "--metrics", "none");
        var logs = Directory.GetFiles(Path.Combine(original, RunLayout.SimulationLogDirectoryName), "*" + RunLayout.SimulationLogExtension, SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).ToArray();
        var truncated = logs[0];
        var bytes = await File.ReadAllBytesAsync(truncated);
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)]);
        var foreign = logs[1];
        await File.WriteAllTextAsync(foreign, "not a simulation log");
        // A stray file outside the layout is not a scenario.
        await File.WriteAllTextAsync(Path.Combine(original, RunLayout.SimulationLogDirectoryName, "notes" + RunLayout.SimulationLogExtension), "x");

        var (code, _, _) = await CommandLine.RunAsync("metrics", original, "--output", output, "--name", "damaged");

        Assert.Equal(1, code);
        var summary = Summary(Path.Combine(output, "damaged"));
        Assert.Equal(8, summary.Scenarios);
        Assert.Equal(2, summary.Failed);
        Assert.Contains(summary.Failures, f => f.Error.Contains(truncated, StringComparison.Ordinal));
        Assert.Contains(summary.Failures, f => f.Error.Contains(foreign, StringComparison.Ordinal));
        Assert.Equal(6, ScenarioMetricFiles(Path.Combine(output, "damaged")).Length);
    }

    [Theory]
    [InlineData("no-logs-here", "default", "No simulation log")]
    [InlineData(null, "no_such_metric", "no_such_metric")]
    public async Task Bad_input_is_a_message_and_exit_code_two_without_a_stack_trace(string? location, string metric, string expected)
    {
        var output = dataset.NewOutputRoot();
        var path = location is null ? await SimulatedRunAsync(output, "--metrics", "none") : Directory.CreateDirectory(Path.Combine(output, location)).FullName;

        var (code, _, error) = await CommandLine.RunAsync("metrics", path, "--output", output, "--metrics", metric);

        Assert.Equal(2, code);
        Assert.Contains(expected, error);
        Assert.DoesNotContain("   at ", error);
    }
}
