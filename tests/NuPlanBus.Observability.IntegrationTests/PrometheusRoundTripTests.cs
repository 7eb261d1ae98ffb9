using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NuPlanBus.Hosting.Observability;

namespace NuPlanBus.Observability.IntegrationTests;

public sealed class PrometheusRoundTripTests
{
    [Fact]
    public async Task A_real_Prometheus_scrapes_the_scenario_counter_of_the_management_endpoint()
    {
        var clock = Stopwatch.StartNew();
        using var host = ObservedHost.Build();
        await host.StartAsync();
        var metrics = host.Services.GetRequiredService<NuPlanBusMetrics>();
        const int simulated = 7;
        for (var i = 0; i < simulated; i++)
        {
            metrics.ScenarioSimulated(i % 2 == 0 ? "idm_planner" : "simple_planner", succeeded: i != 3, 0.1 * i);
        }

        await using (var prometheus = await PrometheusServer.StartAsync([host.MetricsUri()]))
        {
            await prometheus.WaitForTargetsUpAsync(TimeSpan.FromSeconds(20));
            var total = await prometheus.WaitForValueAsync("sum(nuplanbus_scenarios_simulated_total)", v => v >= simulated, TimeSpan.FromSeconds(20));

            Assert.Equal(simulated, total);
            Assert.Equal(1, await prometheus.QueryScalarAsync("sum(nuplanbus_scenarios_simulated_total{outcome=\"failed\"})"));
            Assert.Equal(1, await prometheus.QueryScalarAsync("max(nuplanbus_build_info{service=\"IntegrationTest\"})"));
        }

        await host.StopAsync();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"The round trip took {clock.Elapsed.TotalSeconds:0.0} s.");
    }
}
