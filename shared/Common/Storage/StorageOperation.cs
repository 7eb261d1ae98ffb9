namespace NuPlanBus.Common.Storage;

/// <summary>The kinds of storage operation, as counted by <see cref="IStorageMetrics"/> and named in errors.</summary>
public enum StorageOperation
{
    Read,
    Write,
    CreateIfAbsent,
    Exists,
    List,
    Delete,
    GetInfo,
    Download,
    Upload,
}

public static class StorageOperationNames
{
    /// <summary>The lowercase name used in <see cref="NuPlanBus.Domain.Errors.StorageException.Operation"/> and metric labels.</summary>
    public static string ToName(this StorageOperation operation) => operation switch
    {
        StorageOperation.Read => "read",
        StorageOperation.Write => "write",
        StorageOperation.CreateIfAbsent => "create_if_absent",
        StorageOperation.Exists => "exists",
        StorageOperation.List => "list",
        StorageOperation.Delete => "delete",
        StorageOperation.GetInfo => "get_info",
        StorageOperation.Download => "download",
        StorageOperation.Upload => "upload",
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };
}
