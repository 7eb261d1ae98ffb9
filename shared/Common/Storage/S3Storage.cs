using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using NuPlanBus.Domain.Errors;
using NuPlanBus.Domain.IO;

namespace NuPlanBus.Common.Storage;

/// <summary>
/// <see cref="IStorage"/> over any S3 API. One instance (one client, one circuit) per endpoint and credential set;
/// the client is thread-safe and reused (the devkit's unsynchronised global session cache is not needed).
/// </summary>
/// <remarks>
/// The SDK's own retries are switched off: <see cref="StorageResilience"/> owns retrying, so that the total time bound
/// holds and throttling (503 SlowDown) is retried with jitter too.
/// </remarks>
public sealed class S3Storage : IStorage, IDisposable
{
    private const string Backend = "s3";
    private readonly IAmazonS3 _client;
    private readonly bool _ownsClient;
    private readonly S3StorageOptions _options;
    private readonly StorageResilience _resilience;
    private readonly ConcurrentDictionary<string, bool> _knownBuckets = new(StringComparer.Ordinal);

    public S3Storage(S3StorageOptions options, IStorageMetrics? metrics = null, ILogger? logger = null)
        : this(CreateClient(options), options, metrics, logger, ownsClient: true)
    {
    }

    /// <summary>Uses a client built elsewhere (its retry settings are then the caller's business).</summary>
    public S3Storage(IAmazonS3 client, S3StorageOptions options, IStorageMetrics? metrics = null, ILogger? logger = null)
        : this(client, options, metrics, logger, ownsClient: false)
    {
    }

    private S3Storage(IAmazonS3 client, S3StorageOptions options, IStorageMetrics? metrics, ILogger? logger, bool ownsClient)
    {
        options.Validate();
        _client = client;
        _ownsClient = ownsClient;
        _options = options;
        _resilience = new StorageResilience(Backend, options.Resilience, metrics, logger, Describe);
    }

    public IAmazonS3 Client => _client;

