namespace NuPlanBus.Common.Helpers;

/// <summary>The devkit's <c>chunk_list</c>: contiguous, order-preserving slices by the "array split" rule.</summary>
public static class Chunking
{
    /// <summary>
    /// Splits <paramref name="items"/> into exactly <paramref name="numChunks"/> contiguous slices: with
    /// <c>N = items.Count</c>, <c>q = N / k</c>, <c>r = N % k</c>, slice <c>i</c> has <c>q + 1</c> items for
    /// <c>i &lt; r</c> and <c>q</c> otherwise, so the remainder goes to the lowest slices (the lowest node ranks).
    /// <paramref name="numChunks"/> = 0 means the number of logical CPUs, as in the devkit.
    /// </summary>
    /// <remarks>
    /// Unlike the devkit, empty slices are kept: the result always has <paramref name="numChunks"/> entries, so a
    /// caller indexing it by node rank gets an empty share instead of an index error when there are fewer items than
    /// nodes. Elements are returned untouched (the devkit coerced them through a numeric array).
    /// </remarks>
    public static IReadOnlyList<IReadOnlyList<T>> ChunkList<T>(IReadOnlyList<T> items, int numChunks)
    {
        ArgumentNullException.ThrowIfNull(items);
        var k = ResolveChunkCount(numChunks);
        var chunks = new IReadOnlyList<T>[k];
        for (var i = 0; i < k; i++)
        {
            var (start, length) = ChunkRange(items.Count, k, i);
            var chunk = new T[length];
            for (var j = 0; j < length; j++)
            {
                chunk[j] = items[start + j];
            }
            chunks[i] = chunk;
        }
        return chunks;
    }

    /// <summary>Splits into one slice per logical CPU.</summary>
    public static IReadOnlyList<IReadOnlyList<T>> ChunkList<T>(IReadOnlyList<T> items) => ChunkList(items, 0);

    /// <summary>
    /// Start index and length of slice <paramref name="index"/> when <paramref name="count"/> items are split into
    /// <paramref name="numChunks"/> slices; lets a node find its share without materialising the others.
    /// </summary>
    public static (int Start, int Length) ChunkRange(int count, int numChunks, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numChunks);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, numChunks);
        var q = count / numChunks;
        var r = count % numChunks;
        return (index * q + Math.Min(index, r), q + (index < r ? 1 : 0));
    }

    private static int ResolveChunkCount(int numChunks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(numChunks);
        return numChunks == 0 ? Environment.ProcessorCount : numChunks;
    }
}
