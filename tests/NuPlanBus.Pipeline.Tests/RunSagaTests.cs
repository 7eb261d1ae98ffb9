using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using NuPlanBus.Common.Experiments;
using NuPlanBus.Contracts;
using NuPlanBus.Coordinator.Outputs;
using NuPlanBus.Coordinator.Runs;
using NuPlanBus.Hosting.Observability;

namespace NuPlanBus.Pipeline.Tests;

/// <summary>The run saga alone, on MassTransit's in-memory test harness (one harness per test).</summary>
public class RunSagaTests : IAsyncLifetime
{
    private readonly string _output = Directory.CreateTempSubdirectory("nuplanbus-saga-").FullName;
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _provider = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<RunOutputWriter>()
            .AddSingleton<RunDeadlines>()
            .AddNuPlanBusMetrics("saga-test")
            .Configure<NuPlanBus.Coordinator.CoordinatorOptions>(o => o.MaxPartitionAttempts = 2)
            .AddScoped(typeof(CompleteRunActivity<>))
            .AddLogging()
            .Configure<TestHarnessOptions>(o =>
            {
                // Completing a run writes Parquet files; the first write in a process takes a while.
                o.TestTimeout = TimeSpan.FromSeconds(60);
                o.TestInactivityTimeout = TimeSpan.FromSeconds(3);
            })
            .AddMassTransitTestHarness(x => x.AddSagaStateMachine<SimulationRunStateMachine, SimulationRunState>().InMemoryRepository())
            .BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
    }

    public async Task DisposeAsync()
    {
        await _harness.Stop();
        await _provider.DisposeAsync();
        Directory.Delete(_output, recursive: true);
    }

    private static ScenarioDescriptor Scenario(string token) => new()
    {
        ScenarioId = $"log/{token}",
        LogPath = "/data/log.db",
        LogName = "log",
        Token = token,
        ScenarioType = "stationary_in_traffic",
        MapName = "us-nv-las-vegas-strip",
        AnchorTimestampUs = 1,
    };

    private static RunnerReportRecord Report(string token) => new()
    {
        Succeeded = true,
        StartTime = 100,
        EndTime = 101,
        ScenarioName = token,
        PlannerName = "SimplePlanner",
        LogName = "log",
        ScenarioType = "stationary_in_traffic",
    };

    private Task<Guid> StartRunAsync(params string[] tokens) => StartRunAsync(2, tokens);

    private Task<Guid> StartRunAsync(int partitionSize, params string[] tokens) =>
        StartRunAsync(new SimulationRunAccepted
        {
            RunId = NewId.NextGuid(),
            RunName = "saga",
            OutputDirectory = _output,
            Simulation = new SimulationSpec(),
            PartitionSize = partitionSize,
            Scenarios = tokens.Select(Scenario).ToList(),
            AcceptedAt = DateTime.UtcNow,
        });

    private async Task<Guid> StartRunAsync(SimulationRunAccepted accepted)
    {
        var runId = accepted.RunId;
        await _harness.Bus.Publish(accepted);
        var saga = _harness.GetSagaStateMachineHarness<SimulationRunStateMachine, SimulationRunState>();
        Assert.NotNull(await saga.Exists(runId, m => m.Running));
        return runId;
    }

    /// <summary>Waits for the run's completion event; completing writes Parquet files, which can be slow on a loaded machine.</summary>
    private async Task CompletedAsync(Guid runId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!_harness.Published.Select<SimulationRunCompleted>().Any(m => m.Context.Message.RunId == runId))
        {
            Assert.True(DateTime.UtcNow < deadline, "the run did not complete within 60 s");
            await Task.Delay(50);
        }
    }

    private Task Simulated(Guid runId, string token, bool metrics) =>
        _harness.Bus.Publish(new ScenarioSimulated { RunId = runId, ScenarioId = $"log/{token}", Report = Report(token), MetricsRequested = metrics });

    private Task MetricsComputed(Guid runId, string token) =>
        _harness.Bus.Publish(new ScenarioMetricsComputed { RunId = runId, ScenarioId = $"log/{token}" });

    [Fact]
    public async Task Accepting_a_run_publishes_one_message_per_partition()
    {
        var runId = await StartRunAsync("a", "b", "c");

        Assert.True(await _harness.Published.Any<SimulateScenarioPartition>(m => m.Context.Message.RunId == runId));
        var partitions = _harness.Published.Select<SimulateScenarioPartition>().Select(m => m.Context.Message).ToList();
        Assert.Equal([0, 1], partitions.Select(p => p.PartitionIndex).Order());
        Assert.Equal(["a", "b", "c"], partitions.OrderBy(p => p.PartitionIndex).SelectMany(p => p.Scenarios).Select(s => s.Token));
    }

    [Fact]
    public async Task Duplicate_reports_and_completions_never_count_twice_and_the_run_completes_once()
    {
        var runId = await StartRunAsync("a", "b");

        await Simulated(runId, "a", metrics: true);
        await Simulated(runId, "a", metrics: true);
        await MetricsComputed(runId, "a");
        await MetricsComputed(runId, "a");
        await Simulated(runId, "b", metrics: false);
        await Simulated(runId, "b", metrics: false);

        await CompletedAsync(runId);
        await _harness.InactivityTask;
        var completions = _harness.Published.Select<SimulationRunCompleted>().Select(m => m.Context.Message).ToList();
        var completed = Assert.Single(completions);
        Assert.Equal(2, completed.Expected);
        Assert.Equal(2, completed.Succeeded);
        var progress = _harness.Published.Select<SimulationRunProgressed>().Select(m => m.Context.Message.Settled).ToList();
        Assert.Equal([1, 2], progress.Order());
    }

    [Fact]
    public async Task A_metric_failure_that_arrives_before_its_report_still_flips_the_report()
    {
        var runId = await StartRunAsync("a");

        await _harness.Bus.Publish(new ScenarioMetricsFailed { RunId = runId, ScenarioId = "log/a", ErrorMessage = "boom\n at Metric.Compute()", FailedAt = 205 });
        await Simulated(runId, "a", metrics: true);

        await CompletedAsync(runId);
        var completed = _harness.Published.Select<SimulationRunCompleted>().Single().Context.Message;
        Assert.Equal(1, completed.Failed);
        var rows = await EmbeddedPipelineTests.ReadRunnerReportAsync(_output);
        var row = Assert.Single(rows);
        Assert.False(row.Succeeded);
        Assert.StartsWith("boom", row.ErrorMessage);
        Assert.Equal(205, row.EndTime);
    }

    [Fact]
    public async Task A_report_for_a_scenario_outside_the_run_is_ignored()
    {
        var runId = await StartRunAsync("a");

        await _harness.Bus.Publish(new ScenarioSimulated { RunId = runId, ScenarioId = "log/zzz", Report = Report("zzz") });
        await Simulated(runId, "a", metrics: false);

        await CompletedAsync(runId);
        Assert.Equal(1, _harness.Published.Select<SimulationRunCompleted>().Single().Context.Message.Expected);
    }

    [Fact]
    public async Task A_partition_that_misses_its_deadline_is_republished_then_failed_with_the_reason()
    {
        var runId = await StartRunAsync(1, "a", "b");
        await Simulated(runId, "a", metrics: false);
        var later = DateTime.UtcNow.AddHours(1);

        await _harness.Bus.Publish(new RunDeadlineReached { RunId = runId, At = later });
        Assert.True(await _harness.Published.Any<SimulateScenarioPartition>(m => m.Context.Message.Attempt == 2));
        var retry = _harness.Published.Select<SimulateScenarioPartition>().Single(m => m.Context.Message.Attempt == 2).Context.Message;
        Assert.Equal(["b"], retry.Scenarios.Select(s => s.Token));
        Assert.Equal(1, retry.PartitionIndex);

        await _harness.Bus.Publish(new RunDeadlineReached { RunId = runId, At = later.AddHours(1) });

        await CompletedAsync(runId);
        var completed = _harness.Published.Select<SimulationRunCompleted>().Single().Context.Message;
        Assert.Equal(1, completed.Failed);
        var rows = await EmbeddedPipelineTests.ReadRunnerReportAsync(_output);
        var lost = Assert.Single(rows, r => !r.Succeeded);
        Assert.Equal("b", lost.ScenarioName);
        Assert.Contains("did not report", lost.ErrorMessage);
        Assert.Contains("2 attempts", lost.ErrorMessage);
    }

    [Fact]
    public async Task A_deadline_event_before_any_deadline_passed_changes_nothing()
    {
        var runId = await StartRunAsync(1, "a");

        await _harness.Bus.Publish(new RunDeadlineReached { RunId = runId, At = DateTime.UtcNow });
        await _harness.InactivityTask;

        Assert.DoesNotContain(_harness.Published.Select<SimulateScenarioPartition>(), m => m.Context.Message.Attempt > 1);
        Assert.False(_harness.Published.Select<SimulationRunCompleted>().Any());
    }

    [Fact]
    public async Task A_metric_run_sends_each_log_to_the_metric_workers_and_their_answers_are_the_reports()
    {
        var logs = new[] { "a", "b", "c" }.Select(t => Scenario(t) with
        {
            ScenarioId = $"IDMPlanner/log/{t}",
            SimulationLogPath = $"s3://logs/IDMPlanner/stationary_in_traffic/log/{t}/{t}.msgpack.zst",
            PlannerName = "IDMPlanner",
        }).ToList();
        var runId = await StartRunAsync(new SimulationRunAccepted
        {
            RunId = NewId.NextGuid(),
            RunName = "metric-run",
            OutputDirectory = _output,
            Kind = RunKinds.Metrics,
            Simulation = new SimulationSpec { Planner = "IDMPlanner", Metrics = ["dynamics"], WriteSimulationLog = false },
            PartitionSize = 2,
            Scenarios = logs,
            AcceptedAt = DateTime.UtcNow,
        });

        Assert.True(await _harness.Published.Any<ComputeScenarioMetrics>(m => m.Context.Message.RunId == runId));
        await _harness.InactivityTask;
        var requests = _harness.Published.Select<ComputeScenarioMetrics>().Select(m => m.Context.Message).ToList();
        Assert.Equal(logs.Select(l => l.SimulationLogPath), requests.Select(r => r.SimulationLogPath).Order());
        Assert.All(requests, r => Assert.Equal(["dynamics"], r.Metrics));
        Assert.False(_harness.Published.Select<SimulateScenarioPartition>().Any(), "a metric run must not simulate");

        await _harness.Bus.Publish(new ScenarioMetricsComputed { RunId = runId, ScenarioId = "IDMPlanner/log/a", StartTime = 300, EndTime = 302 });
        await _harness.Bus.Publish(new ScenarioMetricsFailed { RunId = runId, ScenarioId = "IDMPlanner/log/b", ErrorMessage = "truncated log", FailedAt = 305, StartTime = 304 });
        // The third log's worker is lost: after its deadline it is sent again, then failed with the reason.
        await _harness.Bus.Publish(new RunDeadlineReached { RunId = runId, At = DateTime.UtcNow.AddHours(1) });
        await _harness.Bus.Publish(new RunDeadlineReached { RunId = runId, At = DateTime.UtcNow.AddHours(2) });

        await CompletedAsync(runId);
        Assert.Equal(2, _harness.Published.Select<ComputeScenarioMetrics>().Count(m => m.Context.Message.ScenarioId == "IDMPlanner/log/c"));
        var rows = (await EmbeddedPipelineTests.ReadRunnerReportAsync(_output)).OrderBy(r => r.ScenarioName).ToList();
        Assert.Equal(["a", "b", "c"], rows.Select(r => r.ScenarioName));
        Assert.All(rows, r => Assert.Equal("IDMPlanner", r.PlannerName));
        Assert.True(rows[0].Succeeded);
        Assert.Equal((300, 302), (rows[0].StartTime, rows[0].EndTime!.Value));
        Assert.False(rows[1].Succeeded);
        Assert.Equal((304, 305, "truncated log"), (rows[1].StartTime, rows[1].EndTime!.Value, rows[1].ErrorMessage));
        Assert.False(rows[2].Succeeded);
        Assert.Contains("did not report", rows[2].ErrorMessage);
    }

    [Fact]
    public async Task A_batch_node_writes_only_its_own_part_of_the_run()
    {
        var runId = await StartRunAsync(new SimulationRunAccepted
        {
            RunId = NewId.NextGuid(),
            RunName = "job",
            OutputDirectory = _output,
            Simulation = new SimulationSpec(),
            PartitionSize = 2,
            Scenarios = [Scenario("a")],
            AcceptedAt = DateTime.UtcNow,
            NodeRank = 3,
        });

        await Simulated(runId, "a", metrics: false);

        await CompletedAsync(runId);
        Assert.True(File.Exists(RunLayout.NodeRunnerReport(_output, 3)));
        var part = await RunOutputWriter.ReadNodePartAsync(RunLayout.NodePart(_output, 3), CancellationToken.None);
        Assert.Equal(["log/a"], part.Scenarios.Select(s => s.Descriptor.ScenarioId));
        Assert.True(part.Scenarios[0].Report.Succeeded);
        // The run's own outputs are node 0's to write, once every node finished.
        Assert.False(File.Exists(RunLayout.RunnerReport(_output)));
        Assert.False(File.Exists(RunLayout.Summary(_output)));
    }
}
