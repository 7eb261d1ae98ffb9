using NuPlanBus.Metrics.Engine;
using NuPlanBus.Metrics.Results;

namespace NuPlanBus.Metrics.Evaluation;

/// <summary>ego_mean_speed (unscored): mean |rear-axle velocity| over the history, no series.</summary>
public sealed class EgoMeanSpeedMetric : IMetric
{
    public string Name => MetricNames.EgoMeanSpeed;

    public string Category => MetricCategories.Dynamics;

    public IReadOnlyList<string> Dependencies => [];

    public IReadOnlyList<MetricStatistics> Compute(MetricInput input, MetricResults computedSoFar)
    {
        var states = input.EgoStates;
        if (states.Length == 0)
        {
            throw new InvalidOperationException("The simulation history has no ego states.");
        }
        var sum = 0.0;
        foreach (var state in states)
        {
            sum += state.Speed;
        }
        var statistic = new Statistic($"{Name}_value", MetricUnits.MetersPerSecond, StatisticType.VALUE, sum / states.Length);
        return [new MetricStatistics(Name, Name, Category, [statistic])];
    }
}
