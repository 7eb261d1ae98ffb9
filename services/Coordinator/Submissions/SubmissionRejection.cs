using MassTransit;
using Microsoft.Extensions.Logging;
using NuPlanBus.Contracts;
using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Coordinator.Submissions;

/// <summary>Which failures of a submission are the submitter's to fix, and how they are answered.</summary>
public static class SubmissionRejection
{
    /// <summary>Why a submission is rejected for <paramref name="exception"/>, or null when the failure is ours (it faults instead).</summary>
    public static string? ReasonFor(Exception exception, string outputRoot) => exception switch
    {
        UserInputException or StorageException => exception.Message,
        IOException or UnauthorizedAccessException => $"Cannot use the output location '{outputRoot}': {exception.Message}",
        _ => null,
    };

    public static Task RejectAsync(ConsumeContext context, ILogger logger, Guid runId, string runName, string reason)
    {
        logger.LogWarning("Run {RunId} ({RunName}) rejected: {Reason}", runId, runName, reason);
        return context.Publish(new SimulationRunRejected { RunId = runId, RunName = runName, Reason = reason });
    }
}
