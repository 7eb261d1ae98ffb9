using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using NuPlanBus.Hosting.Observability;

namespace NuPlanBus.Observability.Tests;

public sealed class ManagementServerTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Readiness_is_503_while_a_ready_check_fails_and_200_once_it_passes()
    {
        var check = new SwitchableCheck { Healthy = false };
        using var host = BuildHost(services => services.AddSingleton(check).AddReadinessCheck<SwitchableCheck>("saga-store"));
        await host.StartAsync();
        var baseAddress = host.Services.GetRequiredService<IManagementEndpoint>().BaseAddress;

        using (var failing = await Http.GetAsync(new Uri(baseAddress, "health/ready")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failing.StatusCode);
            using var body = JsonDocument.Parse(await failing.Content.ReadAsStringAsync());
            Assert.Equal("Unhealthy", body.RootElement.GetProperty("status").GetString());
            var entry = Assert.Single(body.RootElement.GetProperty("checks").EnumerateArray());
            Assert.Equal("saga-store", entry.GetProperty("name").GetString());
            Assert.Equal("Unhealthy", entry.GetProperty("status").GetString());
            Assert.Equal("store unreachable", entry.GetProperty("description").GetString());
        }

        check.Healthy = true;
        using (var passing = await Http.GetAsync(new Uri(baseAddress, "health/ready")))
        {
            Assert.Equal(HttpStatusCode.OK, passing.StatusCode);
            using var body = JsonDocument.Parse(await passing.Content.ReadAsStringAsync());
            Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
            Assert.Equal("Healthy", body.RootElement.GetProperty("checks")[0].GetProperty("status").GetString());
        }

        await host.StopAsync();
    }

    [Fact]
    public async Task Liveness_is_200_even_while_not_ready()
    {
        using var host = BuildHost(services => services.AddReadinessCheck("never", (_, _) => Task.FromResult(HealthCheckResult.Unhealthy("no"))));
        await host.StartAsync();
        var baseAddress = host.Services.GetRequiredService<IManagementEndpoint>().BaseAddress;

        using var live = await Http.GetAsync(new Uri(baseAddress, "health/live"));
        using var ready = await Http.GetAsync(new Uri(baseAddress, "health/ready"));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        await host.StopAsync();
    }

    [Fact]
    public async Task Checks_without_the_ready_tag_do_not_decide_readiness()
    {
        using var host = BuildHost(services => services.AddHealthChecks().AddCheck("informational", () => HealthCheckResult.Unhealthy("ignored")));
        await host.StartAsync();
        var baseAddress = host.Services.GetRequiredService<IManagementEndpoint>().BaseAddress;

        using var ready = await Http.GetAsync(new Uri(baseAddress, "health/ready"));

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.DoesNotContain("informational", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Fact]
    public async Task The_bus_health_check_of_MassTransit_decides_readiness()
    {
        // As the services do (BusExtensions): the host's start returns once the bus has started, so readiness is decided.
        using var host = BuildHost(services => services
            .AddMassTransit(bus => bus.UsingInMemory())
            .Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true));
        await host.StartAsync();
        var baseAddress = host.Services.GetRequiredService<IManagementEndpoint>().BaseAddress;

        using var ready = await Http.GetAsync(new Uri(baseAddress, "health/ready"));
        var json = await ready.Content.ReadAsStringAsync();

        Assert.True(ready.StatusCode == HttpStatusCode.OK, json);
        using var body = JsonDocument.Parse(json);
        var bus = Assert.Single(body.RootElement.GetProperty("checks").EnumerateArray());
        Assert.Equal("masstransit-bus", bus.GetProperty("name").GetString());
        Assert.Equal("Healthy", bus.GetProperty("status").GetString());

        await host.StopAsync();
    }

    [Fact]
    public async Task Metrics_are_served_as_text_0_0_4_even_to_an_OpenMetrics_scraper()
    {
        using var host = BuildHost();
        await host.StartAsync();
        host.Services.GetRequiredService<NuPlanBusMetrics>().ScenarioSimulated("idm", true, 0.1);
        var baseAddress = host.Services.GetRequiredService<IManagementEndpoint>().BaseAddress;

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, "metrics"));
        request.Headers.TryAddWithoutValidation("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Content.Headers.ContentType!.Parameters, p => p.Name == "version" && p.Value == "0.0.4");
        var text = Exposition.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(1, text.Value("nuplanbus_scenarios_simulated_total", ("planner", "idm"), ("outcome", "succeeded")));
        Assert.DoesNotContain("# EOF", text.Text, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_disabled_management_server_listens_nowhere_but_metrics_are_still_recorded()
    {
        using var host = BuildHost(configuration: new() { ["Management:Enabled"] = "false" });
        await host.StartAsync();

        var endpoint = host.Services.GetRequiredService<IManagementEndpoint>();
        Assert.False(endpoint.IsListening);
        var error = Assert.Throws<InvalidOperationException>(() => endpoint.BaseAddress);
        Assert.Contains("Management:Enabled=false", error.Message, StringComparison.Ordinal);
        host.Services.GetRequiredService<NuPlanBusMetrics>().ReportFlipped();
        await host.StopAsync();
    }

    [Fact]
    public async Task Adding_management_twice_gives_one_server_and_one_registry()
    {
        using var host = BuildHost(services =>
            services.AddManagement(new ConfigurationBuilder().Build(), "Second"));
        await host.StartAsync();

        Assert.Single(host.Services.GetServices<IHostedService>(), s => s.GetType().Name == "ManagementServer");
        Assert.Equal("Test", host.Services.GetRequiredService<NuPlanBusMetrics>().ServiceName);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_port_in_use_fails_the_host_start_with_the_setting_to_change()
    {
        using var occupier = new TcpListener(IPAddress.Loopback, 0);
        occupier.Start();
        var port = ((IPEndPoint)occupier.LocalEndpoint).Port;
        using var host = BuildHost(configuration: new() { ["Management:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("Management:Port", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_turns_503_when_the_host_begins_to_stop()
    {
        using var host = BuildHost();
        await host.StartAsync();
        var baseAddress = host.Services.GetRequiredService<IManagementEndpoint>().BaseAddress;
        using (var before = await Http.GetAsync(new Uri(baseAddress, "health/ready")))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        using var after = await Http.GetAsync(new Uri(baseAddress, "health/ready"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, after.StatusCode);
        Assert.Contains("Stopping", await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await host.StopAsync();
    }

    internal static IHost BuildHost(Action<IServiceCollection>? configure = null, Dictionary<string, string?>? configuration = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Management:Host"] = "127.0.0.1",
            ["Management:Port"] = "0",
        });
        if (configuration is not null)
        {
            builder.Configuration.AddInMemoryCollection(configuration);
        }

        builder.AddManagement("Test");
        configure?.Invoke(builder.Services);
        return builder.Build();
    }

    private sealed class SwitchableCheck : IHealthCheck
    {
        public volatile bool Healthy;

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(Healthy ? HealthCheckResult.Healthy("store reachable") : HealthCheckResult.Unhealthy("store unreachable"));
    }
}
