using NuPlanBus.Common.Storage;

namespace NuPlanBus.Common.Tests.Storage;

/// <summary>
/// Stands in for S3 in unit tests: s3://bucket/key lives at root/bucket/key on disk, served by <see cref="LocalStorage"/>.
/// Counts downloads and can hold them until released, to observe concurrency.
/// </summary>
public sealed class FakeRemoteStorage(string root) : IStorage
{
    private readonly LocalStorage _local = new();
    private int _downloads;

    public int Downloads => Volatile.Read(ref _downloads);

    public TaskCompletionSource DownloadGate { get; set; } = CompletedGate();

    public Task<byte[]> ReadBytesAsync(StoragePath path, CancellationToken cancellationToken = default) => _local.ReadBytesAsync(Map(path), cancellationToken);

    public Task WriteBytesAsync(StoragePath path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default) =>
        _local.WriteBytesAsync(Map(path), bytes, cancellationToken);

    public Task<bool> CreateIfAbsentAsync(StoragePath path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default) =>
        _local.CreateIfAbsentAsync(Map(path), bytes, cancellationToken);

    public Task<bool> ExistsAsync(StoragePath path, bool includeDirectories = true, CancellationToken cancellationToken = default) =>
        _local.ExistsAsync(Map(path), includeDirectories, cancellationToken);

    public IAsyncEnumerable<StoragePath> ListAsync(StoragePath directory, bool recursive = true, string? suffix = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task DeleteAsync(StoragePath path, CancellationToken cancellationToken = default) => _local.DeleteAsync(Map(path), cancellationToken);

    public async Task<StorageObjectInfo?> GetInfoAsync(StoragePath path, CancellationToken cancellationToken = default)
    {
        var info = await _local.GetInfoAsync(Map(path), cancellationToken);
        return info is null ? null : info with { Path = path };
    }

    public async Task DownloadToFileAsync(StoragePath path, string localPath, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _downloads);
        await DownloadGate.Task.WaitAsync(cancellationToken);
        await _local.DownloadToFileAsync(Map(path), localPath, cancellationToken);
    }

    private static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }

    private StoragePath Map(StoragePath path) => StoragePath.Local(Path.Combine(root, path.Bucket!, path.Key));
}
