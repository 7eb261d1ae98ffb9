using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NuPlanBus.Common.Storage;
using NuPlanBus.Hosting.Messaging;
using NuPlanBus.Hosting.Observability;
using NuPlanBus.Hosting.Storage;

namespace NuPlanBus.StorageGateway;

public static class Extensions
{
    public const string ServiceName = "storage-gateway";

    /// <summary>Everything the StorageGateway needs; call <see cref="BusExtensions.AddNuPlanBus"/> after it.</summary>
    public static IServiceCollection AddStorageGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageGatewayOptions>()
            .Bind(configuration.GetSection(StorageGatewayOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<HousekeepingOptions>()
            .Bind(configuration.GetSection(HousekeepingOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddNuPlanBusMetrics(ServiceName);
        services.TryAddSingleton<PrometheusStorageMetrics>();
        services.TryAddSingleton<IStorageMetrics>(sp => sp.GetRequiredService<PrometheusStorageMetrics>());
        services.AddNuPlanBusStorage(configuration);

        services.TryAddSingleton<StorageHousekeeper>();
        // TryAddEnumerable: a process composing services twice still runs one housekeeping loop.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, HousekeepingService>());

        services.AddPingResponder(ServiceName);
        services.AddBusContribution(ServiceName, bus =>
        {
            bus.AddConsumer<CheckStoragePathConsumer>();
            bus.AddConsumer<ListStoragePathConsumer>();
            bus.AddConsumer<CleanUpSynchronizationFoldersConsumer, CleanUpSynchronizationFoldersConsumerDefinition>();
            bus.AddConsumer<ApplyRunRetentionConsumer, ApplyRunRetentionConsumerDefinition>();
        });
        return services;
    }
}
