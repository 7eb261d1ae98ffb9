using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using NuPlanBus.Common.Storage;
using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Common.IntegrationTests;

[Collection(MotoCollection.Name)]
public sealed class S3StorageTests : MotoTestBase, IAsyncLifetime, IDisposable
{
    private readonly CountingStorageMetrics _metrics = new();
    private readonly S3Storage _storage;
    private StoragePath _root;

    public S3StorageTests(MotoServer moto, MotoResetOnce reset)
        : base(moto, reset)
    {
        _storage = moto.CreateStorage(_metrics);
    }

    public async Task InitializeAsync() => _root = StoragePath.Parse($"s3://{await Moto.CreateBucketAsync(UniqueBucket())}");

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _storage.Dispose();

    [Fact]
    public async Task Bytes_and_text_round_trip()
    {
        var bytes = _root / "runs/r1/data.bin";
        var text = _root / "runs/r1/summary.json";

        await _storage.WriteBytesAsync(bytes, new byte[] { 0, 1, 2, 255 });
        await _storage.WriteTextAsync(text, "{\"score\": 0.87, \"name\": \"Zürich\"}");

        Assert.Equal(new byte[] { 0, 1, 2, 255 }, await _storage.ReadBytesAsync(bytes));
        Assert.Equal("{\"score\": 0.87, \"name\": \"Zürich\"}", await _storage.ReadTextAsync(text));
        Assert.Equal(2, _metrics.Operations(StorageOperation.Write, succeeded: true));
    }

    [Fact]
    public async Task An_empty_object_can_be_written_and_exists()
    {
        var path = _root / "empty";

        await _storage.WriteBytesAsync(path, ReadOnlyMemory<byte>.Empty);

        Assert.Empty(await _storage.ReadBytesAsync(path));
        Assert.True(await _storage.ExistsAsync(path, includeDirectories: false));
    }

    [Theory]
    [InlineData("scratch")]
    [InlineData("3d-data")]
    [InlineData("ssbucket")]
    [InlineData("s3-s3")]
    public async Task Buckets_whose_names_start_with_s_or_3_are_addressed_correctly(string bucket)
    {
        await Moto.CreateBucketAsync(bucket);
        var path = StoragePath.Parse($"s3:/{bucket}/dir/file.txt");

        await _storage.WriteTextAsync(path, bucket);

        Assert.Equal($"s3://{bucket}/dir/file.txt", path.ToString());
        Assert.Equal(bucket, await _storage.ReadTextAsync(StoragePath.Parse($"s3://{bucket}/dir/file.txt")));
        Assert.Equal([path], await _storage.ListAllAsync(StoragePath.Parse($"s3://{bucket}/dir")));
    }

    [Fact]
    public async Task Reading_a_missing_key_is_a_not_found_storage_error()
    {
        var path = _root / "no/such/key";

        var error = await Assert.ThrowsAsync<StorageException>(() => _storage.ReadBytesAsync(path));

        Assert.Equal("read", error.Operation);
        Assert.Equal(path.Value, error.Path);
        Assert.Contains("not found", error.Message);
        Assert.Equal(0, _metrics.Retries());
    }

    [Fact]
    public async Task A_missing_bucket_is_a_storage_error_naming_the_bucket()
    {
        var path = StoragePath.Parse("s3://no-such-bucket-here/key");

        var read = await Assert.ThrowsAsync<StorageException>(() => _storage.ReadBytesAsync(path));
        var write = await Assert.ThrowsAsync<StorageException>(() => _storage.WriteTextAsync(path, "x"));
        var list = await Assert.ThrowsAsync<StorageException>(() => _storage.ListAllAsync(StoragePath.Parse("s3://no-such-bucket-here/dir")));
        var exists = await Assert.ThrowsAsync<StorageException>(() => _storage.ExistsAsync(path, includeDirectories: false));
        var existsDir = await Assert.ThrowsAsync<StorageException>(() => _storage.ExistsAsync(path));

        foreach (var error in new[] { read, write, list, exists, existsDir })
        {
            Assert.Contains("bucket 'no-such-bucket-here' does not exist", error.Message);
        }
        Assert.Equal("read", read.Operation);
        Assert.Equal("write", write.Operation);
        Assert.Equal("list", list.Operation);
        Assert.Equal("exists", exists.Operation);
    }

    [Fact]
    public async Task CreateIfAbsent_creates_once_with_a_conditional_put()
    {
        var path = _root / "barrier/0/barrier_token_1";

        Assert.True(await _storage.CreateIfAbsentAsync(path, "x"u8.ToArray()));
        Assert.False(await _storage.CreateIfAbsentAsync(path, "y"u8.ToArray()));
        Assert.Equal("x", await _storage.ReadTextAsync(path));
    }

