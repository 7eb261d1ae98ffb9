using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Common.Storage;

/// <summary>Configuration of <see cref="LogDatabaseCache"/> (section "Storage:LogDatabaseCache").</summary>
public sealed class LogDatabaseCacheOptions
{
    /// <summary>Local directory holding the cached files; created when missing. Use a directory of its own.</summary>
    public string Directory { get; set; } = Path.Combine(Path.GetTempPath(), "nuplanbus-log-cache");

    /// <summary>Soft size limit: least recently used files are evicted to stay below it (a single larger file is still served).</summary>
    public long MaxBytes { get; set; } = 50L * 1024 * 1024 * 1024;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            throw new ConfigurationException("Log database cache: Directory must be set.");
        }
        if (MaxBytes <= 0)
        {
            throw new ConfigurationException("Log database cache: MaxBytes must be positive.");
        }
    }
}

/// <summary>
/// Local copies of remote log databases (SQLite cannot open an object in S3).
/// </summary>
/// <remarks>
/// <para>A copy is identified by bucket/key and the object's version (ETag) and size, so a replaced object is fetched
/// again and the stale copy is dropped. Concurrent requests for the same object share one download; the file is
/// placed atomically (temporary name, then rename), so a reader never opens a partial database.</para>
/// <para>Files are evicted least-recently-used first when the cache would exceed <see cref="LogDatabaseCacheOptions.MaxBytes"/>.
/// A file under an open <see cref="LogDatabaseLease"/> is never evicted. Accounting is per process: two processes sharing one
/// directory stay correct (atomic placement) but may download the same file twice and each enforces the limit alone.
/// Local paths are served in place, without copying.</para>
/// </remarks>
public sealed class LogDatabaseCache
{
    private readonly IStorage _storage;
    private readonly LogDatabaseCacheOptions _options;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task> _downloads = new(StringComparer.Ordinal);
    private long _bytes;
    private long _reservedBytes;
    private long _clock;
    private int _downloadCount;

    public LogDatabaseCache(IStorage storage, LogDatabaseCacheOptions options, ILogger<LogDatabaseCache>? logger = null)
    {
        options.Validate();
        _storage = storage;
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Directory = Path.GetFullPath(options.Directory);
        System.IO.Directory.CreateDirectory(Directory);
        LoadExisting();
    }

    public string Directory { get; }

    /// <summary>Bytes held by completed cache files.</summary>
    public long CurrentBytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Number of completed downloads since this instance was created (shared downloads count once).</summary>
    public int DownloadCount => Volatile.Read(ref _downloadCount);

