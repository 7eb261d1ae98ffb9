using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using NuPlanBus.Hosting.Observability;

namespace NuPlanBus.Observability.IntegrationTests;

public sealed class PromtoolTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task The_metrics_endpoint_of_a_fully_populated_host_passes_promtool_check_metrics()
    {
        var promtool = RequiredTool.Find("promtool");
        using var host = ObservedHost.Build();
        await host.StartAsync();
        ObservedHost.PopulateAll(host.Services.GetRequiredService<NuPlanBusMetrics>());
        var bus = host.Services.GetRequiredService<IBus>();
        await bus.Publish(new ObservabilityPing { RunId = Guid.NewGuid() });
        await bus.Publish(new ObservabilityPing { RunId = Guid.NewGuid(), Fail = true });

        // MassTransit records a consume's duration and fault after the consumer returns: wait until both show.
        var text = await ScrapeUntilAsync(host.MetricsUri(), t =>
            t.Contains("masstransit_consume_duration_seconds_count", StringComparison.Ordinal)
            && t.Contains("masstransit_consume_errors_total{", StringComparison.Ordinal));

        foreach (var family in NuPlanBusFamilies)
        {
            Assert.Contains($"# TYPE {family} ", text, StringComparison.Ordinal);
        }

        // MassTransit's meter with Prometheus naming: counters end in _total, durations are histograms in seconds.
        Assert.Contains("# TYPE masstransit_receive_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE masstransit_consume_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE masstransit_consume_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE masstransit_receive_active gauge", text, StringComparison.Ordinal);
        Assert.Matches("masstransit_consume_errors_total\\{[^}]*exception_type=\"[^\"]+\"", text);
        Assert.DoesNotContain("messaging_masstransit", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE process_cpu_seconds_total counter", text, StringComparison.Ordinal);

        var (exitCode, output) = await RunAsync(promtool, text, "check", "metrics");

        Assert.True(exitCode == 0 && output.Length == 0,
            $"promtool check metrics exited {exitCode} with:\n{output}\n--- scraped text ---\n{text}");
        await host.StopAsync();
    }

    [Fact]
    public async Task Promtool_does_report_a_badly_named_counter_so_the_check_above_can_fail()
    {
        var promtool = RequiredTool.Find("promtool");
        const string bad = "# HELP requests Requests.\n# TYPE requests counter\nrequests 1\n# HELP latency_ms Latency.\n# TYPE latency_ms gauge\nlatency_ms 3\n";

        var (exitCode, output) = await RunAsync(promtool, bad, "check", "metrics");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("_total", output, StringComparison.Ordinal);
    }

    private static readonly string[] NuPlanBusFamilies =
    [
        "nuplanbus_scenarios_simulated_total", "nuplanbus_scenario_duration_seconds", "nuplanbus_planner_step_duration_seconds",
        "nuplanbus_partitions_in_flight", "nuplanbus_callbacks_pending", "nuplanbus_callbacks_failed_total", "nuplanbus_report_flips_total",
        "nuplanbus_run_scenarios_expected", "nuplanbus_run_scenarios_settled", "nuplanbus_runs_completed_total",
        "nuplanbus_barrier_waits_total", "nuplanbus_barrier_releases_total", "nuplanbus_barrier_timeouts_total", "nuplanbus_barrier_wait_seconds",
        "nuplanbus_storage_operations_total", "nuplanbus_storage_retries_total", "nuplanbus_storage_failures_total", "nuplanbus_build_info",
    ];

    private static async Task<string> ScrapeUntilAsync(Uri metrics, Func<string, bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var text = await Http.GetStringAsync(metrics);
            if (done(text))
            {
                return text;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"The scrape never showed the expected series:\n{text}");
            await Task.Delay(100);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string executable, string stdin, params string[] arguments)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, ((await stdout) + (await stderr)).Trim());
    }
}
