using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace NuPlanBus.Hosting.Observability;

public static class ObservabilityExtensions
{
    /// <summary>
    /// Tag of the checks behind <c>/health/ready</c>. MassTransit tags its bus check ("masstransit-bus") with it
    /// already, so a host with a bus is ready only while the bus is healthy.
    /// </summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// The management defaults of a service host: <see cref="NuPlanBusMetrics"/> (with MassTransit's meter), health
    /// checks, and the management server (section <c>Management</c>: Enabled, Host, Port, RunSeriesRetention).
    /// Call before the bus is added so the server starts first and stops last.
    /// </summary>
    public static IHostApplicationBuilder AddManagement(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Services.AddManagement(builder.Configuration, serviceName);
        return builder;
    }

    /// <inheritdoc cref="AddManagement(IHostApplicationBuilder, string)"/>
    /// <remarks>Idempotent: a process composing several services (the embedded mode) gets one server and one registry; the first name wins.</remarks>
    public static IServiceCollection AddManagement(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(ManagementServerMarker)))
        {
            return services;
        }

        services.AddSingleton<ManagementServerMarker>();
        services.AddOptions<ManagementOptions>()
            .Bind(configuration.GetSection(ManagementOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddNuPlanBusMetrics(serviceName);
        services.AddHealthChecks();
        services.TryAddSingleton<ManagementEndpoint>();
        services.TryAddSingleton<IManagementEndpoint>(sp => sp.GetRequiredService<ManagementEndpoint>());
        services.AddHostedService<ManagementServer>();
        return services;
    }

    /// <summary>
    /// Only the <see cref="NuPlanBusMetrics"/> singleton, for hosts without a management server (tools, tests).
    /// Retention of per-run series comes from <see cref="ManagementOptions"/> when configured.
    /// </summary>
    public static IServiceCollection AddNuPlanBusMetrics(this IServiceCollection services, string serviceName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        // MassTransit's meter must exist before the first bus creates it from that bus's container (see MassTransitMeterExport).
        MassTransitMeterExport.EnsureProcessWideMeter();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new NuPlanBusMetrics(
            serviceName,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<IOptions<ManagementOptions>>()?.Value.RunSeriesRetention));
        return services;
    }

    /// <summary>A check that must be healthy for <c>/health/ready</c> to answer 200 (saga store, storage …).</summary>
    public static IServiceCollection AddReadinessCheck<T>(this IServiceCollection services, string? name = null)
        where T : class, IHealthCheck
    {
        services.AddHealthChecks().AddCheck<T>(name ?? typeof(T).Name, failureStatus: HealthStatus.Unhealthy, tags: [ReadyTag]);
        return services;
    }

    /// <summary>A readiness check given as a function, for checks that need no type of their own.</summary>
    public static IServiceCollection AddReadinessCheck(
        this IServiceCollection services, string name, Func<IServiceProvider, CancellationToken, Task<HealthCheckResult>> check)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(check);
        services.Configure<HealthCheckServiceOptions>(o => o.Registrations.Add(new HealthCheckRegistration(
            name,
            sp => new DelegateHealthCheck(sp, check),
            HealthStatus.Unhealthy,
            [ReadyTag])));
        return services;
    }

    private sealed class ManagementServerMarker;

    private sealed class DelegateHealthCheck(IServiceProvider services, Func<IServiceProvider, CancellationToken, Task<HealthCheckResult>> check) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            check(services, cancellationToken);
    }
}
