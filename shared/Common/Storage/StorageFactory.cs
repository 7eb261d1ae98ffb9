using Microsoft.Extensions.Logging;

namespace NuPlanBus.Common.Storage;

/// <summary>
/// Serves local paths with one <see cref="LocalStorage"/> and S3 paths with one <see cref="S3Storage"/>, created on
/// first use (so a purely local run needs no AWS configuration) and shared by all callers.
/// </summary>
public sealed class StorageFactory : IStorageResolver, IDisposable
{
    private readonly LocalStorage _local;
    private readonly Lazy<S3Storage> _s3;

    public StorageFactory(S3StorageOptions? s3Options = null, IStorageMetrics? metrics = null, ILoggerFactory? loggerFactory = null)
    {
        var options = s3Options ?? new S3StorageOptions();
        _local = new LocalStorage(metrics);
        _s3 = new Lazy<S3Storage>(
            () => new S3Storage(options, metrics, loggerFactory?.CreateLogger<S3Storage>()),
            LazyThreadSafetyMode.ExecutionAndPublication);
        Storage = new ResolvingStorage(this);
    }

    /// <summary>An <see cref="IStorage"/> that accepts local and S3 paths alike.</summary>
    public IStorage Storage { get; }

    public IStorage Resolve(StoragePath path)
    {
        if (path.IsEmpty)
        {
            throw new ArgumentException("The storage path is empty (default).", nameof(path));
        }
        return path.IsS3 ? _s3.Value : _local;
    }

    public void Dispose()
    {
        if (_s3.IsValueCreated)
        {
            _s3.Value.Dispose();
        }
    }
}

/// <summary>An <see cref="IStorage"/> that hands each call to the back end its path needs.</summary>
public sealed class ResolvingStorage(IStorageResolver resolver) : IStorage
{
    public Task<byte[]> ReadBytesAsync(StoragePath path, CancellationToken cancellationToken = default) =>
        resolver.Resolve(path).ReadBytesAsync(path, cancellationToken);

    public Task WriteBytesAsync(StoragePath path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default) =>
        resolver.Resolve(path).WriteBytesAsync(path, bytes, cancellationToken);

    public Task<bool> CreateIfAbsentAsync(StoragePath path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default) =>
        resolver.Resolve(path).CreateIfAbsentAsync(path, bytes, cancellationToken);

    public Task<bool> ExistsAsync(StoragePath path, bool includeDirectories = true, CancellationToken cancellationToken = default) =>
        resolver.Resolve(path).ExistsAsync(path, includeDirectories, cancellationToken);

    public IAsyncEnumerable<StoragePath> ListAsync(StoragePath directory, bool recursive = true, string? suffix = null, CancellationToken cancellationToken = default) =>
        resolver.Resolve(directory).ListAsync(directory, recursive, suffix, cancellationToken);

    public Task DeleteAsync(StoragePath path, CancellationToken cancellationToken = default) =>
        resolver.Resolve(path).DeleteAsync(path, cancellationToken);

    public Task<StorageObjectInfo?> GetInfoAsync(StoragePath path, CancellationToken cancellationToken = default) =>
        resolver.Resolve(path).GetInfoAsync(path, cancellationToken);

    public Task DownloadToFileAsync(StoragePath path, string localPath, CancellationToken cancellationToken = default) =>
        resolver.Resolve(path).DownloadToFileAsync(path, localPath, cancellationToken);

    public Task UploadFromFileAsync(string localPath, StoragePath path, CancellationToken cancellationToken = default) =>
        resolver.Resolve(path).UploadFromFileAsync(localPath, path, cancellationToken);
}
