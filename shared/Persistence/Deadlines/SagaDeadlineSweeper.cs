using MassTransit;

namespace NuPlanBus.Persistence.Deadlines;

public sealed class SagaDeadlineSweeperOptions
{
    /// <summary>How many due instances one sweep handles at most.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// How long an instance that was reported due is left alone before it is reported again: the saga normally clears or
    /// moves its deadline when it handles the timeout, but its endpoint may be busy, and a redelivery is harmless only
    /// if it is not a flood.
    /// </summary>
    public TimeSpan RepublishAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The period of <see cref="SagaDeadlineSweeper{TState}.RunAsync"/>.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Finds instances past their deadline and hands each to a callback (normally: publish the saga's timeout event).
/// It works on every transport and store, with no message scheduler: a timer reads the indexed deadline column. Several
/// sweepers may run at once (one per Coordinator replica); the saga's state transition on the timeout event makes the
/// duplicates no-ops, so sweepers need no coordination.
/// </summary>
public sealed class SagaDeadlineSweeper<TState>
    where TState : class, ISagaVersion
{
    private readonly ISagaDeadlineQuery<TState> _query;
    private readonly Func<DueSaga, CancellationToken, Task> _onDue;
    private readonly SagaDeadlineSweeperOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<Guid, DateTimeOffset> _reported = [];

    public SagaDeadlineSweeper(ISagaDeadlineQuery<TState> query, Func<DueSaga, CancellationToken, Task> onDue,
        SagaDeadlineSweeperOptions? options = null, TimeProvider? time = null)
    {
        _query = query ?? throw new ArgumentNullException(nameof(query));
        _onDue = onDue ?? throw new ArgumentNullException(nameof(onDue));
        _options = options ?? new SagaDeadlineSweeperOptions();
        _time = time ?? TimeProvider.System;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.BatchSize);
    }

    /// <summary>One pass: returns how many instances were handed to the callback.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var due = await _query.GetDueAsync(now.UtcDateTime, _options.BatchSize, cancellationToken).ConfigureAwait(false);
        ForgetExcept(due);
        var reported = 0;
        foreach (var instance in due)
        {
            if (_reported.TryGetValue(instance.CorrelationId, out var at) && now - at < _options.RepublishAfter)
            {
                continue;
            }
            await _onDue(instance, cancellationToken).ConfigureAwait(false);
            _reported[instance.CorrelationId] = now;
            reported++;
        }
        return reported;
    }

    /// <summary>Sweeps every <see cref="SagaDeadlineSweeperOptions.Interval"/> until cancelled; a failed pass is reported and retried next period.</summary>
    public async Task RunAsync(Action<Exception>? onError, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.Interval, _time);
        do
        {
            try
            {
                await SweepOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                onError?.Invoke(ex);
            }
        }
        while (await WaitAsync(timer, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Instances no longer due (handled, deleted) are forgotten, so the memory stays bounded by the due set.</summary>
    private void ForgetExcept(IReadOnlyList<DueSaga> due)
    {
        if (_reported.Count == 0)
        {
            return;
        }
        var stillDue = new HashSet<Guid>(due.Count);
        foreach (var instance in due)
        {
            stillDue.Add(instance.CorrelationId);
        }
        foreach (var id in _reported.Keys.Where(id => !stillDue.Contains(id)).ToList())
        {
            _reported.Remove(id);
        }
    }
}
