using MassTransit;
using NuPlanBus.Common.Experiments;
using NuPlanBus.Contracts;

namespace NuPlanBus.Coordinator.Runs;

/// <summary>
/// The run saga's state. Per-scenario progress is a map keyed by the stable scenario id, so a redelivered
/// or duplicated event can never count a scenario twice.
/// </summary>
public sealed class SimulationRunState : SagaStateMachineInstance, ISagaVersion, NuPlanBus.Persistence.ISagaDeadline
{
    public Guid CorrelationId { get; set; }

    public int Version { get; set; }

    public string CurrentState { get; set; } = "";

    public string RunName { get; set; } = "";

    /// <summary><see cref="RunKinds.Simulation"/>, or <see cref="RunKinds.Metrics"/> for a run over stored simulation logs.</summary>
    public string Kind { get; set; } = RunKinds.Simulation;

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsMetricRun => Kind == RunKinds.Metrics;

    /// <summary>Set when this run is one node's share of a batch job: it writes only that node's part of the outputs.</summary>
    public int? NodeRank { get; set; }

    public string OutputDirectory { get; set; } = "";

    public SimulationSpec Simulation { get; set; } = new();

    public DateTime StartedAt { get; set; }

    public DateTime? CompletedAt { get; set; }

    public int PartitionSize { get; set; } = 1;

