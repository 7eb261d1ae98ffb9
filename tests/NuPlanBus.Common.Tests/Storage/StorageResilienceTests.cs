using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using NuPlanBus.Common.Storage;
using NuPlanBus.Common.Tests.Helpers;
using NuPlanBus.Domain.Errors;
using Polly.Timeout;

namespace NuPlanBus.Common.Tests.Storage;

public sealed class StorageResilienceTests
{
    private static readonly StoragePath SomePath = StoragePath.Parse("s3://scratch/runs/a.bin");
    private readonly CountingStorageMetrics _metrics = new();

    private static StorageResilienceOptions Fast(TimeSpan? total = null, int retries = 5) => new()
    {
        TotalTimeout = total ?? TimeSpan.FromSeconds(10),
        AttemptTimeout = TimeSpan.FromSeconds(5),
        MaxRetryAttempts = retries,
        BaseDelay = TimeSpan.FromMilliseconds(5),
        MaxDelay = TimeSpan.FromMilliseconds(20),
        CircuitMinimumThroughput = 1000,
    };

    private static AmazonS3Exception S3Error(HttpStatusCode status, string code) =>
        new($"{code} happened", ErrorType.Sender, code, "request-id", status);

    [Fact]
    public async Task Transient_failures_are_retried_around_the_awaited_operation()
    {
        var resilience = new StorageResilience("s3", Fast(), _metrics);
        var attempts = 0;

        var result = await resilience.ExecuteAsync(StorageOperation.Read, SomePath, async _ =>
        {
            await Task.Yield();
            if (++attempts < 3)
            {
                throw S3Error(HttpStatusCode.ServiceUnavailable, "SlowDown");
            }
            return 42;
        }, CancellationToken.None);

        Assert.Equal(42, result);
        Assert.Equal(3, attempts);
        Assert.Equal(2, _metrics.Retries(StorageOperation.Read));
        Assert.Equal(1, _metrics.Operations(StorageOperation.Read, succeeded: true));
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "AccessDenied")]
    [InlineData(HttpStatusCode.NotFound, "NoSuchKey")]
    [InlineData(HttpStatusCode.BadRequest, "InvalidRequest")]
    public async Task Client_errors_are_not_retried(HttpStatusCode status, string code)
    {
        var resilience = new StorageResilience("s3", Fast(), _metrics);
        var attempts = 0;

        var error = await Assert.ThrowsAsync<StorageException>(() => resilience.ExecuteAsync<int>(StorageOperation.Read, SomePath, async _ =>
        {
            await Task.Yield();
            attempts++;
            throw S3Error(status, code);
        }, CancellationToken.None));

        Assert.Equal(1, attempts);
        Assert.Equal("read", error.Operation);
        Assert.Equal(SomePath.Value, error.Path);
        Assert.IsType<AmazonS3Exception>(error.InnerException);
        Assert.Equal(1, _metrics.Operations(StorageOperation.Read, succeeded: false));
    }

    [Fact]
    public async Task Retries_that_run_out_report_the_attempt_count()
    {
        var resilience = new StorageResilience("s3", Fast(retries: 2), _metrics);
        var attempts = 0;

        var error = await Assert.ThrowsAsync<StorageException>(() => resilience.ExecuteAsync<int>(StorageOperation.List, SomePath, _ =>
        {
            attempts++;
            throw new HttpRequestException("connection refused");
        }, CancellationToken.None));

        Assert.Equal(3, attempts);
        Assert.Contains("after 3 attempts", error.Message);
        Assert.Equal("list", error.Operation);
    }

    [Fact]
    public async Task The_total_time_bound_ends_an_endless_sequence_of_retries()
    {
        // A fake clock, moved only here: the bound is checked in the retries' own time, whatever the machine's load.
        var clock = new ManualTimeProvider();
        var resilience = new StorageResilience("s3", Fast(total: TimeSpan.FromMilliseconds(600), retries: int.MaxValue), _metrics, timeProvider: clock);

        var run = resilience.ExecuteAsync<int>(StorageOperation.Exists, SomePath,
            _ => throw new IOException("connection reset by peer"), CancellationToken.None);
        while (!run.IsCompleted)
        {
            clock.Advance(TimeSpan.FromMilliseconds(5));
            await Task.Yield();
        }
        var error = await Assert.ThrowsAsync<StorageException>(() => run);

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(600), $"gave up after {clock.Elapsed.TotalMilliseconds} ms of retries");
        Assert.Contains("timed out after 0.6 s", error.Message);
        Assert.Contains("connection reset by peer", error.Message);
        Assert.Equal("exists", error.Operation);
        Assert.True(_metrics.Retries() >= 2);
    }

    [Fact]
    public async Task A_hung_attempt_is_abandoned_and_retried()
    {
        var options = Fast();
        options.AttemptTimeout = TimeSpan.FromMilliseconds(100);
        var resilience = new StorageResilience("s3", options, _metrics);
        var attempts = 0;

        var result = await resilience.ExecuteAsync(StorageOperation.Read, SomePath, async token =>
        {
            if (++attempts == 1)
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            return "ok";
        }, CancellationToken.None);

        Assert.Equal("ok", result);
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task Transfers_use_the_transfer_bound_and_no_attempt_timeout()
    {
        var options = Fast(total: TimeSpan.FromMilliseconds(100));
        options.AttemptTimeout = TimeSpan.FromMilliseconds(50);
        options.TransferTimeout = TimeSpan.FromSeconds(5);
        var resilience = new StorageResilience("s3", options, _metrics);

        var result = await resilience.ExecuteAsync(StorageOperation.Download, SomePath, async token =>
        {
            await Task.Delay(300, token);
            return 1;
        }, CancellationToken.None, transfer: true);

        Assert.Equal(1, result);
    }

    [Fact]
    public async Task The_circuit_opens_after_repeated_transient_failures_and_then_fails_fast()
    {
        var options = Fast(retries: 0);
        options.CircuitMinimumThroughput = 4;
        options.CircuitFailureRatio = 0.5;
        options.CircuitBreakDuration = TimeSpan.FromSeconds(30);
        var resilience = new StorageResilience("s3", options, _metrics);
        var attempts = 0;
        Func<CancellationToken, ValueTask<int>> failing = _ =>
        {
            attempts++;
            throw new SocketException((int)SocketError.ConnectionRefused);
        };

        for (var i = 0; i < 4; i++)
        {
            await Assert.ThrowsAsync<StorageException>(() => resilience.ExecuteAsync(StorageOperation.Read, SomePath, failing, CancellationToken.None));
        }
        var error = await Assert.ThrowsAsync<StorageException>(() => resilience.ExecuteAsync(StorageOperation.Read, SomePath, failing, CancellationToken.None));

        Assert.Equal(4, attempts);
        Assert.Contains("circuit open", error.Message);
        Assert.Equal(1, _metrics.CircuitOpenings);
    }

    [Fact]
    public async Task Definite_answers_thrown_as_storage_exceptions_pass_through_unretried()
    {
        var resilience = new StorageResilience("s3", Fast(), _metrics);
        var attempts = 0;
        var original = new StorageException("delete", SomePath.Value, "expected a file, got a directory");

        var error = await Assert.ThrowsAsync<StorageException>(() => resilience.ExecuteAsync<int>(StorageOperation.Delete, SomePath, _ =>
        {
            attempts++;
            throw original;
        }, CancellationToken.None));

        Assert.Same(original, error);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_stays_a_cancellation()
    {
        var resilience = new StorageResilience("s3", Fast(), _metrics);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => resilience.ExecuteAsync(StorageOperation.Read, SomePath, async token =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return 0;
        }, cancellation.Token));
    }

    [Fact]
    public void Invalid_options_are_a_configuration_error()
    {
        Assert.Throws<ConfigurationException>(() => new StorageResilience("s3", new StorageResilienceOptions { TotalTimeout = TimeSpan.Zero }));
        Assert.Throws<ConfigurationException>(() => new StorageResilience("s3", new StorageResilienceOptions { MaxRetryAttempts = -1 }));
    }

    public static TheoryData<Exception, bool> Classified => new()
    {
        { S3Error(HttpStatusCode.ServiceUnavailable, "SlowDown"), true },
        { S3Error(HttpStatusCode.InternalServerError, "InternalError"), true },
        { S3Error(HttpStatusCode.BadRequest, "RequestTimeout"), true },
        { S3Error(HttpStatusCode.TooManyRequests, "TooManyRequests"), true },
        { S3Error(HttpStatusCode.BadRequest, "Throttling"), true },
        { S3Error(HttpStatusCode.Forbidden, "AccessDenied"), false },
        { S3Error(HttpStatusCode.NotFound, "NoSuchKey"), false },
        { S3Error(HttpStatusCode.PreconditionFailed, "PreconditionFailed"), false },
        { new HttpRequestException("refused"), true },
        { new IOException("reset"), true },
        { new FileNotFoundException("gone"), false },
        { new TimeoutRejectedException(), true },
        { new TaskCanceledException("http client timeout"), true },
        { new AmazonClientException("network", new HttpRequestException("refused")), true },
        { new AmazonClientException("no credentials"), false },
        { new StorageException("read", "p", "not found"), false },
        { new InvalidOperationException(), false },
    };

    [Theory]
    [MemberData(nameof(Classified))]
    public void Transient_errors_are_classified(Exception exception, bool transient) =>
        Assert.Equal(transient, TransientStorageErrors.IsTransient(exception));
}
