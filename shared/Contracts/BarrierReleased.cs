using MassTransit;

namespace NuPlanBus.Contracts;

/// <summary>Every expected participant of a barrier generation arrived; published once per generation.</summary>
[MessageUrn("nuplanbus:barrier-released:v1")]
public sealed record BarrierReleased
{
    public required string BarrierId { get; init; }

    public required long Generation { get; init; }

    /// <summary>The participants that arrived, in ordinal order.</summary>
    public required IReadOnlyList<string> Participants { get; init; }
}
