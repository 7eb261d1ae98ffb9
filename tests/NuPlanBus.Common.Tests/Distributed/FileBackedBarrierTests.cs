using System.Diagnostics;
using NuPlanBus.Common.Distributed;
using NuPlanBus.Common.Storage;
using NuPlanBus.Common.Tests.Helpers;

namespace NuPlanBus.Common.Tests.Distributed;

public sealed class FileBackedBarrierTests : BarrierContractTests, IDisposable
{
    private static readonly FileBackedBarrierOptions FastPolling = new() { PollInterval = TimeSpan.FromMilliseconds(20) };

    private readonly TemporaryDirectory _directory = new();
    private readonly LocalStorage _storage = new();

    private StoragePath Root => StoragePath.Local(_directory.Path) / "barrier";

    public void Dispose() => _directory.Dispose();

    protected override IBarrier CreateBarrier() => new FileBackedBarrier(_storage, Root, FastPolling);

    private string[] FilesOf(string barrierId, long generation)
    {
        var directory = Path.Combine(Root.Value, barrierId, generation.ToString());
        return Directory.Exists(directory) ? Directory.GetFiles(directory).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray() : [];
    }

    [Fact]
    public async Task Markers_are_exact_names_under_barrier_and_generation_holding_x()
    {
        var barrier = new FileBackedBarrier(_storage, Root, FastPolling);
        var waiting = Arrive(barrier, "job", 7, "barrier_token_0", ["barrier_token_0", "barrier_token_1"]);

        var marker = Path.Combine(Root.Value, "job", "7", "barrier_token_0");
        await WaitUntil(() => File.Exists(marker));
        Assert.Equal("x", await File.ReadAllTextAsync(marker));
        Assert.Equal(StoragePath.Local(marker), barrier.MarkerPath("job", 7, "barrier_token_0"));

        await Arrive(barrier, "job", 7, "barrier_token_1", ["barrier_token_0", "barrier_token_1"]);
        await waiting.WaitAsync(LongTimeout);
    }

    [Fact]
    public async Task After_the_release_only_the_outcome_remains()
    {
        var barrier = CreateBarrier();
        var expected = Participants(5);

        await Task.WhenAll(expected.Select(p => Arrive(barrier, "b", 0, p, expected))).WaitAsync(LongTimeout);

        Assert.Equal([FileBackedBarrier.OutcomeName], FilesOf("b", 0));
        Assert.Equal("released\n", await File.ReadAllTextAsync(Path.Combine(Root.Value, "b", "0", FileBackedBarrier.OutcomeName)));
    }

    [Fact]
    public async Task On_timeout_the_participant_removes_its_own_marker_and_records_the_missing()
    {
        var barrier = CreateBarrier();

        await Assert.ThrowsAsync<BarrierTimeoutException>(() => Arrive(barrier, "b", 0, "p0", ["p0", "p1", "p2"], ShortTimeout));

        Assert.Equal([FileBackedBarrier.OutcomeName], FilesOf("b", 0));
        var outcome = await File.ReadAllTextAsync(Path.Combine(Root.Value, "b", "0", FileBackedBarrier.OutcomeName));
        Assert.StartsWith("timeout\n", outcome);
        Assert.Contains("missing=p1\nmissing=p2\n", outcome);
    }

    [Fact]
    public async Task Stray_files_and_stem_lookalikes_are_ignored()
    {
        var barrier = CreateBarrier();
        var generation = Path.Combine(Root.Value, "b", "0");
        Directory.CreateDirectory(Path.Combine(generation, "p1", "nested"));
        await File.WriteAllTextAsync(Path.Combine(generation, "p1.txt"), "x");
        await File.WriteAllTextAsync(Path.Combine(generation, "p1", "nested", "p1"), "x");
        await File.WriteAllTextAsync(Path.Combine(generation, "leftover-from-a-crash"), "x");

        // The devkit took stems, so p1.txt counted as p1 (and on S3 nested keys counted too).
        var error = await Assert.ThrowsAsync<BarrierTimeoutException>(() => Arrive(barrier, "b", 0, "p0", ["p0", "p1"], ShortTimeout));
        Assert.Equal(["p1"], error.MissingParticipants);

        // Extra files do not block a complete set either (the devkit demanded exact set equality).
        await Task.WhenAll(Arrive(barrier, "b", 1, "p0", ["p0", "p1"]), Arrive(barrier, "b", 1, "p1", ["p0", "p1"]), WriteStray("b", 1)).WaitAsync(LongTimeout);
    }

