using MassTransit;

namespace NuPlanBus.Contracts;

/// <summary>Asks the StorageGateway whether a path (local or storage URI) exists and what it holds.</summary>
[MessageUrn("nuplanbus:check-storage-path:v1")]
public sealed record CheckStoragePath
{
    public required string Path { get; init; }
}

[MessageUrn("nuplanbus:storage-path-checked:v1")]
public sealed record StoragePathChecked
{
    public required string Path { get; init; }

    public required bool Exists { get; init; }

    public bool IsDirectory { get; init; }

    /// <summary>Files directly or indirectly under a directory; 0 for a file.</summary>
    public int FileCount { get; init; }

    public string? Error { get; init; }
}
