using NuPlanBus.Common.Storage;
using NuPlanBus.Common.Tests.Helpers;
using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Common.Tests.Storage;

public sealed class LogDatabaseCacheTests : IDisposable
{
    private readonly TemporaryDirectory _remoteRoot = new();
    private readonly TemporaryDirectory _cacheRoot = new();
    private readonly FakeRemoteStorage _remote;

    public LogDatabaseCacheTests()
    {
        _remote = new FakeRemoteStorage(_remoteRoot.Path);
    }

    public void Dispose()
    {
        _remoteRoot.Dispose();
        _cacheRoot.Dispose();
    }

    private LogDatabaseCache NewCache(long maxBytes = 1024 * 1024) =>
        new(_remote, new LogDatabaseCacheOptions { Directory = _cacheRoot.Path, MaxBytes = maxBytes });

    private async Task<StoragePath> PutAsync(string name, int size, byte fill = 1)
    {
        var path = StoragePath.Parse($"s3://scratch/logs/{name}");
        await _remote.WriteBytesAsync(path, Enumerable.Repeat(fill, size).ToArray());
        return path;
    }

    [Fact]
    public async Task A_remote_database_is_downloaded_once_and_then_served_from_the_cache()
    {
        var remote = await PutAsync("2021.db", 100);
        var cache = NewCache();

        var first = await cache.GetLocalPathAsync(remote);
        var second = await cache.GetLocalPathAsync(remote);

        Assert.Equal(first, second);
        Assert.StartsWith(cache.Directory, first);
        // The copy keeps the object's file name: a log database's name is its file name.
        Assert.Equal("2021.db", Path.GetFileName(first));
        Assert.Equal(100, new FileInfo(first).Length);
        Assert.Equal(1, _remote.Downloads);
        Assert.Equal(100, cache.CurrentBytes);
    }

    [Fact]
    public async Task Two_objects_with_the_same_file_name_in_different_prefixes_are_cached_apart()
    {
        var a = StoragePath.Parse("s3://scratch/mini/same.db");
        var b = StoragePath.Parse("s3://scratch/trainval/same.db");
        await _remote.WriteBytesAsync(a, new byte[10]);
        await _remote.WriteBytesAsync(b, new byte[20]);
        var cache = NewCache();

        var pathA = await cache.GetLocalPathAsync(a);
        var pathB = await cache.GetLocalPathAsync(b);

        Assert.NotEqual(pathA, pathB);
        Assert.Equal((10L, 20L), (new FileInfo(pathA).Length, new FileInfo(pathB).Length));
        // A cache reopened over the directory finds both copies again.
        Assert.Equal(30, NewCache().CurrentBytes);
    }

    [Fact]
    public async Task A_cached_file_deleted_behind_the_cache_is_downloaded_again()
    {
        var remote = await PutAsync("vanishing.db", 100);
        var cache = NewCache();
        var path = await cache.GetLocalPathAsync(remote);
        File.Delete(path);

        Assert.Equal(path, await cache.GetLocalPathAsync(remote));
        Assert.True(File.Exists(path));
        Assert.Equal(2, _remote.Downloads);
        Assert.Equal(100, cache.CurrentBytes);
    }

    [Fact]
    public async Task Concurrent_requests_for_the_same_file_share_one_download()
    {
        var remote = await PutAsync("shared.db", 500);
        var cache = NewCache();
        _remote.DownloadGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var requests = Enumerable.Range(0, 16).Select(_ => Task.Run(() => cache.GetLocalPathAsync(remote))).ToArray();
        await Task.Delay(200);
        _remote.DownloadGate.SetResult();
        var paths = await Task.WhenAll(requests);

        Assert.Single(paths.Distinct());
        Assert.Equal(1, _remote.Downloads);
        Assert.Equal(1, cache.DownloadCount);
    }

    [Fact]
    public async Task The_least_recently_used_file_is_evicted_to_respect_the_size_limit()
    {
        var a = await PutAsync("a.db", 400);
        var b = await PutAsync("b.db", 400);
        var c = await PutAsync("c.db", 400);
        var cache = NewCache(maxBytes: 1000);

        var pathA = await cache.GetLocalPathAsync(a);
        var pathB = await cache.GetLocalPathAsync(b);
        await cache.GetLocalPathAsync(a);
        var pathC = await cache.GetLocalPathAsync(c);

        Assert.True(File.Exists(pathA));
        Assert.False(File.Exists(pathB));
        Assert.True(File.Exists(pathC));
        Assert.Equal(800, cache.CurrentBytes);
    }

    [Fact]
    public async Task A_leased_file_is_never_evicted()
    {
        var a = await PutAsync("a.db", 600);
        var b = await PutAsync("b.db", 600);
        var cache = NewCache(maxBytes: 1000);

        using var lease = await cache.AcquireAsync(a);
        var pathB = await cache.GetLocalPathAsync(b);

        Assert.True(File.Exists(lease.LocalPath));
        Assert.True(File.Exists(pathB));
        Assert.Equal(1200, cache.CurrentBytes);
    }

    [Fact]
    public async Task A_replaced_remote_object_is_fetched_again_and_the_stale_copy_removed()
    {
        var remote = await PutAsync("changing.db", 100, fill: 1);
        var cache = NewCache();
        var old = await cache.GetLocalPathAsync(remote);

        await _remote.WriteBytesAsync(remote, Enumerable.Repeat((byte)2, 150).ToArray());
        var fresh = await cache.GetLocalPathAsync(remote);

        Assert.NotEqual(old, fresh);
        Assert.False(File.Exists(old));
        Assert.All(await File.ReadAllBytesAsync(fresh), b => Assert.Equal(2, b));
        Assert.Equal(150, cache.CurrentBytes);
    }

    [Fact]
    public async Task A_new_cache_instance_finds_earlier_downloads_and_ignores_temporary_files()
    {
        var remote = await PutAsync("kept.db", 100);
        var path = await NewCache().GetLocalPathAsync(remote);
        await File.WriteAllTextAsync(Path.Combine(_cacheRoot.Path, $".x.db.{Guid.NewGuid():N}.tmp"), "partial");

        var reopened = NewCache();

        Assert.Equal(path, await reopened.GetLocalPathAsync(remote));
        Assert.Equal(1, _remote.Downloads);
        Assert.Equal(100, reopened.CurrentBytes);
    }

    [Fact]
    public async Task A_missing_remote_database_is_a_storage_error_and_local_paths_are_served_in_place()
    {
        var cache = NewCache();
        var local = Path.Combine(_remoteRoot.Path, "local.db");
        await File.WriteAllTextAsync(local, "x");

        var error = await Assert.ThrowsAsync<StorageException>(() => cache.GetLocalPathAsync(StoragePath.Parse("s3://scratch/logs/none.db")));

        Assert.Contains("not found", error.Message);
        Assert.Equal(local, await cache.GetLocalPathAsync(StoragePath.Local(local)));
        Assert.Equal(0, _remote.Downloads);
    }
}
