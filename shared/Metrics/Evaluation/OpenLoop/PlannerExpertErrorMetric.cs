using NuPlanBus.Metrics.Engine;
using NuPlanBus.Metrics.Results;

namespace NuPlanBus.Metrics.Evaluation.OpenLoop;

/// <summary>Which open-loop error matrix a metric reports.</summary>
public enum OpenLoopErrorKind
{
    /// <summary>Average displacement error, <c>planner_expert_ADE</c> (meter).</summary>
    AverageDisplacement,

    /// <summary>Final displacement error, <c>planner_expert_FDE</c> (meter).</summary>
    FinalDisplacement,

    /// <summary>Average heading error, <c>planner_expert_AHE</c> (radian).</summary>
    AverageHeading,

    /// <summary>Final heading error, <c>planner_expert_FHE</c> (radian).</summary>
    FinalHeading,
}

/// <summary>
/// The four open-loop error metrics (docs/nuplan-simulation.md §4.3.13), scored max(0, 1 − mean(M)/θ) with unit float, category
/// "Planning". Statistics: MEAN <c>X_horizon_&lt;h&gt;</c> per horizon (mean over sampled frames), BOOLEAN
/// <c>&lt;metric name&gt;</c> = mean(M) ≤ θ, MEAN <c>avg_X_over_all_horizons</c>; series = per-frame mean over the
/// horizons at the sampled expert times, with the sampled history indices as selected frames.
/// planner_expert_average_l2_error_within_bound is the low-level one that computes the matrices; the other three
/// depend on it (and share its matrices through <see cref="OpenLoopErrors.Of"/>).
/// </summary>
public sealed class PlannerExpertErrorMetric : IMetric
{
    public PlannerExpertErrorMetric(string name, OpenLoopErrorKind kind, double threshold, OpenLoopComparison? comparison = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Kind = kind;
        Threshold = threshold;
        Comparison = comparison ?? OpenLoopComparison.Default;
        (StatisticBaseName, Unit) = kind switch
        {
            OpenLoopErrorKind.AverageDisplacement => ("planner_expert_ADE", MetricUnits.Meter),
            OpenLoopErrorKind.FinalDisplacement => ("planner_expert_FDE", MetricUnits.Meter),
            OpenLoopErrorKind.AverageHeading => ("planner_expert_AHE", MetricUnits.Radian),
            OpenLoopErrorKind.FinalHeading => ("planner_expert_FHE", MetricUnits.Radian),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        Dependencies = kind == OpenLoopErrorKind.AverageDisplacement ? [] : [MetricNames.PlannerExpertAverageL2ErrorWithinBound];
    }

    /// <summary>planner_expert_average_l2_error_within_bound, max_average_l2_error_threshold 8 m.</summary>
    public static PlannerExpertErrorMetric AverageL2(double maxAverageL2ErrorThreshold = 8, OpenLoopComparison? comparison = null) =>
        new(MetricNames.PlannerExpertAverageL2ErrorWithinBound, OpenLoopErrorKind.AverageDisplacement, maxAverageL2ErrorThreshold, comparison);

    /// <summary>planner_expert_final_l2_error_within_bound, max_final_l2_error_threshold 8 m.</summary>
    public static PlannerExpertErrorMetric FinalL2(double maxFinalL2ErrorThreshold = 8, OpenLoopComparison? comparison = null) =>
        new(MetricNames.PlannerExpertFinalL2ErrorWithinBound, OpenLoopErrorKind.FinalDisplacement, maxFinalL2ErrorThreshold, comparison);

    /// <summary>planner_expert_average_heading_error_within_bound, max_average_heading_error_threshold 0.8 rad.</summary>
    public static PlannerExpertErrorMetric AverageHeading(double maxAverageHeadingErrorThreshold = 0.8, OpenLoopComparison? comparison = null) =>
        new(MetricNames.PlannerExpertAverageHeadingErrorWithinBound, OpenLoopErrorKind.AverageHeading, maxAverageHeadingErrorThreshold, comparison);

    /// <summary>planner_expert_final_heading_error_within_bound, max_final_heading_error_threshold 0.8 rad.</summary>
    public static PlannerExpertErrorMetric FinalHeading(double maxFinalHeadingErrorThreshold = 0.8, OpenLoopComparison? comparison = null) =>
        new(MetricNames.PlannerExpertFinalHeadingErrorWithinBound, OpenLoopErrorKind.FinalHeading, maxFinalHeadingErrorThreshold, comparison);

    public string Name { get; }

    public string Category => MetricCategories.Planning;

    public IReadOnlyList<string> Dependencies { get; }

    public OpenLoopErrorKind Kind { get; }

    public double Threshold { get; }

    public OpenLoopComparison Comparison { get; }

    /// <summary>The devkit's X in the statistic names, e.g. <c>planner_expert_ADE</c>.</summary>
    public string StatisticBaseName { get; }

    public string Unit { get; }

    public IReadOnlyList<MetricStatistics> Compute(MetricInput input, MetricResults computedSoFar)
    {
        var errors = OpenLoopErrors.Of(input, Comparison);
        var matrix = Kind switch
        {
            OpenLoopErrorKind.AverageDisplacement => errors.AverageDisplacement,
            OpenLoopErrorKind.FinalDisplacement => errors.FinalDisplacement,
            OpenLoopErrorKind.AverageHeading => errors.AverageHeading,
            OpenLoopErrorKind.FinalHeading => errors.FinalHeading,
            _ => throw new InvalidOperationException($"Unknown open-loop error kind {Kind}."),
        };
        var horizons = Comparison.Horizons;
        var frames = matrix.GetLength(1);

        var statistics = new List<Statistic>(horizons.Count + 2);
        var total = 0.0;
        var perFrame = new double[frames];
        for (var h = 0; h < horizons.Count; h++)
        {
            var rowSum = 0.0;
            for (var f = 0; f < frames; f++)
            {
                rowSum += matrix[h, f];
                perFrame[f] += matrix[h, f];
            }
            total += rowSum;
            statistics.Add(new Statistic($"{StatisticBaseName}_horizon_{horizons[h]}", Unit, StatisticType.MEAN, rowSum / frames));
        }
        var mean = total / (horizons.Count * frames);
        statistics.Add(Statistic.Boolean(Name, mean <= Threshold));
        statistics.Add(new Statistic($"avg_{StatisticBaseName}_over_all_horizons", Unit, StatisticType.MEAN, mean));
        for (var f = 0; f < frames; f++)
        {
            perFrame[f] /= horizons.Count;
        }

        var series = new TimeSeries($"avg_{StatisticBaseName}_over_all_horizons [{Unit}]", errors.TimestampsSampled, perFrame, errors.SelectedFrames);
        var score = Math.Max(0.0, 1.0 - mean / Threshold);
        return [new MetricStatistics(Name, Name, Category, statistics, series, score, MetricUnits.Float)];
    }
}

/// <summary>
/// planner_miss_rate_within_bound (high level, unit bool): per horizon, the fraction of sampled frames whose maximum
/// displacement error exceeds that horizon's threshold ([6, 8, 16] m); RATIO <c>planner_miss_rate_horizon_&lt;h&gt;</c>
/// each, BOOLEAN <c>planner_miss_rate_within_bound</c> = every rate ≤ 0.3. Score = that boolean; no series.
/// </summary>
public sealed class PlannerMissRateMetric : IMetric
{
    private readonly double[] _maxDisplacementThreshold;

