using MassTransit;

namespace NuPlanBus.Contracts;

/// <summary>Published each time a scenario of a run settles.</summary>
[MessageUrn("nuplanbus:simulation-run-progressed:v1")]
public sealed record SimulationRunProgressed
{
    public required Guid RunId { get; init; }

    public required int Expected { get; init; }

    public required int Settled { get; init; }

    public required int Succeeded { get; init; }

    public required int Failed { get; init; }

    public required DateTime StartedAt { get; init; }
}
