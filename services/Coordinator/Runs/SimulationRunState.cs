using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using NuPlanBus.Common.Experiments;
using NuPlanBus.Contracts;
using NuPlanBus.Persistence;

namespace NuPlanBus.Coordinator.Runs;

/// <summary>
/// The run saga's state. Per-scenario progress is a map keyed by the stable scenario id, so a redelivered
/// or duplicated event can never count a scenario twice. The scenarios and partitions are stored as items, one row
/// each (<see cref="ISagaItems"/>): an event writes the state's small row and the rows it changed, and the counters,
/// the partition of each scenario and the index of open deadlines are kept up to date, so an event's work and bytes
/// do not grow with the run.
/// </summary>
public sealed class SimulationRunState : SagaStateMachineInstance, ISagaVersion, ISagaDeadline, ISagaItems
{
    private const string ScenarioKey = "s:";
    private const string PartitionKey = "p:";

    private readonly Dictionary<int, List<ScenarioProgress>> _byPartition = [];
    private readonly SortedSet<(DateTime Deadline, int Partition)> _openDeadlines = [];
    private readonly HashSet<string> _changedScenarios = new(StringComparer.Ordinal);
    private readonly HashSet<int> _changedPartitions = [];

    public Guid CorrelationId { get; set; }

    public int Version { get; set; }

    public string CurrentState { get; set; } = "";

    public string RunName { get; set; } = "";

    /// <summary><see cref="RunKinds.Simulation"/>, or <see cref="RunKinds.Metrics"/> for a run over stored simulation logs.</summary>
    public string Kind { get; set; } = RunKinds.Simulation;

    [JsonIgnore]
    public bool IsMetricRun => Kind == RunKinds.Metrics;

    /// <summary>Set when this run is one node's share of a batch job: it writes only that node's part of the outputs.</summary>
    public int? NodeRank { get; set; }

    public string OutputDirectory { get; set; } = "";

    public SimulationSpec Simulation { get; set; } = new();

    public DateTime StartedAt { get; set; }

    public DateTime? CompletedAt { get; set; }

    public int PartitionSize { get; set; } = 1;

    /// <summary>The run's scenarios in the order they were accepted (stored as items, not in the state's row).</summary>
    [JsonIgnore]
    public Dictionary<string, ScenarioProgress> Scenarios { get; } = new(StringComparer.Ordinal);

    /// <summary>Delivery bookkeeping per partition index (stored as items).</summary>
    [JsonIgnore]
    public Dictionary<int, PartitionProgress> PartitionStates { get; } = [];

    /// <summary>The earliest deadline of a partition that still has unreported scenarios; null when none is open.</summary>
    public DateTime? Deadline { get; set; }

    /// <summary>Whether the event being handled settled a scenario; not persisted meaningfully, reset per event.</summary>
    [JsonIgnore]
    public bool SettledChanged { get; private set; }

    public void Touch(bool settledChanged) => SettledChanged = settledChanged;

    public int Expected => Scenarios.Count;

    [JsonInclude]
    public int Settled { get; private set; }

    [JsonInclude]
    public int SucceededCount { get; private set; }

    [JsonInclude]
    public int FailedCount { get; private set; }

    public bool AllSettled => Settled == Expected;

    public RunStatus Status => CompletedAt is null ? RunStatus.Ongoing : RunStatus.Completed;

    /// <summary>Starts the run: every scenario scheduled in its partition, every partition's first deadline set.</summary>
    public void Accept(SimulationRunAccepted message, DateTime now, TimeSpan deadline)
    {
        RunName = message.RunName;
        Kind = message.Kind;
        NodeRank = message.NodeRank;
        OutputDirectory = message.OutputDirectory;
        Simulation = message.Simulation;
        StartedAt = message.AcceptedAt;
        PartitionSize = message.PartitionSize;
        // The run's order (the devkit's, by token) stays in Sequence; partitions take the scenarios by log and anchor
        // time, so a SimWorker loads neighbouring windows of a log from one pass over its rows.
        var accepted = message.Scenarios.Select((scenario, sequence) => new ScenarioProgress { Descriptor = scenario, Sequence = sequence }).ToArray();
        var byLog = accepted.ToArray();
        Array.Sort(byLog, PartitionOrder);
        for (var position = 0; position < byLog.Length; position++)
        {
            byLog[position].Partition = position / message.PartitionSize;
        }
        foreach (var progress in accepted)
        {
            if (Scenarios.TryAdd(progress.Descriptor.ScenarioId, progress))
            {
                _changedScenarios.Add(progress.Descriptor.ScenarioId);
            }
        }
        foreach (var group in Scenarios.Values.GroupBy(s => s.Partition))
        {
            PartitionStates[group.Key] = new PartitionProgress { Index = group.Key, Attempts = 1, Deadline = now + deadline, Open = group.Count() };
            _changedPartitions.Add(group.Key);
        }
        BuildIndexes();
    }

