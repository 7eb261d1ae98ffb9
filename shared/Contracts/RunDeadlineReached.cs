using MassTransit;

namespace NuPlanBus.Contracts;

/// <summary>
/// Published by the Coordinator's watchdog when a run has a partition whose deadline passed: the run saga
/// re-publishes the partition's unreported scenarios or, after the last attempt, fails them with the reason.
/// </summary>
[MessageUrn("nuplanbus:run-deadline-reached:v1")]
public sealed record RunDeadlineReached
{
    public required Guid RunId { get; init; }

    public required DateTime At { get; init; }
}
