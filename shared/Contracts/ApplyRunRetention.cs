using MassTransit;

namespace NuPlanBus.Contracts;

/// <summary>
/// Asks the StorageGateway to delete run directories (those holding a <c>.run</c> claim file) under
/// <see cref="OutputRoot"/> whose newest file is older than <see cref="MaxAge"/>. Answered by publishing
/// <see cref="RunRetentionApplied"/>.
/// </summary>
[MessageUrn("nuplanbus:apply-run-retention:v1")]
public sealed record ApplyRunRetention
{
    /// <summary>Local path or s3:// URI.</summary>
    public required string OutputRoot { get; init; }

    public required TimeSpan MaxAge { get; init; }

    /// <summary>Only report which runs would be deleted.</summary>
    public bool DryRun { get; init; }
}
