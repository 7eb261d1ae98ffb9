using MassTransit;

namespace NuPlanBus.Contracts;

/// <summary>The submission was invalid (unknown planner, unreadable dataset, no matching scenario, …).</summary>
[MessageUrn("nuplanbus:simulation-run-rejected:v1")]
public sealed record SimulationRunRejected
{
    public required Guid RunId { get; init; }

    public required string RunName { get; init; }

    /// <summary>What was wrong, in words meant for the person who submitted the run.</summary>
    public required string Reason { get; init; }
}
