using Microsoft.Extensions.Logging;
using NuPlanBus.Common.Experiments;
using NuPlanBus.Common.Storage;
using NuPlanBus.Contracts;
using NuPlanBus.Domain.Errors;

namespace NuPlanBus.StorageGateway;

/// <summary>
/// Deletes what nobody else deletes: the devkit and our barriers leave markers, outcome files and token CSVs behind on
/// purpose (docs/nuplan-runtime.md §3.5, §5.7), and finished runs stay until someone removes them. Works on local paths and S3 alike;
/// on local storage it also removes the directories it emptied. Storage problems end a pass early and are reported in
/// the result's <c>Error</c>, never thrown.
/// </summary>
public sealed class StorageHousekeeper(IStorage storage, TimeProvider time, ILogger<StorageHousekeeper> logger)
{
    /// <summary>Folders under a synchronization root that hold only disposable coordination files.</summary>
    public static readonly IReadOnlyList<string> SynchronizationFolders = ["barrier", "tokens"];

    public static readonly string ClaimFileName = Path.GetFileName(RunLayout.ClaimFile(string.Empty));

    public async Task<SynchronizationFoldersCleanedUp> CleanUpSynchronizationFoldersAsync(
        CleanUpSynchronizationFolders command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var deleted = 0;
        try
        {
            if (command.OlderThan < TimeSpan.Zero)
            {
                throw new UserInputException($"OlderThan must not be negative (got {command.OlderThan}).");
            }
            var root = StoragePath.Parse(command.Root);
            var cutoff = time.GetUtcNow() - command.OlderThan;
            foreach (var folder in SynchronizationFolders)
            {
                var directory = root / folder;
                await foreach (var file in storage.ListAsync(directory, recursive: true, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    var info = await storage.GetInfoAsync(file, cancellationToken).ConfigureAwait(false);
                    if (info?.LastModified is { } modified && modified < cutoff)
                    {
                        await storage.DeleteAsync(file, cancellationToken).ConfigureAwait(false);
                        deleted++;
                    }
                }
                if (!directory.IsS3)
                {
                    RemoveEmptyDirectories(directory.Key, removeTop: false);
                }
            }
            logger.LogInformation("Deleted {Count} synchronization files older than {OlderThan} under {Root}", deleted, command.OlderThan, command.Root);
            return new SynchronizationFoldersCleanedUp { Root = command.Root, DeletedFiles = deleted };
        }
        catch (Exception ex) when (IsStorageProblem(ex))
        {
            logger.LogWarning(ex, "Clean-up of synchronization folders under {Root} stopped after {Count} files", command.Root, deleted);
            return new SynchronizationFoldersCleanedUp { Root = command.Root, DeletedFiles = deleted, Error = ex.Message };
        }
    }

    public async Task<RunRetentionApplied> ApplyRunRetentionAsync(ApplyRunRetention command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var deletedRuns = new List<string>();
        var keptRuns = new List<string>();
        try
        {
            if (command.MaxAge < TimeSpan.Zero)
            {
                throw new UserInputException($"MaxAge must not be negative (got {command.MaxAge}).");
            }
            var root = StoragePath.Parse(command.OutputRoot);
            var cutoff = time.GetUtcNow() - command.MaxAge;
            var files = new List<StoragePath>();
            await foreach (var file in storage.ListAsync(root, recursive: true, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                files.Add(file);
            }

            foreach (var (run, runFiles) in GroupByRun(root, files))
            {
                var name = run.RelativeTo(root);
                if (!await IsExpiredAsync(runFiles, cutoff, cancellationToken).ConfigureAwait(false))
                {
                    keptRuns.Add(name);
                    continue;
                }
                if (!command.DryRun)
                {
                    await DeleteRunAsync(run, runFiles, cancellationToken).ConfigureAwait(false);
                }
                deletedRuns.Add(name);
            }
            logger.LogInformation("Run retention under {OutputRoot} (max age {MaxAge}, dry run {DryRun}): deleted {Deleted}, kept {Kept}",
                command.OutputRoot, command.MaxAge, command.DryRun, deletedRuns.Count, keptRuns.Count);
            return new RunRetentionApplied { OutputRoot = command.OutputRoot, DeletedRuns = deletedRuns, KeptRuns = keptRuns, DryRun = command.DryRun };
        }
        catch (Exception ex) when (IsStorageProblem(ex))
        {
            logger.LogWarning(ex, "Run retention under {OutputRoot} stopped after {Count} runs", command.OutputRoot, deletedRuns.Count);
            return new RunRetentionApplied
            {
                OutputRoot = command.OutputRoot,
                DeletedRuns = deletedRuns,
                KeptRuns = keptRuns,
                DryRun = command.DryRun,
                Error = ex.Message,
            };
        }
    }

    internal static bool IsStorageProblem(Exception exception) =>
        exception is NuPlanBusException or IOException or UnauthorizedAccessException;

    /// <summary>
    /// The run directories below <paramref name="root"/> (not the root itself) with their files; a run nested in
    /// another run belongs to the outer one, so a file is never claimed twice.
    /// </summary>
    private static SortedDictionary<StoragePath, List<StoragePath>> GroupByRun(StoragePath root, List<StoragePath> files)
    {
        var runDirectories = new HashSet<StoragePath>();
        foreach (var file in files)
        {
            if (file.Name == ClaimFileName && file.Parent is { } parent && parent != root)
            {
                runDirectories.Add(parent);
            }
        }

        var runs = new SortedDictionary<StoragePath, List<StoragePath>>();
        foreach (var file in files)
        {
            StoragePath? owner = null;
            for (var directory = file.Parent; directory is { } d && d != root && d.IsWithin(root); directory = d.Parent)
            {
                if (runDirectories.Contains(d))
                {
                    owner = d;
                }
            }
            if (owner is { } run)
            {
                if (!runs.TryGetValue(run, out var list))
                {
                    runs[run] = list = [];
                }
                list.Add(file);
            }
        }
        return runs;
    }

    /// <summary>Expired when every file is known to be older than the cutoff; a file without a time keeps the run.</summary>
    private async Task<bool> IsExpiredAsync(List<StoragePath> files, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        foreach (var file in files)
        {
            var info = await storage.GetInfoAsync(file, cancellationToken).ConfigureAwait(false);
            if (info is null)
            {
                continue; // Deleted since the listing.
            }
            if (info.LastModified is not { } modified || modified >= cutoff)
            {
                return false;
            }
        }
        return true;
    }

    private async Task DeleteRunAsync(StoragePath run, List<StoragePath> files, CancellationToken cancellationToken)
    {
        // The claim file goes last: a pass interrupted half-way still sees a run directory next time and finishes it.
        foreach (var file in files.OrderBy(f => f.Name == ClaimFileName && f.Parent == run))
        {
            await storage.DeleteAsync(file, cancellationToken).ConfigureAwait(false);
        }
        if (!run.IsS3)
        {
            RemoveEmptyDirectories(run.Key, removeTop: true);
        }
    }

    /// <summary>Removes empty directories below (and with <paramref name="removeTop"/> including) <paramref name="directory"/>.</summary>
    private void RemoveEmptyDirectories(string directory, bool removeTop)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }
        foreach (var child in Directory.EnumerateDirectories(directory))
        {
            RemoveEmptyDirectories(child, removeTop: true);
        }
        if (removeTop && !Directory.EnumerateFileSystemEntries(directory).Any())
        {
            try
            {
                Directory.Delete(directory, recursive: false);
            }
            catch (IOException ex)
            {
                // Someone wrote into it meanwhile (a new barrier generation); it is not ours to remove then.
                logger.LogDebug(ex, "Kept directory {Directory}", directory);
            }
        }
    }
}
