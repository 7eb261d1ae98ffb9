using System.Collections.Concurrent;
using NuPlanBus.Common.Distributed;
using NuPlanBus.Common.Helpers;
using NuPlanBus.Common.Storage;
using NuPlanBus.Common.Tests.Helpers;
using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Common.Tests.Distributed;

public sealed class DistributedScenarioFilterTests : IDisposable
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(60);

    private readonly TemporaryDirectory _directory = new();
    private readonly LocalStorage _storage = new();

    public void Dispose() => _directory.Dispose();

    private StoragePath SyncRoot => StoragePath.Local(_directory.Path);

    /// <summary>
    /// A fake dataset: <paramref name="scenarios"/> scenarios spread unevenly over 9 logs, with numeric-looking
    /// tokens ("0000", "0012", …) that a type-inferring CSV reader would mangle.
    /// </summary>
    private sealed class Dataset
    {
        private readonly Dictionary<string, List<ScenarioKey>> _byLog;

        public Dataset(int scenarios, int logs = 9)
        {
            LogFiles = Enumerable.Range(0, logs).Select(i => $"s3://nuplan-data/logs/2021.06.{i:D2}_veh-{i}.db").ToArray();
            _byLog = LogFiles.ToDictionary(DistributedScenarioLayout.LogName, _ => new List<ScenarioKey>());
            for (var j = 0; j < scenarios; j++)
            {
                var log = DistributedScenarioLayout.LogName(LogFiles[(j * j + 3 * j) % logs]);
                _byLog[log].Add(new ScenarioKey($"{j:D4}", log));
            }
        }

        public IReadOnlyList<string> LogFiles { get; }

        public ConcurrentBag<IReadOnlyList<string>> Calls { get; } = [];

        /// <summary>All scenarios in the order of the sorted log files.</summary>
        public IReadOnlyList<ScenarioKey> All => Enumerate(LogFiles.Order(StringComparer.Ordinal).ToArray());

        public IReadOnlyList<ScenarioKey> Enumerate(IReadOnlyList<string> logFiles) =>
            logFiles.SelectMany(f => _byLog[DistributedScenarioLayout.LogName(f)]).ToArray();

        public Task<IReadOnlyList<ScenarioKey>> EnumerateAsync(IReadOnlyList<string> logFiles, CancellationToken cancellationToken)
        {
            Calls.Add(logFiles);
            return Task.FromResult(Enumerate(logFiles));
        }
    }

    /// <summary>Runs every node of a job concurrently, each with its own filter, over one shared directory.</summary>
    private async Task<DistributedScenarioShare<ScenarioKey>[]> RunNodes(
        DistributedMode mode, int numNodes, Dataset dataset, string? jobId = null, bool cleanUp = true)
    {
        jobId ??= "job-" + Guid.NewGuid().ToString("N")[..8];
        var barrier = new FileBackedBarrier(_storage, SyncRoot / "barrier", new FileBackedBarrierOptions { PollInterval = TimeSpan.FromMilliseconds(20) });
        // Each node sees the log files in its own order, as separate listings might return them.
        var shuffled = dataset.LogFiles.Reverse().ToArray();
        var nodes = Enumerable.Range(0, numNodes).Select(rank => Task.Run(() =>
        {
            var filter = new DistributedScenarioFilter<ScenarioKey>(
                new DistributedScenarioFilterOptions
                {
                    Mode = mode,
                    Node = new NodeContext(numNodes, rank),
                    SynchronizationRoot = SyncRoot,
                    JobId = jobId,
                    Timeout = TestTimeout,
                    CleanUpTokenFiles = cleanUp,
                },
                _storage,
                barrier);
            return filter.GetShareAsync(rank % 2 == 0 ? dataset.LogFiles : shuffled, dataset.EnumerateAsync);
        })).ToArray();
        return await Task.WhenAll(nodes).WaitAsync(TestTimeout);
    }

    public static TheoryData<DistributedMode, int, int> Cases()
    {
        var data = new TheoryData<DistributedMode, int, int>();
        foreach (var mode in Enum.GetValues<DistributedMode>())
        {
            foreach (var nodes in new[] { 1, 3, 7 })
            {
                foreach (var scenarios in new[] { 0, 5, 1000 })
                {
                    data.Add(mode, nodes, scenarios);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_node_gets_its_share_and_the_shares_fit_the_mode(DistributedMode mode, int numNodes, int scenarios)
    {
        var dataset = new Dataset(scenarios);
        var sortedLogs = dataset.LogFiles.Order(StringComparer.Ordinal).ToArray();

        var shares = await RunNodes(mode, numNodes, dataset);

        Assert.Equal(numNodes, shares.Length);
        Assert.All(shares, (share, rank) => Assert.Equal(new NodeContext(numNodes, rank), share.Node));
        Assert.All(dataset.Calls, call => Assert.NotEmpty(call));
        if (mode == DistributedMode.SingleNode || numNodes == 1)
        {
            Assert.All(shares, share =>
            {
                Assert.Equal(sortedLogs, share.LogFiles);
                Assert.Equal(dataset.All, share.Keys);
            });
            return;
        }

        // Every scenario exactly once, in the order of the sorted logs, with contiguous shares by rank.
        Assert.Equal(dataset.All, shares.SelectMany(s => s.Keys));
        // Scenarios are enumerated once per node (the devkit built them twice in scenario-based mode).
        Assert.True(dataset.Calls.Count <= numNodes);

        if (mode == DistributedMode.LogFileBased)
        {
            var logChunks = Chunking.ChunkList(sortedLogs, numNodes);
            Assert.All(shares, (share, rank) =>
            {
                Assert.Equal(logChunks[rank], share.LogFiles);
                Assert.Equal(dataset.Enumerate(logChunks[rank]), share.Keys);
            });
            return;
        }

        // Scenario-based: balanced to within one scenario, remainder to the lowest ranks.
        var sizes = shares.Select(s => s.Keys.Count).ToArray();
        Assert.Equal(Chunking.ChunkList(dataset.All, numNodes).Select(c => c.Count), sizes);
        Assert.All(shares, share =>
        {
            var needed = share.Keys.Select(k => k.LogName).Distinct().Select(name => sortedLogs.Single(f => DistributedScenarioLayout.LogName(f) == name));
            Assert.Equal(needed.Order(StringComparer.Ordinal), share.LogFiles);
            Assert.Equal(share.Keys.Select(k => k.Token), share.Tokens);
        });
    }

    [Fact]
    public async Task Scenario_based_shares_are_deterministic_and_keep_token_strings()
    {
        var dataset = new Dataset(1000);

        var first = await RunNodes(DistributedMode.ScenarioBased, 7, dataset);
        var second = await RunNodes(DistributedMode.ScenarioBased, 7, dataset);

        for (var rank = 0; rank < 7; rank++)
        {
            Assert.Equal(first[rank].Keys, second[rank].Keys);
            Assert.Equal(first[rank].LogFiles, second[rank].LogFiles);
        }
        var tokens = first.SelectMany(s => s.Tokens).ToHashSet();
        Assert.Contains("0012", tokens);
        Assert.Contains("0000", tokens);
    }

    [Fact]
    public async Task Token_files_use_the_devkit_layout_and_format()
    {
        var dataset = new Dataset(5, logs: 3);

        await RunNodes(DistributedMode.ScenarioBased, 3, dataset, jobId: "abc123", cleanUp: false);

        var directory = Path.Combine(_directory.Path, "tokens", "abc123");
        Assert.Equal(["0.csv", "1.csv", "2.csv"], Directory.GetFiles(directory).Select(f => Path.GetFileName(f)).Order());
        var sortedLogs = dataset.LogFiles.Order(StringComparer.Ordinal).ToArray();
        for (var rank = 0; rank < 3; rank++)
        {
            var keys = dataset.Enumerate([sortedLogs[rank]]);
            var expected = keys.Count == 0 ? "\n" : "0,1\n" + string.Concat(keys.Select(k => $"{k.Token},{k.LogName}\n"));
            Assert.Equal(expected, await File.ReadAllTextAsync(Path.Combine(directory, $"{rank}.csv")));
        }
    }

    [Fact]
    public async Task Token_files_are_removed_after_the_final_sync()
    {
        await RunNodes(DistributedMode.ScenarioBased, 3, new Dataset(50), jobId: "cleanme");

        var directory = Path.Combine(_directory.Path, "tokens", "cleanme");
        Assert.Empty(Directory.Exists(directory) ? Directory.GetFiles(directory) : []);
    }

    [Fact]
    public async Task Stray_token_files_from_other_runs_are_ignored()
    {
        var dataset = new Dataset(40);
        var directory = Path.Combine(_directory.Path, "tokens", "reused");
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "3.csv"), "0,1\nstale,log\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "notes.csv"), "0,1\nstale,log\n");

        var shares = await RunNodes(DistributedMode.ScenarioBased, 3, dataset, jobId: "reused");

        Assert.Equal(dataset.All, shares.SelectMany(s => s.Keys));
    }

    [Fact]
    public async Task A_key_naming_an_unknown_log_is_a_data_error()
    {
        var filter = new DistributedScenarioFilter<ScenarioKey>(
            new DistributedScenarioFilterOptions { Mode = DistributedMode.ScenarioBased, Node = new NodeContext(2, 0), SynchronizationRoot = SyncRoot, JobId = "j" },
            _storage,
            new ImmediateBarrier());
        await _storage.WriteBytesAsync(DistributedScenarioLayout.TokenFile(SyncRoot, "j", 1), "0,1\ng1,ghost\ng2,ghost\ng3,ghost\n"u8.ToArray());

        var error = await Assert.ThrowsAsync<ScenarioDataException>(() =>
            filter.GetShareAsync(["s3://b/l/a.db"], (_, _) => Task.FromResult<IReadOnlyList<ScenarioKey>>([new("t0", "a")])));
        Assert.Contains("ghost", error.Message);
    }

    [Theory]
    [InlineData("SCENARIO_BASED", DistributedMode.ScenarioBased)]
    [InlineData("log_file_based", DistributedMode.LogFileBased)]
    [InlineData("SingleNode", DistributedMode.SingleNode)]
    public void Modes_parse_by_devkit_name_or_value(string name, DistributedMode mode)
    {
        Assert.Equal(mode, DistributedModes.Parse(name));
    }

    [Fact]
    public void Unknown_modes_list_the_valid_ones()
    {
        var error = Assert.Throws<ConfigurationException>(() => DistributedModes.Parse("round_robin"));
        Assert.Contains("SCENARIO_BASED", error.Message);
    }

    [Theory]
    [InlineData("s3://bucket/a/2021.05.12.db", "2021.05.12")]
    [InlineData("/data/x.db", "x")]
    [InlineData("plain", "plain")]
    public void Log_names_are_file_stems(string file, string name)
    {
        Assert.Equal(name, DistributedScenarioLayout.LogName(file));
    }

    /// <summary>A barrier for a test that plays one node and fakes the others' files.</summary>
    private sealed class ImmediateBarrier : IBarrier
    {
        public Task WaitAsync(BarrierRequest request, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}

[Collection(ProcessEnvironmentCollection.Name)]
public sealed class DistributedScenarioFilterJobIdTests : IDisposable
{
    private readonly string? _saved = Environment.GetEnvironmentVariable(JobId.EnvironmentVariable);
    private readonly TemporaryDirectory _directory = new();

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(JobId.EnvironmentVariable, _saved);
        JobId.Reset();
        _directory.Dispose();
    }

    [Fact]
    public async Task Scenario_based_mode_on_several_nodes_without_a_shared_job_id_fails_fast()
    {
        Environment.SetEnvironmentVariable(JobId.EnvironmentVariable, null);
        var storage = new LocalStorage();
        var filter = new DistributedScenarioFilter<ScenarioKey>(
            new DistributedScenarioFilterOptions { Mode = DistributedMode.ScenarioBased, Node = new NodeContext(2, 0), SynchronizationRoot = StoragePath.Local(_directory.Path) },
            storage,
            new FileBackedBarrier(storage, StoragePath.Local(_directory.Path) / "barrier"));

        await Assert.ThrowsAsync<ConfigurationException>(() =>
            filter.GetShareAsync(["a.db"], (_, _) => Task.FromResult<IReadOnlyList<ScenarioKey>>([new("t", "a")])));
        Assert.False(Directory.Exists(Path.Combine(_directory.Path, "tokens")));
    }
}
