using MassTransit;
using NuPlanBus.Contracts;

namespace NuPlanBus.StorageGateway;

/// <summary>Deletes stale barrier and token files under a synchronization root and publishes what it did.</summary>
public sealed class CleanUpSynchronizationFoldersConsumer(StorageHousekeeper housekeeper) : IConsumer<CleanUpSynchronizationFolders>
{
    public async Task Consume(ConsumeContext<CleanUpSynchronizationFolders> context)
    {
        var result = await housekeeper.CleanUpSynchronizationFoldersAsync(context.Message, context.CancellationToken);
        await context.Publish(result);
    }
}

public sealed class CleanUpSynchronizationFoldersConsumerDefinition : ConsumerDefinition<CleanUpSynchronizationFoldersConsumer>
{
    public CleanUpSynchronizationFoldersConsumerDefinition()
    {
        EndpointName = "clean-up-synchronization-folders";
        // Two passes over the same root would race on the same files; one at a time is plenty for housekeeping.
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<CleanUpSynchronizationFoldersConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = 1;
    }
}
