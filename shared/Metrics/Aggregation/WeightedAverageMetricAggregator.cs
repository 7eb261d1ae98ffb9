using System.Globalization;
using NuPlanBus.Domain.IO;
using NuPlanBus.Metrics.Engine;
using NuPlanBus.Metrics.Evaluation;
using NuPlanBus.Metrics.Output;
using Parquet.Schema;
using Parquet.Serialization;

namespace NuPlanBus.Metrics.Aggregation;

/// <summary>What a row of the aggregated table stands for.</summary>
public enum AggregatedRowKind
{
    /// <summary>One scenario: its nuPlan score and its metric scores.</summary>
    Scenario,

    /// <summary>One scenario type: mean of its scenario scores; metric columns are SUMS (devkit quirk).</summary>
    ScenarioType,

    /// <summary>The planner's <c>final_score</c> row: mean of all scenario scores.</summary>
    Final,
}

/// <summary>One row of the aggregated score table (docs/nuplan-simulation.md §4.5): a scenario, a scenario type, or the final row.</summary>
public sealed record AggregatedScoreRow(
    string Scenario,
    string? LogName,
    string ScenarioType,
    int? NumScenarios,
    string PlannerName,
    string AggregatorType,
    IReadOnlyDictionary<string, double?> MetricScores,
    double? Score)
{
    /// <summary>Scenario rows have no num_scenarios; the final row is named <c>final_score</c>; the rest are type rows.</summary>
    public AggregatedRowKind Kind =>
        NumScenarios is null ? AggregatedRowKind.Scenario
        : Scenario == WeightedAverageMetricAggregator.FinalScore && ScenarioType == WeightedAverageMetricAggregator.FinalScore
            ? AggregatedRowKind.Final
            : AggregatedRowKind.ScenarioType;
}

/// <summary>The aggregated table: metric columns sorted by name, rows per planner (scenarios, types, final).</summary>
public sealed record AggregatedScoreTable(IReadOnlyList<string> MetricNames, IReadOnlyList<AggregatedScoreRow> Rows)
{
    /// <summary>
    /// The aggregator's expected metrics (<see cref="WeightedAverageMetricAggregator.ExpectedMetrics"/>) that some
    /// scenario lacks; the scores are then partial (the devkit's formula renormalised over what is present).
    /// </summary>
    public IReadOnlyList<string> MissingMetrics { get; init; } = [];

    /// <summary>Whether the scores leave out part of the aggregator's formula.</summary>
    public bool IsPartial => MissingMetrics.Count > 0;

    public const string CompleteScore = "complete";
    public const string PartialScoreNoMap = "partial, no map";
    public const string PartialScore = "partial";

    /// <summary>
    /// <see cref="CompleteScore"/> when every scenario has the aggregator's whole formula, <see cref="PartialScoreNoMap"/>
    /// when only map-based metrics are missing (a run without maps), otherwise <see cref="PartialScore"/>.
    /// </summary>
    public string ScoreKind =>
        !IsPartial ? CompleteScore
        : MissingMetrics.All(m => Evaluation.MetricNames.MapBased.Contains(m)) ? PartialScoreNoMap
        : PartialScore;

    /// <summary>The devkit's "final metric score": the bottom-right cell (the last planner's final score).</summary>
    public double? FinalScore => Rows.Count == 0 ? null : Rows[^1].Score;

    /// <summary>Per-scenario nuPlan scores, all planners, in table order.</summary>
    public IReadOnlyList<AggregatedScoreRow> ScenarioRows => RowsOf(AggregatedRowKind.Scenario);

    /// <summary>Per-scenario-type rows (score = mean of the type's scenario scores), all planners, in table order.</summary>
    public IReadOnlyList<AggregatedScoreRow> ScenarioTypeRows => RowsOf(AggregatedRowKind.ScenarioType);

    /// <summary>One <c>final_score</c> row per planner (sorted by planner name).</summary>
    public IReadOnlyList<AggregatedScoreRow> FinalRows => RowsOf(AggregatedRowKind.Final);

