using MassTransit;
using Microsoft.Extensions.Logging;
using NuPlanBus.Common.Experiments;
using NuPlanBus.Contracts;
using NuPlanBus.Domain.Errors;
using NuPlanBus.Hosting.Logging;

namespace NuPlanBus.Coordinator.Submissions;

/// <summary>
/// Validates a submission, enumerates its scenarios once and claims a unique run directory, then hands the
/// run to the run saga with <see cref="SimulationRunAccepted"/>. A bad submission is answered with
/// <see cref="SimulationRunRejected"/> saying why; nothing is thrown for the user's own mistakes.
/// </summary>
public sealed class SubmitSimulationRunConsumer(
    SubmissionValidator validator,
    DatasetAccess datasets,
    MapAvailability maps,
    TimeProvider clock,
    ILogger<SubmitSimulationRunConsumer> logger) : IConsumer<SubmitSimulationRun>
{
    public async Task Consume(ConsumeContext<SubmitSimulationRun> context)
    {
        var message = context.Message;
        try
        {
            validator.Validate(message);
            var scenarios = await datasets.EnumerateAsync(message.DatasetLocation, message.Filter, context.CancellationToken);
            maps.Check(message.Simulation.Maps, scenarios.Select(s => s.MapName));
            var runDirectory = RunNames.ClaimDirectory(Path.GetFullPath(message.OutputRoot), message.RunName);
            using var scope = logger.BeginRunScope(message.RunId, runDirectory);
            logger.LogInformation(
                "Run {RunId} accepted as {RunDirectory}: {Count} scenarios, planner {Planner}, controller {Controller}",
                message.RunId, runDirectory, scenarios.Count, message.Simulation.Planner, message.Simulation.Controller);
            await context.Publish(new SimulationRunAccepted
            {
                RunId = message.RunId,
                RunName = Path.GetFileName(runDirectory),
                OutputDirectory = runDirectory,
                Simulation = message.Simulation,
                PartitionSize = message.PartitionSize,
                Scenarios = scenarios,
                AcceptedAt = clock.GetUtcNow().UtcDateTime,
            });
        }
        catch (Exception ex) when (SubmissionRejection.ReasonFor(ex, message.OutputRoot) is { } reason)
        {
            await SubmissionRejection.RejectAsync(context, logger, message.RunId, message.RunName, reason);
        }
    }
}
