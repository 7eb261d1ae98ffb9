using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NuPlanBus.Common.Helpers;
using NuPlanBus.Common.Storage;
using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Common.Distributed;

/// <summary>
/// Lists the lightweight keys of the scenarios found in some log files (a metadata query: no scenario is built).
/// Called with a non-empty, sorted list; returns the keys in a deterministic order.
/// </summary>
public delegate Task<IReadOnlyList<TKey>> ScenarioKeyEnumerator<TKey>(IReadOnlyList<string> logFiles, CancellationToken cancellationToken);

/// <summary>Settings of a <see cref="DistributedScenarioFilter{TKey}"/>.</summary>
public sealed record DistributedScenarioFilterOptions
{
    public required DistributedMode Mode { get; init; }

    public required NodeContext Node { get; init; }

    /// <summary>
    /// Shared directory or S3 prefix (the devkit passes the run's output directory). Token files go to
    /// <c>&lt;root&gt;/tokens/&lt;jobId&gt;/&lt;rank&gt;.csv</c>.
    /// </summary>
    public required StoragePath SynchronizationRoot { get; init; }

    /// <summary>The id every node shares; null means <see cref="Helpers.JobId.GetShared"/> (fails fast without <c>NUPLAN_JOB_ID</c> on several nodes).</summary>
    public string? JobId { get; init; }

    /// <summary>How long a node waits for the others at each synchronisation (devkit default 7200 s).</summary>
    public TimeSpan Timeout { get; init; } = DistributedSync.DefaultTimeout;

    /// <summary>
    /// Whether each node deletes its token file once every node has read all files (costs a second barrier
    /// generation). The devkit never cleaned up, so a re-run with the same job id read stale files.
    /// </summary>
    public bool CleanUpTokenFiles { get; init; } = true;
}

/// <summary>What one node must simulate.</summary>
/// <param name="LogFiles">The log files this node must open, in ordinal order.</param>
/// <param name="Keys">The scenarios of this node, in the order every node agrees on.</param>
public sealed record DistributedScenarioShare<TKey>(
    DistributedMode Mode,
    NodeContext Node,
    IReadOnlyList<string> LogFiles,
    IReadOnlyList<TKey> Keys)
    where TKey : IScenarioKey<TKey>
{
    public IReadOnlyList<string> Tokens => Keys.Select(k => k.Token).ToArray();
}

