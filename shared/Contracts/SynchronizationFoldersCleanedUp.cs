using MassTransit;

namespace NuPlanBus.Contracts;

[MessageUrn("nuplanbus:synchronization-folders-cleaned-up:v1")]
public sealed record SynchronizationFoldersCleanedUp
{
    public required string Root { get; init; }

    public required int DeletedFiles { get; init; }

    /// <summary>Why the clean-up stopped early (files deleted before that are counted); null when it finished.</summary>
    public string? Error { get; init; }
}