    /// <summary>Builds a client from the options: endpoint, addressing style, region and credentials (see <see cref="S3StorageOptions"/>).</summary>
    public static IAmazonS3 CreateClient(S3StorageOptions options)
    {
        options.Validate();
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            MaxErrorRetry = 0,
        };
        if (options.ServiceUrl is not null)
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region ?? "us-east-1";
        }
        else if (options.Region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        if (options.ChecksumsOnlyWhenRequired ?? options.ServiceUrl is not null)
        {
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }

        var credentials = ResolveCredentials(options);
        return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
    }

    public Task<byte[]> ReadBytesAsync(StoragePath path, CancellationToken cancellationToken = default) =>
        _resilience.ExecuteAsync(StorageOperation.Read, RequireObject(path, StorageOperation.Read), async token =>
        {
            using var response = await _client.GetObjectAsync(path.Bucket, path.Key, token).ConfigureAwait(false);
            var buffer = new MemoryStream(response.ContentLength is > 0 and < int.MaxValue ? (int)response.ContentLength : 0);
            await response.ResponseStream.CopyToAsync(buffer, token).ConfigureAwait(false);
            if (response.ContentLength >= 0 && buffer.Length != response.ContentLength)
            {
                throw new IOException($"the body ended after {buffer.Length} of {response.ContentLength} bytes");
            }
            return buffer.ToArray();
        }, cancellationToken);

    public Task WriteBytesAsync(StoragePath path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        RequireObject(path, StorageOperation.Write);
        var multipart = bytes.Length > _options.MultipartThreshold;
        return _resilience.ExecuteAsync(StorageOperation.Write, path, async token =>
        {
            if (multipart)
            {
                await MultipartUploadAsync(path, bytes.Length, (part, offset, count) => part.InputStream = AsStream(bytes.Slice((int)offset, (int)count)), token).ConfigureAwait(false);
            }
            else
            {
                await PutAsync(path, AsStream(bytes), ifNoneMatch: false, token).ConfigureAwait(false);
            }
        }, cancellationToken, transfer: multipart);
    }

    public Task<bool> CreateIfAbsentAsync(StoragePath path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default) =>
        _resilience.ExecuteAsync(StorageOperation.CreateIfAbsent, RequireObject(path, StorageOperation.CreateIfAbsent), async token =>
        {
            if (!_options.ConditionalWrites)
            {
                // Without conditional writes this is check-then-act: two writers racing here may both "create".
                if (await HeadAsync(path, token).ConfigureAwait(false) is not null)
                {
                    return false;
                }
                await PutAsync(path, AsStream(bytes), ifNoneMatch: false, token).ConfigureAwait(false);
                return true;
            }
            try
            {
                // A retry after a lost response sees 412 for its own object and answers false; callers that must know
                // whether they won compare the content (barrier markers are identical for every writer, so it does not matter).
                await PutAsync(path, AsStream(bytes), ifNoneMatch: true, token).ConfigureAwait(false);
                return true;
            }
            catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                return false;
            }
        }, cancellationToken);

    public Task<bool> ExistsAsync(StoragePath path, bool includeDirectories = true, CancellationToken cancellationToken = default) =>
        _resilience.ExecuteAsync(StorageOperation.Exists, Require(path), async token =>
        {
            if (path.Key.Length > 0 && await HeadAsync(path, token).ConfigureAwait(false) is not null)
            {
                return true;
            }
            if (!includeDirectories)
            {
                // HEAD answers a bare 404 for a missing bucket too; make sure "false" does not hide a wrong bucket.
                await EnsureBucketExistsAsync(path, token).ConfigureAwait(false);
                return false;
            }
            var page = await ListPageAsync(path.Bucket!, path.DirectoryPrefix, delimiter: null, maxKeys: 1, continuationToken: null, token).ConfigureAwait(false);
            _knownBuckets.TryAdd(path.Bucket!, true);
            return path.Key.Length == 0 || page.KeyCount > 0 || page.S3Objects is { Count: > 0 };
        }, cancellationToken);

    public async IAsyncEnumerable<StoragePath> ListAsync(
        StoragePath directory,
        bool recursive = true,
        string? suffix = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Require(directory);
        string? continuation = null;
        do
        {
            var token = continuation;
            var page = await _resilience.ExecuteAsync(
                StorageOperation.List,
                directory,
                ct => new ValueTask<ListObjectsV2Response>(ListPageAsync(directory.Bucket!, directory.DirectoryPrefix, recursive ? null : "/", _options.ListPageSize, token, ct)),
                cancellationToken).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                // Keys ending in '/' are folder placeholders made by consoles, not files.
                if (item.Key.EndsWith('/') || (suffix is not null && !item.Key.EndsWith(suffix, StringComparison.Ordinal)))
                {
                    continue;
                }
                yield return StoragePath.S3(directory.Bucket!, item.Key);
            }
            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (continuation is not null);
    }

    public Task DeleteAsync(StoragePath path, CancellationToken cancellationToken = default) =>
        _resilience.ExecuteAsync(StorageOperation.Delete, RequireObject(path, StorageOperation.Delete), async token =>
        {
            var children = await ListPageAsync(path.Bucket!, path.DirectoryPrefix, delimiter: null, maxKeys: 1, continuationToken: null, token).ConfigureAwait(false);
            if (children.S3Objects is { Count: > 0 })
            {
                throw new StorageException(StorageOperation.Delete.ToName(), path.Value, "expected a file, got a directory");
            }
            await _client.DeleteObjectAsync(path.Bucket, path.Key, token).ConfigureAwait(false);
        }, cancellationToken);

    public Task<StorageObjectInfo?> GetInfoAsync(StoragePath path, CancellationToken cancellationToken = default) =>
        _resilience.ExecuteAsync(StorageOperation.GetInfo, RequireObject(path, StorageOperation.GetInfo), async token =>
        {
            var head = await HeadAsync(path, token).ConfigureAwait(false);
            if (head is null)
            {
                await EnsureBucketExistsAsync(path, token).ConfigureAwait(false);
                return null;
            }
            return new StorageObjectInfo(path, head.ContentLength, head.ETag ?? $"size-{head.ContentLength}", head.LastModified is { } modified ? new DateTimeOffset(modified.ToUniversalTime()) : null);
        }, cancellationToken);

    public Task DownloadToFileAsync(StoragePath path, string localPath, CancellationToken cancellationToken = default) =>
        _resilience.ExecuteAsync(StorageOperation.Download, RequireObject(path, StorageOperation.Download), async token =>
        {
            using var response = await _client.GetObjectAsync(path.Bucket, path.Key, token).ConfigureAwait(false);
            await AtomicFile.WriteAsync(localPath, async target =>
            {
                await response.ResponseStream.CopyToAsync(target, token).ConfigureAwait(false);
                if (response.ContentLength >= 0 && target.Length != response.ContentLength)
                {
                    throw new IOException($"the body ended after {target.Length} of {response.ContentLength} bytes");
                }
            }, token).ConfigureAwait(false);
        }, cancellationToken, transfer: true);

    public Task UploadFromFileAsync(string localPath, StoragePath path, CancellationToken cancellationToken = default)
    {
        RequireObject(path, StorageOperation.Upload);
        return _resilience.ExecuteAsync(StorageOperation.Upload, path, async token =>
        {
            var length = new FileInfo(localPath).Length;
            if (length > _options.MultipartThreshold)
            {
                await MultipartUploadAsync(path, length, (part, offset, _) =>
                {
                    part.FilePath = localPath;
                    part.FilePosition = offset;
                }, token).ConfigureAwait(false);
                return;
            }
            await using var stream = new FileStream(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            await PutAsync(path, stream, ifNoneMatch: false, token).ConfigureAwait(false);
        }, cancellationToken, transfer: true);
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    private async Task PutAsync(StoragePath path, Stream body, bool ifNoneMatch, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = path.Bucket,
            Key = path.Key,
            InputStream = body,
            AutoCloseStream = false,
        };
        if (ifNoneMatch)
        {
            request.IfNoneMatch = "*";
        }
        await _client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Uploads in parts; any failure aborts the upload so no parts (and no object) remain.</summary>
    private async Task MultipartUploadAsync(StoragePath path, long length, Action<UploadPartRequest, long, long> setBody, CancellationToken cancellationToken)
    {
        var initiated = await _client.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = path.Bucket, Key = path.Key }, cancellationToken).ConfigureAwait(false);
        try
        {
            var parts = new List<PartETag>();
            var partNumber = 1;
            for (long offset = 0; offset < length; offset += _options.MultipartPartSize, partNumber++)
            {
                var count = Math.Min(_options.MultipartPartSize, length - offset);
                var part = new UploadPartRequest
                {
                    BucketName = path.Bucket,
                    Key = path.Key,
                    UploadId = initiated.UploadId,
                    PartNumber = partNumber,
                    PartSize = count,
                };
                setBody(part, offset, count);
                var uploaded = await _client.UploadPartAsync(part, cancellationToken).ConfigureAwait(false);
                parts.Add(new PartETag(partNumber, uploaded.ETag));
            }
            await _client.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = path.Bucket, Key = path.Key, UploadId = initiated.UploadId, PartETags = parts },
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            try
            {
                await _client.AbortMultipartUploadAsync(
                    new AbortMultipartUploadRequest { BucketName = path.Bucket, Key = path.Key, UploadId = initiated.UploadId },
                    CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Best effort: the original failure matters more; a lifecycle rule cleans up what an abort could not.
            }
            throw;
        }
    }

    private async Task<GetObjectMetadataResponse?> HeadAsync(StoragePath path, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetObjectMetadataAsync(path.Bucket, path.Key, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task EnsureBucketExistsAsync(StoragePath path, CancellationToken cancellationToken)
    {
        if (_knownBuckets.ContainsKey(path.Bucket!))
        {
            return;
        }
        await ListPageAsync(path.Bucket!, string.Empty, delimiter: null, maxKeys: 1, continuationToken: null, cancellationToken).ConfigureAwait(false);
        _knownBuckets.TryAdd(path.Bucket!, true);
    }

    private async Task<ListObjectsV2Response> ListPageAsync(string bucket, string prefix, string? delimiter, int maxKeys, string? continuationToken, CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request
        {
            BucketName = bucket,
            Prefix = prefix,
            MaxKeys = maxKeys,
            ContinuationToken = continuationToken,
        };
        if (delimiter is not null)
        {
            request.Delimiter = delimiter;
        }
        return await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(bytes.ToArray(), writable: false);

    private static StoragePath Require(StoragePath path)
    {
        if (path.IsEmpty || !path.IsS3)
        {
            throw new ArgumentException($"S3Storage cannot handle '{path}'.", nameof(path));
        }
        return path;
    }

    private static StoragePath RequireObject(StoragePath path, StorageOperation operation)
    {
        Require(path);
        if (path.Key.Length == 0)
        {
            throw new StorageException(operation.ToName(), path.Value, "a bucket root is not a file; give a key");
        }
        return path;
    }

    private static string Describe(Exception exception, StoragePath path)
    {
        if (exception is AmazonS3Exception s3)
        {
            return s3.ErrorCode switch
            {
                "NoSuchBucket" => $"bucket '{path.Bucket}' does not exist",
                "NoSuchKey" => "not found",
                "AccessDenied" => $"access denied ({s3.Message})",
                _ when s3.StatusCode == HttpStatusCode.NotFound => "not found",
                _ when s3.StatusCode == HttpStatusCode.Forbidden => $"access denied ({s3.ErrorCode}: {s3.Message})",
                _ => $"{(int)s3.StatusCode} {s3.ErrorCode}: {s3.Message}",
            };
        }
        return exception.InnerException is { } inner && exception is AmazonClientException
            ? $"{exception.Message} ({inner.Message})"
            : exception.Message;
    }

    private static AWSCredentials? ResolveCredentials(S3StorageOptions options)
    {
        if (!string.IsNullOrEmpty(options.AccessKeyId))
        {
            return string.IsNullOrEmpty(options.SessionToken)
                ? new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey)
                : new SessionAWSCredentials(options.AccessKeyId, options.SecretAccessKey, options.SessionToken);
        }
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_WEB_IDENTITY_TOKEN_FILE")))
        {
            return null;
        }
        if (!string.IsNullOrEmpty(options.Profile))
        {
            var profiles = options.CredentialsFile is null ? new CredentialProfileStoreChain() : new CredentialProfileStoreChain(options.CredentialsFile);
            if (!profiles.TryGetAWSCredentials(options.Profile, out var profileCredentials))
            {
                throw new ConfigurationException(
                    $"S3 storage: AWS profile '{options.Profile}' was not found in {options.CredentialsFile ?? "the shared credentials files"}.");
            }
            return profileCredentials;
        }
        return null;
    }
}
