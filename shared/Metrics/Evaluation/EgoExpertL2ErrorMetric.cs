using NuPlanBus.Domain.Geometry;
using NuPlanBus.Metrics.Engine;
using NuPlanBus.Metrics.Results;

namespace NuPlanBus.Metrics.Evaluation;

/// <summary>
/// ego_expert_l2_error and ego_expert_l2_error_with_yaw (unscored): index-by-index distance between the ego and
/// expert centres, optionally plus weight × |principal(heading difference)|, discounted by factor^i when ≠ 1.
/// The expert may be one state longer than the history (N vs N − 1); its extra last state is ignored.
/// </summary>
public sealed class EgoExpertL2ErrorMetric : IMetric
{
    private static readonly StatisticType[] StatisticTypes = [StatisticType.MAX, StatisticType.MEAN, StatisticType.P90];

    public EgoExpertL2ErrorMetric(string name, string category, double discountFactor, double headingDiffWeight)
    {
        Name = name;
        Category = category;
        DiscountFactor = discountFactor;
        HeadingDiffWeight = headingDiffWeight;
    }

    public static EgoExpertL2ErrorMetric Position(double discountFactor = 1.0) =>
        new(MetricNames.EgoExpertL2Error, MetricCategories.Planning, discountFactor, headingDiffWeight: 0);

    public static EgoExpertL2ErrorMetric WithYaw(double discountFactor = 1.0, double headingDiffWeight = 2.5) =>
        new(MetricNames.EgoExpertL2ErrorWithYaw, MetricCategories.Planning, discountFactor, headingDiffWeight);

    public string Name { get; }

    public string Category { get; }

    public double DiscountFactor { get; }

    public double HeadingDiffWeight { get; }

    public IReadOnlyList<string> Dependencies => [];

    public IReadOnlyList<MetricStatistics> Compute(MetricInput input, MetricResults computedSoFar)
    {
        var ego = input.EgoStates;
        var expert = input.Scenario.ExpertTrajectory;
        if (ego.Length == 0)
        {
            throw new InvalidOperationException("The simulation history has no ego states.");
        }
        if (ego.Length != expert.Count && ego.Length != expert.Count - 1)
        {
            throw new InvalidOperationException(
                $"Ego and expert have different trajectory lengths ({ego.Length} vs {expert.Count}).");
        }
        var vehicle = input.Vehicle;
        var errors = new double[ego.Length];
        for (var i = 0; i < ego.Length; i++)
        {
            var egoCentre = ego[i].Center(vehicle);
            var expertCentre = expert[i].Center(vehicle);
            var error = double.Hypot(egoCentre.X - expertCentre.X, egoCentre.Y - expertCentre.Y);
            if (HeadingDiffWeight != 0)
            {
                error += HeadingDiffWeight * Angles.HeadingError(egoCentre.Heading, expertCentre.Heading);
            }
            if (DiscountFactor != 1)
            {
                error *= Math.Pow(DiscountFactor, i);
            }
            errors[i] = error;
        }
        var statistics = TimeSeriesStatistic.Compute(Name, MetricUnits.Meters, errors, StatisticTypes);
        var series = new TimeSeries(MetricUnits.Meters, input.TimestampsUs, errors);
        return [new MetricStatistics(Name, Name, Category, statistics, series)];
    }
}
