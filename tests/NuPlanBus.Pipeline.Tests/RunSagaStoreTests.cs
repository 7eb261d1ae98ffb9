using MassTransit;
using Microsoft.Data.Sqlite;
using NuPlanBus.Contracts;
using NuPlanBus.Coordinator.Runs;
using NuPlanBus.Persistence;
using NuPlanBus.Persistence.Stores;

namespace NuPlanBus.Pipeline.Tests;

/// <summary>
/// The run saga's state in the embedded store (SQLite): what an event costs must not grow with the run, and what a
/// restarted Coordinator reads back must be the run it left.
/// </summary>
public sealed class RunSagaStoreTests : IDisposable
{
    private static readonly TimeSpan Allowance = TimeSpan.FromMinutes(5);
    private static readonly DateTime Now = new(2026, 12, 5, 12, 0, 0, DateTimeKind.Utc);

    private readonly string _directory = Directory.CreateTempSubdirectory("nuplanbus-saga-store-").FullName;

    private string ConnectionString => $"Data Source={Path.Combine(_directory, "sagas.db")}";

    private SqliteSagaStore<SimulationRunState> NewStore() => new(ConnectionString, new PersistentSagaOptions<SimulationRunState>());

    private static SimulationRunState Accepted(int scenarios, int partitionSize = 4)
    {
        var state = new SimulationRunState { CorrelationId = NewId.NextGuid(), CurrentState = "Running" };
        state.Accept(new SimulationRunAccepted
        {
            RunId = state.CorrelationId,
            RunName = "store",
            OutputDirectory = "/runs/store",
            Simulation = new SimulationSpec(),
            PartitionSize = partitionSize,
            Scenarios = [.. Enumerable.Range(0, scenarios).Select(Scenario)],
            AcceptedAt = Now,
        }, Now, Allowance);
        return state;
    }

    private static ScenarioDescriptor Scenario(int i) => new()
    {
        ScenarioId = $"log/{i:x16}",
        LogPath = "/data/log.db",
        LogName = "log",
        Token = $"{i:x16}",
        ScenarioType = "stationary_in_traffic",
        MapName = "us-nv-las-vegas-strip",
        AnchorTimestampUs = i,
    };

    private static ScenarioSimulated Report(SimulationRunState run, int i, bool succeeded = true) => new()
    {
        RunId = run.CorrelationId,
        ScenarioId = Scenario(i).ScenarioId,
        MetricsRequested = false,
        Report = new RunnerReportRecord
        {
            Succeeded = succeeded,
            ErrorMessage = succeeded ? null : "planner failed",
            StartTime = 100,
            EndTime = 101,
            ScenarioName = Scenario(i).Token,
            PlannerName = "SimplePlanner",
            LogName = "log",
            ScenarioType = "stationary_in_traffic",
        },
    };

    /// <summary>Loads the run, records scenario <paramref name="i"/>'s report as the saga does, saves; returns the bytes written.</summary>
    private static async Task<long> ReportAsync(ISagaStore<SimulationRunState> store, Guid runId, int i, bool succeeded = true)
    {
        var run = (await store.LoadAsync(runId))!;
        var before = store.StateBytesWritten;
        run.Touch(run.RecordReport(Report(run, i, succeeded)));
        run.ExtendDeadline(Scenario(i).ScenarioId, Now.AddMinutes(1), Allowance);
        await store.UpdateAsync(run);
        return store.StateBytesWritten - before;
    }

    [Fact]
    public async Task A_report_event_writes_the_same_bytes_in_a_run_of_100_and_of_20000_scenarios()
    {
        using var store = NewStore();
        var small = Accepted(100);
        var large = Accepted(20_000);
        Assert.True(await store.TryInsertAsync(small));
        Assert.True(await store.TryInsertAsync(large));

        var smallBytes = await ReportAsync(store, small.CorrelationId, 42);
        var largeBytes = await ReportAsync(store, large.CorrelationId, 12_345);

        // The state's row, the scenario's row and its partition's row; only digit counts may differ.
        Assert.InRange(smallBytes, 500, 8_000);
        Assert.InRange(largeBytes, smallBytes - 16, smallBytes + 16);
    }

