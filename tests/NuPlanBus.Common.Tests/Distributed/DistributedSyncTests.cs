using NuPlanBus.Common.Distributed;
using NuPlanBus.Common.Storage;
using NuPlanBus.Common.Tests.Helpers;

namespace NuPlanBus.Common.Tests.Distributed;

public sealed class DistributedSyncTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private sealed class RecordingBarrier : IBarrier
    {
        public List<BarrierRequest> Requests { get; } = [];

        public Task WaitAsync(BarrierRequest request, CancellationToken cancellationToken = default)
        {
            Requests.Add(request);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_single_node_returns_at_once_without_touching_the_barrier()
    {
        var barrier = new RecordingBarrier();
        await DistributedSync.SyncAsync(barrier, NodeContext.Single, "end");
        Assert.Empty(barrier.Requests);
    }

    [Fact]
    public async Task A_node_waits_as_barrier_token_rank_for_every_rank()
    {
        // The devkit example: NUM_NODES=2, NODE_RANK=1 → barrier_token_1 waits for {barrier_token_0, barrier_token_1}, 7200 s.
        var barrier = new RecordingBarrier();
        await DistributedSync.SyncAsync(barrier, new NodeContext(2, 1), "end", generation: 3);

        var request = Assert.Single(barrier.Requests);
        Assert.Equal("end", request.BarrierId);
        Assert.Equal(3, request.Generation);
        Assert.Equal("barrier_token_1", request.ParticipantId);
        Assert.Equal(["barrier_token_0", "barrier_token_1"], request.ExpectedParticipants);
        Assert.Equal(TimeSpan.FromSeconds(7200), request.Timeout);
    }

    [Fact]
    public async Task Nodes_sync_through_a_file_backed_barrier()
    {
        var barrier = new FileBackedBarrier(new LocalStorage(), StoragePath.Local(_directory.Path), new FileBackedBarrierOptions { PollInterval = TimeSpan.FromMilliseconds(20) });

        await Task.WhenAll(Enumerable.Range(0, 6).Select(rank =>
            Task.Run(() => DistributedSync.SyncAsync(barrier, new NodeContext(6, rank), "end", timeout: TimeSpan.FromSeconds(30))))).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(File.Exists(Path.Combine(_directory.Path, "end", "0", FileBackedBarrier.OutcomeName)));
    }
}
