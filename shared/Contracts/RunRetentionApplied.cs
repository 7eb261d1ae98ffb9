using MassTransit;

namespace NuPlanBus.Contracts;

[MessageUrn("nuplanbus:run-retention-applied:v1")]
public sealed record RunRetentionApplied
{
    public required string OutputRoot { get; init; }

    /// <summary>Run directories deleted (or, with <see cref="DryRun"/>, that would be), relative to the output root, '/'-separated.</summary>
    public IReadOnlyList<string> DeletedRuns { get; init; } = [];

    /// <summary>Run directories kept because they are younger than the maximum age (or their age is unknown).</summary>
    public IReadOnlyList<string> KeptRuns { get; init; } = [];

    public bool DryRun { get; init; }

    /// <summary>Why retention stopped early (runs deleted before that are listed); null when it finished.</summary>
    public string? Error { get; init; }
}
