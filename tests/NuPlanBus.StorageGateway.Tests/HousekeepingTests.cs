using MassTransit.Testing;
using NuPlanBus.Contracts;

namespace NuPlanBus.StorageGateway.Tests;

public sealed class HousekeepingTests
{
    private static readonly TimeSpan Old = TimeSpan.FromDays(3);
    private static readonly TimeSpan MaxAge = TimeSpan.FromDays(1);

    [Fact]
    public async Task Clean_up_deletes_only_old_files_under_barrier_and_tokens()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var oldMarker = gateway.WriteFile("sync/barrier/b1/0/barrier_token_0", Old);
        var oldOutcome = gateway.WriteFile("sync/barrier/b1/0/_outcome", Old);
        var oldToken = gateway.WriteFile("sync/tokens/job/0.csv", Old);
        var newMarker = gateway.WriteFile("sync/barrier/b1/1/barrier_token_0", TimeSpan.Zero);
        var newToken = gateway.WriteFile("sync/tokens/job/1.csv", TimeSpan.Zero);
        var oldElsewhere = gateway.WriteFile("sync/other/keep.csv", Old);
        var oldAtRoot = gateway.WriteFile("sync/barrier_notes.txt", Old);

        var result = await gateway.SendAndAwaitAsync<CleanUpSynchronizationFolders, SynchronizationFoldersCleanedUp>(
            new CleanUpSynchronizationFolders { Root = Path.Combine(gateway.Root, "sync"), OlderThan = MaxAge });

        Assert.Equal(3, result.DeletedFiles);
        Assert.Null(result.Error);
        Assert.False(File.Exists(oldMarker));
        Assert.False(File.Exists(oldOutcome));
        Assert.False(File.Exists(oldToken));
        Assert.False(Directory.Exists(Path.Combine(gateway.Root, "sync/barrier/b1/0")));
        Assert.True(File.Exists(newMarker));
        Assert.True(File.Exists(newToken));
        Assert.True(File.Exists(oldElsewhere));
        Assert.True(File.Exists(oldAtRoot));
        Assert.True(Directory.Exists(Path.Combine(gateway.Root, "sync/barrier")));
    }

    [Fact]
    public async Task Clean_up_of_a_bad_root_reports_an_error()
    {
        await using var gateway = await GatewayHarness.StartAsync();

        var result = await gateway.SendAndAwaitAsync<CleanUpSynchronizationFolders, SynchronizationFoldersCleanedUp>(
            new CleanUpSynchronizationFolders { Root = "s3://X", OlderThan = MaxAge });

        Assert.Equal(0, result.DeletedFiles);
        Assert.False(string.IsNullOrEmpty(result.Error));
    }

    [Fact]
    public async Task Retention_deletes_only_old_run_directories()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var output = Path.Combine(gateway.Root, "out");
        gateway.WriteFile("out/old_run/.run", Old);
        gateway.WriteFile("out/old_run/summary.json", Old);
        gateway.WriteFile("out/old_run/metrics/scenarios/s.json", Old);
        gateway.WriteFile("out/exp/nested_old/.run", Old);
        gateway.WriteFile("out/exp/nested_old/runner_report.parquet", Old);
        gateway.WriteFile("out/recent_run/.run", Old);
        var recentLog = gateway.WriteFile("out/recent_run/logs/sim.log", TimeSpan.Zero);
        var notARun = gateway.WriteFile("out/scratch/old.txt", Old);

        var result = await gateway.SendAndAwaitAsync<ApplyRunRetention, RunRetentionApplied>(
            new ApplyRunRetention { OutputRoot = output, MaxAge = MaxAge });

        Assert.Equal(["exp/nested_old", "old_run"], result.DeletedRuns);
        Assert.Equal(["recent_run"], result.KeptRuns);
        Assert.False(result.DryRun);
        Assert.Null(result.Error);
        Assert.False(Directory.Exists(Path.Combine(output, "old_run")));
        Assert.False(Directory.Exists(Path.Combine(output, "exp/nested_old")));
        Assert.True(Directory.Exists(Path.Combine(output, "exp")));
        Assert.True(File.Exists(Path.Combine(output, "recent_run/.run")));
        Assert.True(File.Exists(recentLog));
        Assert.True(File.Exists(notARun));
    }

    [Fact]
    public async Task Retention_dry_run_deletes_nothing()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var claim = gateway.WriteFile("out/old_run/.run", Old);
        var summary = gateway.WriteFile("out/old_run/summary.json", Old);

        var result = await gateway.SendAndAwaitAsync<ApplyRunRetention, RunRetentionApplied>(
            new ApplyRunRetention { OutputRoot = Path.Combine(gateway.Root, "out"), MaxAge = MaxAge, DryRun = true });

        Assert.Equal(["old_run"], result.DeletedRuns);
        Assert.True(result.DryRun);
        Assert.True(File.Exists(claim));
        Assert.True(File.Exists(summary));
    }

    [Fact]
    public async Task Retention_never_deletes_the_output_root_itself()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        var claim = gateway.WriteFile("out/.run", Old);

        var result = await gateway.SendAndAwaitAsync<ApplyRunRetention, RunRetentionApplied>(
            new ApplyRunRetention { OutputRoot = Path.Combine(gateway.Root, "out"), MaxAge = MaxAge });

        Assert.Empty(result.DeletedRuns);
        Assert.True(File.Exists(claim));
    }

    [Fact]
    public async Task The_periodic_service_is_disabled_by_default()
    {
        await using var gateway = await GatewayHarness.StartAsync();

        Assert.False(gateway.Get<Microsoft.Extensions.Options.IOptions<HousekeepingOptions>>().Value.Enabled);
    }

    [Fact]
    public async Task A_housekeeping_pass_cleans_the_configured_roots_and_publishes_the_results()
    {
        var root = Directory.CreateTempSubdirectory("storage-gateway-pass-").FullName;
        try
        {
            await using var gateway = await GatewayHarness.StartAsync(new Dictionary<string, string?>
            {
                ["StorageGateway:Housekeeping:SyncRoots:0"] = Path.Combine(root, "sync"),
                ["StorageGateway:Housekeeping:OutputRoots:0"] = Path.Combine(root, "out"),
                ["StorageGateway:Housekeeping:SyncMaxAge"] = "01:00:00",
                ["StorageGateway:Housekeeping:RunMaxAge"] = "2.00:00:00",
            });
            var token = Path.Combine(root, "sync/tokens/job/0.csv");
            var claim = Path.Combine(root, "out/run/.run");
            foreach (var file in new[] { token, claim })
            {
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                await File.WriteAllTextAsync(file, "x");
                File.SetLastWriteTimeUtc(file, DateTime.UtcNow - Old);
            }
            var service = gateway.Get<IEnumerable<Microsoft.Extensions.Hosting.IHostedService>>().OfType<HousekeepingService>().Single();

            await service.RunOnceAsync(CancellationToken.None);

            Assert.False(File.Exists(token));
            Assert.False(Directory.Exists(Path.Combine(root, "out/run")));
            Assert.True(await gateway.Harness.Published.Any<SynchronizationFoldersCleanedUp>(m => m.Context.Message.DeletedFiles == 1));
            Assert.True(await gateway.Harness.Published.Any<RunRetentionApplied>(m => m.Context.Message.DeletedRuns.Count == 1));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
