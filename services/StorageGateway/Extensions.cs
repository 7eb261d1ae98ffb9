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

namespace NuPlanBus.StorageGateway;

public static class Extensions
{
    public const string ServiceName = "storage-gateway";

    /// <summary>Configuration section of <see cref="S3StorageOptions"/>.</summary>
    public const string S3Section = "Storage:S3";

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
        services.AddOptions<S3StorageOptions>()
            .Bind(configuration.GetSection(S3Section))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<S3StorageOptions>, S3StorageOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.AddNuPlanBusMetrics(ServiceName);
        services.TryAddSingleton<PrometheusStorageMetrics>();
        services.TryAddSingleton<IStorageMetrics>(sp => sp.GetRequiredService<PrometheusStorageMetrics>());
        services.TryAddSingleton(sp => new StorageFactory(
            sp.GetRequiredService<IOptions<S3StorageOptions>>().Value,
            sp.GetRequiredService<IStorageMetrics>(),
            sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<IStorage>(sp => sp.GetRequiredService<StorageFactory>().Storage);

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
