using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NuPlanBus.Common.Storage;
using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Common.Distributed;

/// <summary>Settings of a <see cref="FileBackedBarrier"/>.</summary>
public sealed record FileBackedBarrierOptions
{
    /// <summary>How often a waiting participant lists the markers (the devkit's <c>distributed_sync</c> default, 0.5 s).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(0.5);
}

/// <summary>
/// A barrier over a shared directory or S3 prefix (the devkit's <c>FileBackedBarrier</c>, with its protocol fixed).
/// </summary>
/// <remarks>
/// <para>Layout: <c>&lt;root&gt;/&lt;barrierId&gt;/&lt;generation&gt;/&lt;participantId&gt;</c> is a participant's marker
/// (content <c>x</c>), and <c>&lt;root&gt;/&lt;barrierId&gt;/&lt;generation&gt;/_outcome</c> records how that generation
/// ended. Participant ids start with a letter or digit, so no participant can be called <c>_outcome</c>.</para>
/// <para>Protocol. A participant creates its marker with create-if-absent (arriving twice counts once), then lists the
/// generation directory (one level, exact names, paginated by the storage) immediately and every poll interval:</para>
/// <list type="number">
/// <item>If <c>_outcome</c> exists, it is obeyed: <c>released</c> releases, <c>timeout</c> fails with the recorded missing set.</item>
/// <item>Otherwise, once every expected participant's marker is present (extra files are ignored), the participant
/// creates <c>_outcome = released</c> with create-if-absent and is released; if someone else decided first, their
/// outcome is obeyed instead.</item>
/// <item>Otherwise, once this participant's timeout has passed, it tries to create <c>_outcome = timeout</c> naming the
/// missing participants; again, whoever creates the outcome first decides for everybody.</item>
/// </list>
/// <para>So all participants of a generation agree on one outcome: nobody proceeds while another believes the barrier
/// failed, and nobody can miss the release, because the release is a persistent object rather than a transient state
/// of the markers (no 20× grace sleep, no "wait until empty" phase). Each participant deletes only its own marker,
/// after it has seen the outcome (release or timeout) or when it gives up (cancellation, storage failure).</para>
/// <para>The small <c>_outcome</c> object stays behind on purpose: a late or duplicate arrival must still find the
/// decision. It makes a (barrier id, generation) pair single-use; use a new generation (or a barrier id containing the
/// job id) for every use, and remove finished barriers with <see cref="PurgeAsync"/> or storage housekeeping once no
/// participant can still be waiting on them.</para>
/// </remarks>
public sealed class FileBackedBarrier : IBarrier
{
    /// <summary>Name of the object that records how a generation ended.</summary>
    public const string OutcomeName = "_outcome";

    private static readonly byte[] MarkerContent = "x"u8.ToArray();

    private readonly IStorage _storage;
    private readonly StoragePath _root;
    private readonly FileBackedBarrierOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public FileBackedBarrier(
        IStorage storage,
        StoragePath root,
        FileBackedBarrierOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger<FileBackedBarrier>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        if (root.IsEmpty)
        {
            throw new ArgumentException("The barrier root must name a directory or prefix.", nameof(root));
        }
        _storage = storage;
        _root = root;
        _options = options ?? new FileBackedBarrierOptions();
        if (_options.PollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.PollInterval, "The poll interval must be positive.");
        }
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The directory holding barrier ids.</summary>
    public StoragePath Root => _root;

    /// <summary>The directory of one generation of one barrier.</summary>
    public StoragePath GenerationDirectory(string barrierId, long generation) =>
        _root / barrierId / generation.ToString(CultureInfo.InvariantCulture);

    /// <summary>The marker of one participant.</summary>
    public StoragePath MarkerPath(string barrierId, long generation, string participantId) =>
        GenerationDirectory(barrierId, generation) / participantId;