    /// <summary>The scenarios grouped by partition index, each partition's by log and anchor time.</summary>
    public IEnumerable<(int Index, IReadOnlyList<ScenarioDescriptor> Scenarios)> Partitions() =>
        _byPartition.OrderBy(p => p.Key).Select(p => (p.Key, (IReadOnlyList<ScenarioDescriptor>)p.Value.Select(s => s.Descriptor).ToList()));

    /// <summary>A report from a partition proves it is alive: its deadline moves forward.</summary>
    public void ExtendDeadline(string scenarioId, DateTime now, TimeSpan allowance)
    {
        if (Scenarios.TryGetValue(scenarioId, out var scenario) && PartitionStates.TryGetValue(scenario.Partition, out var partition))
        {
            MoveDeadline(partition, now + allowance);
        }
    }

    /// <summary>The partitions with unreported scenarios whose deadline is at or before <paramref name="at"/>, earliest first.</summary>
    public IReadOnlyList<PartitionProgress> DuePartitions(DateTime at) =>
        [.. _openDeadlines.TakeWhile(d => d.Deadline <= at).Select(d => PartitionStates[d.Partition])];

    /// <summary>The scenarios of a partition that have no report yet.</summary>
    public IReadOnlyList<ScenarioProgress> Unreported(int partition) =>
        _byPartition.TryGetValue(partition, out var scenarios) ? [.. scenarios.Where(s => s.Report is null)] : [];

    /// <summary>Starts another attempt of a partition whose deadline passed; returns its unreported scenarios.</summary>
    public IReadOnlyList<ScenarioProgress> Retry(PartitionProgress partition, DateTime deadline)
    {
        partition.Attempts++;
        MoveDeadline(partition, deadline);
        return Unreported(partition.Index);
    }

    /// <summary>Fails the unreported scenarios of a partition that is out of attempts, with the reason; returns how many.</summary>
    public int FailUnreported(PartitionProgress partition, string reason, double at)
    {
        var missing = Unreported(partition.Index);
        foreach (var scenario in missing)
        {
            Change(scenario, s =>
            {
                s.Report = ReportFor(s.Descriptor, succeeded: false, reason, at, at);
                s.Metrics = MetricsOutcome.NotRequested;
            });
        }
        return missing.Count;
    }

    /// <summary>Records a runner report; returns whether the scenario became settled by it.</summary>
    public bool RecordReport(ScenarioSimulated message)
    {
        if (!Scenarios.TryGetValue(message.ScenarioId, out var scenario) || scenario.Report is not null)
        {
            return false;
        }
        return Change(scenario, s =>
        {
            s.Report = message.Report;
            s.SimulationLogPath = message.SimulationLogPath;
            if (!message.MetricsRequested)
            {
                s.Metrics = MetricsOutcome.NotRequested;
            }
            else if (s.Metrics == MetricsOutcome.Failed)
            {
                // The callback failed before the report arrived: apply the flip now.
                s.Report = Flip(s.Report, s.MetricsError!, s.MetricsFailedAt!.Value);
            }
        });
    }

    public bool RecordMetricsComputed(ScenarioMetricsComputed message)
    {
        if (!Scenarios.TryGetValue(message.ScenarioId, out var scenario) || scenario.Metrics != MetricsOutcome.Pending)
        {
            return false;
        }
        return Change(scenario, s =>
        {
            s.Metrics = MetricsOutcome.Succeeded;
            s.Scores = new Dictionary<string, double>(message.Scores);
            if (IsMetricRun)
            {
                // The devkit's MetricRunner report: the metric work's own times, no planner report.
                var end = message.EndTime ?? message.StartTime ?? 0;
                s.Report = ReportFor(s.Descriptor, succeeded: true, error: null, message.StartTime ?? end, end);
            }
        });
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
        return Change(scenario, s =>
        {
            s.Metrics = MetricsOutcome.Failed;
            s.MetricsError = message.ErrorMessage;
            s.MetricsFailedAt = message.FailedAt;
            if (IsMetricRun)
            {
                s.Report = ReportFor(s.Descriptor, succeeded: false, message.ErrorMessage, message.StartTime ?? message.FailedAt, message.FailedAt);
            }
            else if (s.Report is not null)
            {
                s.Report = Flip(s.Report, message.ErrorMessage, message.FailedAt);
            }
        });
    }

    private static RunnerReportRecord Flip(RunnerReportRecord report, string error, double failedAt) =>
        report with { Succeeded = false, ErrorMessage = error, EndTime = failedAt };

