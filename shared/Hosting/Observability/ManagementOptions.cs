using System.ComponentModel.DataAnnotations;

namespace NuPlanBus.Hosting.Observability;

/// <summary>Configuration section <c>Management</c>: the HTTP server for <c>/metrics</c>, <c>/health/live</c> and <c>/health/ready</c>.</summary>
public sealed class ManagementOptions
{
    public const string Section = "Management";

    /// <summary>Serve the management endpoints. The embedded CLI turns this off; the metrics are still recorded.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Address to bind: 0.0.0.0 (all interfaces, for Kubernetes probes and scrapes) or a specific one such as 127.0.0.1.</summary>
    [Required]
    public string Host { get; set; } = "0.0.0.0";

    /// <summary>Port to bind; 0 picks a free one (see <see cref="IManagementEndpoint.BaseAddress"/>).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 8081;

    /// <summary>A run whose progress has not changed for this long loses its <c>nuplanbus_run_scenarios_*</c> series.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan RunSeriesRetention { get; set; } = TimeSpan.FromHours(24);
}
