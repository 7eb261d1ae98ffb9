using System.Data.Common;
using System.Globalization;
using MassTransit;
using Microsoft.Data.Sqlite;

namespace NuPlanBus.Persistence.Stores;

/// <summary>
/// The embedded mode's store: one SQLite file (in the run or application directory), journal in WAL mode so readers
/// never block the writer, a busy timeout for concurrent writers; a write is one statement, or one immediate transaction
/// for a state with items.
/// Ids and timestamps are stored as text (<c>2026-01-31T07:29:25.0000000Z</c>, fixed width, so text order is time order).
/// </summary>
public sealed class SqliteSagaStore<TState> : RelationalSagaStore<TState>, IDisposable
    where TState : class, ISagaVersion
{
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    private readonly string _connectionString;
    private readonly int _busyTimeoutMs;

    public SqliteSagaStore(string connectionString, PersistentSagaOptions<TState>? options = null, TimeSpan? busyTimeout = null, TimeProvider? time = null)
        : base(options ?? new PersistentSagaOptions<TState>(), time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var timeout = busyTimeout ?? TimeSpan.FromSeconds(30);
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            Pooling = true,
            // Microsoft.Data.Sqlite keeps retrying a busy statement until the command timeout; align it with ours.
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)),
        };
        CreateDirectoryOf(builder);
        _connectionString = builder.ToString();
        _busyTimeoutMs = (int)Math.Min(int.MaxValue, timeout.TotalMilliseconds);
    }

    public override string Provider => "sqlite";

    protected override string SchemaSql =>
        $"""
        CREATE TABLE IF NOT EXISTS {Table} (
            correlation_id TEXT NOT NULL PRIMARY KEY,
            version INTEGER NOT NULL,
            state TEXT NOT NULL,
            current_state TEXT NULL,
            deadline TEXT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_{Table}_deadline ON {Table} (deadline) WHERE deadline IS NOT NULL;
        CREATE TABLE IF NOT EXISTS {ItemsTable} (
            correlation_id TEXT NOT NULL,
            item_key TEXT NOT NULL,
            state TEXT NOT NULL,
            PRIMARY KEY (correlation_id, item_key)
        ) WITHOUT ROWID;
        """;

    /// <summary>A deferred transaction: in WAL mode its first read fixes the snapshot the rest reads.</summary>
    protected override ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    /// <summary><c>BEGIN IMMEDIATE</c>: the write lock is taken (or waited for) up front, never upgraded from a read.</summary>
    protected override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    public void Dispose() => SqliteConnection.ClearPool(new SqliteConnection(_connectionString));

    protected override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // SQLite's own busy handler waits in fine steps; without it every lock conflict costs a coarse client retry.
            await using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA busy_timeout = {_busyTimeoutMs.ToString(CultureInfo.InvariantCulture)}";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    protected override async Task AfterSchemaCreatedAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // WAL is a property of the file, so setting it once is enough; it lets loads run while another message saves.
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL";
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override void AddId(DbCommand command, Guid correlationId) =>
        ((SqliteCommand)command).Parameters.Add("@id", SqliteType.Text).Value = correlationId.ToString("D");

    protected override void AddState(DbCommand command, string json) =>
        ((SqliteCommand)command).Parameters.Add("@state", SqliteType.Text).Value = json;

    protected override void AddTimestamp(DbCommand command, string name, DateTime? utc) =>
        ((SqliteCommand)command).Parameters.Add(name, SqliteType.Text).Value =
            utc is { } value ? value.ToString(TimestampFormat, CultureInfo.InvariantCulture) : DBNull.Value;

    protected override Guid ReadId(DbDataReader reader, int ordinal) => Guid.Parse(reader.GetString(ordinal));

    protected override DateTime ReadTimestamp(DbDataReader reader, int ordinal) =>
        DateTime.ParseExact(reader.GetString(ordinal), TimestampFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    private static void CreateDirectoryOf(SqliteConnectionStringBuilder builder)
    {
        var dataSource = builder.DataSource;
        if (builder.Mode == SqliteOpenMode.Memory || string.IsNullOrEmpty(dataSource) || dataSource == ":memory:"
            || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }
}
