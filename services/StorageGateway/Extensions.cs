using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NuPlanBus.Hosting.Messaging;

namespace NuPlanBus.StorageGateway;

public static class Extensions
{
    public const string ServiceName = "storage-gateway";

    /// <summary>Everything the StorageGateway needs; call <see cref="BusExtensions.AddNuPlanBus"/> after it.</summary>
    public static IServiceCollection AddStorageGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddBusContribution(ServiceName, bus => bus.AddConsumer<CheckStoragePathConsumer>());
        return services;
    }
}
