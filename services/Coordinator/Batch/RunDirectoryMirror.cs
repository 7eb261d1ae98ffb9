using NuPlanBus.Common.Storage;

namespace NuPlanBus.Coordinator.Batch;

/// <summary>Copies a run directory (or part of it) between a node's local staging directory and an s3:// output prefix.</summary>
public static class RunDirectoryMirror
{
    /// <summary>Uploads <paramref name="files"/> (default: every file under <paramref name="localDirectory"/>) to the same relative paths.</summary>
    public static async Task<int> UploadAsync(
        IStorage storage, string localDirectory, StoragePath remoteDirectory, IReadOnlyList<string>? files, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var file in files ?? Directory.EnumerateFiles(localDirectory, "*", SearchOption.AllDirectories).ToList())
        {
            var relative = Path.GetRelativePath(localDirectory, file).Replace(Path.DirectorySeparatorChar, '/');
            await storage.UploadFromFileAsync(file, remoteDirectory / relative, cancellationToken);
            count++;
        }
        return count;
    }

    /// <summary>Downloads the files under <paramref name="remoteDirectory"/> that are not already present locally.</summary>
    public static async Task<int> DownloadMissingAsync(
        IStorage storage, StoragePath remoteDirectory, string localDirectory, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var file in storage.ListAsync(remoteDirectory, recursive: true, suffix: null, cancellationToken))
        {
            var local = Path.Combine(localDirectory, file.RelativeTo(remoteDirectory).Replace('/', Path.DirectorySeparatorChar));
            if (!File.Exists(local))
            {
                await storage.DownloadToFileAsync(file, local, cancellationToken);
                count++;
            }
        }
        return count;
    }
}
