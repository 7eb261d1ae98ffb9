using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using NuPlanBus.Domain.Errors;
using NuPlanBus.Domain.IO;

namespace NuPlanBus.Common.Storage;

/// <summary>
/// <see cref="IStorage"/> on the local file system (or a shared volume mounted locally).
/// </summary>
/// <remarks>
/// Writes go to a hidden temporary name beside the target and are renamed over it (<see cref="AtomicFile"/>);
/// listings never show those temporary files. Local failures are not retried: a missing file or a full disk does
/// not heal by waiting.
/// </remarks>
public sealed partial class LocalStorage : IStorage
{
    private const string Backend = "local";
    private readonly IStorageMetrics _metrics;

    public LocalStorage(IStorageMetrics? metrics = null)
    {
        _metrics = metrics ?? NullStorageMetrics.Instance;
    }

    public Task<byte[]> ReadBytesAsync(StoragePath path, CancellationToken cancellationToken = default) =>
        RunAsync(StorageOperation.Read, path, async () =>
        {
            ThrowIfDirectory(StorageOperation.Read, path);
            return await File.ReadAllBytesAsync(path.Key, cancellationToken).ConfigureAwait(false);
        });

    public Task WriteBytesAsync(StoragePath path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default) =>
        RunAsync(StorageOperation.Write, path, async () =>
        {
            ThrowIfDirectory(StorageOperation.Write, path);
            await AtomicFile.WriteAllBytesAsync(path.Key, bytes, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <summary>
    /// Writes the content under a temporary name, then hard-links it to the target name, which fails atomically when
    /// the name is taken (link(2) never replaces). So exactly one of several concurrent creators wins and nobody ever
    /// sees a partial file. <see cref="File.Move(string, string, bool)"/> without overwrite is not enough on Unix: it
    /// checks and then renames, and two racing creators both won in our tests. On a file system without hard links
    /// the content is written straight into a file opened with <see cref="FileMode.CreateNew"/> (O_EXCL: still one
    /// winner, but a reader may see the file before its content is complete).
    /// </summary>
    public Task<bool> CreateIfAbsentAsync(StoragePath path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default) =>
        RunAsync(StorageOperation.CreateIfAbsent, path, async () =>
        {
            ThrowIfDirectory(StorageOperation.CreateIfAbsent, path);
            if (File.Exists(path.Key))
            {
                return false;
            }
            var directory = Path.GetDirectoryName(path.Key)!;
            Directory.CreateDirectory(directory);
            var temporary = Path.Combine(directory, $".{path.Name}.{Guid.NewGuid():N}.tmp");
            try
            {
                await WriteNewFileAsync(temporary, bytes, cancellationToken).ConfigureAwait(false);
                switch (PublishWithoutReplacing(temporary, path.Key))
                {
                    case PublishResult.Published:
                        return true;
                    case PublishResult.Exists:
                        return false;
                    default:
                        try
                        {
                            await WriteNewFileAsync(path.Key, bytes, cancellationToken).ConfigureAwait(false);
                            return true;
                        }
                        catch (IOException) when (File.Exists(path.Key))
                        {
                            return false;
                        }
                }
            }
            finally
            {
                File.Delete(temporary);
            }
        });

    public Task<bool> ExistsAsync(StoragePath path, bool includeDirectories = true, CancellationToken cancellationToken = default) =>
        RunAsync(StorageOperation.Exists, path, () =>
            Task.FromResult(File.Exists(path.Key) || (includeDirectories && Directory.Exists(path.Key))));

    public async IAsyncEnumerable<StoragePath> ListAsync(
        StoragePath directory,
        bool recursive = true,
        string? suffix = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var files = await RunAsync(StorageOperation.List, directory, () =>
        {
            if (!Directory.Exists(directory.Key))
            {
                return Task.FromResult(new List<StoragePath>());
            }
            var options = new EnumerationOptions
            {
                RecurseSubdirectories = recursive,
                AttributesToSkip = 0,
                IgnoreInaccessible = false,
                ReturnSpecialDirectories = false,
            };
            var found = new List<StoragePath>();
            foreach (var file in Directory.EnumerateFiles(directory.Key, "*", options))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (IsTemporaryName(Path.GetFileName(file)) || (suffix is not null && !file.EndsWith(suffix, StringComparison.Ordinal)))
                {
                    continue;
                }
                found.Add(StoragePath.Local(file));
            }
            found.Sort();
            return Task.FromResult(found);
        }).ConfigureAwait(false);
        foreach (var file in files)
        {
            yield return file;
        }
    }

    public Task DeleteAsync(StoragePath path, CancellationToken cancellationToken = default) =>
        RunAsync(StorageOperation.Delete, path, () =>
        {
            ThrowIfDirectory(StorageOperation.Delete, path);
            try
            {
                File.Delete(path.Key);
            }
            catch (DirectoryNotFoundException)
            {
                // The parent is missing, so the file is too: deleting a missing file is not an error.
            }
            return Task.FromResult(true);
        });

    public Task<StorageObjectInfo?> GetInfoAsync(StoragePath path, CancellationToken cancellationToken = default) =>
        RunAsync(StorageOperation.GetInfo, path, () =>
        {
            var info = new FileInfo(path.Key);
            if (!info.Exists)
            {
                return Task.FromResult<StorageObjectInfo?>(null);
            }
            var modified = info.LastWriteTimeUtc;
            return Task.FromResult<StorageObjectInfo?>(new StorageObjectInfo(path, info.Length, $"{info.Length}-{modified.Ticks}", new DateTimeOffset(modified)));
        });

    public Task DownloadToFileAsync(StoragePath path, string localPath, CancellationToken cancellationToken = default) =>
        RunAsync(StorageOperation.Download, path, async () =>
        {
            ThrowIfDirectory(StorageOperation.Download, path);
            await using var source = new FileStream(path.Key, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            await AtomicFile.WriteAsync(localPath, target => source.CopyToAsync(target, cancellationToken), cancellationToken).ConfigureAwait(false);
            return true;
        });

    public Task UploadFromFileAsync(string localPath, StoragePath path, CancellationToken cancellationToken = default) =>
        RunAsync(StorageOperation.Upload, path, async () =>
        {
            ThrowIfDirectory(StorageOperation.Upload, path);
            await using var source = new FileStream(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            await AtomicFile.WriteAsync(path.Key, target => source.CopyToAsync(target, cancellationToken), cancellationToken).ConfigureAwait(false);
            return true;
        });

    private enum PublishResult
    {
        Published,
        Exists,
        Unsupported,
    }

    private static async Task WriteNewFileAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true);
        await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static PublishResult PublishWithoutReplacing(string source, string target)
    {
        if (OperatingSystem.IsWindows())
        {
            // MoveFileEx without MOVEFILE_REPLACE_EXISTING fails atomically when the target exists.
            try
            {
                File.Move(source, target, overwrite: false);
                return PublishResult.Published;
            }
            catch (IOException) when (File.Exists(target))
            {
                return PublishResult.Exists;
            }
        }
        if (NativeMethods.Link(source, target) == 0)
        {
            return PublishResult.Published;
        }
        var errno = Marshal.GetLastPInvokeError();
        if (errno == NativeMethods.EEXIST)
        {
            return PublishResult.Exists;
        }
        if (errno is NativeMethods.ENOENT or NativeMethods.EACCES or NativeMethods.ENOSPC or NativeMethods.EROFS)
        {
            throw new IOException($"link({source}, {target}) failed: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
        return PublishResult.Unsupported;
    }

    private static class NativeMethods
    {
        // errno values shared by Linux and macOS.
        public const int ENOENT = 2;
        public const int EACCES = 13;
        public const int EEXIST = 17;
        public const int ENOSPC = 28;
        public const int EROFS = 30;

        [DllImport("libc", EntryPoint = "link", SetLastError = true)]
        public static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string created);
    }

    /// <summary>Whether a file name is one of <see cref="AtomicFile"/>'s in-flight temporary names.</summary>
    internal static bool IsTemporaryName(string fileName) => TemporaryName().IsMatch(fileName);

    [GeneratedRegex("^\\..+\\.[0-9a-f]{32}\\.tmp$", RegexOptions.CultureInvariant)]
    private static partial Regex TemporaryName();

    private static void ThrowIfDirectory(StorageOperation operation, StoragePath path)
    {
        if (Directory.Exists(path.Key))
        {
            throw new StorageException(operation.ToName(), path.Value, "expected a file, got a directory");
        }
    }

    private async Task<T> RunAsync<T>(StorageOperation operation, StoragePath path, Func<Task<T>> action)
    {
        if (path.IsEmpty || path.IsS3)
        {
            throw new ArgumentException($"LocalStorage cannot handle '{path}'.", nameof(path));
        }
        var stopwatch = Stopwatch.StartNew();
        var succeeded = false;
        try
        {
            var result = await action().ConfigureAwait(false);
            succeeded = true;
            return result;
        }
        catch (StorageException)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new StorageException(operation.ToName(), path.Value, Describe(ex), ex);
        }
        finally
        {
            _metrics.OperationCompleted(Backend, operation, succeeded, stopwatch.Elapsed);
        }
    }

    private static string Describe(Exception exception) => exception switch
    {
        FileNotFoundException or DirectoryNotFoundException => "not found",
        UnauthorizedAccessException => $"permission denied ({exception.Message})",
        _ => exception.Message,
    };
}
