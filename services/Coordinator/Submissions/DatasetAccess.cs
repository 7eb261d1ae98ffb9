using NuPlanBus.Common.Storage;
using NuPlanBus.Contracts;
using NuPlanBus.Domain.Errors;
using NuPlanBus.Hosting.Messaging;
using NuPlanBus.Scenarios;

namespace NuPlanBus.Coordinator.Submissions;

/// <summary>
/// Finds the log databases of a dataset — a .db file, or a directory or S3 prefix holding them (not recursive, as the
/// devkit) — and enumerates their scenarios. Logs on S3 are read from local copies in the <see cref="LogDatabaseCache"/>;
/// the scenarios keep the S3 URI as their log path, so every SimWorker fetches (and caches) the logs it needs itself.
/// </summary>
public sealed class DatasetAccess(IStorage storage, LogDatabaseCache cache)
{
    public const string LogExtension = ".db";

    /// <summary>The log files of <paramref name="dataset"/> in ordinal order, as local paths or s3:// URIs.</summary>
    public async Task<IReadOnlyList<string>> ListLogFilesAsync(string dataset, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(dataset))
        {
            throw new ConfigurationException("No dataset location given.");
        }
        var location = StoragePath.Parse(dataset);
        if (location.Value.EndsWith(LogExtension, StringComparison.Ordinal)
            && await storage.ExistsAsync(location, includeDirectories: false, cancellationToken))
        {
            return [location.Value];
        }
        if (!await storage.ExistsAsync(location, includeDirectories: true, cancellationToken))
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
            throw new ScenarioDataException(location.Value, location.Value.EndsWith(LogExtension, StringComparison.Ordinal)
                ? "is not a log database file"
                : "holds no nuPlan log database (*.db)");
        }
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>
    /// The scenarios of <paramref name="logFiles"/> under <paramref name="filter"/> (a metadata query: no scenario is loaded),
    /// each described with its log file as given (local path or s3:// URI).
    /// </summary>
    public async Task<IReadOnlyList<ScenarioDescriptor>> DescribeAsync(
        IReadOnlyList<string> logFiles, ScenarioFilter filter, CancellationToken cancellationToken)
    {
        if (logFiles.Count == 0)
        {
            return [];
        }
        var byLocalPath = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in logFiles)
        {
            var local = await cache.GetLocalPathAsync(StoragePath.Parse(file), cancellationToken);
            byLocalPath[Path.GetFullPath(local)] = file;
        }
        return ScenarioCatalog.Build(byLocalPath.Keys, filter)
            .Select(reference => reference.ToDescriptor() with { LogPath = byLocalPath[reference.LogPath] })
            .ToList();
    }

    /// <summary>Every scenario of a submission's dataset that passes its filter; none is a <see cref="UserInputException"/>.</summary>
    public async Task<IReadOnlyList<ScenarioDescriptor>> EnumerateAsync(string dataset, ScenarioFilterSpec spec, CancellationToken cancellationToken)
    {
        var files = await ListLogFilesAsync(dataset, cancellationToken);
        var scenarios = await DescribeAsync(files, ScenarioEnumeration.ToFilter(spec), cancellationToken);
        if (scenarios.Count == 0)
        {
            throw new UserInputException($"No scenario in {dataset} matches the scenario filter.");
        }
        return scenarios;
    }
}