    public async Task WaitAsync(BarrierRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var directory = GenerationDirectory(request.BarrierId, request.Generation);
        var marker = directory / request.ParticipantId;
        var outcomePath = directory / OutcomeName;
        var expected = request.ExpectedParticipants.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var arrived = _timeProvider.GetTimestamp();

        await _storage.CreateIfAbsentAsync(marker, MarkerContent, cancellationToken).ConfigureAwait(false);
        _logger.LogDebug("{Participant} arrived at barrier {Barrier} generation {Generation}.", request.ParticipantId, request.BarrierId, request.Generation);

        var settled = false;
        try
        {
            while (true)
            {
                var pollStarted = _timeProvider.GetTimestamp();
                var present = await ListNamesAsync(directory, cancellationToken).ConfigureAwait(false);
                var outcome = present.Contains(OutcomeName)
                    ? await TryReadOutcomeAsync(outcomePath, cancellationToken).ConfigureAwait(false)
                    : null;
                if (outcome is null)
                {
                    var missing = expected.Where(p => !present.Contains(p)).ToArray();
                    if (missing.Length == 0)
                    {
                        outcome = await DecideAsync(outcomePath, BarrierOutcome.Released, cancellationToken).ConfigureAwait(false);
                    }
                    else if (_timeProvider.GetElapsedTime(arrived) >= request.Timeout)
                    {
                        var proposed = BarrierOutcome.TimedOut(request.ParticipantId, request.Timeout, missing);
                        // An unreadable outcome written by someone else must not keep us past our own timeout.
                        outcome = await DecideAsync(outcomePath, proposed, cancellationToken).ConfigureAwait(false) ?? proposed;
                    }
                }

                if (outcome is not null)
                {
                    settled = true;
                    await DeleteOwnMarkerAsync(marker).ConfigureAwait(false);
                    if (outcome.IsReleased)
                    {
                        _logger.LogDebug("{Participant} released from barrier {Barrier} generation {Generation}.", request.ParticipantId, request.BarrierId, request.Generation);
                        return;
                    }
                    throw new BarrierTimeoutException(request.BarrierId, request.Generation, outcome.Missing, outcome.Timeout);
                }

                var wait = _options.PollInterval - _timeProvider.GetElapsedTime(pollStarted);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _timeProvider, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch when (!settled)
        {
            // Cancelled or a storage failure: leave no marker behind that could count us as present later.
            await DeleteOwnMarkerAsync(marker).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Deletes every file of a barrier (all generations). Only safe once no participant can still be waiting on it,
    /// e.g. after the job finished; meant for housekeeping.
    /// </summary>
    public async Task PurgeAsync(string barrierId, CancellationToken cancellationToken = default)
    {
        BarrierNames.ValidateId(barrierId, nameof(barrierId));
        var files = new List<StoragePath>();
        await foreach (var file in _storage.ListAsync(_root / barrierId, recursive: true, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            files.Add(file);
        }
        foreach (var file in files)
        {
            await _storage.DeleteAsync(file, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<HashSet<string>> ListNamesAsync(StoragePath directory, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var file in _storage.ListAsync(directory, recursive: false, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            names.Add(file.Name);
        }
        return names;
    }

    /// <summary>Proposes an outcome; returns the one that holds (ours, or the one someone created first), or null if unreadable.</summary>
    private async Task<BarrierOutcome?> DecideAsync(StoragePath outcomePath, BarrierOutcome proposed, CancellationToken cancellationToken)
    {
        if (await _storage.CreateIfAbsentAsync(outcomePath, proposed.Serialize(), cancellationToken).ConfigureAwait(false))
        {
            // Obey what is stored rather than what we proposed: should a back end ever let two creators both
            // "win" (a create-if-absent that is check-then-rename), everybody still ends up reading one object.
            return await TryReadOutcomeAsync(outcomePath, cancellationToken).ConfigureAwait(false) ?? proposed;
        }
        return await TryReadOutcomeAsync(outcomePath, cancellationToken).ConfigureAwait(false);
    }

    private async Task<BarrierOutcome?> TryReadOutcomeAsync(StoragePath outcomePath, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = BarrierOutcome.TryParse(await _storage.ReadBytesAsync(outcomePath, cancellationToken).ConfigureAwait(false));
            if (outcome is null)
            {
                _logger.LogWarning("Barrier outcome {Path} is not readable; polling again.", outcomePath);
            }
            return outcome;
        }
        catch (StorageException ex)
        {
            _logger.LogWarning(ex, "Barrier outcome {Path} could not be read; polling again.", outcomePath);
            return null;
        }
    }

    private async Task DeleteOwnMarkerAsync(StoragePath marker)
    {
        try
        {
            // Not cancellable: cleanup must also run when the wait itself was cancelled.
            await _storage.DeleteAsync(marker, CancellationToken.None).ConfigureAwait(false);
        }
        catch (StorageException ex)
        {
            _logger.LogWarning(ex, "Could not remove barrier marker {Marker}; it is harmless to later generations.", marker);
        }
    }
}

/// <summary>The content of a generation's <c>_outcome</c> object: <c>released</c>, or <c>timeout</c> with details.</summary>
internal sealed record BarrierOutcome(bool IsReleased, string? DecidedBy, TimeSpan Timeout, IReadOnlyList<string> Missing)
{
    public static readonly BarrierOutcome Released = new(true, null, TimeSpan.Zero, []);

    public static BarrierOutcome TimedOut(string decidedBy, TimeSpan timeout, IReadOnlyList<string> missing) =>
        new(false, decidedBy, timeout, missing);

    public byte[] Serialize()
    {
        if (IsReleased)
        {
            return "released\n"u8.ToArray();
        }
        var text = new StringBuilder("timeout\n")
            .Append("by=").Append(DecidedBy).Append('\n')
            .Append("after_ticks=").Append(Timeout.Ticks.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var participant in Missing)
        {
            text.Append("missing=").Append(participant).Append('\n');
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public static BarrierOutcome? TryParse(byte[] content)
    {
        var lines = Encoding.UTF8.GetString(content).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0)
        {
            return null;
        }
        if (lines[0] == "released")
        {
            return Released;
        }
        if (lines[0] != "timeout")
        {
            return null;
        }
        string? by = null;
        var timeout = TimeSpan.Zero;
        var missing = new List<string>();
        foreach (var line in lines.Skip(1))
        {
            if (line.StartsWith("by=", StringComparison.Ordinal))
            {
                by = line[3..];
            }
            else if (line.StartsWith("after_ticks=", StringComparison.Ordinal)
                     && long.TryParse(line["after_ticks=".Length..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks))
            {
                timeout = TimeSpan.FromTicks(ticks);
            }
            else if (line.StartsWith("missing=", StringComparison.Ordinal))
            {
                missing.Add(line["missing=".Length..]);
            }
        }
        return TimedOut(by ?? "unknown", timeout, missing);
    }
}
