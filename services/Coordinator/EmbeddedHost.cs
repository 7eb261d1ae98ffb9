using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using NuPlanBus.Hosting;
using NuPlanBus.MetricWorker;
using NuPlanBus.SimWorker;
using NuPlanBus.StorageGateway;
using Serilog.Events;

namespace NuPlanBus.Coordinator;

/// <summary>Settings of an embedded (single-process) deployment.</summary>
public sealed record EmbeddedSettings
{
    /// <summary>Partitions simulated at once (one SimWorker consumer slot each).</summary>
    public int SimWorkers { get; init; } = Math.Max(1, Environment.ProcessorCount);

    public int MetricWorkers { get; init; } = Math.Max(1, Environment.ProcessorCount);

    public LogEventLevel ConsoleLevel { get; init; } = LogEventLevel.Warning;

    /// <summary>SQLite file the run sagas persist in; null keeps them in memory (tests that need no restart).</summary>
    public string? SagaStoreFile { get; init; }

    /// <summary>Appended to the names of the per-run component log files, so processes sharing a run directory do not mix logs.</summary>
    public string? InstanceSuffix { get; init; }
}

/// <summary>
/// Composes all four services in one process on the in-memory transport: the default deployment. The
/// builder is returned before the bus is added so callers (tests) can register extra components first.
/// </summary>
public static class EmbeddedHost
{
    public static HostApplicationBuilder CreateBuilder(EmbeddedSettings settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Embedded means in-memory, whatever the environment says about brokers.
            ["Bus:Transport"] = "InMemory",
            ["SimWorker:ConcurrentPartitions"] = settings.SimWorkers.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SagaStore:Provider"] = settings.SagaStoreFile is null ? "InMemory" : "Sqlite",
            ["SagaStore:ConnectionString"] = settings.SagaStoreFile is null ? null : $"Data Source={settings.SagaStoreFile}",
            // One process, nothing to scrape: metrics are recorded, the management server stays off.
            ["Management:Enabled"] = "false",
            ["MetricWorker:ConcurrentScenarios"] = settings.MetricWorkers.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        // One process writes the run's logs: plain file names unless the caller shares the run directory.
        builder.AddServiceDefaults("embedded", settings.ConsoleLevel, settings.InstanceSuffix ?? "");
        builder.Services.AddCoordinator(builder.Configuration);
        builder.Services.AddSimWorker(builder.Configuration);
        builder.Services.AddMetricWorker(builder.Configuration);
        builder.Services.AddStorageGateway(builder.Configuration);
        return builder;
    }
}
