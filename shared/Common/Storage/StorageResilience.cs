using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NuPlanBus.Domain.Errors;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace NuPlanBus.Common.Storage;

/// <summary>
/// The resilience pipeline every storage back end runs its operations through:
/// total timeout ⟶ retry (exponential back-off with jitter, transient errors only) ⟶ circuit breaker ⟶ attempt timeout.
/// </summary>
/// <remarks>
/// The retry wraps the awaited operation, so asynchronous failures are retried (the devkit decorated the call that
/// merely created the coroutine, so its async retries never ran). The total timeout sits outside the retry: no
/// combination of attempts and back-off sleeps outlives it. One instance per back end, because the circuit state is
/// per instance: a dead endpoint fails fast for everyone using it.
/// </remarks>
public sealed class StorageResilience
{
    private static readonly ResiliencePropertyKey<TimeSpan> TotalTimeoutKey = new("NuPlanBus.Storage.TotalTimeout");
    private static readonly ResiliencePropertyKey<TimeSpan?> AttemptTimeoutKey = new("NuPlanBus.Storage.AttemptTimeout");
    private static readonly ResiliencePropertyKey<StorageOperation> OperationKey = new("NuPlanBus.Storage.Operation");
    private static readonly ResiliencePropertyKey<StoragePath> PathKey = new("NuPlanBus.Storage.Path");
    private static readonly ResiliencePropertyKey<Exception?> LastErrorKey = new("NuPlanBus.Storage.LastError");
    private static readonly ResiliencePropertyKey<int> AttemptsKey = new("NuPlanBus.Storage.Attempts");

    private readonly ResiliencePipeline _pipeline;
    private readonly IStorageMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Func<Exception, StoragePath, string> _describe;

    /// <param name="backend">"local" or "s3": the metrics label and the log context.</param>
    /// <param name="describe">Turns a back end's final exception into the reason text of the <see cref="StorageException"/>.</param>
    public StorageResilience(
        string backend,
        StorageResilienceOptions? options = null,
        IStorageMetrics? metrics = null,
        ILogger? logger = null,
        Func<Exception, StoragePath, string>? describe = null,
        TimeProvider? timeProvider = null)
    {
        Backend = backend;
        Options = options ?? new StorageResilienceOptions();
        Options.Validate();
        _metrics = metrics ?? NullStorageMetrics.Instance;
        _logger = logger ?? NullLogger.Instance;
        _describe = describe ?? ((ex, _) => ex.Message);
        _pipeline = Build(timeProvider ?? TimeProvider.System);
    }

    public string Backend { get; }

    public StorageResilienceOptions Options { get; }

    public IStorageMetrics Metrics => _metrics;

    /// <summary>
    /// Runs <paramref name="action"/> with retries and bounds. The action may throw <see cref="StorageException"/> for a
    /// definite, non-retryable answer (not found, is a directory); it passes through unchanged. Every other final failure
    /// becomes a <see cref="StorageException"/> naming the operation and the path. Cancellation by the caller stays an
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <param name="transfer">Bulk transfer: bounded by <see cref="StorageResilienceOptions.TransferTimeout"/> and no attempt timeout.</param>
    public async Task<T> ExecuteAsync<T>(
        StorageOperation operation,
        StoragePath path,
        Func<CancellationToken, ValueTask<T>> action,
        CancellationToken cancellationToken,
        bool transfer = false)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(OperationKey, operation);
        context.Properties.Set(PathKey, path);
        var totalTimeout = transfer ? Options.TransferTimeout : Options.TotalTimeout;
        context.Properties.Set(TotalTimeoutKey, totalTimeout);
        context.Properties.Set(AttemptTimeoutKey, transfer ? null : Options.AttemptTimeout);
        context.Properties.Set(AttemptsKey, 1);
        var stopwatch = Stopwatch.StartNew();
        var succeeded = false;
        try
        {
            var result = await _pipeline.ExecuteAsync(
                static (ctx, state) => state(ctx.CancellationToken),
                context,
                action).ConfigureAwait(false);
            succeeded = true;
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (StorageException)
        {
            throw;
        }
        catch (TimeoutRejectedException ex)
        {
            throw TimedOut(operation, path, ex.Timeout, context, context.Properties.GetValue(LastErrorKey, null) ?? ex);
        }
        catch (BrokenCircuitException ex)
        {
            var last = context.Properties.GetValue(LastErrorKey, null);
            throw new StorageException(
                operation.ToName(),
                path.Value,
                $"{Backend} storage is failing repeatedly; calls are suspended for up to {Options.CircuitBreakDuration.TotalSeconds:0.###} s (circuit open)"
                + (last is null ? string.Empty : $"; last error: {_describe(last, path)}"),
                ex);
        }
        catch (Exception ex) when (stopwatch.Elapsed >= totalTimeout && TransientStorageErrors.IsTransient(ex))
        {
            // The bound expired while the last attempt was failing on its own (not through the cancellation): still a timeout.
            context.Properties.Set(LastErrorKey, ex);
            throw TimedOut(operation, path, totalTimeout, context, ex);
        }
        catch (Exception ex)
        {
            var attempts = context.Properties.GetValue(AttemptsKey, 1);
            throw new StorageException(
                operation.ToName(),
                path.Value,
                _describe(ex, path) + (attempts > 1 ? $" (after {attempts} attempts)" : string.Empty),
                ex);
        }
        finally
        {
            _metrics.OperationCompleted(Backend, operation, succeeded, stopwatch.Elapsed);
            ResilienceContextPool.Shared.Return(context);
        }
    }

