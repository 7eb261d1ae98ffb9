using MassTransit;

namespace NuPlanBus.Contracts;

/// <summary>The files under a directory, in storage order; a missing directory lists as empty.</summary>
[MessageUrn("nuplanbus:storage-path-listed:v1")]
public sealed record StoragePathListed
{
    public required string Path { get; init; }

    /// <summary>Full paths (local paths or s3:// URIs) of the files found.</summary>
    public IReadOnlyList<string> Entries { get; init; } = [];

    /// <summary>More files matched than the entries returned.</summary>
    public bool Truncated { get; init; }

    public string? Error { get; init; }
}
