using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NuPlanBus.Hosting.Observability;

namespace NuPlanBus.Observability.IntegrationTests;

public sealed record ObservabilityPing
{
    public Guid RunId { get; init; }

    public bool Fail { get; init; }
}

/// <summary>Consumes pings so that MassTransit's meter records receives, consumes, durations and faults.</summary>
public sealed class ObservabilityPingConsumer : IConsumer<ObservabilityPing>
{
    public Task Consume(ConsumeContext<ObservabilityPing> context) =>
        context.Message.Fail ? throw new InvalidOperationException("ping asked to fail") : Task.CompletedTask;
}

/// <summary>
/// A Generic Host as the services build it: the management defaults first, then an in-memory MassTransit bus,
/// with the management server on 127.0.0.1 and a free port.
/// </summary>
public static class ObservedHost
{
    public static IHost Build(string serviceName = "IntegrationTest")
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Management:Host"] = "127.0.0.1",
            ["Management:Port"] = "0",
        });
        // MassTransit keeps the first bus's logger factory in a static; one that the container does not own
        // survives the host, so hosts can follow one another in this process.
        builder.Services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        builder.AddManagement(serviceName);
        builder.Services.AddMassTransit(bus =>
        {
            bus.AddConsumer<ObservabilityPingConsumer>();
            bus.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
        });
        return builder.Build();
    }

    public static Uri MetricsUri(this IHost host) => new(host.Services.GetRequiredService<IManagementEndpoint>().BaseAddress, "metrics");

    /// <summary>Records into every NuPlanBus metric family at least once.</summary>
    public static void PopulateAll(NuPlanBusMetrics metrics)
    {
        metrics.ScenarioSimulated("idm_planner", succeeded: true, 0.8);
        metrics.ScenarioSimulated("idm_planner", succeeded: false, 2.5);
        metrics.PlannerSteps("idm_planner", [0.0004, 0.002, 0.03]);
        using (metrics.TrackPartition())
        {
            metrics.CallbackRequested();
            metrics.CallbackRequested();
        }

        metrics.CallbackFinished(failed: false);
        metrics.CallbackFinished(failed: true);
        metrics.ReportFlipped();
        metrics.RunProgress("nightly", expected: 20, settled: 7);
        metrics.RunProgress("finished", expected: 1, settled: 1);
        metrics.RunFinished("finished");
        metrics.BarrierWaited("file", 0.4, released: true);
        metrics.BarrierWaited("broker", 30, released: false);
        metrics.StorageOperation("s3", "read");
        metrics.StorageRetry("s3", "read");
        metrics.StorageFailure("s3", "read");
        metrics.StorageOperation("local", "write");
    }
}
