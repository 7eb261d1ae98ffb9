namespace NuPlanBus.Common.Storage;

/// <summary>
/// Blocking wrappers for code that cannot await (configuration loading, legacy call sites).
/// </summary>
/// <remarks>
/// Each call runs the asynchronous operation on the thread pool and blocks on it. The operation therefore never
/// tries to resume on the caller's <see cref="SynchronizationContext"/>, so these are safe from a UI or
/// single-threaded context where a plain <c>.Result</c> would deadlock (the devkit's wrappers raised inside a running
/// event loop instead). They do hold the calling thread; prefer the asynchronous methods on hot paths.
/// </remarks>
public static class StorageSync
{
    public static byte[] ReadBytes(this IStorage storage, StoragePath path, CancellationToken cancellationToken = default) =>
        Run(() => storage.ReadBytesAsync(path, cancellationToken));

    public static void WriteBytes(this IStorage storage, StoragePath path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default) =>
        Run(async () =>
        {
            await storage.WriteBytesAsync(path, bytes, cancellationToken).ConfigureAwait(false);
            return true;
        });

    public static bool CreateIfAbsent(this IStorage storage, StoragePath path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default) =>
        Run(() => storage.CreateIfAbsentAsync(path, bytes, cancellationToken));

    public static bool Exists(this IStorage storage, StoragePath path, bool includeDirectories = true, CancellationToken cancellationToken = default) =>
        Run(() => storage.ExistsAsync(path, includeDirectories, cancellationToken));

    public static IReadOnlyList<StoragePath> List(this IStorage storage, StoragePath directory, bool recursive = true, string? suffix = null, CancellationToken cancellationToken = default) =>
        Run(() => storage.ListAllAsync(directory, recursive, suffix, cancellationToken));

    public static void Delete(this IStorage storage, StoragePath path, CancellationToken cancellationToken = default) =>
        Run(async () =>
        {
            await storage.DeleteAsync(path, cancellationToken).ConfigureAwait(false);
            return true;
        });

    public static string ReadText(this IStorage storage, StoragePath path, CancellationToken cancellationToken = default) =>
        Run(() => storage.ReadTextAsync(path, cancellationToken));

    public static void WriteText(this IStorage storage, StoragePath path, string text, CancellationToken cancellationToken = default) =>
        Run(async () =>
        {
            await storage.WriteTextAsync(path, text, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <summary>Runs <paramref name="operation"/> on the thread pool and blocks until it ends, rethrowing its exception unwrapped.</summary>
    public static T Run<T>(Func<Task<T>> operation) => Task.Run(operation).GetAwaiter().GetResult();
}
