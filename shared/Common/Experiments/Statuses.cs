namespace NuPlanBus.Common.Experiments;

/// <summary>Lifecycle of one simulation or metric run (the run saga's states map onto it).</summary>
public enum RunStatus
{
    New,
    Ongoing,
    Completed,
    Failed,
    Stopped,
}

/// <summary>Lifecycle of one unit of work inside a run (a scenario: simulated, then its callbacks).</summary>
public enum WorkTaskStatus
{
    Pending,
    Scheduled,
    InProgress,
    Completed,
    Failed,
}
