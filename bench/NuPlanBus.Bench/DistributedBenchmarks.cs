using System.Diagnostics;
using System.Globalization;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NuPlanBus.Common.Distributed;
using NuPlanBus.Common.Helpers;
using NuPlanBus.Common.Storage;
using NuPlanBus.Coordination;
using NuPlanBus.Hosting.Messaging;

namespace NuPlanBus.Bench;

public enum BarrierKind
{
    /// <summary><see cref="FileBackedBarrier"/> on a local temporary directory, default 0.5 s poll.</summary>
    File,

    /// <summary>The barrier saga and <c>BrokerBackedBarrier</c> on MassTransit's in-memory transport, one process.</summary>
    Broker,

    /// <summary><see cref="FileBackedBarrier"/> on an S3 prefix of a local moto server (python3 -m moto.server).</summary>
    S3,
}

/// <summary>
/// Release latency: N−1 participants wait, then the last one arrives; the figure is the time from that arrival until every
/// participant's wait returned, median over the repetitions (group <c>barrier</c>).
/// </summary>
public sealed class BarrierReleaseBenchmark(BarrierKind kind, IReadOnlyList<int> participantCounts, int repetitions = 5) : IBenchmark
{
    public string Group => "barrier";

    public string Name => $"barrier release latency, {kind switch
    {
        BarrierKind.File => "file-backed (local dir, 0.5 s poll)",
        BarrierKind.S3 => "file-backed (S3 prefix on moto, 0.5 s poll)",
        _ => "broker-backed (in-memory transport)",
    }}";

    public BenchmarkResult Run(BenchmarkSettings settings) => RunAsync().GetAwaiter().GetResult();

    private async Task<BenchmarkResult> RunAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), "nuplanbus-bench-barrier-" + Guid.NewGuid().ToString("N")[..8]);
        IHost? host = null;
        Process? moto = null;
        IBarrier barrier;
        if (kind == BarrierKind.File)
        {
            Directory.CreateDirectory(root);
            barrier = new FileBackedBarrier(new LocalStorage(), StoragePath.Parse(root));
        }
        else if (kind == BarrierKind.S3)
        {
            (moto, barrier) = await MotoBarrier.StartAsync();
        }
        else
        {
            host = await StartBrokerHostAsync();
            barrier = host.Services.GetRequiredService<IBarrier>();
        }

        var notes = new List<string>();
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes();
        var waits = 0;
        try
        {
            // One unmeasured round warms up JIT, the endpoint and the saga store.
            await MeasureOnceAsync(barrier, 2, "warmup");
            foreach (var count in participantCounts)
            {
                var samples = new List<double>();
                for (var r = 0; r < repetitions; r++)
                {
                    samples.Add((await MeasureOnceAsync(barrier, count, $"n{count}-r{r}")).TotalMilliseconds);
                    waits += count;
                }
                samples.Sort();
                notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{count,3} participants: release latency median {samples[samples.Count / 2],8:F1} ms  (min {samples[0]:F1}, max {samples[^1]:F1}, {repetitions} runs)"));
            }
        }
        finally
        {
            if (moto is not null)
            {
                moto.Kill(entireProcessTree: true);
                moto.Dispose();
            }
            if (host is not null)
            {
                await host.StopAsync();
                host.Dispose();
            }
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
        return new BenchmarkResult(Name, waits, clock.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu,
            GC.GetTotalAllocatedBytes() - allocated, notes)
        { Unit = "barrier wait" };
    }

    private static async Task<TimeSpan> MeasureOnceAsync(IBarrier barrier, int count, string tag)
    {
        var id = "bench-" + tag + "-" + Guid.NewGuid().ToString("N")[..8];
        var expected = Enumerable.Range(0, count).Select(i => "p" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var timeout = TimeSpan.FromSeconds(60);
        var released = new long[count];
        Task Participant(int i) => Task.Run(async () =>
        {
            await barrier.WaitAsync(new BarrierRequest(id, 0, expected[i], expected, timeout));
            released[i] = Stopwatch.GetTimestamp();
        });

        var early = Enumerable.Range(0, count - 1).Select(Participant).ToArray();
        // Let every early participant arrive and settle into waiting (for the file barrier: more than one poll).
        await Task.Delay(TimeSpan.FromMilliseconds(700));
        var lastArrival = Stopwatch.GetTimestamp();
        await Task.WhenAll([.. early, Participant(count - 1)]).WaitAsync(timeout);
        return Stopwatch.GetElapsedTime(lastArrival, released.Max());
    }

    private static async Task<IHost> StartBrokerHostAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["SagaStore:Provider"] = "InMemory" });
        builder.Services.AddBrokerBarrierSaga(builder.Configuration);
        builder.Services.AddBrokerBackedBarrier();
        builder.Services.AddMassTransit(bus =>
        {
            bus.ApplyBusContributions(builder.Services);
            bus.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
        });
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}

