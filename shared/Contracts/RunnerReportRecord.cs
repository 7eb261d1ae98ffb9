namespace NuPlanBus.Contracts;

/// <summary>
/// nuPlan's runner report on the wire. Start and end are wall-clock Unix seconds; the planner statistics are
/// the mean, median and population standard deviation of the per-step compute times (null when absent).
/// </summary>
public sealed record RunnerReportRecord
{
    public required bool Succeeded { get; init; }

    public string? ErrorMessage { get; init; }

    public required double StartTime { get; init; }

    public double? EndTime { get; init; }

    public required string ScenarioName { get; init; }

    public required string PlannerName { get; init; }

    public required string LogName { get; init; }

    public required string ScenarioType { get; init; }

    /// <summary>The devkit's <c>duration</c>: end − start, null while the end is unknown.</summary>
    public double? Duration => EndTime - StartTime;

    public double? ComputeTrajectoryRuntimesMean { get; init; }

    public double? ComputeTrajectoryRuntimesMedian { get; init; }

    public double? ComputeTrajectoryRuntimesStd { get; init; }
}
