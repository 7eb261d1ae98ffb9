using NuPlanBus.Common.Storage;
using NuPlanBus.Common.Tests.Helpers;

namespace NuPlanBus.Common.Tests.Storage;

public sealed class StorageSyncAndFactoryTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Sync_wrappers_do_not_deadlock_under_a_single_threaded_synchronization_context()
    {
        var storage = new LocalStorage();
        var path = StoragePath.Local(_directory.Path) / "ctx/file.txt";
        string? read = null;
        IReadOnlyList<StoragePath>? listed = null;

        var thread = new Thread(() =>
        {
            // A context that can only run posted work on this (blocked) thread: the classic .Result deadlock.
            SynchronizationContext.SetSynchronizationContext(new BlockingContext());
            storage.WriteText(path, "hello");
            read = storage.ReadText(path);
            listed = storage.List(path.Parent!.Value);
            storage.Delete(path);
        });
        thread.Start();

        Assert.True(thread.Join(TimeSpan.FromSeconds(20)), "the sync wrapper deadlocked");
        Assert.Equal("hello", read);
        Assert.Single(listed!);
        Assert.False(storage.Exists(path));
    }

    [Fact]
    public void Sync_wrappers_rethrow_the_storage_exception_unwrapped()
    {
        var storage = new LocalStorage();

        Assert.Throws<NuPlanBus.Domain.Errors.StorageException>(() => storage.ReadBytes(StoragePath.Local(_directory.Path) / "missing"));
    }

    [Fact]
    public void The_factory_resolves_local_and_s3_paths_to_their_back_ends()
    {
        using var factory = new StorageFactory(new S3StorageOptions { ServiceUrl = "http://127.0.0.1:1", ForcePathStyle = true, AccessKeyId = "k", SecretAccessKey = "s" });

        var local = factory.Resolve(StoragePath.Local(_directory.Path));
        var s3 = factory.Resolve(StoragePath.Parse("s3://scratch/x"));

        Assert.IsType<LocalStorage>(local);
        Assert.IsType<S3Storage>(s3);
        Assert.Same(s3, factory.Resolve(StoragePath.Parse("s3://3d-data/y")));
    }

    [Fact]
    public async Task The_resolving_storage_serves_local_paths()
    {
        using var factory = new StorageFactory();
        var path = StoragePath.Local(_directory.Path) / "via-factory.txt";

        await factory.Storage.WriteTextAsync(path, "x");

        Assert.Equal("x", await factory.Storage.ReadTextAsync(path));
        Assert.True(await factory.Storage.ExistsAsync(path));
    }

    private sealed class BlockingContext : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state) =>
            throw new InvalidOperationException("work was posted back to the blocked context");

        public override void Send(SendOrPostCallback d, object? state) =>
            throw new InvalidOperationException("work was sent back to the blocked context");
    }
}