    public PlannerMissRateMetric(
        IReadOnlyList<double>? maxDisplacementThreshold = null,
        double maxMissRateThreshold = 0.3,
        OpenLoopComparison? comparison = null)
    {
        Comparison = comparison ?? OpenLoopComparison.Default;
        _maxDisplacementThreshold = (maxDisplacementThreshold ?? [6.0, 8.0, 16.0]).ToArray();
        if (_maxDisplacementThreshold.Length != Comparison.Horizons.Count)
        {
            throw new ArgumentException(
                $"One displacement threshold per horizon is needed ({Comparison.Horizons.Count}), got {_maxDisplacementThreshold.Length}.");
        }
        MaxMissRateThreshold = maxMissRateThreshold;
    }

    public string Name => MetricNames.PlannerMissRateWithinBound;

    public string Category => MetricCategories.Planning;

    public IReadOnlyList<string> Dependencies => [MetricNames.PlannerExpertAverageL2ErrorWithinBound];

    public OpenLoopComparison Comparison { get; }

    public IReadOnlyList<double> MaxDisplacementThreshold => _maxDisplacementThreshold;

    public double MaxMissRateThreshold { get; }

    public IReadOnlyList<MetricStatistics> Compute(MetricInput input, MetricResults computedSoFar)
    {
        var errors = OpenLoopErrors.Of(input, Comparison);
        var maximum = errors.MaximumDisplacement;
        var frames = maximum.GetLength(1);
        var horizons = Comparison.Horizons;
        var statistics = new List<Statistic>(horizons.Count + 1);
        var allWithin = true;
        for (var h = 0; h < horizons.Count; h++)
        {
            var misses = 0;
            for (var f = 0; f < frames; f++)
            {
                if (maximum[h, f] > _maxDisplacementThreshold[h])
                {
                    misses++;
                }
            }
            var rate = (double)misses / frames;
            allWithin &= rate <= MaxMissRateThreshold;
            statistics.Add(new Statistic($"planner_miss_rate_horizon_{horizons[h]}", StatisticType.RATIO.DefaultUnit()!, StatisticType.RATIO, rate));
        }
        statistics.Add(Statistic.Boolean(Name, allWithin));
        return [new MetricStatistics(Name, Name, Category, statistics, TimeSeries: null, MetricScore: allWithin ? 1.0 : 0.0, MetricScoreUnit: MetricUnits.Bool)];
    }
}
