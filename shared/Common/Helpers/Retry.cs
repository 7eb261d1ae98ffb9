using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace NuPlanBus.Common.Helpers;

/// <summary>
/// The devkit's <c>try_n_times</c> and <c>keep_trying</c>, built on Polly retry pipelines.
/// Only exceptions that are instances of one of the listed types (subclasses included, as with Python's
/// <c>except</c>) are retried; anything else propagates at once, without a further attempt or a sleep.
/// </summary>
/// <remarks>
/// Deliberate differences from the devkit:
/// <list type="bullet">
/// <item><see cref="TryNTimes{T}"/> does not sleep after the final failed attempt (the devkit slept once more
/// before rethrowing, wasting <c>sleep_time</c>).</item>
/// <item><see cref="KeepTrying{T}"/> measures time with the monotonic clock of a <see cref="TimeProvider"/>
/// (the devkit used the wall clock) and gives up without the useless last sleep when that sleep would end past
/// the deadline (the devkit slept, then noticed the deadline).</item>
/// </list>
/// </remarks>
public static class Retry
{
    /// <summary>The devkit's default pause between <c>keep_trying</c> attempts.</summary>
    public static readonly TimeSpan DefaultKeepTryingSleep = TimeSpan.FromSeconds(0.1);

    /// <summary>
    /// Calls <paramref name="operation"/> up to <paramref name="maxTries"/> times, sleeping
    /// <paramref name="sleepTime"/> between attempts; returns the first result or rethrows the last listed error.
    /// </summary>
    public static T TryNTimes<T>(
        Func<T> operation,
        IReadOnlyCollection<Type> retryOn,
        int maxTries,
        TimeSpan sleepTime = default,
        TimeProvider? timeProvider = null,
        ILogger? logger = null,
        [CallerArgumentExpression(nameof(operation))] string operationName = "operation")
    {
        ArgumentNullException.ThrowIfNull(operation);
        var pipeline = BuildTryNTimesPipeline(retryOn, maxTries, sleepTime, timeProvider, logger, operationName);
        return pipeline.Execute(static op => op(), operation);
    }

