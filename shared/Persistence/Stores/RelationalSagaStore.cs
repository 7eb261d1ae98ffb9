using System.Data.Common;
using MassTransit;
using NuPlanBus.Persistence.Deadlines;

namespace NuPlanBus.Persistence.Stores;

/// <summary>
/// The statements shared by the SQL back ends. Each write is a single autocommit statement: insert-if-absent
/// (<c>ON CONFLICT DO NOTHING</c>), update and delete guarded by <c>WHERE version = @expected</c>. No explicit
/// transaction is ever opened, so a SQLite writer never upgrades a read lock (which waits out the busy timeout and fails)
/// and a PostgreSQL conflict never aborts a transaction.
/// </summary>
public abstract class RelationalSagaStore<TState> : ISagaStore<TState>
    where TState : class, ISagaVersion
{
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private readonly SagaStateSerializer<TState> _serializer;
    private readonly TimeProvider _time;
    private volatile bool _schemaReady;

    protected RelationalSagaStore(PersistentSagaOptions<TState> options, TimeProvider? time)
    {
        ArgumentNullException.ThrowIfNull(options);
        Table = SagaTableName.Validate(options.Table);
        _serializer = new SagaStateSerializer<TState>(options);
        _time = time ?? TimeProvider.System;
    }

    public abstract string Provider { get; }

    public string Table { get; }

    /// <summary>The DDL that creates the table and the deadline index, idempotently.</summary>
    protected abstract string SchemaSql { get; }

    protected abstract ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    protected abstract void AddId(DbCommand command, Guid correlationId);

    protected abstract void AddState(DbCommand command, string json);

    protected abstract void AddTimestamp(DbCommand command, string name, DateTime? utc);

    protected abstract Guid ReadId(DbDataReader reader, int ordinal);

    protected abstract DateTime ReadTimestamp(DbDataReader reader, int ordinal);

    /// <summary>Runs once per store after the schema statement, e.g. to switch SQLite to WAL.</summary>
    protected virtual Task AfterSchemaCreatedAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Whether a failed DDL statement lost a race with another process creating the same objects.</summary>
    protected virtual bool IsConcurrentSchemaCreation(DbException exception) => false;

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        if (_schemaReady)
        {
            return;
        }
        await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_schemaReady)
            {
                return;
            }
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = SchemaSql;
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (DbException ex) when (attempt < 3 && IsConcurrentSchemaCreation(ex))
                {
                    // Another process created the table between our IF NOT EXISTS check and the create: try again.
                }
            }
            await AfterSchemaCreatedAsync(connection, cancellationToken).ConfigureAwait(false);
            _schemaReady = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    public async Task<TState?> LoadAsync(Guid correlationId, CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT version, state FROM {Table} WHERE correlation_id = @id";
        AddId(command, correlationId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        return _serializer.Deserialize(correlationId, reader.GetInt32(0), reader.GetString(1));
    }

    public async Task<bool> TryInsertAsync(TState instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var previous = instance.Version;
        instance.Version = 1;
        var inserted = false;
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText =
                $"INSERT INTO {Table} (correlation_id, version, state, current_state, deadline, updated_at) " +
                "VALUES (@id, @version, @state, @current_state, @deadline, @updated_at) " +
                "ON CONFLICT (correlation_id) DO NOTHING";
            AddRow(command, instance);
            inserted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
            return inserted;
        }
        finally
        {
            if (!inserted)
            {
                instance.Version = previous;
            }
        }
    }

    public async Task UpdateAsync(TState instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var expected = instance.Version;
        instance.Version = expected + 1;
        var updated = false;
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText =
                $"UPDATE {Table} SET version = @version, state = @state, current_state = @current_state, " +
                "deadline = @deadline, updated_at = @updated_at WHERE correlation_id = @id AND version = @expected";
            AddRow(command, instance);
            AddInt(command, "@expected", expected);
            updated = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
        finally
        {
            if (!updated)
            {
                instance.Version = expected;
            }
        }
        if (!updated)
        {
            throw new ConcurrencyException(
                $"Saga version conflict in {Table}: version {expected} was changed or deleted by another writer",
                typeof(TState), instance.CorrelationId);
        }
    }

    public async Task DeleteAsync(TState instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"DELETE FROM {Table} WHERE correlation_id = @id AND version = @expected";
        AddId(command, instance.CorrelationId);
        AddInt(command, "@expected", instance.Version);
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
        {
            throw new ConcurrencyException(
                $"Saga version conflict in {Table}: version {instance.Version} was changed or deleted by another writer",
                typeof(TState), instance.CorrelationId);
        }
    }

    public async Task<IReadOnlyList<DueSaga>> GetDueAsync(DateTime now, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT correlation_id, deadline FROM {Table} WHERE deadline IS NOT NULL AND deadline <= @now " +
            "ORDER BY deadline LIMIT @limit";
        AddTimestamp(command, "@now", SagaStateSerializer<TState>.ToUtc(now));
        AddInt(command, "@limit", limit);
        var due = new List<DueSaga>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            due.Add(new DueSaga(ReadId(reader, 0), ReadTimestamp(reader, 1)));
        }
        return due;
    }

    private void AddRow(DbCommand command, TState instance)
    {
        AddId(command, instance.CorrelationId);
        AddInt(command, "@version", instance.Version);
        AddState(command, _serializer.Serialize(instance));
        AddText(command, "@current_state", _serializer.CurrentState(instance));
        AddTimestamp(command, "@deadline", SagaStateSerializer<TState>.Deadline(instance));
        AddTimestamp(command, "@updated_at", _time.GetUtcNow().UtcDateTime);
    }

    private static void AddInt(DbCommand command, string name, int value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = System.Data.DbType.Int32;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static void AddText(DbCommand command, string name, string? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = System.Data.DbType.String;
        parameter.Value = (object?)value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
