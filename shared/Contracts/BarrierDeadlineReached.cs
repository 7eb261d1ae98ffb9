using MassTransit;

namespace NuPlanBus.Contracts;

/// <summary>Published by the barrier saga's deadline watchdog for a generation whose deadline passed.</summary>
[MessageUrn("nuplanbus:barrier-deadline-reached:v1")]
public sealed record BarrierDeadlineReached
{
    /// <summary>The barrier saga's correlation id (derived from barrier id and generation).</summary>
    public required Guid BarrierCorrelationId { get; init; }

    public required DateTime At { get; init; }
}
