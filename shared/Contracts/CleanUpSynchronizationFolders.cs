using MassTransit;

namespace NuPlanBus.Contracts;

/// <summary>
/// Asks the StorageGateway to delete barrier markers, barrier outcome files and token CSVs older than
/// <see cref="OlderThan"/> under <c>&lt;Root&gt;/barrier/</c> and <c>&lt;Root&gt;/tokens/</c>; nothing else under
/// <see cref="Root"/> is touched. Answered by publishing <see cref="SynchronizationFoldersCleanedUp"/>.
/// </summary>
[MessageUrn("nuplanbus:clean-up-synchronization-folders:v1")]
public sealed record CleanUpSynchronizationFolders
{
    /// <summary>The synchronization root (local path or s3:// URI).</summary>
    public required string Root { get; init; }

    public required TimeSpan OlderThan { get; init; }
}
