using MassTransit;
using Microsoft.Extensions.Logging;
using NuPlanBus.Common.Experiments;
using NuPlanBus.Common.Storage;
using NuPlanBus.Contracts;
using NuPlanBus.Domain.Errors;
using NuPlanBus.Hosting.Logging;

namespace NuPlanBus.Coordinator.Submissions;

/// <summary>
/// Accepts a metric run (the devkit's <c>run_metric</c>): finds the stored simulation logs, claims a run directory and
/// hands the run to the same run saga as a simulation run, which sends each log to a MetricWorker instead of a SimWorker.
/// A bad submission is answered with <see cref="SimulationRunRejected"/>.
/// </summary>
public sealed class SubmitMetricRunConsumer(
    SubmissionValidator validator,
    IStorage storage,
    TimeProvider clock,
    ILogger<SubmitMetricRunConsumer> logger) : IConsumer<SubmitMetricRun>
{
    public async Task Consume(ConsumeContext<SubmitMetricRun> context)
    {
        var message = context.Message;
        try
        {
            validator.Validate(message);
            var found = await SimulationLogEnumeration.EnumerateAsync(storage, message.SimulationLogLocation, context.CancellationToken);
            var runDirectory = RunNames.ClaimDirectory(Path.GetFullPath(message.OutputRoot), message.RunName);
            using var scope = logger.BeginRunScope(message.RunId, runDirectory);
            if (found.Ignored.Count > 0)
            {
                logger.LogWarning(
                    "Ignored {Count} files outside the simulation log layout, e.g. {Example}", found.Ignored.Count, found.Ignored[0]);
            }
            var planners = found.Scenarios.Select(s => s.PlannerName!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            logger.LogInformation(
                "Metric run {RunId} accepted as {RunDirectory}: {Count} simulation logs from {Location}, metrics {Metrics}",
                message.RunId, runDirectory, found.Scenarios.Count, message.SimulationLogLocation, message.Metrics);
            await context.Publish(new SimulationRunAccepted
            {
                RunId = message.RunId,
                RunName = Path.GetFileName(runDirectory),
                OutputDirectory = runDirectory,
                Kind = RunKinds.Metrics,
                Simulation = new SimulationSpec
                {
                    Planner = string.Join(",", planners),
                    Controller = "",
                    Observation = "",
                    Metrics = message.Metrics,
                    WriteSimulationLog = false,
                    Maps = message.Maps,
                },
                PartitionSize = message.PartitionSize,
                Scenarios = found.Scenarios,
                AcceptedAt = clock.GetUtcNow().UtcDateTime,
            });
        }
        catch (Exception ex) when (SubmissionRejection.ReasonFor(ex, message.OutputRoot) is { } reason)
        {
            await SubmissionRejection.RejectAsync(context, logger, message.RunId, message.RunName, reason);
        }
    }
}
