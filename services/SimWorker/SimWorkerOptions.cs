using System.ComponentModel.DataAnnotations;

namespace NuPlanBus.SimWorker;

/// <summary>Configuration section <c>SimWorker</c>.</summary>
public sealed class SimWorkerOptions
{
    public const string Section = "SimWorker";

    /// <summary>Partitions simulated at once by this process: one per CPU core or GPU slot.</summary>
    [Range(1, 1024)]
    public int ConcurrentPartitions { get; set; } = 1;
}