    /// <inheritdoc cref="TryNTimes{T}"/>
    public static async Task<T> TryNTimesAsync<T>(
        Func<CancellationToken, Task<T>> operation,
        IReadOnlyCollection<Type> retryOn,
        int maxTries,
        TimeSpan sleepTime = default,
        TimeProvider? timeProvider = null,
        ILogger? logger = null,
        CancellationToken cancellationToken = default,
        [CallerArgumentExpression(nameof(operation))] string operationName = "operation")
    {
        ArgumentNullException.ThrowIfNull(operation);
        var pipeline = BuildTryNTimesPipeline(retryOn, maxTries, sleepTime, timeProvider, logger, operationName);
        return await pipeline.ExecuteAsync(
            static async (op, ct) => await op(ct).ConfigureAwait(false), operation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Calls <paramref name="operation"/> (at least once) until it succeeds or <paramref name="timeout"/> has passed,
    /// sleeping <paramref name="sleepTime"/> (default 0.1 s) between attempts. Returns the result and the time
    /// elapsed since the first call started. When time runs out the last listed error is wrapped in a
    /// <see cref="TimeoutException"/> naming the operation and the retried error types.
    /// </summary>
    public static (T Result, TimeSpan Elapsed) KeepTrying<T>(
        Func<T> operation,
        IReadOnlyCollection<Type> retryOn,
        TimeSpan timeout,
        TimeSpan? sleepTime = null,
        TimeProvider? timeProvider = null,
        ILogger? logger = null,
        [CallerArgumentExpression(nameof(operation))] string operationName = "operation")
    {
        ArgumentNullException.ThrowIfNull(operation);
        var clock = timeProvider ?? TimeProvider.System;
        var start = clock.GetTimestamp();
        var pipeline = BuildKeepTryingPipeline(retryOn, timeout, sleepTime ?? DefaultKeepTryingSleep, clock, start, logger, operationName);
        try
        {
            var result = pipeline.Execute(static op => op(), operation);
            return (result, clock.GetElapsedTime(start));
        }
        catch (Exception ex) when (IsListed(ex, retryOn))
        {
            throw KeepTryingTimeout(operationName, retryOn, timeout, ex);
        }
    }

    /// <inheritdoc cref="KeepTrying{T}"/>
    public static async Task<(T Result, TimeSpan Elapsed)> KeepTryingAsync<T>(
        Func<CancellationToken, Task<T>> operation,
        IReadOnlyCollection<Type> retryOn,
        TimeSpan timeout,
        TimeSpan? sleepTime = null,
        TimeProvider? timeProvider = null,
        ILogger? logger = null,
        CancellationToken cancellationToken = default,
        [CallerArgumentExpression(nameof(operation))] string operationName = "operation")
    {
        ArgumentNullException.ThrowIfNull(operation);
        var clock = timeProvider ?? TimeProvider.System;
        var start = clock.GetTimestamp();
        var pipeline = BuildKeepTryingPipeline(retryOn, timeout, sleepTime ?? DefaultKeepTryingSleep, clock, start, logger, operationName);
        try
        {
            var result = await pipeline.ExecuteAsync(
                static async (op, ct) => await op(ct).ConfigureAwait(false), operation, cancellationToken).ConfigureAwait(false);
            return (result, clock.GetElapsedTime(start));
        }
        catch (Exception ex) when (IsListed(ex, retryOn) && !cancellationToken.IsCancellationRequested)
        {
            throw KeepTryingTimeout(operationName, retryOn, timeout, ex);
        }
    }

    private static ResiliencePipeline BuildTryNTimesPipeline(
        IReadOnlyCollection<Type> retryOn,
        int maxTries,
        TimeSpan sleepTime,
        TimeProvider? timeProvider,
        ILogger? logger,
        string operationName)
    {
        ValidateErrorTypes(retryOn);
        if (maxTries <= 0)
        {
            throw new ArgumentException($"maxTries must be greater than 0, got {maxTries}.", nameof(maxTries));
        }
        ValidateSleep(sleepTime, nameof(sleepTime));
        if (maxTries == 1)
        {
            // Polly's retry strategy requires at least one retry; a single try needs no strategy at all.
            return ResiliencePipeline.Empty;
        }
        var log = logger ?? NullLogger.Instance;
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider ?? TimeProvider.System };
        builder.AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = maxTries - 1,
            Delay = sleepTime,
            BackoffType = DelayBackoffType.Constant,
            UseJitter = false,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && IsListed(ex, retryOn)),
            OnRetry = args =>
            {
                log.LogWarning(
                    args.Outcome.Exception,
                    "{Operation} failed ({ErrorType}); {TriesLeft} of {MaxTries} tries left.",
                    operationName,
                    args.Outcome.Exception?.GetType().Name,
                    maxTries - args.AttemptNumber - 1,
                    maxTries);
                return default;
            },
        });
        return builder.Build();
    }

    private static ResiliencePipeline BuildKeepTryingPipeline(
        IReadOnlyCollection<Type> retryOn,
        TimeSpan timeout,
        TimeSpan sleepTime,
        TimeProvider clock,
        long start,
        ILogger? logger,
        string operationName)
    {
        ValidateErrorTypes(retryOn);
        if (timeout <= TimeSpan.Zero || timeout == Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException($"timeout must be a positive, finite duration, got {timeout}.", nameof(timeout));
        }
        ValidateSleep(sleepTime, nameof(sleepTime));
        var log = logger ?? NullLogger.Instance;
        var builder = new ResiliencePipelineBuilder { TimeProvider = clock };
        builder.AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = int.MaxValue,
            Delay = sleepTime,
            BackoffType = DelayBackoffType.Constant,
            UseJitter = false,
            // The deadline lives in the predicate: another attempt only when it would start before the deadline.
            ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Exception is { } ex
                && IsListed(ex, retryOn)
                && clock.GetElapsedTime(start) + sleepTime < timeout),
            OnRetry = args =>
            {
                log.LogDebug(
                    args.Outcome.Exception,
                    "{Operation} failed ({ErrorType}) on attempt {Attempt}; trying again.",
                    operationName,
                    args.Outcome.Exception?.GetType().Name,
                    args.AttemptNumber + 1);
                return default;
            },
        });
        return builder.Build();
    }

    private static TimeoutException KeepTryingTimeout(string operationName, IReadOnlyCollection<Type> retryOn, TimeSpan timeout, Exception last)
    {
        var types = string.Join(", ", retryOn.Select(t => t.Name));
        return new TimeoutException(
            $"{operationName} did not succeed within {timeout.TotalSeconds:0.###} s; it kept failing with one of [{types}], last: {last.GetType().Name}: {last.Message}",
            last);
    }

    private static bool IsListed(Exception exception, IReadOnlyCollection<Type> retryOn)
    {
        foreach (var type in retryOn)
        {
            if (type.IsInstanceOfType(exception))
            {
                return true;
            }
        }
        return false;
    }

    private static void ValidateErrorTypes(IReadOnlyCollection<Type> retryOn)
    {
        ArgumentNullException.ThrowIfNull(retryOn);
        foreach (var type in retryOn)
        {
            if (type is null || !typeof(Exception).IsAssignableFrom(type))
            {
                throw new ArgumentException($"'{type}' is not an exception type.", nameof(retryOn));
            }
        }
    }

    private static void ValidateSleep(TimeSpan sleepTime, string name)
    {
        if (sleepTime < TimeSpan.Zero || sleepTime > TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(name, sleepTime, "The pause between attempts must be between 0 and 1 day.");
        }
    }
}
