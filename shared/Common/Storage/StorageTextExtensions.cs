using System.Text;
using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Common.Storage;

/// <summary>UTF-8 text on top of the byte operations (strict decoding, no byte-order mark written).</summary>
public static class StorageTextExtensions
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<string> ReadTextAsync(this IStorage storage, StoragePath path, CancellationToken cancellationToken = default)
    {
        var bytes = await storage.ReadBytesAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            var preamble = Utf8.Preamble;
            var skip = bytes.AsSpan().StartsWith(preamble) ? preamble.Length : 0;
            return Utf8.GetString(bytes, skip, bytes.Length - skip);
        }
        catch (DecoderFallbackException ex)
        {
            throw new StorageException(StorageOperation.Read.ToName(), path.Value, "the content is not valid UTF-8", ex);
        }
    }

    public static Task WriteTextAsync(this IStorage storage, StoragePath path, string text, CancellationToken cancellationToken = default) =>
        storage.WriteBytesAsync(path, Utf8.GetBytes(text), cancellationToken);

    /// <summary>All listed files at once (the listing is already sorted).</summary>
    public static async Task<IReadOnlyList<StoragePath>> ListAllAsync(
        this IStorage storage,
        StoragePath directory,
        bool recursive = true,
        string? suffix = null,
        CancellationToken cancellationToken = default)
    {
        var files = new List<StoragePath>();
        await foreach (var file in storage.ListAsync(directory, recursive, suffix, cancellationToken).ConfigureAwait(false))
        {
            files.Add(file);
        }
        return files;
    }
}