    public async Task ExecuteAsync(
        StorageOperation operation,
        StoragePath path,
        Func<CancellationToken, ValueTask> action,
        CancellationToken cancellationToken,
        bool transfer = false) =>
        await ExecuteAsync<bool>(
            operation,
            path,
            async token =>
            {
                await action(token).ConfigureAwait(false);
                return true;
            },
            cancellationToken,
            transfer).ConfigureAwait(false);

    private StorageException TimedOut(StorageOperation operation, StoragePath path, TimeSpan bound, ResilienceContext context, Exception inner)
    {
        var last = context.Properties.GetValue(LastErrorKey, null);
        var attempts = context.Properties.GetValue(AttemptsKey, 1);
        return new StorageException(
            operation.ToName(),
            path.Value,
            $"timed out after {bound.TotalSeconds:0.###} s ({attempts} attempt(s))" + (last is null ? string.Empty : $"; last error: {_describe(last, path)}"),
            inner);
    }

    private ResiliencePipeline Build(TimeProvider timeProvider)
    {
        static ValueTask<bool> IsTransient(Outcome<object> outcome, ResilienceContext context) =>
            ValueTask.FromResult(
                outcome.Exception is { } exception
                && !context.CancellationToken.IsCancellationRequested
                && TransientStorageErrors.IsTransient(exception));

        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        builder.AddTimeout(new TimeoutStrategyOptions
        {
            Name = "total",
            TimeoutGenerator = args => ValueTask.FromResult(args.Context.Properties.GetValue(TotalTimeoutKey, Options.TotalTimeout)),
        });
        builder.AddRetry(new RetryStrategyOptions
        {
            Name = "retry",
            MaxRetryAttempts = Math.Max(1, Options.MaxRetryAttempts),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = Options.BaseDelay,
            MaxDelay = Options.MaxDelay,
            ShouldHandle = args => Options.MaxRetryAttempts == 0 ? ValueTask.FromResult(false) : IsTransient(args.Outcome, args.Context),
            OnRetry = args =>
            {
                var operation = args.Context.Properties.GetValue(OperationKey, StorageOperation.Read);
                var path = args.Context.Properties.GetValue(PathKey, default);
                args.Context.Properties.Set(LastErrorKey, args.Outcome.Exception);
                args.Context.Properties.Set(AttemptsKey, args.AttemptNumber + 2);
                _metrics.RetryScheduled(Backend, operation, args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception);
                _logger.LogWarning(
                    "Storage {Operation} of {Path} failed ({Error}); attempt {Attempt} in {Delay} ms",
                    operation.ToName(),
                    path.Value,
                    args.Outcome.Exception?.Message,
                    args.AttemptNumber + 2,
                    (int)args.RetryDelay.TotalMilliseconds);
                return ValueTask.CompletedTask;
            },
        });
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            Name = "circuit",
            FailureRatio = Options.CircuitFailureRatio,
            MinimumThroughput = Options.CircuitMinimumThroughput,
            SamplingDuration = Options.CircuitSamplingDuration,
            BreakDuration = Options.CircuitBreakDuration,
            ShouldHandle = args => IsTransient(args.Outcome, args.Context),
            OnOpened = args =>
            {
                _metrics.CircuitStateChanged(Backend, open: true);
                _logger.LogError("Storage circuit opened for {Backend} for {Duration} s", Backend, args.BreakDuration.TotalSeconds);
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                _metrics.CircuitStateChanged(Backend, open: false);
                _logger.LogInformation("Storage circuit closed for {Backend}", Backend);
                return ValueTask.CompletedTask;
            },
        });
        builder.AddTimeout(new TimeoutStrategyOptions
        {
            Name = "attempt",
            // Polly skips a timeout strategy whose generator returns an infinite or zero timeout.
            TimeoutGenerator = args => ValueTask.FromResult(args.Context.Properties.GetValue(AttemptTimeoutKey, null) ?? Timeout.InfiniteTimeSpan),
        });
        return builder.Build();
    }
}
