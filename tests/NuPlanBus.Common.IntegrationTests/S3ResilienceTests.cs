using System.Diagnostics;
using NuPlanBus.Common.Storage;
using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Common.IntegrationTests;

/// <summary>The real SDK against endpoints that fail: a closed port, a hung server, throttling and refusals.</summary>
public sealed class S3ResilienceTests
{
    private static readonly StoragePath Target = StoragePath.Parse("s3://scratch/runs/r1/report.parquet");
    private readonly CountingStorageMetrics _metrics = new();

    private S3Storage StorageAt(string url, TimeSpan total, TimeSpan? attempt = null, int retries = 100) => new(
        new S3StorageOptions
        {
            ServiceUrl = url,
            ForcePathStyle = true,
            AccessKeyId = "testing",
            SecretAccessKey = "testing",
            Resilience = new StorageResilienceOptions
            {
                TotalTimeout = total,
                AttemptTimeout = attempt ?? TimeSpan.FromSeconds(5),
                MaxRetryAttempts = retries,
                BaseDelay = TimeSpan.FromMilliseconds(50),
                MaxDelay = TimeSpan.FromMilliseconds(400),
            },
        },
        _metrics);

    [Fact]
    public async Task A_closed_port_is_retried_until_the_total_time_bound_and_the_error_names_operation_and_path()
    {
        using var storage = StorageAt($"http://127.0.0.1:{MotoServer.FreePort()}", total: TimeSpan.FromSeconds(2));
        var stopwatch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<StorageException>(() => storage.ReadBytesAsync(Target));

        stopwatch.Stop();
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(5));
        Assert.Equal("read", error.Operation);
        Assert.Equal("s3://scratch/runs/r1/report.parquet", error.Path);
        Assert.Contains("timed out after 2 s", error.Message);
        Assert.Contains("s3://scratch/runs/r1/report.parquet", error.Message);
        Assert.True(_metrics.Retries(StorageOperation.Read) >= 2, $"only {_metrics.Retries(StorageOperation.Read)} retries");
    }

    [Fact]
    public async Task A_hung_server_is_abandoned_per_attempt_and_bounded_in_total()
    {
        using var server = StubHttpServer.Hanging();
        using var storage = StorageAt(server.Url, total: TimeSpan.FromSeconds(2), attempt: TimeSpan.FromMilliseconds(400));
        var stopwatch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<StorageException>(() => storage.ExistsAsync(Target));

        stopwatch.Stop();
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(5));
        Assert.Equal("exists", error.Operation);
        Assert.True(server.Requests >= 2, $"only {server.Requests} attempts");
    }

    [Fact]
    public async Task Throttling_is_retried_with_backoff_up_to_the_attempt_limit()
    {
        using var server = StubHttpServer.S3Error(503, "Slow Down", "SlowDown");
        using var storage = StorageAt(server.Url, total: TimeSpan.FromSeconds(20), retries: 3);

        var error = await Assert.ThrowsAsync<StorageException>(() => storage.WriteTextAsync(Target, "x"));

        Assert.Equal(4, server.Requests);
        Assert.Equal(3, _metrics.Retries(StorageOperation.Write));
        Assert.Equal("write", error.Operation);
        Assert.Contains("SlowDown", error.Message);
        Assert.Contains("after 4 attempts", error.Message);
    }

    [Fact]
    public async Task Access_denied_is_not_retried_and_is_not_reported_as_absence()
    {
        using var server = StubHttpServer.S3Error(403, "Forbidden", "AccessDenied");
        using var storage = StorageAt(server.Url, total: TimeSpan.FromSeconds(20));

        var read = await Assert.ThrowsAsync<StorageException>(() => storage.ReadBytesAsync(Target));
        var exists = await Assert.ThrowsAsync<StorageException>(() => storage.ExistsAsync(Target, includeDirectories: false));

        Assert.Equal(2, server.Requests);
        Assert.Equal(0, _metrics.Retries());
        Assert.Contains("access denied", read.Message);
        Assert.Equal("exists", exists.Operation);
    }

    [Fact]
    public async Task Repeated_failures_open_the_circuit_so_later_calls_fail_fast()
    {
        using var server = StubHttpServer.S3Error(500, "Internal Server Error", "InternalError");
        var options = new S3StorageOptions
        {
            ServiceUrl = server.Url,
            ForcePathStyle = true,
            AccessKeyId = "testing",
            SecretAccessKey = "testing",
            Resilience = new StorageResilienceOptions
            {
                MaxRetryAttempts = 0,
                CircuitMinimumThroughput = 3,
                CircuitFailureRatio = 0.5,
                CircuitBreakDuration = TimeSpan.FromSeconds(30),
            },
        };
        using var storage = new S3Storage(options, _metrics);

        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<StorageException>(() => storage.ReadBytesAsync(Target));
        }
        var error = await Assert.ThrowsAsync<StorageException>(() => storage.ReadBytesAsync(Target));

        Assert.Equal(3, server.Requests);
        Assert.Contains("circuit open", error.Message);
        Assert.Equal(1, _metrics.CircuitOpenings);
    }
}