    /// <summary>The final score of one planner, or null when the planner has no rows.</summary>
    public double? FinalScoreOf(string plannerName)
    {
        foreach (var row in Rows)
        {
            if (row.Kind == AggregatedRowKind.Final && row.PlannerName == plannerName)
            {
                return row.Score;
            }
        }
        return null;
    }

    private List<AggregatedScoreRow> RowsOf(AggregatedRowKind kind)
    {
        var rows = new List<AggregatedScoreRow>();
        foreach (var row in Rows)
        {
            if (row.Kind == kind)
            {
                rows.Add(row);
            }
        }
        return rows;
    }
}

/// <summary>
/// The devkit's WeightedAverageMetricAggregator. Per planner (sorted by name): each scenario's score is the product
/// of the present multiplier metric scores times Σw·s/Σw over the other present scores (0 without weights); a
/// scenario-type row averages the scores but SUMS the metric columns (devkit quirk); the final row divides each
/// column's type sums by the total scenario count (missing values count as 0) and weights type scores by count.
/// </summary>
public sealed class WeightedAverageMetricAggregator
{
    public const string AggregatorType = "weighted_average";
    public const string FinalScore = "final_score";
    public const string DefaultWeightKey = "default";

    /// <summary>The column after <c>score</c> saying whether it is <c>complete</c>, <c>partial, no map</c> or <c>partial</c>.</summary>
    public const string ScoreKindColumn = "score_kind";

    /// <summary>The run sub-directory the aggregated Parquet goes to, as in the devkit.</summary>
    public const string AggregatorDirectoryName = "aggregator_metric";

    /// <summary>The devkit's <c>date_format</c> for the file-name suffix (<c>%Y.%m.%d.%H.%M.%S</c>).</summary>
    public const string FileDateFormat = "yyyy.MM.dd.HH.mm.ss";

    public const string DefaultAggregatorName = "weighted_average_metric_aggregator";
    public const string ClosedLoopNonReactiveAgentsAggregatorName = "closed_loop_nonreactive_agents_weighted_average";
    public const string ClosedLoopReactiveAgentsAggregatorName = "closed_loop_reactive_agents_weighted_average";
    public const string OpenLoopBoxesAggregatorName = "open_loop_boxes_weighted_average";

    private readonly IReadOnlyDictionary<string, double> _weights;
    private readonly HashSet<string> _multipliers;

    public WeightedAverageMetricAggregator(
        string name,
        IReadOnlyDictionary<string, double> metricWeights,
        string fileName,
        IEnumerable<string>? multipleMetrics = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        Name = name;
        FileName = fileName;
        _weights = metricWeights;
        _multipliers = new HashSet<string>(multipleMetrics ?? [], StringComparer.Ordinal);
    }

    public string Name { get; }

    public string FileName { get; }

    /// <summary>Metric weights by name, with the <c>default</c> entry for unlisted metrics.</summary>
    public IReadOnlyDictionary<string, double> Weights => _weights;

    /// <summary>Metrics whose scores multiply the weighted average instead of entering it.</summary>
    public IReadOnlyCollection<string> Multipliers => _multipliers;

    /// <summary>weighted_average_metric_aggregator: every metric weight 1, no multipliers.</summary>
    public static WeightedAverageMetricAggregator Default(string fileName = DefaultAggregatorName) =>
        new(DefaultAggregatorName, new Dictionary<string, double> { [DefaultWeightKey] = 1.0 }, fileName);

