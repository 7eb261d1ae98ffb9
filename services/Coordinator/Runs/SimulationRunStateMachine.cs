using MassTransit;
using Microsoft.Extensions.Logging;
using NuPlanBus.Contracts;

namespace NuPlanBus.Coordinator.Runs;

/// <summary>
/// Aggregates a run: created from <see cref="SimulationRunAccepted"/> with the expected scenario set, it
/// publishes the partitions, settles each scenario when its report and its asynchronous callback work have
/// both arrived, and when every scenario is settled writes the run outputs and completes exactly once.
/// </summary>
public sealed class SimulationRunStateMachine : MassTransitStateMachine<SimulationRunState>
{
    public SimulationRunStateMachine(ILogger<SimulationRunStateMachine> logger)
    {
        InstanceState(x => x.CurrentState);

        Event(() => RunAccepted, e => e.CorrelateById(m => m.Message.RunId));
        Event(() => ScenarioSimulated, e =>
        {
            e.CorrelateById(m => m.Message.RunId);
            e.OnMissingInstance(m => m.Fault());
        });
        Event(() => MetricsComputed, e =>
        {
            e.CorrelateById(m => m.Message.RunId);
            e.OnMissingInstance(m => m.Fault());
        });
        Event(() => MetricsFailed, e =>
        {
            e.CorrelateById(m => m.Message.RunId);
            e.OnMissingInstance(m => m.Fault());
        });

        Initially(
            When(RunAccepted)
                .Then(ctx => Start(ctx.Saga, ctx.Message))
                .ThenAsync(PublishPartitions)
                .TransitionTo(Running)
                .If(ctx => ctx.Saga.AllSettled, done => done.Activity(x => x.OfType<CompleteRunActivity<SimulationRunAccepted>>()).TransitionTo(Completed)));

        During(Running,
            Ignore(RunAccepted),
            When(ScenarioSimulated)
                .Then(ctx => ctx.Saga.Touch(ctx.Saga.RecordReport(ctx.Message)))
                .ThenAsync(PublishProgress)
                .If(ctx => ctx.Saga.AllSettled, done => done.Activity(x => x.OfType<CompleteRunActivity<ScenarioSimulated>>()).TransitionTo(Completed)),
            When(MetricsComputed)
                .Then(ctx => ctx.Saga.Touch(ctx.Saga.RecordMetricsComputed(ctx.Message)))
                .ThenAsync(PublishProgress)
                .If(ctx => ctx.Saga.AllSettled, done => done.Activity(x => x.OfType<CompleteRunActivity<ScenarioMetricsComputed>>()).TransitionTo(Completed)),
            When(MetricsFailed)
                .Then(ctx =>
                {
                    logger.LogWarning("Metrics of {ScenarioId} in run {RunId} failed; its report is now failed", ctx.Message.ScenarioId, ctx.Message.RunId);
                    ctx.Saga.Touch(ctx.Saga.RecordMetricsFailed(ctx.Message));
                })
                .ThenAsync(PublishProgress)
                .If(ctx => ctx.Saga.AllSettled, done => done.Activity(x => x.OfType<CompleteRunActivity<ScenarioMetricsFailed>>()).TransitionTo(Completed)));

        During(Completed,
            Ignore(RunAccepted),
            Ignore(ScenarioSimulated),
            Ignore(MetricsComputed),
            Ignore(MetricsFailed));
    }

    public State Running { get; private set; } = null!;

    public State Completed { get; private set; } = null!;

    public Event<SimulationRunAccepted> RunAccepted { get; private set; } = null!;

    public Event<ScenarioSimulated> ScenarioSimulated { get; private set; } = null!;

    public Event<ScenarioMetricsComputed> MetricsComputed { get; private set; } = null!;

    public Event<ScenarioMetricsFailed> MetricsFailed { get; private set; } = null!;

    private static void Start(SimulationRunState saga, SimulationRunAccepted message)
    {
        saga.RunName = message.RunName;
        saga.OutputDirectory = message.OutputDirectory;
        saga.Simulation = message.Simulation;
        saga.StartedAt = message.AcceptedAt;
        saga.PartitionSize = message.PartitionSize;
        var index = 0;
        foreach (var scenario in message.Scenarios)
        {
            saga.Scenarios.TryAdd(scenario.ScenarioId, new ScenarioProgress { Descriptor = scenario, Partition = index++ / message.PartitionSize });
        }
    }

    private static async Task PublishPartitions(BehaviorContext<SimulationRunState, SimulationRunAccepted> ctx)
    {
        foreach (var partition in ctx.Saga.Partitions())
        {
            await ctx.Publish(new SimulateScenarioPartition
            {
                RunId = ctx.Saga.CorrelationId,
                PartitionIndex = partition.Index,
                OutputDirectory = ctx.Saga.OutputDirectory,
                Simulation = ctx.Saga.Simulation,
                Scenarios = partition.Scenarios,
            });
        }
    }

    private static Task PublishProgress<T>(BehaviorContext<SimulationRunState, T> ctx)
        where T : class
    {
        if (!ctx.Saga.SettledChanged)
        {
            return Task.CompletedTask;
        }
        return ctx.Publish(new SimulationRunProgressed
        {
            RunId = ctx.Saga.CorrelationId,
            Expected = ctx.Saga.Expected,
            Settled = ctx.Saga.Settled,
            Succeeded = ctx.Saga.SucceededCount,
            Failed = ctx.Saga.FailedCount,
            StartedAt = ctx.Saga.StartedAt,
        });
    }
}