/// <summary>
/// The scenario-based repartition in memory: 1,000,000 scenario keys spread over many logs are split across the nodes
/// the way <see cref="DistributedScenarioFilter{TKey}"/> does after its barrier (group <c>partition</c>).
/// </summary>
public sealed record PartitionBenchmark(int Tokens, int Nodes) : IBenchmark
{
    public string Group => "partition";

    public string Name => $"partition {Tokens:N0} scenario tokens across {Nodes} nodes (in memory)";

    public BenchmarkResult Run(BenchmarkSettings settings)
    {
        const int logs = 2_000;
        var keys = new ScenarioKey[Tokens];
        for (var i = 0; i < Tokens; i++)
        {
            keys[i] = new ScenarioKey(i.ToString("x16", CultureInfo.InvariantCulture), "log" + (i % logs).ToString("D5", CultureInfo.InvariantCulture));
        }
        var notes = new List<string>();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes();
        var total = Stopwatch.StartNew();

        // Chunking alone: every node computes the same split and takes its own chunk.
        _ = Chunking.ChunkList(keys, Nodes); // warm-up
        var clock = Stopwatch.StartNew();
        var chunks = Chunking.ChunkList(keys, Nodes);
        var chunking = clock.Elapsed;
        notes.Add(string.Create(CultureInfo.InvariantCulture, $"Chunking.ChunkList of {Tokens:N0} keys into {Nodes} chunks: {chunking.TotalMilliseconds:F2} ms (chunk size {chunks[0].Count:N0})"));

        // One node's full share computation: write its token CSV, read all nodes' CSVs (the gather), chunk, and find the
        // log files its chunk needs. Every node does this in parallel, so this is the per-node wall time.
        var perNode = Chunking.ChunkList(keys, Nodes).Select(c => TokenCsv.Write(c)).ToArray();
        clock.Restart();
        var gathered = new List<ScenarioKey>(Tokens);
        for (var rank = 0; rank < Nodes; rank++)
        {
            gathered.AddRange(TokenCsv.Read<ScenarioKey>(perNode[rank], "node" + rank.ToString(CultureInfo.InvariantCulture)));
        }
        var mine = Chunking.ChunkList(gathered, Nodes)[Nodes - 1];
        var needed = new SortedSet<string>(mine.Select(k => k.LogName), StringComparer.Ordinal);
        var share = clock.Elapsed;
        notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"one node's share (gather {Nodes} token CSVs of {perNode.Sum(c => c.Length) / (1024.0 * 1024.0):F1} MiB, chunk, needed logs): {share.TotalMilliseconds:F1} ms -> {mine.Count:N0} scenarios in {needed.Count} logs"));

        return new BenchmarkResult(Name, Tokens, total.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu,
            GC.GetTotalAllocatedBytes() - allocated, notes)
        { Unit = "token" };
    }

}

/// <summary>A file-backed barrier on a bucket of a moto server started for the benchmark.</summary>
internal static class MotoBarrier
{
    public static async Task<(Process Moto, IBarrier Barrier)> StartAsync()
    {
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }
        var moto = Process.Start(new ProcessStartInfo("python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        // moto logs every request: drain its output, or it blocks on a full pipe once many participants poll.
        moto.OutputDataReceived += (_, _) => { };
        moto.ErrorDataReceived += (_, _) => { };
        moto.BeginOutputReadLine();
        moto.BeginErrorReadLine();
        var options = new S3StorageOptions
        {
            ServiceUrl = $"http://127.0.0.1:{port}",
            ForcePathStyle = true,
            Region = "us-east-1",
            AccessKeyId = "bench",
            SecretAccessKey = "bench",
        };
        var client = S3Storage.CreateClient(options);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await client.PutBucketAsync("nuplanbus-bench");
                break;
            }
            catch (Exception) when (attempt < 50)
            {
                await Task.Delay(200);
            }
        }
        return (moto, new FileBackedBarrier(new S3Storage(client, options), StoragePath.Parse("s3://nuplanbus-bench/barriers")));
    }
}
