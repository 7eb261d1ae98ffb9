using MassTransit;

namespace NuPlanBus.Contracts;

[MessageUrn("nuplanbus:barrier-state-reported:v1")]
public sealed record BarrierStateReported
{
    public const string Unknown = "unknown";
    public const string Waiting = "waiting";
    public const string Released = "released";
    public const string TimedOut = "timed-out";

    public required string BarrierId { get; init; }

    public required long Generation { get; init; }

    /// <summary><see cref="Unknown"/>, <see cref="Waiting"/>, <see cref="Released"/> or <see cref="TimedOut"/>.</summary>
    public required string State { get; init; }

    /// <summary>Participants that arrived so far, in ordinal order.</summary>
    public IReadOnlyList<string> Arrived { get; init; } = [];

    /// <summary>Expected participants that have not arrived, in ordinal order.</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];
}
