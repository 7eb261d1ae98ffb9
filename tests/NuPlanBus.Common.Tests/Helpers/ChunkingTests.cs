using NuPlanBus.Common.Helpers;

namespace NuPlanBus.Common.Tests.Helpers;

public class ChunkingTests
{
    [Theory]
    [InlineData(5, 2, new[] { 3, 2 })]
    [InlineData(7, 3, new[] { 3, 2, 2 })]
    [InlineData(10, 4, new[] { 3, 3, 2, 2 })]
    [InlineData(32, 32, null)]
    public void Sizes_follow_the_array_split_rule(int count, int chunks, int[]? expected)
    {
        var result = Chunking.ChunkList(Enumerable.Range(1, count).ToArray(), chunks);
        Assert.Equal(expected ?? Enumerable.Repeat(1, 32).ToArray(), result.Select(c => c.Count).ToArray());
    }

    [Fact]
    public void Five_into_two_keeps_order_and_contiguity()
    {
        var result = Chunking.ChunkList([1, 2, 3, 4, 5], 2);
        Assert.Equal([1, 2, 3], result[0]);
        Assert.Equal([4, 5], result[1]);
    }

    [Fact]
    public void The_remainder_goes_to_the_lowest_chunks()
    {
        var result = Chunking.ChunkList(Enumerable.Range(0, 108).ToArray(), 32);
        Assert.Equal(32, result.Count);
        Assert.All(result.Take(12), c => Assert.Equal(4, c.Count));
        Assert.All(result.Skip(12), c => Assert.Equal(3, c.Count));
        Assert.Equal(Enumerable.Range(0, 108), result.SelectMany(c => c));
    }

    [Fact]
    public void Fewer_items_than_chunks_gives_empty_chunks_instead_of_dropping_them()
    {
        var result = Chunking.ChunkList(Enumerable.Range(0, 20).ToArray(), 32);
        Assert.Equal(32, result.Count);
        Assert.All(result.Take(20), c => Assert.Single(c));
        Assert.All(result.Skip(20), Assert.Empty);
    }

    [Fact]
    public void No_items_gives_the_requested_number_of_empty_chunks()
    {
        var result = Chunking.ChunkList(Array.Empty<string>(), 3);
        Assert.Equal(3, result.Count);
        Assert.All(result, Assert.Empty);
    }

    [Fact]
    public void Elements_are_returned_untouched()
    {
        var items = new (string, int)[] { ("a", 1), ("b", 2) };
        var result = Chunking.ChunkList(items, 2);
        Assert.Equal(("a", 1), result[0][0]);
        Assert.Equal(("b", 2), result[1][0]);
    }

    [Fact]
    public void Zero_chunks_means_one_per_logical_cpu()
    {
        Assert.Equal(Environment.ProcessorCount, Chunking.ChunkList([1, 2, 3], 0).Count);
    }

    [Fact]
    public void Negative_chunk_counts_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Chunking.ChunkList([1], -1));
    }

    [Theory]
    [InlineData(10, 4, 0, 0, 3)]
    [InlineData(10, 4, 2, 6, 2)]
    [InlineData(0, 3, 2, 0, 0)]
    public void ChunkRange_gives_start_and_length(int count, int chunks, int index, int start, int length)
    {
        Assert.Equal((start, length), Chunking.ChunkRange(count, chunks, index));
    }
}
