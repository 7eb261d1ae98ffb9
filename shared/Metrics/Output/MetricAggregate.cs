namespace NuPlanBus.Metrics.Output;

/// <summary>
/// Run-summary figures for one statistics name across all (scenario, planner) rows: how many rows, the mean of
/// the non-null scores (null when the metric is unscored), and the mean of each statistic over the rows that have
/// it (NaN values skipped; BOOLEAN statistics average their 1/0 values, i.e. the pass rate).
/// </summary>
public sealed record MetricAggregate(
    string MetricStatisticsName,
    int ScenarioCount,
    double? MeanScore,
    IReadOnlyDictionary<string, double> MeanStatisticValues);

/// <summary>What a merge produced: the Parquet files written and the per-statistics aggregates, both by name order.</summary>
public sealed record MetricMergeResult(
    IReadOnlyList<string> ParquetFiles,
    IReadOnlyList<MetricAggregate> Aggregates,
    int ScenarioFileCount);