    private Task WriteStray(string barrierId, long generation)
    {
        var directory = Path.Combine(Root.Value, barrierId, generation.ToString());
        Directory.CreateDirectory(directory);
        return File.WriteAllTextAsync(Path.Combine(directory, "stray.csv"), "x");
    }

    [Fact]
    public async Task One_participants_timeout_decides_the_generation_for_everybody()
    {
        var barrier = CreateBarrier();
        string[] expected = ["p0", "p1", "p2"];
        var patient = Arrive(barrier, "b", 0, "p0", expected, TimeSpan.FromSeconds(60));
        var impatient = Arrive(barrier, "b", 0, "p1", expected, ShortTimeout);

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAsync<BarrierTimeoutException>(() => impatient.WaitAsync(LongTimeout));
        var error = await Assert.ThrowsAsync<BarrierTimeoutException>(() => patient.WaitAsync(LongTimeout));

        Assert.Equal(["p2"], error.MissingParticipants);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));

        // A straggler finds the decision at once instead of waiting out its own timeout.
        var late = await Assert.ThrowsAsync<BarrierTimeoutException>(() => Arrive(barrier, "b", 0, "p2", expected, TimeSpan.FromSeconds(60)).WaitAsync(LongTimeout));
        Assert.Equal(["p2"], late.MissingParticipants);
        Assert.Equal([FileBackedBarrier.OutcomeName], FilesOf("b", 0));
    }

    [Fact]
    public async Task Polling_and_timeout_follow_the_injected_clock()
    {
        var clock = new ManualTimeProvider(autoAdvance: true);
        var barrier = new FileBackedBarrier(_storage, Root, new FileBackedBarrierOptions(), clock);

        var error = await Assert.ThrowsAsync<BarrierTimeoutException>(() =>
            barrier.WaitAsync(new BarrierRequest("b", 0, "p0", ["p0", "p1"], TimeSpan.FromSeconds(5))).WaitAsync(LongTimeout));

        Assert.Equal(TimeSpan.FromSeconds(5), error.Timeout);
        // Polls at 0, 0.5, …, 5.0 s of fake time: ten waits of one default poll interval (0.5 s), the devkit's cadence.
        Assert.Equal(Enumerable.Repeat(TimeSpan.FromSeconds(0.5), 10), clock.Delays);
        Assert.Equal([FileBackedBarrier.OutcomeName], FilesOf("b", 0));
    }

    [Fact]
    public async Task Cancellation_removes_the_marker()
    {
        var barrier = CreateBarrier();
        using var cancellation = new CancellationTokenSource();
        var waiting = Arrive(barrier, "b", 0, "p0", ["p0", "p1"], cancellationToken: cancellation.Token);
        await WaitUntil(() => FilesOf("b", 0).Contains("p0"));

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(LongTimeout));

        Assert.Empty(FilesOf("b", 0));
    }

    [Fact]
    public async Task Purge_removes_every_generation_of_a_barrier()
    {
        var barrier = new FileBackedBarrier(_storage, Root, FastPolling);
        await barrier.WaitAsync(new BarrierRequest("b", 0, "p0", ["p0"], LongTimeout));
        await barrier.WaitAsync(new BarrierRequest("b", 1, "p0", ["p0"], LongTimeout));

        await barrier.PurgeAsync("b");

        Assert.Empty(Directory.GetFiles(Path.Combine(Root.Value, "b"), "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("_outcome")]
    [InlineData("..")]
    public async Task Unsafe_ids_are_rejected(string id)
    {
        var barrier = CreateBarrier();
        await Assert.ThrowsAsync<ArgumentException>(() => barrier.WaitAsync(new BarrierRequest(id, 0, "p0", ["p0"], LongTimeout)));
        await Assert.ThrowsAsync<ArgumentException>(() => barrier.WaitAsync(new BarrierRequest("b", 0, id, [id], LongTimeout)));
    }

    [Fact]
    public async Task Infinite_or_zero_timeouts_are_rejected()
    {
        var barrier = CreateBarrier();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => barrier.WaitAsync(new BarrierRequest("b", 0, "p0", ["p0"], Timeout.InfiniteTimeSpan)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => barrier.WaitAsync(new BarrierRequest("b", 0, "p0", ["p0"], TimeSpan.Zero)));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "condition not reached in 10 s");
            await Task.Delay(10);
        }
    }
}
