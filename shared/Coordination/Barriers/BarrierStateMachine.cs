using MassTransit;
using Microsoft.Extensions.Logging;
using NuPlanBus.Contracts;
using NuPlanBus.Persistence.Sagas;

namespace NuPlanBus.Coordination.Barriers;

/// <summary>
/// A broker-backed barrier: one instance per (barrier id, generation) collects arrivals and publishes exactly one
/// <see cref="BarrierReleased"/> once every expected participant arrived, or one <see cref="BarrierTimedOut"/> naming the
/// missing participants when the deadline watchdog reports the deadline passed. It answers <see cref="GetBarrierState"/>
/// in every state (and for generations nobody arrived at), so a participant that restarted or arrived after the outcome
/// (its outcome event was published before it listened) still learns it. Instances stay after the outcome for that reason.
/// </summary>
public sealed class BarrierStateMachine : MassTransitStateMachine<BarrierState>
{
    public BarrierStateMachine(ILogger<BarrierStateMachine> logger)
    {
        InstanceState(x => x.CurrentState);

        Event(() => Arrived, e =>
        {
            e.CorrelateById(m => BarrierCorrelation.For(m.Message.BarrierId, m.Message.Generation));
            e.SetSagaFactory(m => new BarrierState
            {
                CorrelationId = BarrierCorrelation.For(m.Message.BarrierId, m.Message.Generation),
                BarrierId = m.Message.BarrierId,
                Generation = m.Message.Generation,
                Expected = m.Message.ExpectedParticipants.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                CreatedAt = DateTime.UtcNow,
            });
        });
        Event(() => DeadlineReached, e =>
        {
            e.CorrelateById(m => m.Message.BarrierCorrelationId);
            e.OnMissingInstance(m => m.Discard());
        });
        Event(() => StateRequested, e =>
        {
            e.CorrelateById(m => BarrierCorrelation.For(m.Message.BarrierId, m.Message.Generation));
            e.OnMissingInstance(m => m.ExecuteAsync(ctx => ctx.RespondAsync(new BarrierStateReported
            {
                BarrierId = ctx.Message.BarrierId,
                Generation = ctx.Message.Generation,
                State = BarrierStateReported.Unknown,
            })));
        });

        Initially(
            When(Arrived)
                .Then(ctx => Record(ctx, logger))
                .TransitionTo(Waiting)
                .If(ctx => ctx.Saga.IsComplete, done => done.Publish(ctx => ReleaseOf(ctx.Saga)).TransitionTo(Released)));

        During(Waiting,
            When(Arrived)
                .Then(ctx => Record(ctx, logger))
                .If(ctx => ctx.Saga.IsComplete, done => done.Publish(ctx => ReleaseOf(ctx.Saga)).TransitionTo(Released)),
            When(DeadlineReached)
                .If(ctx => ctx.Saga.Deadline is { } deadline && deadline <= DateTime.UtcNow, due => due
                    .Then(ctx => logger.LogWarning("Barrier {Barrier} generation {Generation} timed out; missing {Missing}",
                        ctx.Saga.BarrierId, ctx.Saga.Generation, string.Join(", ", ctx.Saga.Missing)))
                    .Publish(ctx => new BarrierTimedOut
                    {
                        BarrierId = ctx.Saga.BarrierId,
                        Generation = ctx.Saga.Generation,
                        Missing = ctx.Saga.Missing,
                    })
                    .TransitionTo(TimedOut)));

        WhenEnter(Released, x => x.Then(ctx => Settle(ctx.Saga)));
        WhenEnter(TimedOut, x => x.Then(ctx => Settle(ctx.Saga)));

        // The outcome is final: later (duplicate, restarted, late) arrivals change nothing; they learn the outcome by asking.
        During(Released, Ignore(Arrived), Ignore(DeadlineReached));
        During(TimedOut, Ignore(Arrived), Ignore(DeadlineReached));

        DuringAny(When(StateRequested).RespondAsync(ctx => Task.FromResult(Report(ctx.Saga))));
    }

    public State Waiting { get; private set; } = null!;

    /// <summary>Every expected participant arrived.</summary>
    public State Released { get; private set; } = null!;

    public State TimedOut { get; private set; } = null!;

    public Event<ArriveAtBarrier> Arrived { get; private set; } = null!;

    public Event<BarrierDeadlineReached> DeadlineReached { get; private set; } = null!;

    public Event<GetBarrierState> StateRequested { get; private set; } = null!;

    private static void Record(BehaviorContext<BarrierState, ArriveAtBarrier> ctx, ILogger logger)
    {
        var message = ctx.Message;
        if (!ctx.Saga.Expected.Contains(message.ParticipantId, StringComparer.Ordinal))
        {
            logger.LogWarning("{Participant} is not expected at barrier {Barrier} generation {Generation}; its arrival does not count",
                message.ParticipantId, message.BarrierId, message.Generation);
        }
        ctx.Saga.RecordArrival(message.ParticipantId, message.TimeoutAt);
    }

    private static void Settle(BarrierState saga)
    {
        saga.Deadline = null;
        saga.SettledAt = DateTime.UtcNow;
    }

    private static BarrierReleased ReleaseOf(BarrierState saga) => new()
    {
        BarrierId = saga.BarrierId,
        Generation = saga.Generation,
        Participants = saga.Arrived.ToArray(),
    };

    private BarrierStateReported Report(BarrierState saga) => new()
    {
        BarrierId = saga.BarrierId,
        Generation = saga.Generation,
        State = saga.CurrentState == nameof(Released) ? BarrierStateReported.Released
            : saga.CurrentState == nameof(TimedOut) ? BarrierStateReported.TimedOut
            : BarrierStateReported.Waiting,
        Arrived = saga.Arrived.ToArray(),
        Missing = saga.Missing,
    };
}

/// <summary>Retries lost races around an in-memory outbox, so a losing attempt publishes no release.</summary>
public sealed class BarrierStateDefinition : PersistentSagaDefinition<BarrierState>;
