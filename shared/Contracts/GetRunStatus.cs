using MassTransit;

namespace NuPlanBus.Contracts;

/// <summary>Asks the Coordinator where a run stands; answered with <see cref="RunStatusReported"/>.</summary>
[MessageUrn("nuplanbus:get-run-status:v1")]
public sealed record GetRunStatus
{
    public required Guid RunId { get; init; }
}

[MessageUrn("nuplanbus:run-status-reported:v1")]
public sealed record RunStatusReported
{
    public required Guid RunId { get; init; }

    /// <summary>unknown, running or completed.</summary>
    public required string Status { get; init; }

    public string? RunName { get; init; }

    public string? OutputDirectory { get; init; }

    public int Expected { get; init; }

    public int Settled { get; init; }

    public int Succeeded { get; init; }

    public int Failed { get; init; }

    public DateTime? StartedAt { get; init; }

    public DateTime? CompletedAt { get; init; }
}