    /// <summary>
    /// closed_loop_(non)reactive_agents_weighted_average, as the devkit's aggregator configs: weights progress 5, TTC 5,
    /// speed limit 4, comfort 2, default 1; multipliers no_ego_at_fault_collisions, drivable_area_compliance,
    /// ego_is_making_progress, driving_direction_compliance. Per scenario
    /// NAC·DAC·MP·DDC·(5·EP + 5·TTC + 4·SLC + 2·C)/16 when every metric is present.
    /// </summary>
    public static WeightedAverageMetricAggregator ClosedLoop(string name, string fileName) => new(
        name,
        new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [MetricNames.EgoProgressAlongExpertRoute] = 5.0,
            [MetricNames.TimeToCollisionWithinBound] = 5.0,
            [MetricNames.SpeedLimitCompliance] = 4.0,
            [MetricNames.EgoIsComfortable] = 2.0,
            [DefaultWeightKey] = 1.0,
        },
        fileName,
        [MetricNames.NoEgoAtFaultCollisions, MetricNames.DrivableAreaCompliance, MetricNames.EgoIsMakingProgress, MetricNames.DrivingDirectionCompliance]);

    /// <summary>
    /// The scored metrics this aggregator's challenge score is made of: its multipliers and its explicitly weighted
    /// metrics. A scenario lacking any of them (a run without maps) gets a score the devkit would renormalise over what
    /// is present; such a score is partial, never the challenge score.
    /// </summary>
    public IReadOnlyList<string> ExpectedMetrics =>
        [.. _multipliers.Concat(_weights.Keys.Where(k => k != DefaultWeightKey)).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>open_loop_boxes_weighted_average: ADE 1, AHE 2, FDE 1, FHE 2, default 1; multiplier miss rate.</summary>
    public static WeightedAverageMetricAggregator OpenLoopBoxes(string fileName = OpenLoopBoxesAggregatorName) => new(
        OpenLoopBoxesAggregatorName,
        new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [MetricNames.PlannerExpertAverageL2ErrorWithinBound] = 1.0,
            [MetricNames.PlannerExpertAverageHeadingErrorWithinBound] = 2.0,
            [MetricNames.PlannerExpertFinalL2ErrorWithinBound] = 1.0,
            [MetricNames.PlannerExpertFinalHeadingErrorWithinBound] = 2.0,
            [DefaultWeightKey] = 1.0,
        },
        fileName,
        [MetricNames.PlannerMissRateWithinBound]);

    /// <summary>
    /// The aggregator the devkit's experiment runs with a metric set, for the run finaliser: closed_loop_nonreactive_agents
    /// → closed_loop_nonreactive_agents_weighted_average, closed_loop_reactive_agents →
    /// closed_loop_reactive_agents_weighted_average, open_loop_boxes → open_loop_boxes_weighted_average, anything
    /// else (default, dynamics, custom sets or lists) → weighted_average_metric_aggregator. The file name is the
    /// devkit's, <c>&lt;stem&gt;_&lt;yyyy.MM.dd.HH.mm.ss&gt;</c> with <paramref name="createdAt"/> (UTC now when
    /// omitted): e.g. <c>closed_loop_nonreactive_agents_weighted_average_metrics_2024.05.01.12.00.00</c>; write it under
    /// <c>&lt;run&gt;/aggregator_metric/</c> (<see cref="RunAsync"/>).
    /// </summary>
    public static WeightedAverageMetricAggregator ForMetricSet(string? setName, DateTimeOffset? createdAt = null)
    {
        var suffix = (createdAt ?? DateTimeOffset.UtcNow).ToString(FileDateFormat, CultureInfo.InvariantCulture);
        return setName switch
        {
            MetricCatalog.ClosedLoopNonReactiveAgentsSet => ClosedLoop(
                ClosedLoopNonReactiveAgentsAggregatorName, $"{ClosedLoopNonReactiveAgentsAggregatorName}_metrics_{suffix}"),
            MetricCatalog.ClosedLoopReactiveAgentsSet => ClosedLoop(
                ClosedLoopReactiveAgentsAggregatorName, $"{ClosedLoopReactiveAgentsAggregatorName}_metrics_{suffix}"),
            MetricCatalog.OpenLoopBoxesSet => OpenLoopBoxes($"{OpenLoopBoxesAggregatorName}_metrics_{suffix}"),
            _ => Default($"weighted_average_metrics_{suffix}"),
        };
    }

    /// <summary>
    /// <see cref="ForMetricSet(string?, DateTimeOffset?)"/> for a run's metric selection (set or metric names): the one
    /// experiment set when the selection is exactly that set, otherwise the default aggregator.
    /// </summary>
    public static WeightedAverageMetricAggregator ForMetricSelection(IReadOnlyList<string> metricOrSetNames, DateTimeOffset? createdAt = null)
    {
        ArgumentNullException.ThrowIfNull(metricOrSetNames);
        return ForMetricSet(metricOrSetNames.Count == 1 ? metricOrSetNames[0] : null, createdAt);
    }

    public double WeightOf(string metricName) =>
        _weights.TryGetValue(metricName, out var weight) ? weight
        : _weights.TryGetValue(DefaultWeightKey, out var fallback) ? fallback
        : 1.0;

    /// <summary>Aggregates per-statistics tables (name → rows, as merged into the Parquet files).</summary>
    public AggregatedScoreTable Aggregate(IReadOnlyDictionary<string, IReadOnlyList<MetricRow>> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var metricNames = tables.Keys.Order(StringComparer.Ordinal).ToList();
        var planners = tables.Values.SelectMany(rows => rows).Select(r => r.PlannerName).Distinct().Order(StringComparer.Ordinal).ToList();
        var output = new List<AggregatedScoreRow>();
        foreach (var planner in planners)
        {
            AggregatePlanner(planner, metricNames, tables, output);
        }
        var missing = ExpectedMetrics
            .Where(m => output.Any(r => r.Kind == AggregatedRowKind.Scenario && (!r.MetricScores.TryGetValue(m, out var v) || v is null)))
            .ToList();
        return new AggregatedScoreTable(metricNames, output) { MissingMetrics = missing };
    }

    /// <summary>
    /// Reads the per-scenario files under <paramref name="metricsDirectory"/>, aggregates, and writes
    /// <c>&lt;aggregatorDirectory&gt;/&lt;FileName&gt;.parquet</c> (the devkit's directory is
    /// <c>&lt;run&gt;/</c><see cref="AggregatorDirectoryName"/>; see <see cref="ParquetPath"/>).
    /// </summary>
    public async Task<AggregatedScoreTable> RunAsync(string metricsDirectory, string aggregatorDirectory, CancellationToken cancellationToken = default)
    {
        var tables = new Dictionary<string, List<MetricRow>>(StringComparer.Ordinal);
        foreach (var file in MetricResultFiles.ListScenarioFiles(metricsDirectory))
        {
            var result = await MetricResultFiles.ReadScenarioAsync(file, cancellationToken).ConfigureAwait(false);
            foreach (var row in MetricRow.From(result))
            {
                if (!tables.TryGetValue(row.Statistics.Name, out var rows))
                {
                    tables[row.Statistics.Name] = rows = [];
                }
                rows.Add(row);
            }
        }
        var table = Aggregate(tables.ToDictionary(p => p.Key, p => (IReadOnlyList<MetricRow>)p.Value, StringComparer.Ordinal));
        await WriteParquetAsync(Path.Combine(aggregatorDirectory, FileName + ".parquet"), table, cancellationToken).ConfigureAwait(false);
        return table;
    }

    /// <summary><c>&lt;runDirectory&gt;/aggregator_metric/&lt;FileName&gt;.parquet</c>.</summary>
    public string ParquetPath(string runDirectory) => Path.Combine(runDirectory, AggregatorDirectoryName, FileName + ".parquet");

    public static async Task WriteParquetAsync(string path, AggregatedScoreTable table, CancellationToken cancellationToken = default)
    {
        var fields = new List<Field>
        {
            new DataField<string>("scenario", nullable: true),
            new DataField<string>("log_name", nullable: true),
            new DataField<string>("scenario_type", nullable: true),
            new DataField<int?>("num_scenarios"),
            new DataField<string>("planner_name", nullable: true),
            new DataField<string>("aggregator_type", nullable: true),
        };
        fields.AddRange(table.MetricNames.Select(name => new DataField<double?>(name)));
        fields.Add(new DataField<double?>("score"));
        // Beyond the devkit's columns: whether the score holds the aggregator's whole formula.
        fields.Add(new DataField<string>(ScoreKindColumn, nullable: true));
        var kind = table.ScoreKind;

        var data = new List<IDictionary<string, object?>>(table.Rows.Count);
        foreach (var row in table.Rows)
        {
            var record = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["scenario"] = row.Scenario,
                ["log_name"] = row.LogName,
                ["scenario_type"] = row.ScenarioType,
                ["num_scenarios"] = row.NumScenarios,
                ["planner_name"] = row.PlannerName,
                ["aggregator_type"] = row.AggregatorType,
                ["score"] = row.Score,
                [ScoreKindColumn] = kind,
            };
            foreach (var name in table.MetricNames)
            {
                record[name] = row.MetricScores.TryGetValue(name, out var value) ? value : null;
            }
            data.Add(record);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await AtomicFile.WriteAsync(
            path,
            stream => ParquetSerializer.SerializeUntypedAsync(data, new ParquetSchema(fields), stream, cancellationToken: cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

    private void AggregatePlanner(
        string planner,
        List<string> metricNames,
        IReadOnlyDictionary<string, IReadOnlyList<MetricRow>> tables,
        List<AggregatedScoreRow> output)
    {
        // Scenario rows keyed by scenario name, in order of first appearance over the sorted tables.
        var scenarios = new Dictionary<string, (string LogName, string Type, Dictionary<string, double?> Scores)>(StringComparer.Ordinal);
        var scenarioOrder = new List<string>();
        foreach (var name in metricNames)
        {
            foreach (var row in tables[name])
            {
                if (row.PlannerName != planner)
                {
                    continue;
                }
                if (!scenarios.TryGetValue(row.ScenarioName, out var entry))
                {
                    entry = (row.LogName, row.ScenarioType, metricNames.ToDictionary(n => n, _ => (double?)null, StringComparer.Ordinal));
                    scenarios[row.ScenarioName] = entry;
                    scenarioOrder.Add(row.ScenarioName);
                }
                entry.Scores[name] = row.Statistics.MetricScore;
            }
        }

        var typeOrder = new List<string>();
        var byType = new Dictionary<string, List<(Dictionary<string, double?> Scores, double Score)>>(StringComparer.Ordinal);
        foreach (var scenarioName in scenarioOrder)
        {
            var (logName, type, scores) = scenarios[scenarioName];
            var score = ScenarioScore(scores);
            output.Add(new AggregatedScoreRow(scenarioName, logName, type, null, planner, AggregatorType, scores, score));
            if (!byType.TryGetValue(type, out var members))
            {
                byType[type] = members = [];
                typeOrder.Add(type);
            }
            members.Add((scores, score));
        }

        var total = scenarioOrder.Count;
        var finalSums = metricNames.ToDictionary(n => n, _ => (double?)null, StringComparer.Ordinal);
        var weightedScoreSum = 0.0;
        foreach (var type in typeOrder)
        {
            var members = byType[type];
            var sums = new Dictionary<string, double?>(StringComparer.Ordinal);
            foreach (var name in metricNames)
            {
                double? sum = null;
                foreach (var (scores, _) in members)
                {
                    if (scores[name] is { } value)
                    {
                        sum = (sum ?? 0) + value;
                    }
                }
                sums[name] = sum;
                if (sum is { } s)
                {
                    finalSums[name] = (finalSums[name] ?? 0) + s;
                }
            }
            var typeScore = members.Average(m => m.Score);
            weightedScoreSum += typeScore * members.Count;
            output.Add(new AggregatedScoreRow(type, null, type, members.Count, planner, AggregatorType, sums, typeScore));
        }

        var finalScores = finalSums.ToDictionary(p => p.Key, p => p.Value / total, StringComparer.Ordinal);
        output.Add(new AggregatedScoreRow(FinalScore, null, FinalScore, total, planner, AggregatorType, finalScores, total == 0 ? null : weightedScoreSum / total));
    }

    private double ScenarioScore(Dictionary<string, double?> scores)
    {
        var weighted = 0.0;
        var weights = 0.0;
        var multiplier = 1.0;
        foreach (var (name, value) in scores)
        {
            if (value is not { } score)
            {
                continue;
            }
            if (_multipliers.Contains(name))
            {
                multiplier *= score;
            }
            else
            {
                var weight = WeightOf(name);
                weighted += weight * score;
                weights += weight;
            }
        }
        return (weights != 0 ? weighted / weights : 0.0) * multiplier;
    }
}
