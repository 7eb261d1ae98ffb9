using System.Data.Common;
using MassTransit;
using Npgsql;
using NpgsqlTypes;

namespace NuPlanBus.Persistence.Stores;

/// <summary>
/// The distributed mode's store: the same statements as SQLite over an Npgsql data source (pooled).
/// The state column is <c>json</c>, not <c>jsonb</c>: it is stored verbatim (no re-parse on every save of a large run)
/// and accepts <c>\u0000</c> escapes, which native error messages can contain and <c>jsonb</c> rejects.
/// </summary>
public sealed class PostgresSagaStore<TState> : RelationalSagaStore<TState>, IAsyncDisposable, IDisposable
    where TState : class, ISagaVersion
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;

    /// <summary>Uses a data source owned by the caller.</summary>
    public PostgresSagaStore(NpgsqlDataSource dataSource, PersistentSagaOptions<TState>? options = null, TimeProvider? time = null)
        : base(options ?? new PersistentSagaOptions<TState>(), time)
    {
        _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
    }

    /// <summary>Creates (and disposes with the store) a data source for the connection string.</summary>
    public PostgresSagaStore(string connectionString, PersistentSagaOptions<TState>? options = null, TimeProvider? time = null)
        : this(NpgsqlDataSource.Create(connectionString), options, time)
    {
        _ownsDataSource = true;
    }

    public override string Provider => "postgres";

    protected override string SchemaSql =>
        $"""
        CREATE TABLE IF NOT EXISTS {Table} (
            correlation_id uuid NOT NULL PRIMARY KEY,
            version integer NOT NULL,
            state json NOT NULL,
            current_state text NULL,
            deadline timestamptz NULL,
            updated_at timestamptz NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_{Table}_deadline ON {Table} (deadline) WHERE deadline IS NOT NULL;
        CREATE TABLE IF NOT EXISTS {ItemsTable} (
            correlation_id uuid NOT NULL,
            item_key text NOT NULL,
            state text NOT NULL,
            PRIMARY KEY (correlation_id, item_key)
        );
        """;

    /// <summary>Repeatable read: the instance row and its items come from one snapshot.</summary>
    protected override async ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);

    /// <summary>Read committed: the guarded row statement runs first and takes the row lock, so item writes never conflict.</summary>
    protected override async ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);

    public ValueTask DisposeAsync() => _ownsDataSource ? _dataSource.DisposeAsync() : ValueTask.CompletedTask;

    public void Dispose()
    {
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    protected override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// <c>CREATE TABLE IF NOT EXISTS</c> is not atomic across sessions: two processes starting together can both pass the
    /// check, and the loser fails on the catalog's unique index or with "relation already exists".
    /// </summary>
    protected override bool IsConcurrentSchemaCreation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.DuplicateObject };

    protected override void AddId(DbCommand command, Guid correlationId) =>
        ((NpgsqlCommand)command).Parameters.Add(new NpgsqlParameter<Guid>("id", NpgsqlDbType.Uuid) { TypedValue = correlationId });

    protected override void AddState(DbCommand command, string json) =>
        ((NpgsqlCommand)command).Parameters.Add(new NpgsqlParameter<string>("state", NpgsqlDbType.Json) { TypedValue = json });

    protected override void AddTimestamp(DbCommand command, string name, DateTime? utc) =>
        ((NpgsqlCommand)command).Parameters.Add(new NpgsqlParameter(name.TrimStart('@'), NpgsqlDbType.TimestampTz)
        {
            Value = utc is { } value ? value : DBNull.Value,
        });

    protected override Guid ReadId(DbDataReader reader, int ordinal) => reader.GetGuid(ordinal);

    protected override DateTime ReadTimestamp(DbDataReader reader, int ordinal) =>
        DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc);
}