    public Dictionary<string, ScenarioProgress> Scenarios { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Delivery bookkeeping per partition index: attempts and the deadline of the current attempt.</summary>
    public Dictionary<int, PartitionProgress> PartitionStates { get; set; } = new();

    /// <summary>The earliest deadline of a partition that still has unreported scenarios; null when none is open.</summary>
    public DateTime? Deadline { get; set; }

    public void RecomputeDeadline() =>
        Deadline = PartitionStates
            .Where(p => Scenarios.Values.Any(s => s.Partition == p.Key && s.Report is null))
            .Select(p => (DateTime?)p.Value.Deadline)
            .Min();

    /// <summary>A report from a partition proves it is alive: its deadline moves forward.</summary>
    public void ExtendDeadline(string scenarioId, DateTime now, TimeSpan allowance)
    {
        if (Scenarios.TryGetValue(scenarioId, out var scenario) && PartitionStates.TryGetValue(scenario.Partition, out var partition))
        {
            partition.Deadline = now + allowance;
            RecomputeDeadline();
        }
    }

    /// <summary>Whether the event being handled settled a scenario; not persisted meaningfully, reset per event.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool SettledChanged { get; private set; }

    public void Touch(bool settledChanged) => SettledChanged = settledChanged;

    /// <summary>The scenarios grouped by partition index, in the order they were accepted.</summary>
    public IEnumerable<(int Index, IReadOnlyList<ScenarioDescriptor> Scenarios)> Partitions() =>
        Scenarios.Values
            .GroupBy(s => s.Partition)
            .OrderBy(g => g.Key)
            .Select(g => (g.Key, (IReadOnlyList<ScenarioDescriptor>)g.Select(s => s.Descriptor).ToList()));

    public int Expected => Scenarios.Count;

    public int Settled => Scenarios.Values.Count(s => s.IsSettled);

    public int SucceededCount => Scenarios.Values.Count(s => s.IsSettled && s.Report!.Succeeded);

    public int FailedCount => Scenarios.Values.Count(s => s.IsSettled && !s.Report!.Succeeded);

    public bool AllSettled => Scenarios.Values.All(s => s.IsSettled);

    public RunStatus Status => CompletedAt is null ? RunStatus.Ongoing : RunStatus.Completed;

    /// <summary>Records a runner report; returns whether the scenario became settled by it.</summary>
    public bool RecordReport(ScenarioSimulated message)
    {
        if (!Scenarios.TryGetValue(message.ScenarioId, out var scenario) || scenario.Report is not null)
        {
            return false;
        }
        var wasSettled = scenario.IsSettled;
        scenario.Report = message.Report;
        scenario.SimulationLogPath = message.SimulationLogPath;
        if (!message.MetricsRequested)
        {
            scenario.Metrics = MetricsOutcome.NotRequested;
        }
        else if (scenario.Metrics == MetricsOutcome.Failed)
        {
            // The callback failed before the report arrived: apply the flip now.
            scenario.Report = Flip(scenario.Report, scenario.MetricsError!, scenario.MetricsFailedAt!.Value);
        }
        return !wasSettled && scenario.IsSettled;
    }

    public bool RecordMetricsComputed(ScenarioMetricsComputed message)
    {
        if (!Scenarios.TryGetValue(message.ScenarioId, out var scenario) || scenario.Metrics != MetricsOutcome.Pending)
        {
            return false;
        }
        var wasSettled = scenario.IsSettled;
        scenario.Metrics = MetricsOutcome.Succeeded;
        scenario.Scores = new Dictionary<string, double>(message.Scores);
        if (IsMetricRun)
        {
            // The devkit's MetricRunner report: the metric work's own times, no planner report.
            var end = message.EndTime ?? message.StartTime ?? 0;
            scenario.Report = ReportFor(scenario.Descriptor, succeeded: true, error: null, message.StartTime ?? end, end);
        }
        return !wasSettled && scenario.IsSettled;
    }

    /// <summary>
    /// A runner report the saga writes itself: a log of a metric run (the devkit's MetricRunner report, no planner
    /// statistics), or a scenario whose partition was lost.
    /// </summary>
    public RunnerReportRecord ReportFor(ScenarioDescriptor descriptor, bool succeeded, string? error, double start, double end) => new()
    {
        Succeeded = succeeded,
        ErrorMessage = error,
        StartTime = start,
        EndTime = end,
        ScenarioName = descriptor.Token,
        PlannerName = descriptor.PlannerName ?? Simulation.Planner,
        LogName = descriptor.LogName,
        ScenarioType = descriptor.ScenarioType,
    };

    /// <summary>
    /// nuPlan's "succeeded, then failed later": a failed callback flips the scenario's report to failed with
    /// the callback's trace and a new end time.
    /// </summary>
    public bool RecordMetricsFailed(ScenarioMetricsFailed message)
    {
        if (!Scenarios.TryGetValue(message.ScenarioId, out var scenario) || scenario.Metrics != MetricsOutcome.Pending)
        {
            return false;
        }
        var wasSettled = scenario.IsSettled;
        scenario.Metrics = MetricsOutcome.Failed;
        scenario.MetricsError = message.ErrorMessage;
        scenario.MetricsFailedAt = message.FailedAt;
        if (IsMetricRun)
        {
            scenario.Report = ReportFor(scenario.Descriptor, succeeded: false, message.ErrorMessage, message.StartTime ?? message.FailedAt, message.FailedAt);
        }
        else if (scenario.Report is not null)
        {
            scenario.Report = Flip(scenario.Report, message.ErrorMessage, message.FailedAt);
        }
        return !wasSettled && scenario.IsSettled;
    }

    private static RunnerReportRecord Flip(RunnerReportRecord report, string error, double failedAt) =>
        report with { Succeeded = false, ErrorMessage = error, EndTime = failedAt };
}

public sealed class PartitionProgress
{
    public int Attempts { get; set; }

    public DateTime Deadline { get; set; }
}

public enum MetricsOutcome
{
    Pending,
    NotRequested,
    Succeeded,
    Failed,
}

public sealed class ScenarioProgress
{
    public required ScenarioDescriptor Descriptor { get; set; }

    public int Partition { get; set; }

    public RunnerReportRecord? Report { get; set; }

    public string? SimulationLogPath { get; set; }

    public MetricsOutcome Metrics { get; set; } = MetricsOutcome.Pending;

    public string? MetricsError { get; set; }

    public double? MetricsFailedAt { get; set; }

    public Dictionary<string, double> Scores { get; set; } = new(StringComparer.Ordinal);

    public bool IsSettled => Report is not null && Metrics != MetricsOutcome.Pending;

    public WorkTaskStatus Status => this switch
    {
        { IsSettled: true, Report.Succeeded: true } => WorkTaskStatus.Completed,
        { IsSettled: true } => WorkTaskStatus.Failed,
        { Report: not null } => WorkTaskStatus.InProgress,
        _ => WorkTaskStatus.Scheduled,
    };
}
