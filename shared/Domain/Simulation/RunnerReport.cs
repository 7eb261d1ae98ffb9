namespace NuPlanBus.Domain.Simulation;

/// <summary>
/// nuPlan's RunnerReport. Times are wall-clock Unix seconds so reports from different machines compare;
/// durations are still end − start.
/// </summary>
public sealed record RunnerReport(
    bool Succeeded,
    string? ErrorMessage,
    double StartTime,
    double? EndTime,
    PlannerReport? PlannerReport,
    string ScenarioName,
    string PlannerName,
    string LogName)
{
    public double? Duration => EndTime - StartTime;
}

/// <summary>Per-call compute times of a planner, in seconds, in call order.</summary>
public sealed record PlannerReport(IReadOnlyList<double> ComputeTrajectoryRuntimes)
{
    public PlannerStatistics Summary() => PlannerStatistics.Of(ComputeTrajectoryRuntimes);
}

/// <summary>Mean, median and population standard deviation; NaN for an empty list, as the devkit.</summary>
public readonly record struct PlannerStatistics(double Mean, double Median, double Std)
{
    public static PlannerStatistics Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return new PlannerStatistics(double.NaN, double.NaN, double.NaN);
        }
        var sorted = values.ToArray();
        Array.Sort(sorted);
        var mean = sorted.Average();
        var mid = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        var variance = sorted.Sum(v => (v - mean) * (v - mean)) / sorted.Length;
        return new PlannerStatistics(mean, median, Math.Sqrt(variance));
    }
}
