using MassTransit;
using Microsoft.Extensions.Logging;
using NuPlanBus.Common.Experiments;
using NuPlanBus.Common.Storage;
using NuPlanBus.Contracts;
using NuPlanBus.Hosting.Logging;
using NuPlanBus.Hosting.Observability;

namespace NuPlanBus.SimWorker;

/// <summary>
/// Simulates the scenarios of a partition one after another, publishing one <see cref="ScenarioSimulated"/> per
/// scenario and requesting the metric work by message. A failed scenario never stops the partition unless the
/// run asked to exit on failure, in which case the rest of the partition is reported as not run.
/// </summary>
public sealed class SimulateScenarioPartitionConsumer(
    ScenarioSimulator simulator,
    LogDatabaseCache logDatabases,
    NuPlanBusMetrics metrics,
    ILogger<SimulateScenarioPartitionConsumer> logger) : IConsumer<SimulateScenarioPartition>
{
    public async Task Consume(ConsumeContext<SimulateScenarioPartition> context)
    {
        var message = context.Message;
        using var scope = logger.BeginRunScope(message.RunId, message.OutputDirectory);
        logger.LogInformation(
            "Simulating partition {Partition} of run {RunId}: {Count} scenarios (attempt {Attempt})",
            message.PartitionIndex, message.RunId, message.Scenarios.Count, message.Attempt);

        using var inFlight = metrics.TrackPartition();
        using var loader = new PartitionScenarioLoader(message.Scenarios, logDatabases);
        var abandoned = false;
        for (var index = 0; index < message.Scenarios.Count; index++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var scenario = message.Scenarios[index];
            var outcome = abandoned
                ? NotRun(scenario, message.Simulation)
                : await simulator.SimulateAsync(
                    scenario,
                    await loader.LoadAsync(index, context.CancellationToken),
                    message.Simulation,
                    message.OutputDirectory,
                    context.CancellationToken);
            var requestMetrics = outcome.SimulationLogPath is not null && message.Simulation.Metrics.Count > 0;
            await context.Publish(new ScenarioSimulated
            {
                RunId = message.RunId,
                ScenarioId = scenario.ScenarioId,
                Report = outcome.Report,
                SimulationLogPath = outcome.SimulationLogPath,
                MetricsRequested = requestMetrics,
            });
            if (requestMetrics)
            {
                await context.Publish(new ComputeScenarioMetrics
                {
                    RunId = message.RunId,
                    ScenarioId = scenario.ScenarioId,
                    SimulationLogPath = outcome.SimulationLogPath!,
                    MetricsDirectory = RunLayout.MetricsDirectory(message.OutputDirectory),
                    Metrics = message.Simulation.Metrics,
                    Maps = message.Simulation.Maps,
                });
            }
            logger.LogInformation(
                "Scenario {ScenarioId} ({ScenarioType}) {Outcome}",
                scenario.ScenarioId, scenario.ScenarioType, outcome.Report.Succeeded ? "succeeded" : "failed");
            abandoned |= !outcome.Report.Succeeded && message.Simulation.ExitOnFailure;
        }
    }

    private static ScenarioOutcome NotRun(ScenarioDescriptor scenario, SimulationSpec spec)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        const string reason = "Not run: an earlier scenario of this partition failed and the run exits on failure.";
        return new ScenarioOutcome(ScenarioSimulator.FailedReport(scenario, spec.Planner, reason, now, now), null);
    }
}

/// <summary>Endpoint settings of the partition queue: long work, so no prefetch beyond what is being simulated.</summary>
public sealed class SimulateScenarioPartitionConsumerDefinition : ConsumerDefinition<SimulateScenarioPartitionConsumer>
{
    private readonly SimWorkerOptions _options;

    public SimulateScenarioPartitionConsumerDefinition(Microsoft.Extensions.Options.IOptions<SimWorkerOptions> options)
    {
        _options = options.Value;
        EndpointName = "simulate-scenario-partition";
        ConcurrentMessageLimit = _options.ConcurrentPartitions;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<SimulateScenarioPartitionConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = _options.ConcurrentPartitions;
        // Transient infrastructure faults (broker hiccups while publishing) are retried; scenario failures never
        // reach here because they become failed reports.
        endpointConfigurator.UseMessageRetry(r => r.Intervals(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)));
    }
}
