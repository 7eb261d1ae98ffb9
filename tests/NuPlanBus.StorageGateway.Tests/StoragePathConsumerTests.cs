using NuPlanBus.Contracts;

namespace NuPlanBus.StorageGateway.Tests;

public sealed class StoragePathConsumerTests
{
    [Fact]
    public async Task A_directory_reports_its_recursive_file_count()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        gateway.WriteFile("run/a.txt", TimeSpan.Zero);
        gateway.WriteFile("run/sub/b.txt", TimeSpan.Zero);

        var answer = await gateway.RequestAsync<CheckStoragePath, StoragePathChecked>(new CheckStoragePath { Path = Path.Combine(gateway.Root, "run") });

        Assert.True(answer.Exists);
        Assert.True(answer.IsDirectory);
        Assert.Equal(2, answer.FileCount);
        Assert.Null(answer.Error);
    }

    [Fact]
    public async Task A_file_exists_and_is_not_a_directory()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var file = gateway.WriteFile("a.txt", TimeSpan.Zero);

        var answer = await gateway.RequestAsync<CheckStoragePath, StoragePathChecked>(new CheckStoragePath { Path = file });

        Assert.True(answer.Exists);
        Assert.False(answer.IsDirectory);
        Assert.Equal(0, answer.FileCount);
        Assert.Equal(file, answer.Path);
    }

    [Fact]
    public async Task A_missing_path_does_not_exist()
    {
        await using var gateway = await GatewayHarness.StartAsync();

        var answer = await gateway.RequestAsync<CheckStoragePath, StoragePathChecked>(new CheckStoragePath { Path = Path.Combine(gateway.Root, "nope") });

        Assert.False(answer.Exists);
        Assert.Null(answer.Error);
    }

    [Theory]
    [InlineData("s3://")]
    [InlineData("s3://Bad_Bucket/key")]
    [InlineData("gs://bucket/key")]
    public async Task A_bad_uri_is_answered_with_an_error(string path)
    {
        await using var gateway = await GatewayHarness.StartAsync();

        var checkedAnswer = await gateway.RequestAsync<CheckStoragePath, StoragePathChecked>(new CheckStoragePath { Path = path });
        var listed = await gateway.RequestAsync<ListStoragePath, StoragePathListed>(new ListStoragePath { Path = path });

        Assert.False(checkedAnswer.Exists);
        Assert.False(string.IsNullOrEmpty(checkedAnswer.Error));
        Assert.Empty(listed.Entries);
        Assert.False(string.IsNullOrEmpty(listed.Error));
    }

    [Fact]
    public async Task Listing_filters_by_suffix_and_recursion_in_path_order()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var b = gateway.WriteFile("d/b.parquet", TimeSpan.Zero);
        var a = gateway.WriteFile("d/a.parquet", TimeSpan.Zero);
        gateway.WriteFile("d/c.json", TimeSpan.Zero);
        var nested = gateway.WriteFile("d/sub/e.parquet", TimeSpan.Zero);
        var directory = Path.Combine(gateway.Root, "d");

        var recursive = await gateway.RequestAsync<ListStoragePath, StoragePathListed>(
            new ListStoragePath { Path = directory, Suffix = ".parquet" });
        var flat = await gateway.RequestAsync<ListStoragePath, StoragePathListed>(
            new ListStoragePath { Path = directory, Suffix = ".parquet", Recursive = false });

        Assert.Equal([a, b, nested], recursive.Entries);
        Assert.Equal([a, b], flat.Entries);
        Assert.False(recursive.Truncated);
        Assert.Null(recursive.Error);
    }

    [Fact]
    public async Task Listing_stops_at_max_entries_and_says_so()
    {
        await using var gateway = await GatewayHarness.StartAsync(new Dictionary<string, string?> { ["StorageGateway:MaxListEntries"] = "2" });
        for (var i = 0; i < 5; i++)
        {
            gateway.WriteFile($"d/{i}.txt", TimeSpan.Zero);
        }

        var capped = await gateway.RequestAsync<ListStoragePath, StoragePathListed>(
            new ListStoragePath { Path = Path.Combine(gateway.Root, "d"), MaxEntries = 3 });
        var exact = await gateway.RequestAsync<ListStoragePath, StoragePathListed>(
            new ListStoragePath { Path = Path.Combine(gateway.Root, "d"), MaxEntries = 1 });

        Assert.Equal(2, capped.Entries.Count);
        Assert.True(capped.Truncated);
        Assert.Single(exact.Entries);
        Assert.True(exact.Truncated);
    }

    [Fact]
    public async Task Listing_a_missing_directory_is_empty()
    {
        await using var gateway = await GatewayHarness.StartAsync();

        var listed = await gateway.RequestAsync<ListStoragePath, StoragePathListed>(new ListStoragePath { Path = Path.Combine(gateway.Root, "nope") });

        Assert.Empty(listed.Entries);
        Assert.False(listed.Truncated);
        Assert.Null(listed.Error);
    }
}