    [Fact]
    public async Task A_restarted_store_reads_back_the_run_in_order_with_its_counters_and_deadlines()
    {
        var run = Accepted(10, partitionSize: 4);
        using (var store = NewStore())
        {
            Assert.True(await store.TryInsertAsync(run));
            await ReportAsync(store, run.CorrelationId, 0);
            await ReportAsync(store, run.CorrelationId, 5, succeeded: false);
            foreach (var i in new[] { 8, 9 })
            {
                await ReportAsync(store, run.CorrelationId, i);
            }
        }
        SqliteConnection.ClearAllPools();

        using var restarted = NewStore();
        var loaded = (await restarted.LoadAsync(run.CorrelationId))!;

        Assert.Equal(Enumerable.Range(0, 10).Select(i => Scenario(i).ScenarioId), loaded.Scenarios.Keys);
        Assert.Equal((10, 4, 3, 1), (loaded.Expected, loaded.Settled, loaded.SucceededCount, loaded.FailedCount));
        Assert.Equal([3, 3, 0], loaded.PartitionStates.OrderBy(p => p.Key).Select(p => p.Value.Open));
        // Partition 2 has no unreported scenario left; the others were last extended by a report one minute in.
        Assert.Equal(Now.AddMinutes(1) + Allowance, loaded.Deadline);
        Assert.Empty(loaded.DuePartitions(Now.AddMinutes(6) - TimeSpan.FromTicks(1)));
        Assert.Equal([0, 1], loaded.DuePartitions(Now.AddMinutes(6)).Select(p => p.Index).Order());
        Assert.Equal([1, 2, 3], loaded.Unreported(0).Select(s => s.Sequence));
        Assert.False(loaded.Scenarios[Scenario(5).ScenarioId].Report!.Succeeded);
    }

    [Fact]
    public async Task Partitions_take_one_log_at_a_time_in_anchor_order_while_the_run_keeps_its_own_order()
    {
        // The run's order (by token) interleaves three logs with anchors running backwards.
        ScenarioDescriptor Interleaved(int i) => Scenario(i) with
        {
            LogPath = $"/data/log-{i % 3}.db",
            LogName = $"log-{i % 3}",
            AnchorTimestampUs = (24 - i) * 50_000L,
        };
        var run = new SimulationRunState { CorrelationId = NewId.NextGuid(), CurrentState = "Running" };
        run.Accept(new SimulationRunAccepted
        {
            RunId = run.CorrelationId,
            RunName = "by-log",
            OutputDirectory = "/runs/by-log",
            Simulation = new SimulationSpec(),
            PartitionSize = 4,
            Scenarios = [.. Enumerable.Range(0, 24).Select(Interleaved)],
            AcceptedAt = Now,
        }, Now, Allowance);
        using var store = NewStore();
        Assert.True(await store.TryInsertAsync(run));
        var loaded = (await store.LoadAsync(run.CorrelationId))!;

        foreach (var state in new[] { run, loaded })
        {
            var partitions = state.Partitions().ToList();
            Assert.Equal(Enumerable.Range(0, 6), partitions.Select(p => p.Index));
            foreach (var (index, scenarios) in partitions)
            {
                Assert.Equal($"/data/log-{index / 2}.db", Assert.Single(scenarios.Select(s => s.LogPath).Distinct()));
                Assert.Equal(scenarios.Select(s => s.AnchorTimestampUs).Order(), scenarios.Select(s => s.AnchorTimestampUs));
            }
            Assert.Equal(Enumerable.Range(0, 24).Select(i => Scenario(i).ScenarioId), state.Scenarios.Keys);
        }
        Assert.Equal(run.Partitions().SelectMany(p => p.Scenarios), loaded.Partitions().SelectMany(p => p.Scenarios));
    }

    [Fact]
    public async Task Failing_a_lost_partition_settles_its_scenarios_and_closes_its_deadline()
    {
        using var store = NewStore();
        var run = Accepted(6, partitionSize: 3);
        Assert.True(await store.TryInsertAsync(run));
        var loaded = (await store.LoadAsync(run.CorrelationId))!;

        var due = loaded.DuePartitions(Now + Allowance);
        Assert.Equal([0, 1], due.Select(p => p.Index));
        Assert.Equal(3, loaded.FailUnreported(due[0], "lost", 1.0));
        Assert.Equal([3, 4, 5], loaded.Retry(due[1], Now.AddHours(1)).Select(s => s.Sequence));
        await store.UpdateAsync(loaded);

        using var restarted = NewStore();
        var reloaded = (await restarted.LoadAsync(run.CorrelationId))!;
        Assert.Equal((3, 0, 3), (reloaded.Settled, reloaded.SucceededCount, reloaded.FailedCount));
        Assert.Equal(Now.AddHours(1), reloaded.Deadline);
        Assert.Equal(2, reloaded.PartitionStates[1].Attempts);
        Assert.False(reloaded.AllSettled);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
