using NuPlanBus.Metrics.Engine;
using NuPlanBus.Metrics.Results;

namespace NuPlanBus.Metrics.Evaluation;

/// <summary>
/// ego_is_comfortable (high level, scored): AND of the six dynamics within-bound booleans. A dependency that was
/// not computed for this scenario, or emitted no boolean, counts as uncomfortable, exactly as in the devkit.
/// </summary>
public sealed class EgoIsComfortableMetric : IMetric
{
    private static readonly string[] RequiredMetrics =
    [
        MetricNames.EgoJerk,
        MetricNames.EgoLatAcceleration,
        MetricNames.EgoLonAcceleration,
        MetricNames.EgoLonJerk,
        MetricNames.EgoYawAcceleration,
        MetricNames.EgoYawRate,
    ];

    public string Name => MetricNames.EgoIsComfortable;

    public string Category => MetricCategories.Violations;

    public IReadOnlyList<string> Dependencies => RequiredMetrics;

    public IReadOnlyList<MetricStatistics> Compute(MetricInput input, MetricResults computedSoFar)
    {
        var comfortable = true;
        foreach (var dependency in RequiredMetrics)
        {
            comfortable &= computedSoFar.BooleanOf(dependency) ?? false;
        }
        return
        [
            new MetricStatistics(
                Name, Name, Category,
                [Statistic.Boolean(Name, comfortable)],
                TimeSeries: null,
                MetricScore: comfortable ? 1.0 : 0.0,
                MetricScoreUnit: MetricUnits.Bool),
        ];
    }
}
