using NuPlanBus.Domain.IO;

namespace NuPlanBus.Common.Storage;

/// <summary>
/// Location-agnostic storage: the same operations on local paths and S3 URIs. Every operation is
/// asynchronous; failures are <see cref="NuPlanBus.Domain.Errors.StorageException"/>s naming the operation
/// and the path. Writes are atomic: a reader sees the old content or the whole new content, never a part.
/// </summary>
/// <remarks>
/// Semantics shared by both back ends (the devkit's differed, docs/nuplan-runtime.md §1.5): listing returns files only, never
/// directories, in <see cref="StoragePath.CompareTo"/> order; a directory <c>d</c> contains exactly the paths
/// below <c>d/</c> (so <c>test_dir</c> never matches <c>test_dir2/x</c>); a missing directory lists as empty.
/// The members with bodies are fallbacks for other implementations (fakes); both real back ends override them.
/// </remarks>
public interface IStorage
{
    Task<byte[]> ReadBytesAsync(StoragePath path, CancellationToken cancellationToken = default);

    Task WriteBytesAsync(StoragePath path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default);

    /// <summary>Creates the object only if it does not exist yet; returns false when it already existed.</summary>
    Task<bool> CreateIfAbsentAsync(StoragePath path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default);

    /// <summary>Whether a file exists at exactly this path (or, when <paramref name="includeDirectories"/>, a directory / prefix with content).</summary>
    Task<bool> ExistsAsync(StoragePath path, bool includeDirectories = true, CancellationToken cancellationToken = default);

    /// <summary>Files under a directory (recursively or one level), optionally filtered by suffix, in ordinal order of their paths.</summary>
    IAsyncEnumerable<StoragePath> ListAsync(StoragePath directory, bool recursive = true, string? suffix = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes a file; a missing file is not an error. A directory is rejected.</summary>
    Task DeleteAsync(StoragePath path, CancellationToken cancellationToken = default);

    /// <summary>Size and version of a file, or null when there is no file at exactly this path.</summary>
    async Task<StorageObjectInfo?> GetInfoAsync(StoragePath path, CancellationToken cancellationToken = default)
    {
        if (!await ExistsAsync(path, includeDirectories: false, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        var bytes = await ReadBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return new StorageObjectInfo(path, bytes.LongLength, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), null);
    }

    /// <summary>Copies a file to a local file, placing it atomically (never a partial file at <paramref name="localPath"/>).</summary>
    async Task DownloadToFileAsync(StoragePath path, string localPath, CancellationToken cancellationToken = default)
    {
        var bytes = await ReadBytesAsync(path, cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllBytesAsync(localPath, bytes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores a local file at <paramref name="path"/> (atomically, like <see cref="WriteBytesAsync"/>).</summary>
    async Task UploadFromFileAsync(string localPath, StoragePath path, CancellationToken cancellationToken = default)
    {
        var bytes = await File.ReadAllBytesAsync(localPath, cancellationToken).ConfigureAwait(false);
        await WriteBytesAsync(path, bytes, cancellationToken).ConfigureAwait(false);
    }
}
