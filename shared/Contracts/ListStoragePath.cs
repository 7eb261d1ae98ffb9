using MassTransit;

namespace NuPlanBus.Contracts;

/// <summary>Asks the StorageGateway for the files under a directory (local path or s3:// URI); answered with <see cref="StoragePathListed"/>.</summary>
[MessageUrn("nuplanbus:list-storage-path:v1")]
public sealed record ListStoragePath
{
    public required string Path { get; init; }

    public bool Recursive { get; init; } = true;

    /// <summary>Only files whose path ends with this (e.g. ".parquet"); null: all files.</summary>
    public string? Suffix { get; init; }

    /// <summary>At most this many entries are returned (the gateway caps it further); the rest sets <see cref="StoragePathListed.Truncated"/>.</summary>
    public int MaxEntries { get; init; } = 1000;
}
