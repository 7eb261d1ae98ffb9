using MassTransit;

namespace NuPlanBus.Contracts;

/// <summary>Asks every running service instance to announce itself; each answers with <see cref="ServicePinged"/>.</summary>
[MessageUrn("nuplanbus:ping-services:v1")]
public sealed record PingServices
{
    public required Guid RequestId { get; init; }
}

[MessageUrn("nuplanbus:service-pinged:v1")]
public sealed record ServicePinged
{
    public required Guid RequestId { get; init; }

    public required string Service { get; init; }

    public required string Version { get; init; }

    public required string Host { get; init; }

    public required int ProcessId { get; init; }

    /// <summary>Healthy, Degraded or Unhealthy, from the instance's readiness checks.</summary>
    public required string Health { get; init; }
}
