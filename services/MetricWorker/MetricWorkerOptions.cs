using System.ComponentModel.DataAnnotations;

namespace NuPlanBus.MetricWorker;

/// <summary>Configuration section <c>MetricWorker</c>.</summary>
public sealed class MetricWorkerOptions
{
    public const string Section = "MetricWorker";

    /// <summary>Scenarios whose metrics are computed at once by this process.</summary>
    [Range(1, 1024)]
    public int ConcurrentScenarios { get; set; } = 1;
}