    [Fact]
    public async Task CreateIfAbsent_has_exactly_one_winner_among_concurrent_creators()
    {
        var path = _root / "barrier/race";

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => _storage.CreateIfAbsentAsync(path, Encoding.ASCII.GetBytes($"w{i}")))));

        Assert.Equal(1, results.Count(r => r));
    }

    [Fact]
    public async Task CreateIfAbsent_without_conditional_writes_falls_back_to_head_then_put()
    {
        var options = Moto.Options();
        options.ConditionalWrites = false;
        using var storage = Moto.CreateStorage(options: options);
        var path = _root / "fallback/marker";

        Assert.True(await storage.CreateIfAbsentAsync(path, "x"u8.ToArray()));
        Assert.False(await storage.CreateIfAbsentAsync(path, "y"u8.ToArray()));
        Assert.Equal("x", await storage.ReadTextAsync(path));
    }

    [Fact]
    public async Task Exists_is_exact_for_files_and_delimiter_correct_for_directories()
    {
        await _storage.WriteTextAsync(_root / "test_dir2/file.txt", "x");
        await _storage.WriteTextAsync(_root / "test_dir/nested/file.txt", "x");
        await _storage.WriteTextAsync(_root / "foobar.txt", "x");

        Assert.True(await _storage.ExistsAsync(_root / "test_dir2/file.txt", includeDirectories: false));
        Assert.True(await _storage.ExistsAsync(_root / "test_dir"));
        Assert.True(await _storage.ExistsAsync(_root / "test_dir/nested"));
        Assert.False(await _storage.ExistsAsync(_root / "test_dir", includeDirectories: false));
        Assert.False(await _storage.ExistsAsync(_root / "test_di"));
        Assert.False(await _storage.ExistsAsync(_root / "foo"));
        Assert.False(await _storage.ExistsAsync(_root / "test_dir2/file"));
        Assert.True(await _storage.ExistsAsync(_root));
    }

    [Fact]
    public async Task Exists_in_a_prefix_only_matches_whole_segments()
    {
        await _storage.WriteTextAsync(_root / "only/test_dir2/a", "x");

        Assert.False(await _storage.ExistsAsync(_root / "only/test_dir"));
        Assert.True(await _storage.ExistsAsync(_root / "only/test_dir2"));
    }

    [Fact]
    public async Task Listing_is_files_only_sorted_recursive_or_one_level_and_filtered_by_suffix()
    {
        foreach (var name in new[] { "test_dir/b.csv", "test_dir/a.csv", "test_dir/c.txt", "test_dir/sub/d.csv", "test_dir2/e.csv", "test_dir.csv" })
        {
            await _storage.WriteTextAsync(_root / name, "x");
        }
        // A console-made "folder" placeholder is not a file.
        await _storage.Client.PutObjectAsync(new PutObjectRequest { BucketName = _root.Bucket, Key = "test_dir/folder/", ContentBody = string.Empty });
        var dir = _root / "test_dir";

        var recursive = (await _storage.ListAllAsync(dir)).Select(p => p.RelativeTo(dir));
        var oneLevel = (await _storage.ListAllAsync(dir, recursive: false)).Select(p => p.RelativeTo(dir));
        var csv = (await _storage.ListAllAsync(dir, suffix: ".csv")).Select(p => p.RelativeTo(dir));
        var root = (await _storage.ListAllAsync(_root, recursive: false)).Select(p => p.Key);

        Assert.Equal(["a.csv", "b.csv", "c.txt", "sub/d.csv"], recursive);
        Assert.Equal(["a.csv", "b.csv", "c.txt"], oneLevel);
        Assert.Equal(["a.csv", "b.csv", "sub/d.csv"], csv);
        Assert.Equal(["test_dir.csv"], root);
        Assert.Empty(await _storage.ListAllAsync(_root / "nothing"));
    }

    [Fact]
    public async Task Listing_pages_through_more_than_a_thousand_keys()
    {
        var options = Moto.Options();
        options.ListPageSize = 100;
        using var storage = Moto.CreateStorage(_metrics, options);
        var dir = _root / "many";
        var names = Enumerable.Range(0, 1105).Select(i => $"k{i:D5}.msgpack").ToArray();
        using (var throttle = new SemaphoreSlim(16))
        {
            await Task.WhenAll(names.Select(async name =>
            {
                await throttle.WaitAsync();
                try
                {
                    await storage.WriteBytesAsync(dir / name, "x"u8.ToArray());
                }
                finally
                {
                    throttle.Release();
                }
            }));
        }
        await storage.WriteBytesAsync(dir / "other.txt", "x"u8.ToArray());
        var listsBefore = _metrics.Operations(StorageOperation.List);

        var listed = await storage.ListAllAsync(dir, suffix: ".msgpack");

        Assert.Equal(names, listed.Select(p => p.Name));
        Assert.Equal(12, _metrics.Operations(StorageOperation.List) - listsBefore);
    }

    [Fact]
    public async Task Delete_removes_a_file_ignores_a_missing_one_and_rejects_a_directory()
    {
        await _storage.WriteTextAsync(_root / "del/file", "x");
        await _storage.WriteTextAsync(_root / "del/dir/child", "x");

        await _storage.DeleteAsync(_root / "del/file");
        await _storage.DeleteAsync(_root / "del/file");
        var error = await Assert.ThrowsAsync<StorageException>(() => _storage.DeleteAsync(_root / "del/dir"));

        Assert.False(await _storage.ExistsAsync(_root / "del/file"));
        Assert.True(await _storage.ExistsAsync(_root / "del/dir/child"));
        Assert.Equal("delete", error.Operation);
        Assert.Contains("directory", error.Message);
    }

    [Fact]
    public async Task GetInfo_reports_size_and_etag_and_null_when_missing()
    {
        var path = _root / "info.bin";
        await _storage.WriteBytesAsync(path, new byte[1234]);

        var info = await _storage.GetInfoAsync(path);

        Assert.Equal(1234, info!.Size);
        Assert.False(string.IsNullOrEmpty(info.Version));
        Assert.NotNull(info.LastModified);
        Assert.Null(await _storage.GetInfoAsync(_root / "missing.bin"));
    }

    [Fact]
    public async Task Large_writes_use_multipart_upload_and_round_trip()
    {
        var options = Moto.Options();
        options.MultipartPartSize = 5L * 1024 * 1024;
        options.MultipartThreshold = 5L * 1024 * 1024;
        using var storage = Moto.CreateStorage(options: options);
        var payload = new byte[(11 * 1024 * 1024) + 17];
        new Random(7).NextBytes(payload);
        var path = _root / "big/object.db";

        await storage.WriteBytesAsync(path, payload);
        var file = Path.Combine(Path.GetTempPath(), $"nuplanbus-{Guid.NewGuid():N}.db");
        try
        {
            await storage.DownloadToFileAsync(path, file);
            await storage.UploadFromFileAsync(file, _root / "big/copy.db");

            Assert.Equal(payload, await File.ReadAllBytesAsync(file));
            Assert.Equal(payload, await storage.ReadBytesAsync(_root / "big/copy.db"));
            var head = await storage.Client.GetObjectMetadataAsync(_root.Bucket, "big/object.db");
            Assert.Contains('-', head.ETag);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_failed_multipart_upload_is_aborted_and_leaves_no_object()
    {
        var options = Moto.Options(new StorageResilienceOptions { MaxRetryAttempts = 0 });
        options.MultipartPartSize = 5L * 1024 * 1024;
        options.MultipartThreshold = 5L * 1024 * 1024;
        using var client = new FailingSecondPartClient(options);
        using var storage = new S3Storage(client, options);
        var path = _root / "big/failed.db";

        var error = await Assert.ThrowsAsync<StorageException>(() => storage.WriteBytesAsync(path, new byte[12 * 1024 * 1024]));

        Assert.Equal("write", error.Operation);
        Assert.Equal(1, client.PartsUploaded);
        Assert.False(await storage.ExistsAsync(path));
        var uploads = await storage.Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = _root.Bucket });
        Assert.True(uploads.MultipartUploads is null || uploads.MultipartUploads.Count == 0);
    }

    [Fact]
    public async Task The_resolving_storage_and_sync_wrappers_work_against_s3()
    {
        using var factory = new StorageFactory(Moto.Options());
        var path = _root / "sync/file.txt";

        factory.Storage.WriteText(path, "sync");

        Assert.Equal("sync", factory.Storage.ReadText(path));
        Assert.True(factory.Storage.Exists(path.Parent!.Value));
        Assert.Single(factory.Storage.List(path.Parent!.Value));
        factory.Storage.Delete(path);
        Assert.False(factory.Storage.Exists(path));
    }

    /// <summary>A real client whose second part upload fails, as a dropped connection mid-upload would.</summary>
    private sealed class FailingSecondPartClient(S3StorageOptions options)
        : AmazonS3Client(new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey), new AmazonS3Config
        {
            ServiceURL = options.ServiceUrl,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
        })
    {
        public int PartsUploaded { get; private set; }

        public override async Task<UploadPartResponse> UploadPartAsync(UploadPartRequest request, CancellationToken cancellationToken = default)
        {
            if (request.PartNumber >= 2)
            {
                throw new IOException("connection reset while uploading a part");
            }
            var response = await base.UploadPartAsync(request, cancellationToken);
            PartsUploaded++;
            return response;
        }
    }
}
