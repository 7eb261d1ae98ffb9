using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NuPlanBus.Contracts;

namespace NuPlanBus.StorageGateway;

/// <summary>
/// Runs the clean-up and the run retention every <see cref="HousekeepingOptions.Interval"/> over the configured roots,
/// through the same <see cref="StorageHousekeeper"/> the consumers use, and publishes the results like they do.
/// Does nothing unless <see cref="HousekeepingOptions.Enabled"/>.
/// </summary>
public sealed class HousekeepingService(
    IOptions<HousekeepingOptions> options,
    StorageHousekeeper housekeeper,
    IBus bus,
    TimeProvider time,
    ILogger<HousekeepingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            logger.LogInformation("Storage housekeeping is disabled");
            return;
        }
        using var timer = new PeriodicTimer(settings.Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A failed pass (the bus is down, say) must not stop the host; the next tick tries again.
                logger.LogError(ex, "Storage housekeeping pass failed");
            }
        }
    }

    /// <summary>One pass over every configured root.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        foreach (var root in settings.SyncRoots)
        {
            var cleaned = await housekeeper.CleanUpSynchronizationFoldersAsync(
                new CleanUpSynchronizationFolders { Root = root, OlderThan = settings.SyncMaxAge }, cancellationToken);
            await bus.Publish(cleaned, cancellationToken);
        }
        foreach (var root in settings.OutputRoots)
        {
            var applied = await housekeeper.ApplyRunRetentionAsync(
                new ApplyRunRetention { OutputRoot = root, MaxAge = settings.RunMaxAge }, cancellationToken);
            await bus.Publish(applied, cancellationToken);
        }
    }
}
