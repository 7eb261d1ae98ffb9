using NuPlanBus.Common.Distributed;
using NuPlanBus.Common.Storage;
using NuPlanBus.Common.Tests.Distributed;

namespace NuPlanBus.Common.IntegrationTests;

/// <summary>
/// The file-backed barrier on an S3 prefix of a real S3 API (moto): the whole barrier contract — 2, 8 and 32 participants,
/// one that never arrives, one that arrives twice, reuse across generations — through conditional creates and listings.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class S3FileBackedBarrierTests : BarrierContractTests, IAsyncLifetime, IDisposable
{
    private static readonly FileBackedBarrierOptions Polling = new() { PollInterval = TimeSpan.FromMilliseconds(100) };
    private readonly MotoServer _moto;
    private readonly S3Storage _storage;
    private readonly string _bucket = "barrier-" + Guid.NewGuid().ToString("N")[..12];

    public S3FileBackedBarrierTests(MotoServer moto)
    {
        _moto = moto;
        _storage = moto.CreateStorage();
    }

    // Single-threaded moto serves every poll of up to 32 participants: allow it more than a local directory needs.
    protected override TimeSpan ShortTimeout => TimeSpan.FromSeconds(2);

    protected override TimeSpan LongTimeout => TimeSpan.FromSeconds(60);

    protected override TimeSpan EarlyReleaseProbe => TimeSpan.FromMilliseconds(600);

    protected override TimeSpan MaxReleaseLatency => TimeSpan.FromSeconds(3);

    protected override IBarrier CreateBarrier() => new FileBackedBarrier(_storage, StoragePath.S3(_bucket, "sync/barrier"), Polling);

    public async Task InitializeAsync() => await _moto.CreateBucketAsync(_bucket);

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _storage.Dispose();

    [Fact]
    public async Task Markers_are_removed_from_the_prefix_once_everybody_was_released()
    {
        var barrier = CreateBarrier();
        var expected = Participants(3);

        await Task.WhenAll(expected.Select(p => Arrive(barrier, "cleanup", 0, p, expected))).WaitAsync(LongTimeout);

        var left = new List<StoragePath>();
        await foreach (var file in _storage.ListAsync(StoragePath.S3(_bucket, "sync/barrier/cleanup/0")))
        {
            left.Add(file);
        }
        Assert.Equal([FileBackedBarrier.OutcomeName], left.Select(f => f.Name));
    }
}
