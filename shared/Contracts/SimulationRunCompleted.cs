using MassTransit;

namespace NuPlanBus.Contracts;

/// <summary>Every scenario of the run settled and the run outputs were written. Published once per run.</summary>
[MessageUrn("nuplanbus:simulation-run-completed:v1")]
public sealed record SimulationRunCompleted
{
    public required Guid RunId { get; init; }

    public required string RunName { get; init; }

    public required string OutputDirectory { get; init; }

    public required int Expected { get; init; }

    public required int Succeeded { get; init; }

    public required int Failed { get; init; }

    public required DateTime StartedAt { get; init; }

    public required DateTime CompletedAt { get; init; }
}