/// <summary>
/// The devkit's <c>DistributedScenarioFilter</c> for batch jobs without a coordinator (e.g. a Kubernetes Indexed Job):
/// decides which scenarios this node simulates.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="DistributedMode.SingleNode"/> (or one node): all log files, all their scenarios.</item>
/// <item><see cref="DistributedMode.LogFileBased"/>: chunk <c>rank</c> of the ordinally sorted log files, and their scenarios.</item>
/// <item><see cref="DistributedMode.ScenarioBased"/>: each node enumerates the keys of its log chunk, writes them to
/// <c>&lt;root&gt;/tokens/&lt;jobId&gt;/&lt;rank&gt;.csv</c>, waits at barrier <c>repartition-&lt;jobId&gt;</c> generation 0,
/// reads every node's file (as strings, by rank, then row order), and takes chunk <c>rank</c> of that list.</item>
/// </list>
/// <para>Fixed devkit defects: keys are enumerated once with a cheap metadata query instead of building full scenarios
/// twice; the gathered list has one deterministic order on every node (the devkit used file-system listing order); tokens
/// stay strings; there are always <c>NumNodes</c> chunks, so a node with nothing to do gets an empty share instead of an
/// index error; a shared local directory works as well as S3; only files of ranks 0 … n−1 are read, so strays from other
/// runs are ignored; the node count comes from <see cref="NodeContext"/>, not re-read from the environment.</para>
/// <para>Clean-up: with <see cref="DistributedScenarioFilterOptions.CleanUpTokenFiles"/>, after reading, the nodes meet
/// again at generation 1 of the same barrier (so nobody deletes a file another node has yet to read) and each deletes
/// its own token file. The storage has no directories to delete on S3; an emptied local <c>tokens/&lt;jobId&gt;</c>
/// directory and the barrier's outcome objects are left to storage housekeeping.</para>
/// </remarks>
public sealed class DistributedScenarioFilter<TKey>
    where TKey : IScenarioKey<TKey>
{
    private readonly DistributedScenarioFilterOptions _options;
    private readonly IStorage _storage;
    private readonly IBarrier _barrier;
    private readonly ILogger _logger;

    /// <param name="barrier">Used only in scenario-based mode on several nodes, e.g. a <see cref="FileBackedBarrier"/> on <c>&lt;root&gt;/barrier</c>.</param>
    public DistributedScenarioFilter(
        DistributedScenarioFilterOptions options,
        IStorage storage,
        IBarrier barrier,
        ILogger<DistributedScenarioFilter<TKey>>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(barrier);
        if (options.SynchronizationRoot.IsEmpty)
        {
            throw new ConfigurationException("The synchronization root of the scenario filter is not set.");
        }
        _options = options;
        _storage = storage;
        _barrier = barrier;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>This node's share of the scenarios in <paramref name="logFiles"/> (paths or URIs of <c>.db</c> files).</summary>
    public async Task<DistributedScenarioShare<TKey>> GetShareAsync(
        IReadOnlyList<string> logFiles,
        ScenarioKeyEnumerator<TKey> enumerateKeys,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(logFiles);
        ArgumentNullException.ThrowIfNull(enumerateKeys);
        var node = _options.Node;
        var sorted = logFiles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

        if (!node.IsMultiNode || _options.Mode == DistributedMode.SingleNode)
        {
            var all = await EnumerateAsync(enumerateKeys, sorted, cancellationToken).ConfigureAwait(false);
            return new DistributedScenarioShare<TKey>(_options.Mode, node, sorted, all);
        }

        var logChunk = Chunking.ChunkList(sorted, node.NumNodes)[node.NodeRank];
        var local = await EnumerateAsync(enumerateKeys, logChunk, cancellationToken).ConfigureAwait(false);
        switch (_options.Mode)
        {
            case DistributedMode.LogFileBased:
                _logger.LogInformation("{Node}: {Logs} of {Total} log files, {Scenarios} scenarios.", node, logChunk.Count, sorted.Length, local.Count);
                return new DistributedScenarioShare<TKey>(_options.Mode, node, logChunk, local);
            case DistributedMode.ScenarioBased:
                return await RepartitionAsync(sorted, local, cancellationToken).ConfigureAwait(false);
            default:
                throw new ConfigurationException($"Unsupported distributed mode {_options.Mode}.");
        }
    }

    private async Task<DistributedScenarioShare<TKey>> RepartitionAsync(
        IReadOnlyList<string> allLogFiles,
        IReadOnlyList<TKey> local,
        CancellationToken cancellationToken)
    {
        var node = _options.Node;
        var jobId = _options.JobId ?? JobId.GetShared(node.NumNodes);
        if (!BarrierNames.IsValidId(jobId))
        {
            throw new ConfigurationException($"Job id '{jobId}' cannot name files: use letters, digits, '.', '_' or '-'.");
        }
        var barrierId = DistributedScenarioLayout.RepartitionBarrierId(jobId);
        var ownFile = DistributedScenarioLayout.TokenFile(_options.SynchronizationRoot, jobId, node.NodeRank);

        await _storage.WriteBytesAsync(ownFile, Encoding.UTF8.GetBytes(TokenCsv.Write(local)), cancellationToken).ConfigureAwait(false);
        await DistributedSync.SyncAsync(_barrier, node, barrierId, generation: 0, _options.Timeout, cancellationToken).ConfigureAwait(false);

        var gathered = new List<TKey>();
        for (var rank = 0; rank < node.NumNodes; rank++)
        {
            var file = DistributedScenarioLayout.TokenFile(_options.SynchronizationRoot, jobId, rank);
            byte[] content;
            try
            {
                content = await _storage.ReadBytesAsync(file, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageException ex)
            {
                throw new NuPlanBusException(
                    $"Token file of node {rank} ({file}) could not be read after every node passed barrier '{barrierId}'. " +
                    $"Is {JobId.EnvironmentVariable} reused from an earlier run? Give every run its own job id.", ex);
            }
            var keys = TokenCsv.Read<TKey>(Encoding.UTF8.GetString(content), file.Value);
            if (keys.Count == 0)
            {
                _logger.LogWarning("Node {Rank} found no scenarios in its log files (it may have filtered out all its data).", rank);
            }
            gathered.AddRange(keys);
        }

        if (_options.CleanUpTokenFiles)
        {
            await DistributedSync.SyncAsync(_barrier, node, barrierId, generation: 1, _options.Timeout, cancellationToken).ConfigureAwait(false);
            try
            {
                await _storage.DeleteAsync(ownFile, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageException ex)
            {
                _logger.LogWarning(ex, "Could not delete token file {File}.", ownFile);
            }
        }

        var chunk = Chunking.ChunkList(gathered, node.NumNodes)[node.NodeRank];
        var logFiles = LogFilesFor(chunk, allLogFiles);
        _logger.LogInformation(
            "{Node}: {Scenarios} of {Total} scenarios from {Logs} log files after repartition.", node, chunk.Count, gathered.Count, logFiles.Count);
        return new DistributedScenarioShare<TKey>(DistributedMode.ScenarioBased, node, logFiles, chunk);
    }

    private static async Task<IReadOnlyList<TKey>> EnumerateAsync(
        ScenarioKeyEnumerator<TKey> enumerateKeys, IReadOnlyList<string> logFiles, CancellationToken cancellationToken)
    {
        // Never ask for "no log files": an enumerator might read an empty list as "no restriction".
        return logFiles.Count == 0 ? [] : await enumerateKeys(logFiles, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The log files (from the full list) that hold the given keys, in ordinal order.</summary>
    private static IReadOnlyList<string> LogFilesFor(IReadOnlyList<TKey> keys, IReadOnlyList<string> allLogFiles)
    {
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in allLogFiles)
        {
            var name = DistributedScenarioLayout.LogName(file);
            if (!byName.TryAdd(name, file) && byName[name] != file)
            {
                throw new ConfigurationException($"Two log files share the log name '{name}': '{byName[name]}' and '{file}'.");
            }
        }
        var needed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (!byName.TryGetValue(key.LogName, out var file))
            {
                throw new ScenarioDataException(key.LogName, $"scenario {key.Token} names a log that is not among the {allLogFiles.Count} log files of this job");
            }
            needed.Add(file);
        }
        return needed.ToArray();
    }
}

/// <summary>Names and paths used by <see cref="DistributedScenarioFilter{TKey}"/>.</summary>
public static class DistributedScenarioLayout
{
    /// <summary>The barrier id the scenario-based repartition meets at.</summary>
    public static string RepartitionBarrierId(string jobId) => "repartition-" + jobId;

    /// <summary>The token file of a node.</summary>
    public static StoragePath TokenFile(StoragePath synchronizationRoot, string jobId, int nodeRank) =>
        synchronizationRoot / "tokens" / jobId / (nodeRank.ToString(CultureInfo.InvariantCulture) + ".csv");

    /// <summary>The log name of a log file path or URI: its last segment without the <c>.db</c> extension.</summary>
    public static string LogName(string logFile)
    {
        var name = logFile[(logFile.LastIndexOfAny(['/', '\\']) + 1)..];
        return name.EndsWith(".db", StringComparison.Ordinal) ? name[..^3] : name;
    }
}
