using System.Diagnostics;
using MassTransit;
using NuPlanBus.Common.Distributed;
using NuPlanBus.Contracts;
using NuPlanBus.Hosting.Observability;

namespace NuPlanBus.Coordination.Barriers;

/// <summary>Settings of a <see cref="BrokerBackedBarrier"/>.</summary>
public sealed record BrokerBackedBarrierOptions
{
    /// <summary>
    /// How long past its own timeout a participant waits for the saga's verdict (normally the deadline watchdog's
    /// interval plus delivery) before it asks for the state once more and, with no outcome, gives up on its own.
    /// </summary>
    public TimeSpan OutcomeGrace { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How often a waiting participant announces its arrival again and asks for the state. Arrivals count once, so this is
    /// harmless, and it recovers an arrival published before the saga's queue was bound or lost with a saga host.
    /// </summary>
    public TimeSpan ReannounceInterval { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The participant side of the broker-backed barrier (<see cref="BarrierStateMachine"/> must run on the same broker).
/// </summary>
/// <remarks>
/// On first use it connects one temporary receive endpoint to the bus that receives every <see cref="BarrierReleased"/>,
/// <see cref="BarrierTimedOut"/> and the answers to its <see cref="GetBarrierState"/>, and hands each to the waits of that
/// (barrier id, generation) in this process. A wait registers itself, publishes <see cref="ArriveAtBarrier"/>, then asks
/// for the state: a participant that arrives after the release (a restart, a duplicate) learns the outcome from the answer,
/// because the release event went out before it listened. The saga decides the timeout (at the earliest give-up time of
/// the arrivals) and names the missing participants; should no verdict come within <see cref="BrokerBackedBarrierOptions.OutcomeGrace"/>
/// after this participant's own timeout (no saga host running), it fails on its own. While it waits it announces its
/// arrival again every <see cref="BrokerBackedBarrierOptions.ReannounceInterval"/> (arrivals count once).
/// </remarks>
public sealed class BrokerBackedBarrier : IBarrier, IAsyncDisposable
{
    private readonly IBus _bus;
    private readonly BrokerBackedBarrierOptions _options;
    private readonly NuPlanBusMetrics? _metrics;
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, List<Waiter>> _waiters = [];
    private HostReceiveEndpointHandle? _endpoint;
    private Uri? _address;

    public BrokerBackedBarrier(IBus bus, BrokerBackedBarrierOptions? options = null, NuPlanBusMetrics? metrics = null)
    {
        _bus = bus ?? throw new ArgumentNullException(nameof(bus));
        _options = options ?? new BrokerBackedBarrierOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.OutcomeGrace, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.ReannounceInterval, TimeSpan.Zero, nameof(options));
        _metrics = metrics;
    }

    public async Task WaitAsync(BarrierRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var started = Stopwatch.GetTimestamp();
        var address = await EnsureEndpointAsync(cancellationToken).ConfigureAwait(false);
        var id = BarrierCorrelation.For(request.BarrierId, request.Generation);
        var waiter = new Waiter();
        Register(id, waiter);
        try
        {
            var arrival = new ArriveAtBarrier
            {
                BarrierId = request.BarrierId,
                Generation = request.Generation,
                ParticipantId = request.ParticipantId,
                ExpectedParticipants = request.ExpectedParticipants.ToArray(),
                TimeoutAt = DateTime.UtcNow + request.Timeout,
            };
            var arrivedAt = Stopwatch.GetTimestamp();
            BarrierOutcome? outcome = null;
            while (outcome is null)
            {
                await _bus.Publish(arrival, cancellationToken).ConfigureAwait(false);
                await AskStateAsync(request, address, cancellationToken).ConfigureAwait(false);
                var remaining = request.Timeout + _options.OutcomeGrace - Stopwatch.GetElapsedTime(arrivedAt);
                if (remaining <= TimeSpan.Zero)
                {
                    break;
                }
                try
                {
                    outcome = await waiter.Outcome.WaitAsync(Min(remaining, _options.ReannounceInterval), cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // Announce again and ask: the saga may not have seen the arrival, or its answer was lost.
                }
            }
            if (outcome is null)
            {
                try
                {
                    outcome = await waiter.Outcome.WaitAsync(Min(_options.OutcomeGrace, TimeSpan.FromSeconds(5)), cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // No verdict from the saga: name who had not arrived when it last answered, or everybody else if it never did.
                    var missing = waiter.LastReport?.Missing
                        ?? request.ExpectedParticipants.Where(p => p != request.ParticipantId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
                    outcome = new BarrierOutcome(false, missing);
                }
            }

            _metrics?.BarrierWaited("broker", Stopwatch.GetElapsedTime(started).TotalSeconds, outcome.Released);
            if (!outcome.Released)
            {
                throw new BarrierTimeoutException(request.BarrierId, request.Generation, outcome.Missing, request.Timeout);
            }
        }
        finally
        {
            Unregister(id, waiter);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_endpoint is not null)
        {
            await _endpoint.StopAsync().ConfigureAwait(false);
        }
        _connecting.Dispose();
    }

    private Task AskStateAsync(BarrierRequest request, Uri address, CancellationToken cancellationToken) =>
        _bus.Publish(new GetBarrierState { BarrierId = request.BarrierId, Generation = request.Generation },
            context => context.ResponseAddress = address, cancellationToken);

    private async Task<Uri> EnsureEndpointAsync(CancellationToken cancellationToken)
    {
        if (_address is not null)
        {
            return _address;
        }
        await _connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_address is null)
            {
                var handle = _bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition(), KebabCaseEndpointNameFormatter.Instance, endpoint =>
                {
                    endpoint.Handler<BarrierReleased>(context =>
                    {
                        Settle(context.Message.BarrierId, context.Message.Generation, new BarrierOutcome(true, []));
                        return Task.CompletedTask;
                    });
                    endpoint.Handler<BarrierTimedOut>(context =>
                    {
                        Settle(context.Message.BarrierId, context.Message.Generation, new BarrierOutcome(false, context.Message.Missing));
                        return Task.CompletedTask;
                    });
                    endpoint.Handler<BarrierStateReported>(context =>
                    {
                        Report(context.Message);
                        return Task.CompletedTask;
                    });
                });
                var ready = await handle.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
                _endpoint = handle;
                _address = ready.InputAddress;
            }
            return _address;
        }
        finally
        {
            _connecting.Release();
        }
    }

    private void Report(BarrierStateReported report)
    {
        switch (report.State)
        {
            case BarrierStateReported.Released:
                Settle(report.BarrierId, report.Generation, new BarrierOutcome(true, []));
                break;
            case BarrierStateReported.TimedOut:
                Settle(report.BarrierId, report.Generation, new BarrierOutcome(false, report.Missing));
                break;
            default:
                foreach (var waiter in WaitersOf(BarrierCorrelation.For(report.BarrierId, report.Generation)))
                {
                    waiter.LastReport = report;
                }
                break;
        }
    }

    private void Settle(string barrierId, long generation, BarrierOutcome outcome)
    {
        foreach (var waiter in WaitersOf(BarrierCorrelation.For(barrierId, generation)))
        {
            waiter.Complete(outcome);
        }
    }

    private Waiter[] WaitersOf(Guid id)
    {
        lock (_gate)
        {
            return _waiters.TryGetValue(id, out var list) ? list.ToArray() : [];
        }
    }

    private void Register(Guid id, Waiter waiter)
    {
        lock (_gate)
        {
            if (!_waiters.TryGetValue(id, out var list))
            {
                _waiters[id] = list = [];
            }
            list.Add(waiter);
        }
    }

    private void Unregister(Guid id, Waiter waiter)
    {
        lock (_gate)
        {
            if (_waiters.TryGetValue(id, out var list) && list.Remove(waiter) && list.Count == 0)
            {
                _waiters.Remove(id);
            }
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private sealed record BarrierOutcome(bool Released, IReadOnlyList<string> Missing);

    private sealed class Waiter
    {
        private readonly TaskCompletionSource<BarrierOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<BarrierOutcome> Outcome => _outcome.Task;

        public volatile BarrierStateReported? LastReport;

        public void Complete(BarrierOutcome outcome) => _outcome.TrySetResult(outcome);
    }
}
