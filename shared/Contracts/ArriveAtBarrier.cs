using MassTransit;

namespace NuPlanBus.Contracts;

/// <summary>
/// A participant arrived at one generation of a barrier. The barrier saga is keyed by (BarrierId, Generation); arriving
/// twice counts once.
/// </summary>
[MessageUrn("nuplanbus:arrive-at-barrier:v1")]
public sealed record ArriveAtBarrier
{
    public required string BarrierId { get; init; }

    public required long Generation { get; init; }

    public required string ParticipantId { get; init; }

    public required IReadOnlyList<string> ExpectedParticipants { get; init; }

    /// <summary>When this participant gives up (UTC); the generation times out at the earliest such time of its arrivals.</summary>
    public required DateTime TimeoutAt { get; init; }
}
