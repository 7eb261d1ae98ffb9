using NuPlanBus.Common.Storage;

namespace NuPlanBus.Common.IntegrationTests;

[Collection(MotoCollection.Name)]
public sealed class LogDatabaseCacheS3Tests : MotoTestBase, IDisposable
{
    private readonly string _cacheDirectory = Path.Combine(Path.GetTempPath(), $"nuplanbus-cache-{Guid.NewGuid():N}");
    private readonly CountingStorageMetrics _metrics = new();
    private readonly S3Storage _storage;

    public LogDatabaseCacheS3Tests(MotoServer moto, MotoResetOnce reset)
        : base(moto, reset)
    {
        _storage = moto.CreateStorage(_metrics);
    }

    public void Dispose()
    {
        _storage.Dispose();
        if (Directory.Exists(_cacheDirectory))
        {
            Directory.Delete(_cacheDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Log_databases_are_downloaded_once_keyed_by_etag_and_evicted_least_recently_used()
    {
        var bucket = StoragePath.Parse($"s3://{await Moto.CreateBucketAsync("scratch-logs")}");
        var a = bucket / "splits/mini/2021.05.12.db";
        var b = bucket / "splits/mini/2021.06.01.db";
        await _storage.WriteBytesAsync(a, Enumerable.Repeat((byte)'a', 3000).ToArray());
        await _storage.WriteBytesAsync(b, Enumerable.Repeat((byte)'b', 3000).ToArray());
        var cache = new LogDatabaseCache(_storage, new LogDatabaseCacheOptions { Directory = _cacheDirectory, MaxBytes = 5000 });

        var paths = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => cache.GetLocalPathAsync(a))));
        var pathB = await cache.GetLocalPathAsync(b);

        Assert.Single(paths.Distinct());
        Assert.Equal(2, cache.DownloadCount);
        Assert.Equal(2, _metrics.Operations(StorageOperation.Download, succeeded: true));
        Assert.False(File.Exists(paths[0]), "the older file should have been evicted for the newer one");
        Assert.Equal(Enumerable.Repeat((byte)'b', 3000), await File.ReadAllBytesAsync(pathB));

        await _storage.WriteBytesAsync(b, Enumerable.Repeat((byte)'c', 2000).ToArray());
        var refreshed = await cache.GetLocalPathAsync(b);

        Assert.NotEqual(pathB, refreshed);
        Assert.Equal(Enumerable.Repeat((byte)'c', 2000), await File.ReadAllBytesAsync(refreshed));
        Assert.Equal(2000, cache.CurrentBytes);
    }
}
