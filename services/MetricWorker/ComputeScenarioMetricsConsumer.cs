using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NuPlanBus.Common.Storage;
using NuPlanBus.Contracts;
using NuPlanBus.Domain.Errors;
using NuPlanBus.Hosting.Logging;
using NuPlanBus.Hosting.Observability;
using NuPlanBus.Maps;
using NuPlanBus.Metrics.Engine;
using NuPlanBus.Metrics.Output;
using NuPlanBus.Simulation.Logs;

namespace NuPlanBus.MetricWorker;

/// <summary>
/// The asynchronous callback work of a simulation: reads its stored log, computes the requested metrics,
/// writes the scenario's metric file and reports the outcome. Any failure — an unreadable or foreign log,
/// a metric that throws — becomes <see cref="ScenarioMetricsFailed"/> with the full trace, which fails
/// that scenario's report; the run goes on.
/// </summary>
public sealed class ComputeScenarioMetricsConsumer(
    MetricCatalog catalog,
    MapProvider maps,
    IStorage storage,
    TimeProvider clock,
    NuPlanBusMetrics metrics,
    ILogger<ComputeScenarioMetricsConsumer> logger) : IConsumer<ComputeScenarioMetrics>
{
    public async Task Consume(ConsumeContext<ComputeScenarioMetrics> context)
    {
        var message = context.Message;
        var runDirectory = Path.GetDirectoryName(message.MetricsDirectory) ?? message.MetricsDirectory;
        using var scope = logger.BeginRunScope(message.RunId, runDirectory);
        var startTime = UnixSeconds();
        try
        {
            var bytes = await storage.ReadBytesAsync(StoragePath.Parse(message.SimulationLogPath), context.CancellationToken);
            var log = SimulationLogSerializer.Deserialize(bytes, message.SimulationLogPath);
            var engine = catalog.CreateEngine(catalog.Expand(message.Metrics));
            var map = MapOf(message.Maps, log.Scenario.MapName);
            var result = engine.Compute(new MetricInput(log.History, log.Scenario, log.PlannerName, map));
            await MetricResultFiles.WriteScenarioAsync(message.MetricsDirectory, result, context.CancellationToken);
            var scores = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var statistics in result.Metrics)
            {
                if (statistics.MetricScore is { } score)
                {
                    scores[statistics.Name] = score;
                }
            }
            metrics.CallbackFinished(failed: false);
            logger.LogInformation("Metrics of {ScenarioId} computed: {Count} statistics tables", message.ScenarioId, result.Metrics.Count);
            await context.Publish(new ScenarioMetricsComputed
            {
                RunId = message.RunId,
                ScenarioId = message.ScenarioId,
                Scores = scores,
                StartTime = startTime,
                EndTime = UnixSeconds(),
            });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (ex is UserInputException or StorageException)
            {
                // The stored log or its location is at fault, not this service: the reason is enough (the trace goes into the report).
                logger.LogWarning("Metrics of {ScenarioId} failed: {Reason}", message.ScenarioId, ex.Message);
            }
            else
            {
                logger.LogWarning(ex, "Metrics of {ScenarioId} failed", message.ScenarioId);
            }
            metrics.CallbackFinished(failed: true);
            await context.Publish(new ScenarioMetricsFailed
            {
                RunId = message.RunId,
                ScenarioId = message.ScenarioId,
                ErrorMessage = ex.ToString(),
                FailedAt = UnixSeconds(),
                StartTime = startTime,
            });
        }
    }

    /// <summary>The scenario's map from the run's maps root (loaded once per process), or null for a run without maps.</summary>
    private NuPlanMap? MapOf(MapSpec? spec, string mapName) =>
        spec is null ? null : maps.Find(spec.Root, spec.Version, spec.AllowMissing, mapName);

    private double UnixSeconds() => clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
}

public sealed class ComputeScenarioMetricsConsumerDefinition : ConsumerDefinition<ComputeScenarioMetricsConsumer>
{
    private readonly MetricWorkerOptions _options;

    public ComputeScenarioMetricsConsumerDefinition(IOptions<MetricWorkerOptions> options)
    {
        _options = options.Value;
        EndpointName = "compute-scenario-metrics";
        ConcurrentMessageLimit = _options.ConcurrentScenarios;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ComputeScenarioMetricsConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = _options.ConcurrentScenarios * 2;
        endpointConfigurator.UseMessageRetry(r => r.Intervals(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)));
    }
}
