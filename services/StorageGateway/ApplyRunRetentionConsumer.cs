using MassTransit;
using NuPlanBus.Contracts;

namespace NuPlanBus.StorageGateway;

/// <summary>Deletes run directories past their retention and publishes which runs went and which stayed.</summary>
public sealed class ApplyRunRetentionConsumer(StorageHousekeeper housekeeper) : IConsumer<ApplyRunRetention>
{
    public async Task Consume(ConsumeContext<ApplyRunRetention> context)
    {
        var result = await housekeeper.ApplyRunRetentionAsync(context.Message, context.CancellationToken);
        await context.Publish(result);
    }
}

public sealed class ApplyRunRetentionConsumerDefinition : ConsumerDefinition<ApplyRunRetentionConsumer>
{
    public ApplyRunRetentionConsumerDefinition()
    {
        EndpointName = "apply-run-retention";
        // Deleting runs is destructive and I/O bound: one pass at a time, never two deleting the same run.
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ApplyRunRetentionConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = 1;
    }
}
