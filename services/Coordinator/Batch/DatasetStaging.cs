using Microsoft.Extensions.Logging;
using NuPlanBus.Common.Storage;
using NuPlanBus.Domain.Errors;
using NuPlanBus.Scenarios;

namespace NuPlanBus.Coordinator.Batch;

/// <summary>
/// Finds a batch job's log databases (local or on S3) and gives this node local copies of the ones it opens, under their
/// own file names (the log name is the file name). A copy of the same size is reused.
/// </summary>
public sealed class DatasetStaging(IStorage storage, string directory, ILogger logger)
{
    public const string LogExtension = ".db";

    /// <summary>The log files of <paramref name="dataset"/>: a .db file, a directory or prefix of them (not recursive, as the devkit).</summary>
    public async Task<IReadOnlyList<string>> ListLogFilesAsync(string dataset, CancellationToken cancellationToken)
    {
        var location = StoragePath.Parse(dataset);
        if (location.Value.EndsWith(LogExtension, StringComparison.Ordinal))
        {
            if (!await storage.ExistsAsync(location, includeDirectories: false, cancellationToken))
            {
                throw new ScenarioDataException(location.Value, "no such log database");
            }
            return [location.Value];
        }
        if (!location.IsS3 && !Directory.Exists(location.Key))
        {
            throw new ScenarioDataException(location.Value, "no such file or directory");
        }
        var files = new List<string>();
        await foreach (var file in storage.ListAsync(location, recursive: false, LogExtension, cancellationToken))
        {
            files.Add(file.Value);
        }
        if (files.Count == 0)
        {
            throw new ScenarioDataException(location.Value, "holds no nuPlan log database (*.db)");
        }
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>Local paths of <paramref name="logFiles"/>, downloading those on S3.</summary>
    public async Task<IReadOnlyList<string>> LocalizeAsync(IReadOnlyList<string> logFiles, CancellationToken cancellationToken)
    {
        var local = new List<string>(logFiles.Count);
        foreach (var file in logFiles)
        {
            var path = StoragePath.Parse(file);
            if (!path.IsS3)
            {
                local.Add(path.Key);
                continue;
            }
            var target = Path.Combine(directory, path.Name);
            var info = await storage.GetInfoAsync(path, cancellationToken)
                ?? throw new ScenarioDataException(file, "the log database disappeared from storage");
            if (!File.Exists(target) || new FileInfo(target).Length != info.Size)
            {
                logger.LogInformation("Downloading {Log} ({Bytes} bytes) to {Target}", file, info.Size, target);
                await storage.DownloadToFileAsync(path, target, cancellationToken);
            }
            local.Add(target);
        }
        return local;
    }

    /// <summary>The scenario references of local log files under a filter (a metadata query; no scenario is loaded).</summary>
    public static IReadOnlyList<ScenarioReference> Enumerate(IReadOnlyList<string> localLogFiles, ScenarioFilter filter) =>
        localLogFiles.Count == 0 ? [] : ScenarioCatalog.Build(localLogFiles, filter);
}
