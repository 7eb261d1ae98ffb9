using System.ComponentModel.DataAnnotations;

namespace NuPlanBus.Hosting.Messaging;

public enum BusTransport
{
    /// <summary>MassTransit's in-memory transport: every service in one process (the default).</summary>
    InMemory,

    /// <summary>A RabbitMQ broker: each service may run in its own process.</summary>
    RabbitMq,
}

/// <summary>Configuration section <c>Bus</c>.</summary>
public sealed class BusOptions
{
    public const string Section = "Bus";

    public BusTransport Transport { get; set; } = BusTransport.InMemory;

    public RabbitMqOptions RabbitMq { get; set; } = new();

    /// <summary>
    /// Graceful shutdown: how long a stopping service lets in-flight messages finish. A partition still running
    /// after this is cancelled between scenarios and handed back to the broker unacknowledged, so another worker
    /// takes it (scenarios it already reported are not counted twice). Keep it below the pod's termination grace.
    /// </summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Configuration section <c>Bus:RabbitMq</c>. Credentials come from configuration (environment, secrets), never from code.</summary>
public sealed class RabbitMqOptions
{
    [Required]
    public string Host { get; set; } = "localhost";

    [Range(1, 65535)]
    public int Port { get; set; } = 5672;

    [Required]
    public string VirtualHost { get; set; } = "/";

    [Required]
    public string Username { get; set; } = "guest";

    [Required]
    public string Password { get; set; } = "guest";

    public bool UseTls { get; set; }
}
