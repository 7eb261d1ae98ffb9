using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NuPlanBus.Contracts;
using NuPlanBus.Hosting.Observability;

namespace NuPlanBus.Coordinator.Runs;

/// <summary>
/// Aggregates a run: created from <see cref="SimulationRunAccepted"/> with the expected scenario set, it
/// publishes the partitions, settles each scenario when its report and its asynchronous callback work have
/// both arrived, and when every scenario is settled writes the run outputs and completes exactly once.
/// </summary>
public sealed class SimulationRunStateMachine : MassTransitStateMachine<SimulationRunState>
{
    private readonly CoordinatorOptions _options;
    private readonly RunDeadlines _deadlines;
    private readonly NuPlanBusMetrics _metrics;

    public SimulationRunStateMachine(
        ILogger<SimulationRunStateMachine> logger,
        IOptions<CoordinatorOptions> options,
        RunDeadlines deadlines,
        NuPlanBusMetrics metrics)
    {
        _metrics = metrics;
        _options = options.Value;
        _deadlines = deadlines;
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
        Event(() => StatusRequested, e =>
        {
            e.CorrelateById(m => m.Message.RunId);
            e.OnMissingInstance(m => m.ExecuteAsync(ctx => ctx.RespondAsync(new RunStatusReported { RunId = ctx.Message.RunId, Status = "unknown" })));
        });
        Event(() => DeadlineReached, e =>
        {
            e.CorrelateById(m => m.Message.RunId);
            e.OnMissingInstance(m => m.Discard());
        });

        Initially(
            When(RunAccepted)
                .Then(ctx => ctx.Saga.Accept(ctx.Message, DateTime.UtcNow, _options.PartitionDeadline))
                .ThenAsync(PublishPartitions)
                .Then(ctx => _deadlines.Update(ctx.Saga.CorrelationId, ctx.Saga.Deadline))
                .TransitionTo(Running)
                .If(ctx => ctx.Saga.AllSettled, done => done.Activity(x => x.OfType<CompleteRunActivity<SimulationRunAccepted>>()).TransitionTo(Completed)));

        During(Running,
            Ignore(RunAccepted),
            When(ScenarioSimulated)
                .Then(ctx =>
                {
                    ctx.Saga.Touch(ctx.Saga.RecordReport(ctx.Message));
                    ExtendPartitionDeadline(ctx.Saga, ctx.Message.ScenarioId);
                })
                .ThenAsync(PublishProgress)
                .If(ctx => ctx.Saga.AllSettled, done => done.Activity(x => x.OfType<CompleteRunActivity<ScenarioSimulated>>()).TransitionTo(Completed)),
            When(MetricsComputed)
                .Then(ctx =>
                {
                    ctx.Saga.Touch(ctx.Saga.RecordMetricsComputed(ctx.Message));
                    if (ctx.Saga.IsMetricRun)
                    {
                        // In a metric run the metric events are the reports.
                        ExtendPartitionDeadline(ctx.Saga, ctx.Message.ScenarioId);
                    }
                })
                .ThenAsync(PublishProgress)
                .If(ctx => ctx.Saga.AllSettled, done => done.Activity(x => x.OfType<CompleteRunActivity<ScenarioMetricsComputed>>()).TransitionTo(Completed)),
            When(MetricsFailed)
                .Then(ctx =>
                {
                    if (!ctx.Saga.IsMetricRun)
                    {
                        logger.LogWarning("Metrics of {ScenarioId} in run {RunId} failed; its report is now failed", ctx.Message.ScenarioId, ctx.Message.RunId);
                        _metrics.ReportFlipped();
                    }
                    ctx.Saga.Touch(ctx.Saga.RecordMetricsFailed(ctx.Message));
                    if (ctx.Saga.IsMetricRun)
                    {
                        // In a metric run the metric events are the reports.
                        ExtendPartitionDeadline(ctx.Saga, ctx.Message.ScenarioId);
                    }
                })
                .ThenAsync(PublishProgress)
                .If(ctx => ctx.Saga.AllSettled, done => done.Activity(x => x.OfType<CompleteRunActivity<ScenarioMetricsFailed>>()).TransitionTo(Completed)),
            When(DeadlineReached)
                .ThenAsync(ctx => HandleDeadlines(ctx, logger))
                .Then(ctx => _deadlines.Update(ctx.Saga.CorrelationId, ctx.Saga.Deadline))
                .ThenAsync(PublishProgress)
                .If(ctx => ctx.Saga.AllSettled, done => done.Activity(x => x.OfType<CompleteRunActivity<RunDeadlineReached>>()).TransitionTo(Completed)));

        DuringAny(When(StatusRequested).RespondAsync(ctx => Task.FromResult(Status(ctx.Saga))));

        WhenEnter(Completed, x => x.Then(ctx => _deadlines.Update(ctx.Saga.CorrelationId, ctx.Saga.Deadline = null)));

        During(Completed,
            Ignore(RunAccepted),
            Ignore(DeadlineReached),
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

    public Event<RunDeadlineReached> DeadlineReached { get; private set; } = null!;

    public Event<GetRunStatus> StatusRequested { get; private set; } = null!;

    private RunStatusReported Status(SimulationRunState saga) => new()
    {
        RunId = saga.CorrelationId,
        Status = saga.CurrentState == Completed.Name ? "completed" : "running",
        RunName = saga.RunName,
        OutputDirectory = saga.OutputDirectory,
        Expected = saga.Expected,
        Settled = saga.Settled,
        Succeeded = saga.SucceededCount,
        Failed = saga.FailedCount,
        StartedAt = saga.StartedAt,
        CompletedAt = saga.CompletedAt,
    };

    /// <summary>
    /// Re-publishes the unreported scenarios of every partition whose deadline passed, or — after the last
    /// attempt — fails them with the reason, so no scenario is ever silently missing and no run hangs.
    /// </summary>
    private async Task HandleDeadlines(BehaviorContext<SimulationRunState, RunDeadlineReached> ctx, ILogger logger)
    {
        var saga = ctx.Saga;
        var at = ctx.Message.At;
        var settled = false;
        foreach (var partition in saga.DuePartitions(at))
        {
            if (partition.Attempts < _options.MaxPartitionAttempts)
            {
                var missing = saga.Retry(partition, at + _options.PartitionDeadline);
                logger.LogWarning(
                    "Partition {Partition} of run {RunId} missed its deadline; re-publishing {Count} scenarios (attempt {Attempt})",
                    partition.Index, saga.CorrelationId, missing.Count, partition.Attempts);
                await PublishWork(ctx, partition.Index, partition.Attempts, missing.Select(s => s.Descriptor).ToList());
                continue;
            }
            var reason = $"Partition {partition.Index} did not report within {_options.PartitionDeadline} after {partition.Attempts} attempts; its worker was lost or hung.";
            var failed = saga.FailUnreported(partition, reason, at.Subtract(DateTime.UnixEpoch).TotalSeconds);
            logger.LogError("Run {RunId}: {Reason} Failing {Count} scenarios.", saga.CorrelationId, reason, failed);
            settled = true;
        }
        saga.Touch(settled);
    }

    private static async Task PublishPartitions(BehaviorContext<SimulationRunState, SimulationRunAccepted> ctx)
    {
        foreach (var partition in ctx.Saga.Partitions())
        {
            await PublishWork(ctx, partition.Index, attempt: 1, partition.Scenarios);
        }
    }

    /// <summary>
    /// Sends the work of a partition: one message to a SimWorker for a simulation run, one message per stored log to the
    /// MetricWorkers for a metric run.
    /// </summary>
    private static async Task PublishWork(BehaviorContext<SimulationRunState> ctx, int partition, int attempt, IReadOnlyList<ScenarioDescriptor> scenarios)
    {
        var saga = ctx.Saga;
        if (!saga.IsMetricRun)
        {
            await ctx.Publish(new SimulateScenarioPartition
            {
                RunId = saga.CorrelationId,
                PartitionIndex = partition,
                Attempt = attempt,
                OutputDirectory = saga.OutputDirectory,
                Simulation = saga.Simulation,
                Scenarios = scenarios,
            });
            return;
        }
        foreach (var scenario in scenarios)
        {
            await ctx.Publish(new ComputeScenarioMetrics
            {
                RunId = saga.CorrelationId,
                ScenarioId = scenario.ScenarioId,
                SimulationLogPath = scenario.SimulationLogPath
                    ?? throw new InvalidOperationException($"Scenario {scenario.ScenarioId} of metric run {saga.CorrelationId} has no simulation log."),
                MetricsDirectory = NuPlanBus.Common.Experiments.RunLayout.MetricsDirectory(saga.OutputDirectory),
                Metrics = saga.Simulation.Metrics,
                Maps = saga.Simulation.Maps,
            });
        }
    }

    /// <summary>A scenario's report proves its partition alive: the partition's deadline moves forward.</summary>
    private void ExtendPartitionDeadline(SimulationRunState saga, string scenarioId)
    {
        saga.ExtendDeadline(scenarioId, DateTime.UtcNow, _options.PartitionDeadline);
        _deadlines.Update(saga.CorrelationId, saga.Deadline);
    }

    private Task PublishProgress<T>(BehaviorContext<SimulationRunState, T> ctx)
        where T : class
    {
        if (!ctx.Saga.SettledChanged)
        {
            return Task.CompletedTask;
        }
        _metrics.RunProgress(ctx.Saga.RunName, ctx.Saga.Expected, ctx.Saga.Settled);
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