    /// <summary>
    /// Applies a change to a scenario and keeps what is derived from it current: the changed-item set, the open count
    /// and deadline of its partition, and the settled counters. A settled scenario never changes again (every record
    /// method checks), so each scenario is counted once. Returns whether the change settled it.
    /// </summary>
    private bool Change(ScenarioProgress scenario, Action<ScenarioProgress> change)
    {
        var wasSettled = scenario.IsSettled;
        var wasReported = scenario.Report is not null;
        change(scenario);
        _changedScenarios.Add(scenario.Descriptor.ScenarioId);
        if (!wasReported && scenario.Report is not null && PartitionStates.TryGetValue(scenario.Partition, out var partition))
        {
            _openDeadlines.Remove((partition.Deadline, partition.Index));
            partition.Open--;
            _changedPartitions.Add(partition.Index);
            if (partition.Open > 0)
            {
                _openDeadlines.Add((partition.Deadline, partition.Index));
            }
            Deadline = EarliestOpenDeadline();
        }
        if (wasSettled || !scenario.IsSettled)
        {
            return false;
        }
        Settled++;
        if (scenario.Report!.Succeeded)
        {
            SucceededCount++;
        }
        else
        {
            FailedCount++;
        }
        return true;
    }

    private void MoveDeadline(PartitionProgress partition, DateTime deadline)
    {
        var open = _openDeadlines.Remove((partition.Deadline, partition.Index));
        partition.Deadline = deadline;
        if (open)
        {
            _openDeadlines.Add((deadline, partition.Index));
        }
        _changedPartitions.Add(partition.Index);
        Deadline = EarliestOpenDeadline();
    }

    private DateTime? EarliestOpenDeadline() => _openDeadlines.Count == 0 ? null : _openDeadlines.Min.Deadline;

    /// <summary>By log, then anchor time, then the run's order.</summary>
    private static int PartitionOrder(ScenarioProgress a, ScenarioProgress b)
    {
        var log = string.CompareOrdinal(a.Descriptor.LogPath, b.Descriptor.LogPath);
        if (log != 0)
        {
            return log;
        }
        var time = a.Descriptor.AnchorTimestampUs.CompareTo(b.Descriptor.AnchorTimestampUs);
        return time != 0 ? time : a.Sequence.CompareTo(b.Sequence);
    }

    private void BuildIndexes()
    {
        _byPartition.Clear();
        foreach (var scenario in Scenarios.Values)
        {
            if (!_byPartition.TryGetValue(scenario.Partition, out var members))
            {
                _byPartition[scenario.Partition] = members = [];
            }
            members.Add(scenario);
        }
        foreach (var members in _byPartition.Values)
        {
            members.Sort(PartitionOrder);
        }
        _openDeadlines.Clear();
        foreach (var partition in PartitionStates.Values.Where(p => p.Open > 0))
        {
            _openDeadlines.Add((partition.Deadline, partition.Index));
        }
        Deadline = EarliestOpenDeadline();
    }

    public IReadOnlyList<SagaItem> TakeChangedItems(JsonSerializerOptions json)
    {
        var items = new List<SagaItem>(_changedScenarios.Count + _changedPartitions.Count);
        foreach (var id in _changedScenarios)
        {
            items.Add(new SagaItem(ScenarioKey + id, JsonSerializer.Serialize(Scenarios[id], json)));
        }
        foreach (var index in _changedPartitions)
        {
            items.Add(new SagaItem(PartitionKey + index.ToString(CultureInfo.InvariantCulture), JsonSerializer.Serialize(PartitionStates[index], json)));
        }
        _changedScenarios.Clear();
        _changedPartitions.Clear();
        return items;
    }

    public void RestoreItems(IReadOnlyList<SagaItem> items, JsonSerializerOptions json)
    {
        var scenarios = new List<ScenarioProgress>();
        foreach (var item in items)
        {
            if (item.Key.StartsWith(ScenarioKey, StringComparison.Ordinal))
            {
                scenarios.Add(JsonSerializer.Deserialize<ScenarioProgress>(item.Json, json)!);
            }
            else if (item.Key.StartsWith(PartitionKey, StringComparison.Ordinal))
            {
                var partition = JsonSerializer.Deserialize<PartitionProgress>(item.Json, json)!;
                PartitionStates[partition.Index] = partition;
            }
            else
            {
                throw new SagaException($"Run {CorrelationId} has a stored item '{item.Key}' that is neither a scenario nor a partition", typeof(SimulationRunState), CorrelationId);
            }
        }
        foreach (var scenario in scenarios.OrderBy(s => s.Sequence))
        {
            Scenarios[scenario.Descriptor.ScenarioId] = scenario;
        }
        BuildIndexes();
    }
}

public sealed class PartitionProgress
{
    public int Index { get; set; }

    public int Attempts { get; set; }

    public DateTime Deadline { get; set; }

    /// <summary>How many of the partition's scenarios have no report yet.</summary>
    public int Open { get; set; }
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

    /// <summary>The scenario's position in the accepted run, which orders the run's outputs.</summary>
    public int Sequence { get; set; }

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
