using MassTransit;

namespace NuPlanBus.Contracts;

/// <summary>
/// Asks where a barrier generation stands (a late or restarted participant learns the outcome); answered with
/// <see cref="BarrierStateReported"/>, also for a generation nobody has arrived at yet.
/// </summary>
[MessageUrn("nuplanbus:get-barrier-state:v1")]
public sealed record GetBarrierState
{
    public required string BarrierId { get; init; }

    public required long Generation { get; init; }
}
