using System.ComponentModel.DataAnnotations;

namespace NuPlanBus.Coordinator;

/// <summary>Configuration section <c>Coordinator</c>.</summary>
public sealed class CoordinatorOptions
{
    public const string Section = "Coordinator";

    /// <summary>
    /// How long a partition may go without reporting a scenario before it is considered lost and re-published.
    /// Set it above the longest time one scenario takes (and below the broker's consumer_timeout).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan PartitionDeadline { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Deliveries of a partition (the first included) before its unreported scenarios are failed.</summary>
    [Range(1, 100)]
    public int MaxPartitionAttempts { get; set; } = 3;

    /// <summary>How often the watchdog looks for passed deadlines.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan WatchdogInterval { get; set; } = TimeSpan.FromSeconds(5);
}
