using MassTransit;
using Microsoft.Extensions.Logging;
using NuPlanBus.Common.Storage;
using NuPlanBus.Contracts;

namespace NuPlanBus.StorageGateway;

/// <summary>Answers whether a path (local or s3://) is a file, a directory and how many files it holds (the control plane, not bulk bytes).</summary>
public sealed class CheckStoragePathConsumer(IStorage storage, ILogger<CheckStoragePathConsumer> logger) : IConsumer<CheckStoragePath>
{
    public async Task Consume(ConsumeContext<CheckStoragePath> context)
    {
        var requested = context.Message.Path;
        var cancellationToken = context.CancellationToken;
        StoragePathChecked answer;
        try
        {
            var path = StoragePath.Parse(requested);
            if (await storage.ExistsAsync(path, includeDirectories: false, cancellationToken))
            {
                answer = new StoragePathChecked { Path = requested, Exists = true };
            }
            else if (await storage.ExistsAsync(path, includeDirectories: true, cancellationToken))
            {
                var count = 0;
                await foreach (var _ in storage.ListAsync(path, recursive: true, cancellationToken: cancellationToken))
                {
                    count++;
                }
                answer = new StoragePathChecked { Path = requested, Exists = true, IsDirectory = true, FileCount = count };
            }
            else
            {
                answer = new StoragePathChecked { Path = requested, Exists = false };
            }
        }
        catch (Exception ex) when (StorageHousekeeper.IsStorageProblem(ex))
        {
            logger.LogWarning(ex, "Could not check {Path}", requested);
            answer = new StoragePathChecked { Path = requested, Exists = false, Error = ex.Message };
        }
        await context.RespondAsync(answer);
    }
}
