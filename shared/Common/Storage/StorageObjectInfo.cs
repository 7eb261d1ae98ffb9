namespace NuPlanBus.Common.Storage;

/// <summary>What a back end knows about a stored file without reading it.</summary>
/// <param name="Version">Changes whenever the content changes: the ETag on S3, size and modification time locally.</param>
public sealed record StorageObjectInfo(StoragePath Path, long Size, string Version, DateTimeOffset? LastModified);
