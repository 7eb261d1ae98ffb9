using MassTransit;
using Microsoft.Extensions.Logging;
using NuPlanBus.Contracts;

namespace NuPlanBus.StorageGateway;

/// <summary>Answers existence and listing questions about storage paths (the control plane, not bulk bytes).</summary>
public sealed class CheckStoragePathConsumer(ILogger<CheckStoragePathConsumer> logger) : IConsumer<CheckStoragePath>
{
    public async Task Consume(ConsumeContext<CheckStoragePath> context)
    {
        var path = context.Message.Path;
        StoragePathChecked answer;
        try
        {
            if (Directory.Exists(path))
            {
                var count = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Count();
                answer = new StoragePathChecked { Path = path, Exists = true, IsDirectory = true, FileCount = count };
            }
            else
            {
                answer = new StoragePathChecked { Path = path, Exists = File.Exists(path) };
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            logger.LogWarning(ex, "Could not check {Path}", path);
            answer = new StoragePathChecked { Path = path, Exists = false, Error = ex.Message };
        }
        await context.RespondAsync(answer);
    }
}
