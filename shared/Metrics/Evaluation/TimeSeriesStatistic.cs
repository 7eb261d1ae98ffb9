using NuPlanBus.Metrics.Numerics;
using NuPlanBus.Metrics.Results;

namespace NuPlanBus.Metrics.Evaluation;

/// <summary>The devkit's <c>_compute_time_series_statistic</c>: <c>max_/min_/avg_/p90_&lt;metric&gt;</c> in the unit of the series.</summary>
public static class TimeSeriesStatistic
{
    public static readonly StatisticType[] AllTypes = [StatisticType.MAX, StatisticType.MIN, StatisticType.MEAN, StatisticType.P90];

    public static List<Statistic> Compute(string metricName, string unit, ReadOnlySpan<double> values, ReadOnlySpan<StatisticType> types)
    {
        var statistics = new List<Statistic>(types.Length + 1);
        foreach (var type in types)
        {
            statistics.Add(type switch
            {
                StatisticType.MAX => new Statistic($"max_{metricName}", unit, type, SeriesStatistics.NanMax(values)),
                StatisticType.MIN => new Statistic($"min_{metricName}", unit, type, SeriesStatistics.NanMin(values)),
                StatisticType.MEAN => new Statistic($"avg_{metricName}", unit, type, SeriesStatistics.NanMean(values)),
                StatisticType.P90 => new Statistic($"p90_{metricName}", unit, type, SeriesStatistics.NanPercentileClosestObservation(values)),
                _ => throw new ArgumentException($"{type} statistics cannot be computed from a time series.", nameof(types)),
            });
        }
        return statistics;
    }
}
