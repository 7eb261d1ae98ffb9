using NuPlanBus.Metrics.Output;
using Parquet.Schema;
using Parquet.Serialization;

namespace NuPlanBus.Metrics.Aggregation;

/// <summary>One row of the aggregated score table (reference §4.5): a scenario, a scenario type, or the final row.</summary>
public sealed record AggregatedScoreRow(
    string Scenario,
    string? LogName,
    string ScenarioType,
    int? NumScenarios,
    string PlannerName,
    string AggregatorType,
    IReadOnlyDictionary<string, double?> MetricScores,
    double? Score);

/// <summary>The aggregated table: metric columns sorted by name, rows per planner (scenarios, types, final).</summary>
public sealed record AggregatedScoreTable(IReadOnlyList<string> MetricNames, IReadOnlyList<AggregatedScoreRow> Rows)
{
    /// <summary>The devkit's "final metric score": the bottom-right cell (the last planner's final score).</summary>
    public double? FinalScore => Rows.Count == 0 ? null : Rows[^1].Score;
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

    /// <summary>weighted_average_metric_aggregator: every metric weight 1, no multipliers.</summary>
    public static WeightedAverageMetricAggregator Default(string fileName = "weighted_average_metric_aggregator") =>
        new("weighted_average_metric_aggregator", new Dictionary<string, double> { [DefaultWeightKey] = 1.0 }, fileName);

    /// <summary>closed_loop_(non)reactive_agents_weighted_average with the nuPlan challenge weights and multipliers.</summary>
    public static WeightedAverageMetricAggregator ClosedLoop(string name, string fileName) => new(
        name,
        new Dictionary<string, double>
        {
            ["ego_progress_along_expert_route"] = 5.0,
            ["time_to_collision_within_bound"] = 5.0,
            ["speed_limit_compliance"] = 4.0,
            ["ego_is_comfortable"] = 2.0,
            [DefaultWeightKey] = 1.0,
        },
        fileName,
        ["no_ego_at_fault_collisions", "drivable_area_compliance", "ego_is_making_progress", "driving_direction_compliance"]);

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
        return new AggregatedScoreTable(metricNames, output);
    }

    /// <summary>
    /// Reads the per-scenario files under <paramref name="metricsDirectory"/>, aggregates, and writes
    /// <c>&lt;aggregatorDirectory&gt;/&lt;FileName&gt;.parquet</c>.
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
            };
            foreach (var name in table.MetricNames)
            {
                record[name] = row.MetricScores.TryGetValue(name, out var value) ? value : null;
            }
            data.Add(record);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await MetricResultFiles.WriteAtomicallyAsync(
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
