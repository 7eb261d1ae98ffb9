using NuPlanBus.Hosting.Observability;

namespace NuPlanBus.Observability.Tests;

public sealed class NuPlanBusMetricsTests : IDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly NuPlanBusMetrics _metrics;

    public NuPlanBusMetricsTests() => _metrics = new NuPlanBusMetrics("SimWorker", _time, TimeSpan.FromHours(1));

    public void Dispose() => _metrics.Dispose();

    [Fact]
    public async Task Simulated_scenarios_are_counted_by_planner_and_outcome_and_their_wall_time_observed()
    {
        _metrics.ScenarioSimulated("idm", succeeded: true, 0.2);
        _metrics.ScenarioSimulated("idm", succeeded: true, 3);
        _metrics.ScenarioSimulated("idm", succeeded: false, 45);
        _metrics.ScenarioSimulated("simple", succeeded: true, 0.01);

        var text = await Exposition.CollectAsync(_metrics.Registry);

        Assert.Equal("counter", text.Types["nuplanbus_scenarios_simulated_total"]);
        Assert.Equal(2, text.Value("nuplanbus_scenarios_simulated_total", ("planner", "idm"), ("outcome", "succeeded")));
        Assert.Equal(1, text.Value("nuplanbus_scenarios_simulated_total", ("planner", "idm"), ("outcome", "failed")));
        Assert.Equal(1, text.Value("nuplanbus_scenarios_simulated_total", ("planner", "simple"), ("outcome", "succeeded")));

        Assert.Equal("histogram", text.Types["nuplanbus_scenario_duration_seconds"]);
        Assert.Equal(3, text.Value("nuplanbus_scenario_duration_seconds_count", ("planner", "idm")));
        Assert.Equal(48.2, text.Value("nuplanbus_scenario_duration_seconds_sum", ("planner", "idm")), 6);
        Assert.Equal(1, text.Value("nuplanbus_scenario_duration_seconds_bucket", ("planner", "idm"), ("le", "0.25")));
        Assert.Equal(2, text.Value("nuplanbus_scenario_duration_seconds_bucket", ("planner", "idm"), ("le", "5")));
        Assert.Equal(3, text.Value("nuplanbus_scenario_duration_seconds_bucket", ("planner", "idm"), ("le", "60")));
        Assert.Equal(1, text.Value("nuplanbus_scenario_duration_seconds_bucket", ("planner", "simple"), ("le", "0.01")));
    }

    [Fact]
    public async Task Planner_step_times_fill_the_step_histogram_with_sub_millisecond_buckets()
    {
        _metrics.PlannerSteps("idm", [0.00005, 0.0003, 0.002, 0.9]);

        var text = await Exposition.CollectAsync(_metrics.Registry);

        Assert.Equal(4, text.Value("nuplanbus_planner_step_duration_seconds_count", ("planner", "idm")));
        Assert.Equal(1, text.Value("nuplanbus_planner_step_duration_seconds_bucket", ("planner", "idm"), ("le", "0.0001")));
        Assert.Equal(2, text.Value("nuplanbus_planner_step_duration_seconds_bucket", ("planner", "idm"), ("le", "0.0005")));
        Assert.Equal(3, text.Value("nuplanbus_planner_step_duration_seconds_bucket", ("planner", "idm"), ("le", "0.0025")));
        Assert.Equal(4, text.Value("nuplanbus_planner_step_duration_seconds_bucket", ("planner", "idm"), ("le", "1")));
    }

    [Fact]
    public async Task A_partition_counts_as_in_flight_until_its_handle_is_disposed_once()
    {
        var first = _metrics.TrackPartition();
        var second = _metrics.TrackPartition();
        Assert.Equal(2, (await Exposition.CollectAsync(_metrics.Registry)).Value("nuplanbus_partitions_in_flight"));

        first.Dispose();
        first.Dispose();
        Assert.Equal(1, (await Exposition.CollectAsync(_metrics.Registry)).Value("nuplanbus_partitions_in_flight"));

        second.Dispose();
        Assert.Equal(0, (await Exposition.CollectAsync(_metrics.Registry)).Value("nuplanbus_partitions_in_flight"));
    }

    [Fact]
    public async Task Callbacks_are_pending_until_finished_and_failures_and_report_flips_are_counted()
    {
        _metrics.CallbackRequested();
        _metrics.CallbackRequested();
        _metrics.CallbackRequested();
        _metrics.CallbackFinished(failed: false);
        _metrics.CallbackFinished(failed: true);
        _metrics.ReportFlipped();

        var text = await Exposition.CollectAsync(_metrics.Registry);
        Assert.Equal("gauge", text.Types["nuplanbus_callbacks_pending"]);
        Assert.Equal(1, text.Value("nuplanbus_callbacks_pending"));
        Assert.Equal(1, text.Value("nuplanbus_callbacks_failed_total"));
        Assert.Equal(1, text.Value("nuplanbus_report_flips_total"));

        _metrics.SetCallbacksPending(7);
        Assert.Equal(7, (await Exposition.CollectAsync(_metrics.Registry)).Value("nuplanbus_callbacks_pending"));
    }

    [Fact]
    public async Task Pending_callbacks_never_go_below_zero()
    {
        _metrics.CallbackFinished(failed: false);
        _metrics.CallbackRequested();

        Assert.Equal(1, (await Exposition.CollectAsync(_metrics.Registry)).Value("nuplanbus_callbacks_pending"));
    }

    [Fact]
    public async Task Run_progress_is_exported_per_run_and_RunFinished_removes_the_run_series()
    {
        _metrics.RunProgress("nightly-a", expected: 100, settled: 10);
        _metrics.RunProgress("nightly-b", expected: 5, settled: 0);
        _metrics.RunProgress("nightly-a", expected: 100, settled: 42);

        var text = await Exposition.CollectAsync(_metrics.Registry);
        Assert.Equal(100, text.Value("nuplanbus_run_scenarios_expected", ("run", "nightly-a")));
        Assert.Equal(42, text.Value("nuplanbus_run_scenarios_settled", ("run", "nightly-a")));
        Assert.Equal(5, text.Value("nuplanbus_run_scenarios_expected", ("run", "nightly-b")));
        Assert.Equal(0, text.Value("nuplanbus_runs_completed_total"));

        _metrics.RunFinished("nightly-a");

        text = await Exposition.CollectAsync(_metrics.Registry);
        Assert.DoesNotContain(text.Samples, s => s.Label("run") == "nightly-a");
        Assert.Equal(5, text.Value("nuplanbus_run_scenarios_expected", ("run", "nightly-b")));
        Assert.Equal(0, text.Value("nuplanbus_run_scenarios_settled", ("run", "nightly-b")));
        Assert.Equal(1, text.Value("nuplanbus_runs_completed_total"));
    }

    [Fact]
    public async Task A_run_that_goes_quiet_for_the_retention_loses_its_series_and_is_not_counted_as_completed()
    {
        _metrics.RunProgress("stuck", expected: 10, settled: 3);
        _metrics.RunProgress("busy", expected: 10, settled: 3);
        _time.Advance(TimeSpan.FromMinutes(59));
        _metrics.RunProgress("busy", expected: 10, settled: 4);
        Assert.Equal(3, (await Exposition.CollectAsync(_metrics.Registry)).Value("nuplanbus_run_scenarios_settled", ("run", "stuck")));

        _time.Advance(TimeSpan.FromMinutes(2));

        var text = await Exposition.CollectAsync(_metrics.Registry);
        Assert.DoesNotContain(text.Samples, s => s.Label("run") == "stuck");
        Assert.Equal(4, text.Value("nuplanbus_run_scenarios_settled", ("run", "busy")));
        Assert.Equal(0, text.Value("nuplanbus_runs_completed_total"));
    }

    [Fact]
    public async Task Barrier_waits_count_releases_and_timeouts_by_kind_and_observe_the_wait()
    {
        _metrics.BarrierWaited("file", 0.3, released: true);
        _metrics.BarrierWaited("file", 120, released: false);
        _metrics.BarrierWaited("broker", 0.02, released: true);

        var text = await Exposition.CollectAsync(_metrics.Registry);
        Assert.Equal(2, text.Value("nuplanbus_barrier_waits_total", ("kind", "file")));
        Assert.Equal(1, text.Value("nuplanbus_barrier_releases_total", ("kind", "file")));
        Assert.Equal(1, text.Value("nuplanbus_barrier_timeouts_total", ("kind", "file")));
        Assert.Equal(1, text.Value("nuplanbus_barrier_waits_total", ("kind", "broker")));
        Assert.Equal(1, text.Value("nuplanbus_barrier_releases_total", ("kind", "broker")));
        Assert.Null(text.Find("nuplanbus_barrier_timeouts_total", ("kind", "broker")));
        Assert.Equal(2, text.Value("nuplanbus_barrier_wait_seconds_count", ("kind", "file")));
        Assert.Equal(120.3, text.Value("nuplanbus_barrier_wait_seconds_sum", ("kind", "file")), 6);
    }

    [Fact]
    public async Task Storage_operations_retries_and_failures_are_counted_by_backend_and_operation()
    {
        _metrics.StorageOperation("s3", "read");
        _metrics.StorageOperation("s3", "read");
        _metrics.StorageRetry("s3", "read");
        _metrics.StorageFailure("s3", "read");
        _metrics.StorageOperation("local", "write");

        var text = await Exposition.CollectAsync(_metrics.Registry);
        Assert.Equal(2, text.Value("nuplanbus_storage_operations_total", ("backend", "s3"), ("operation", "read")));
        Assert.Equal(1, text.Value("nuplanbus_storage_retries_total", ("backend", "s3"), ("operation", "read")));
        Assert.Equal(1, text.Value("nuplanbus_storage_failures_total", ("backend", "s3"), ("operation", "read")));
        Assert.Equal(1, text.Value("nuplanbus_storage_operations_total", ("backend", "local"), ("operation", "write")));
    }

    [Fact]
    public async Task Build_info_is_one_with_the_version_and_service()
    {
        var text = await Exposition.CollectAsync(_metrics.Registry);

        Assert.Equal(1, text.Value("nuplanbus_build_info", ("version", NuPlanBusMetrics.Version), ("service", "SimWorker")));
        Assert.StartsWith("0.", NuPlanBusMetrics.Version, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_instances_in_one_process_do_not_share_series()
    {
        using var other = new NuPlanBusMetrics("MetricWorker");
        _metrics.ScenarioSimulated("idm", succeeded: true, 1);

        var text = await Exposition.CollectAsync(other.Registry);

        Assert.Null(text.Find("nuplanbus_scenarios_simulated_total", ("planner", "idm"), ("outcome", "succeeded")));
        Assert.Equal(1, text.Value("nuplanbus_build_info", ("version", NuPlanBusMetrics.Version), ("service", "MetricWorker")));
    }

    [Fact]
    public async Task Every_family_has_one_help_and_type_line_and_counters_end_in_total()
    {
        Populate(_metrics);

        var text = await Exposition.CollectAsync(_metrics.Registry);

        Assert.Equal(text.HelpNames.Count, text.HelpNames.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(text.HelpNames.Order(StringComparer.Ordinal), text.Types.Keys.Order(StringComparer.Ordinal));
        var ours = text.Types.Where(t => t.Key.StartsWith(NuPlanBusMetrics.Prefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(18, ours.Count);
        Assert.All(text.Types.Where(t => t.Value == "counter"), t => Assert.EndsWith("_total", t.Key, StringComparison.Ordinal));
        Assert.All(ours.Where(t => t.Value == "histogram"), t => Assert.EndsWith("_seconds", t.Key, StringComparison.Ordinal));
    }

    internal static void Populate(NuPlanBusMetrics metrics)
    {
        metrics.ScenarioSimulated("idm", true, 0.5);
        metrics.PlannerSteps("idm", [0.001]);
        metrics.TrackPartition().Dispose();
        metrics.CallbackRequested();
        metrics.CallbackFinished(true);
        metrics.ReportFlipped();
        metrics.RunProgress("r", 1, 0);
        metrics.BarrierWaited("file", 1, true);
        metrics.BarrierWaited("file", 1, false);
        metrics.StorageOperation("local", "read");
        metrics.StorageRetry("local", "read");
        metrics.StorageFailure("local", "read");
    }
}
