using System.Reflection;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NuPlanBus.Contracts;
using NuPlanBus.Hosting.Observability;

namespace NuPlanBus.Hosting.Messaging;

/// <summary>A service hosted in this process, announced when pinged.</summary>
public sealed record HostedService(string Name);

/// <summary>
/// Answers <see cref="PingServices"/> once for every service this process hosts (four in the embedded mode),
/// with its version and readiness. Each process listens on its own temporary queue, so a ping reaches every
/// instance rather than one of them.
/// </summary>
public sealed class PingServicesConsumer(IEnumerable<HostedService> hosted, IServiceProvider services) : IConsumer<PingServices>
{
    private static readonly string Version =
        typeof(PingServicesConsumer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public async Task Consume(ConsumeContext<PingServices> context)
    {
        var health = "Healthy";
        if (services.GetService<HealthCheckService>() is { } checks)
        {
            var report = await checks.CheckHealthAsync(c => c.Tags.Contains(ObservabilityExtensions.ReadyTag), context.CancellationToken);
            health = report.Status.ToString();
        }
        foreach (var service in hosted.DistinctBy(s => s.Name))
        {
            await context.Publish(new ServicePinged
            {
                RequestId = context.Message.RequestId,
                Service = service.Name,
                Version = Version,
                Host = Environment.MachineName,
                ProcessId = Environment.ProcessId,
                Health = health,
            });
        }
    }
}

public static class PingExtensions
{
    /// <summary>Makes this process answer pings for <paramref name="serviceName"/>.</summary>
    public static IServiceCollection AddPingResponder(this IServiceCollection services, string serviceName)
    {
        services.AddSingleton(new HostedService(serviceName));
        services.AddBusContribution("ping", bus => bus.AddConsumer<PingServicesConsumer>()
            .Endpoint(e =>
            {
                e.Name = $"ping-{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}".ToLowerInvariant();
                e.Temporary = true;
            }));
        return services;
    }
}
