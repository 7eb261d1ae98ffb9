using MassTransit;

namespace NuPlanBus.Contracts;

/// <summary>A barrier generation passed its deadline before every expected participant arrived; published once.</summary>
[MessageUrn("nuplanbus:barrier-timed-out:v1")]
public sealed record BarrierTimedOut
{
    public required string BarrierId { get; init; }

    public required long Generation { get; init; }

    /// <summary>Expected participants that never arrived, in ordinal order.</summary>
    public required IReadOnlyList<string> Missing { get; init; }
}
