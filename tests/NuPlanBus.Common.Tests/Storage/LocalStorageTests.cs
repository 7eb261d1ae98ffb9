using System.Text;
using NuPlanBus.Common.Storage;
using NuPlanBus.Common.Tests.Helpers;
using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Common.Tests.Storage;

public sealed class LocalStorageTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();
    private readonly CountingStorageMetrics _metrics = new();
    private readonly LocalStorage _storage;

    public LocalStorageTests()
    {
        _storage = new LocalStorage(_metrics);
    }

    private StoragePath Root => StoragePath.Local(_directory.Path);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Written_bytes_are_read_back_and_parent_directories_are_created()
    {
        var path = Root / "a/b/c.bin";

        await _storage.WriteBytesAsync(path, new byte[] { 1, 2, 3 });

        Assert.Equal(new byte[] { 1, 2, 3 }, await _storage.ReadBytesAsync(path));
        Assert.Equal(1, _metrics.Operations(StorageOperation.Write, succeeded: true));
    }

    [Fact]
    public async Task Overwriting_replaces_the_content_and_leaves_no_temporary_files()
    {
        var path = Root / "file.txt";
        await _storage.WriteTextAsync(path, "old");

        await _storage.WriteTextAsync(path, "new content");

        Assert.Equal("new content", await _storage.ReadTextAsync(path));
        Assert.Single(Directory.GetFiles(_directory.Path));
    }

    [Fact]
    public async Task Concurrent_writers_never_leave_a_mixed_file()
    {
        var path = Root / "contended.bin";
        var payloads = Enumerable.Range(0, 8).Select(i => Enumerable.Repeat((byte)i, 256 * 1024).ToArray()).ToArray();

        await Task.WhenAll(payloads.Select(p => Task.Run(() => _storage.WriteBytesAsync(path, p))));

        var content = await _storage.ReadBytesAsync(path);
        Assert.Equal(256 * 1024, content.Length);
        Assert.All(content, b => Assert.Equal(content[0], b));
        Assert.Single(Directory.GetFiles(_directory.Path));
    }

    [Fact]
    public async Task Reading_a_missing_file_names_the_operation_and_the_path()
    {
        var path = Root / "missing.txt";

        var error = await Assert.ThrowsAsync<StorageException>(() => _storage.ReadBytesAsync(path));

        Assert.Equal("read", error.Operation);
        Assert.Equal(path.Value, error.Path);
        Assert.Contains("not found", error.Message);
        Assert.Equal(1, _metrics.Operations(StorageOperation.Read, succeeded: false));
    }

    [Fact]
    public async Task Writing_below_a_file_fails_with_a_storage_error()
    {
        await _storage.WriteTextAsync(Root / "plain", "x");

        var error = await Assert.ThrowsAsync<StorageException>(() => _storage.WriteTextAsync(Root / "plain/child", "y"));

        Assert.Equal("write", error.Operation);
        Assert.Equal((Root / "plain/child").Value, error.Path);
    }

    [Fact]
    public async Task A_location_the_process_may_not_write_is_a_storage_error_naming_operation_and_path()
    {
        // /proc refuses new entries even to root, where file permission bits would not.
        var path = StoragePath.Local("/proc/nuplanbus-denied/file.txt");

        var error = await Assert.ThrowsAsync<StorageException>(() => _storage.WriteTextAsync(path, "x"));

        Assert.Equal("write", error.Operation);
        Assert.Equal("/proc/nuplanbus-denied/file.txt", error.Path);
        Assert.Contains("/proc/nuplanbus-denied/file.txt", error.Message);
    }

    [Fact]
    public async Task Reading_a_directory_is_a_storage_error()
    {
        await _storage.WriteTextAsync(Root / "d/f", "x");

        var error = await Assert.ThrowsAsync<StorageException>(() => _storage.ReadBytesAsync(Root / "d"));

        Assert.Contains("directory", error.Message);
    }

    [Fact]
    public async Task Invalid_utf8_is_a_storage_error()
    {
        var path = Root / "bad.txt";
        await _storage.WriteBytesAsync(path, new byte[] { 0xC3, 0x28 });

        var error = await Assert.ThrowsAsync<StorageException>(() => _storage.ReadTextAsync(path));

        Assert.Contains("UTF-8", error.Message);
    }

    [Fact]
    public async Task CreateIfAbsent_creates_once_and_then_reports_false()
    {
        var path = Root / "barrier/marker";

        Assert.True(await _storage.CreateIfAbsentAsync(path, "x"u8.ToArray()));
        Assert.False(await _storage.CreateIfAbsentAsync(path, "y"u8.ToArray()));
        Assert.Equal("x", await _storage.ReadTextAsync(path));
    }

    [Fact]
    public async Task CreateIfAbsent_has_exactly_one_winner_among_concurrent_creators()
    {
        // File.Move(overwrite: false) let two creators win about one race in ten here; 20 rounds catch that.
        for (var round = 0; round < 20; round++)
        {
            var path = Root / $"race/marker-{round}";
            using var start = new Barrier(8);

            var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait();
                    return _storage.CreateIfAbsentAsync(path, Encoding.ASCII.GetBytes($"writer-{i}"));
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default).Unwrap()));

            Assert.Equal(1, results.Count(r => r));
            Assert.StartsWith("writer-", await _storage.ReadTextAsync(path));
        }
        Assert.Equal(20, Directory.GetFiles(Path.Combine(_directory.Path, "race")).Length);
    }

    [Fact]
    public async Task Exists_distinguishes_files_and_directories()
    {
        await _storage.WriteTextAsync(Root / "dir/file.txt", "x");
        await _storage.WriteTextAsync(Root / "empty.txt", string.Empty);

        Assert.True(await _storage.ExistsAsync(Root / "dir/file.txt"));
        Assert.True(await _storage.ExistsAsync(Root / "empty.txt", includeDirectories: false));
        Assert.True(await _storage.ExistsAsync(Root / "dir"));
        Assert.False(await _storage.ExistsAsync(Root / "dir", includeDirectories: false));
        Assert.False(await _storage.ExistsAsync(Root / "di"));
        Assert.False(await _storage.ExistsAsync(Root / "missing"));
    }

    [Fact]
    public async Task Listing_returns_files_only_sorted_recursively_or_one_level_with_a_suffix_filter()
    {
        foreach (var name in new[] { "test_dir/b.csv", "test_dir/a.csv", "test_dir/c.txt", "test_dir/sub/d.csv", "test_dir2/e.csv", ".hidden/f.csv" })
        {
            await _storage.WriteTextAsync(Root / name, "x");
        }
        var dir = Root / "test_dir";

        var recursive = (await _storage.ListAllAsync(dir)).Select(p => p.RelativeTo(dir));
        var oneLevel = (await _storage.ListAllAsync(dir, recursive: false)).Select(p => p.RelativeTo(dir));
        var csv = (await _storage.ListAllAsync(dir, suffix: ".csv")).Select(p => p.RelativeTo(dir));

        Assert.Equal(["a.csv", "b.csv", "c.txt", "sub/d.csv"], recursive);
        Assert.Equal(["a.csv", "b.csv", "c.txt"], oneLevel);
        Assert.Equal(["a.csv", "b.csv", "sub/d.csv"], csv);
        Assert.Empty(await _storage.ListAllAsync(Root / "nothing-here"));
        Assert.Contains(await _storage.ListAllAsync(Root), p => p.Name == "f.csv");
    }

    [Fact]
    public async Task Listing_hides_in_flight_temporary_files()
    {
        await _storage.WriteTextAsync(Root / "d/real", "x");
        await File.WriteAllTextAsync(Path.Combine(_directory.Path, "d", $".real.{Guid.NewGuid():N}.tmp"), "partial");

        Assert.Equal(["real"], (await _storage.ListAllAsync(Root / "d")).Select(p => p.Name));
    }

    [Fact]
    public async Task Delete_removes_a_file_ignores_a_missing_one_and_rejects_a_directory()
    {
        await _storage.WriteTextAsync(Root / "dir/file", "x");

        await _storage.DeleteAsync(Root / "dir/file");
        await _storage.DeleteAsync(Root / "dir/file");
        await _storage.DeleteAsync(Root / "no/such/dir/file");
        var error = await Assert.ThrowsAsync<StorageException>(() => _storage.DeleteAsync(Root / "dir"));

        Assert.False(File.Exists(Path.Combine(_directory.Path, "dir", "file")));
        Assert.Equal("delete", error.Operation);
        Assert.Contains("directory", error.Message);
    }

    [Fact]
    public async Task Info_download_and_upload_work_on_files()
    {
        var source = Root / "src.db";
        await _storage.WriteBytesAsync(source, new byte[] { 9, 8, 7, 6 });

        var info = await _storage.GetInfoAsync(source);
        var copy = Path.Combine(_directory.Path, "copies", "copy.db");
        await _storage.DownloadToFileAsync(source, copy);
        await _storage.UploadFromFileAsync(copy, Root / "up/loaded.db");

        Assert.Equal(4, info!.Size);
        Assert.Null(await _storage.GetInfoAsync(Root / "missing.db"));
        Assert.Equal(new byte[] { 9, 8, 7, 6 }, await File.ReadAllBytesAsync(copy));
        Assert.Equal(new byte[] { 9, 8, 7, 6 }, await _storage.ReadBytesAsync(Root / "up/loaded.db"));
    }

    [Fact]
    public async Task S3_paths_are_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _storage.ReadBytesAsync(StoragePath.Parse("s3://bucket/key")));
    }
}