    /// <summary>A local path for <paramref name="remote"/>, held against eviction until the lease is disposed.</summary>
    /// <exception cref="StorageException">The remote file does not exist or cannot be downloaded.</exception>
    public async Task<LogDatabaseLease> AcquireAsync(StoragePath remote, CancellationToken cancellationToken = default)
    {
        if (!remote.IsS3)
        {
            return new LogDatabaseLease(remote.Key, null);
        }
        var info = await _storage.GetInfoAsync(remote, cancellationToken).ConfigureAwait(false)
            ?? throw new StorageException(StorageOperation.Download.ToName(), remote.Value, "not found");
        var name = CacheFileName(remote, info);
        var path = Path.Combine(Directory, name);
        while (true)
        {
            Task download;
            lock (_gate)
            {
                if (_entries.TryGetValue(name, out var entry) && !File.Exists(path))
                {
                    // Removed behind the cache's back (a cleanup job, another process evicting): fetch it again.
                    _bytes -= entry.Size;
                    _entries.Remove(name);
                    entry = null;
                }
                if (entry is not null)
                {
                    entry.Leases++;
                    entry.LastUsed = ++_clock;
                    Touch(path);
                    return new LogDatabaseLease(path, () => Release(name));
                }
                if (!_downloads.TryGetValue(name, out download!))
                {
                    download = DownloadAsync(remote, info, name, path);
                    _downloads[name] = download;
                }
            }
            // The shared download is not cancelled with one caller's token; that caller just stops waiting.
            await download.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A local path for <paramref name="remote"/> without holding it; it may be evicted once the cache needs room.</summary>
    public async Task<string> GetLocalPathAsync(StoragePath remote, CancellationToken cancellationToken = default)
    {
        using var lease = await AcquireAsync(remote, cancellationToken).ConfigureAwait(false);
        return lease.LocalPath;
    }

    /// <summary>
    /// <c>&lt;key hash&gt;-&lt;version hash&gt;/&lt;file name&gt;</c>: a directory per object version, holding the object under its own
    /// name, because a log database's name is its file name (nuPlan's log name).
    /// </summary>
    internal static string CacheFileName(StoragePath remote, StorageObjectInfo info)
    {
        var keyHash = Hash($"{remote.Bucket}/{remote.Key}");
        var versionHash = Hash($"{info.Version}\n{info.Size}");
        var readable = new StringBuilder();
        foreach (var c in remote.Name)
        {
            readable.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        }
        var name = readable.Length > 200 ? readable.ToString(readable.Length - 200, 200) : readable.ToString();
        return $"{keyHash}-{versionHash}/{name}";
    }

    private async Task DownloadAsync(StoragePath remote, StorageObjectInfo info, string name, string path)
    {
        await Task.Yield();
        lock (_gate)
        {
            MakeRoom(info.Size, remote);
            _reservedBytes += info.Size;
        }
        var placed = false;
        try
        {
            await _storage.DownloadToFileAsync(remote, path, CancellationToken.None).ConfigureAwait(false);
            var size = new FileInfo(path).Length;
            if (size != info.Size)
            {
                File.Delete(path);
                throw new StorageException(StorageOperation.Download.ToName(), remote.Value, $"the object changed during the download ({size} bytes instead of {info.Size})");
            }
            placed = true;
            Interlocked.Increment(ref _downloadCount);
        }
        finally
        {
            lock (_gate)
            {
                _reservedBytes -= info.Size;
                _downloads.Remove(name);
                if (placed)
                {
                    _entries[name] = new Entry(info.Size) { LastUsed = ++_clock };
                    _bytes += info.Size;
                    RemoveStaleVersions(name);
                }
            }
        }
        _logger.LogInformation("Cached {Remote} ({Size} bytes) as {Path}", remote.Value, info.Size, path);
    }

    /// <summary>Evicts least recently used, unleased files until <paramref name="incoming"/> more bytes fit. Caller holds the gate.</summary>
    private void MakeRoom(long incoming, StoragePath remote)
    {
        var candidates = _entries.Where(e => e.Value.Leases == 0).OrderBy(e => e.Value.LastUsed).Select(e => e.Key).ToList();
        foreach (var name in candidates)
        {
            if (_bytes + _reservedBytes + incoming <= _options.MaxBytes)
            {
                break;
            }
            Evict(name);
        }
        if (_bytes + _reservedBytes + incoming > _options.MaxBytes)
        {
            _logger.LogWarning(
                "Log database cache exceeds its limit of {Limit} bytes to hold {Remote} ({Size} bytes); files in use cannot be evicted",
                _options.MaxBytes,
                remote.Value,
                incoming);
        }
    }

    private void RemoveStaleVersions(string current)
    {
        var keyPrefix = current[..(current.IndexOf('-') + 1)];
        foreach (var name in _entries.Keys.Where(n => n != current && n.StartsWith(keyPrefix, StringComparison.Ordinal)).ToList())
        {
            if (_entries[name].Leases == 0)
            {
                Evict(name);
            }
        }
    }

    private void Evict(string name)
    {
        try
        {
            var path = Path.Combine(Directory, name);
            File.Delete(path);
            var version = Path.GetDirectoryName(path)!;
            if (System.IO.Directory.Exists(version) && !System.IO.Directory.EnumerateFileSystemEntries(version).Any())
            {
                System.IO.Directory.Delete(version);
            }
        }
        catch (IOException ex)
        {
            _logger.LogWarning(ex, "Could not evict {Name} from the log database cache", name);
            return;
        }
        _bytes -= _entries[name].Size;
        _entries.Remove(name);
    }

    private void Release(string name)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(name, out var entry) && entry.Leases > 0)
            {
                entry.Leases--;
            }
        }
    }

    private void LoadExisting()
    {
        var root = new DirectoryInfo(Directory);
        foreach (var stray in root.GetFiles())
        {
            // Files directly in the cache directory are from an older layout (hashes in the file name): not usable.
            stray.Delete();
        }
        var files = root.GetDirectories().SelectMany(d => d.GetFiles());
        foreach (var file in files.OrderBy(f => f.LastAccessTimeUtc).ThenBy(f => f.FullName, StringComparer.Ordinal))
        {
            if (LocalStorage.IsTemporaryName(file.Name))
            {
                // A download in flight (maybe another process's) or one a crash left behind: never a complete file.
                if (file.LastWriteTimeUtc < DateTime.UtcNow.AddDays(-1))
                {
                    file.Delete();
                }
                continue;
            }
            _entries[file.Directory!.Name + "/" + file.Name] = new Entry(file.Length) { LastUsed = ++_clock };
            _bytes += file.Length;
        }
    }

    private static void Touch(string path)
    {
        try
        {
            // Persists the recency for the next process (many mounts do not update access times on their own).
            File.SetLastAccessTimeUtc(path, DateTime.UtcNow);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    private sealed class Entry(long size)
    {
        public long Size { get; } = size;

        public long LastUsed { get; set; }

        public int Leases { get; set; }
    }
}

/// <summary>A cached log database held against eviction; dispose it when the database is closed.</summary>
public sealed class LogDatabaseLease : IDisposable
{
    private Action? _release;

    internal LogDatabaseLease(string localPath, Action? release)
    {
        LocalPath = localPath;
        _release = release;
    }

    public string LocalPath { get; }

    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}
