using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NuPlanBus.Common.Storage;
using NuPlanBus.Contracts;

namespace NuPlanBus.StorageGateway;

/// <summary>Lists the files under a directory (local or s3://), capped at <see cref="StorageGatewayOptions.MaxListEntries"/>.</summary>
public sealed class ListStoragePathConsumer(IStorage storage, IOptions<StorageGatewayOptions> options, ILogger<ListStoragePathConsumer> logger)
    : IConsumer<ListStoragePath>
{
    public async Task Consume(ConsumeContext<ListStoragePath> context)
    {
        var request = context.Message;
        StoragePathListed answer;
        if (request.MaxEntries <= 0)
        {
            answer = new StoragePathListed { Path = request.Path, Error = $"MaxEntries must be positive (got {request.MaxEntries})." };
        }
        else
        {
            var limit = Math.Min(request.MaxEntries, options.Value.MaxListEntries);
            var entries = new List<string>();
            try
            {
                var directory = StoragePath.Parse(request.Path);
                var truncated = false;
                await foreach (var file in storage.ListAsync(directory, request.Recursive, request.Suffix, context.CancellationToken))
                {
                    if (entries.Count == limit)
                    {
                        truncated = true;
                        break;
                    }
                    entries.Add(file.Value);
                }
                answer = new StoragePathListed { Path = request.Path, Entries = entries, Truncated = truncated };
            }
            catch (Exception ex) when (StorageHousekeeper.IsStorageProblem(ex))
            {
                logger.LogWarning(ex, "Could not list {Path}", request.Path);
                answer = new StoragePathListed { Path = request.Path, Error = ex.Message };
            }
        }
        await context.RespondAsync(answer);
    }
}
