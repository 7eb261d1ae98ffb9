using NuPlanBus.Common.Distributed;
using NuPlanBus.Contracts;

namespace NuPlanBus.Coordinator.Batch;

/// <summary>What one node of a coordinator-less batch job runs.</summary>
public sealed record BatchSettings
{
    public required NodeContext Node { get; init; }

    /// <summary>Shared by every node of the job (<c>NUPLAN_JOB_ID</c>); names the barriers and token files.</summary>
    public required string JobId { get; init; }

    /// <summary>Directory or s3:// prefix every node can reach: token files and barrier markers.</summary>
    public required string SyncPath { get; init; }

    /// <summary>A log database, a directory of them, or an s3:// prefix (or object) holding them.</summary>
    public required string Dataset { get; init; }

    /// <summary>Directory or s3:// prefix under which the run directory <see cref="RunName"/> is written by all nodes.</summary>
    public required string OutputRoot { get; init; }

    public required string RunName { get; init; }

    /// <summary>Local scratch space of this node: downloaded logs, the staged run when the output is on S3, the saga store.</summary>
    public required string WorkDirectory { get; init; }

    public required DistributedMode Mode { get; init; }

    /// <summary>How long a node waits for the others at each barrier; the last node to finish decides how long that is.</summary>
    public required TimeSpan BarrierTimeout { get; init; }

    public required SimulationSpec Simulation { get; init; }

    public required ScenarioFilterSpec Filter { get; init; }

    public required int PartitionSize { get; init; }
}
