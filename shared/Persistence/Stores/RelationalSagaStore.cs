using System.Data.Common;
using MassTransit;
using NuPlanBus.Persistence.Deadlines;

namespace NuPlanBus.Persistence.Stores;

/// <summary>
/// The statements shared by the SQL back ends: insert-if-absent (<c>ON CONFLICT DO NOTHING</c>), update and delete
/// guarded by <c>WHERE version = @expected</c>. A state without items is written by one autocommit statement. A state with
/// items (<see cref="ISagaItems"/>) writes its row and its changed item rows in one transaction that starts as a writer
/// (SQLite's <c>BEGIN IMMEDIATE</c>), so it never upgrades a read lock, and whose guarded row statement runs first, so a
/// lost race rolls back before any item is touched. The last instance this process saved is kept: when the stored
/// version is still its version, a load returns it without reading the items again, so an event costs the same whatever
/// the number of items.
/// </summary>
public abstract class RelationalSagaStore<TState> : ISagaStore<TState>
    where TState : class, ISagaVersion
{
    private const int ItemsPerStatement = 256;
    private const int MaxCachedInstances = 64;

    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, TState> _saved = new();
    private long _stateBytesWritten;
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

    /// <summary>The table of the item rows of <see cref="ISagaItems"/> states: the state table's name with <c>_items</c>.</summary>
    public string ItemsTable => Table + "_items";

    public long StateBytesWritten => Interlocked.Read(ref _stateBytesWritten);

    /// <summary>The DDL that creates the tables and the deadline index, idempotently.</summary>
    protected abstract string SchemaSql { get; }

    /// <summary>Starts the transaction a load reads the instance row and its items in (one snapshot).</summary>
    protected abstract ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Starts the transaction of a write of an instance with items, holding the write lock from the start.</summary>
    protected abstract ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

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
        if (!SagaStateSerializer<TState>.HasItems)
        {
            var (version, json) = await ReadRowAsync(connection, null, correlationId, cancellationToken).ConfigureAwait(false);
            return json is null ? null : _serializer.Deserialize(correlationId, version, json);
        }
        // The caller owns the instance it loads: a kept one is handed out once and kept again when it is saved.
        _saved.TryRemove(correlationId, out var kept);
        await using var transaction = await BeginReadAsync(connection, cancellationToken).ConfigureAwait(false);
        var (storedVersion, storedJson) = await ReadRowAsync(connection, transaction, correlationId, cancellationToken).ConfigureAwait(false);
        if (storedJson is null)
        {
            return null;
        }
        if (kept is not null && kept.Version == storedVersion)
        {
            return kept;
        }
        var items = new List<SagaItem>();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = $"SELECT item_key, state FROM {ItemsTable} WHERE correlation_id = @id";
            AddId(command, correlationId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                items.Add(new SagaItem(reader.GetString(0), reader.GetString(1)));
            }
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return _serializer.Deserialize(correlationId, storedVersion, storedJson, items);
    }

    private async Task<(int Version, string? Json)> ReadRowAsync(DbConnection connection, DbTransaction? transaction, Guid correlationId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT version, state FROM {Table} WHERE correlation_id = @id";
        AddId(command, correlationId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (reader.GetInt32(0), reader.GetString(1)) : (0, null);
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
            inserted = await WriteAsync(instance,
                $"INSERT INTO {Table} (correlation_id, version, state, current_state, deadline, updated_at) " +
                "VALUES (@id, @version, @state, @current_state, @deadline, @updated_at) " +
                "ON CONFLICT (correlation_id) DO NOTHING",
                expected: null, cancellationToken).ConfigureAwait(false);
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
            updated = await WriteAsync(instance,
                $"UPDATE {Table} SET version = @version, state = @state, current_state = @current_state, " +
                "deadline = @deadline, updated_at = @updated_at WHERE correlation_id = @id AND version = @expected",
                expected, cancellationToken).ConfigureAwait(false);
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
            throw Conflict(instance, expected);
        }
    }

    public async Task DeleteAsync(TState instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        _saved.TryRemove(instance.CorrelationId, out _);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = SagaStateSerializer<TState>.HasItems
            ? await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false)
            : null;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = $"DELETE FROM {Table} WHERE correlation_id = @id AND version = @expected";
            AddId(command, instance.CorrelationId);
            AddInt(command, "@expected", instance.Version);
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                throw Conflict(instance, instance.Version);
            }
        }
        if (transaction is not null)
        {
            await using var items = connection.CreateCommand();
            items.Transaction = transaction;
            items.CommandText = $"DELETE FROM {ItemsTable} WHERE correlation_id = @id";
            AddId(items, instance.CorrelationId);
            await items.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs the instance row's statement and, when it wrote the row, upserts the changed items in the same transaction;
    /// returns whether the row was written. A saved instance with items is kept for the next load.
    /// </summary>
    private async Task<bool> WriteAsync(TState instance, string rowSql, int? expected, CancellationToken cancellationToken)
    {
        var items = _serializer.TakeChangedItems(instance);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = items.Count > 0 ? await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false) : null;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = rowSql;
            AddRow(command, instance);
            if (expected is { } version)
            {
                AddInt(command, "@expected", version);
            }
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                // Disposing the transaction rolls it back; nothing was written.
                return false;
            }
        }
        for (var start = 0; start < items.Count; start += ItemsPerStatement)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var count = Math.Min(ItemsPerStatement, items.Count - start);
            var values = new System.Text.StringBuilder();
            AddId(command, instance.CorrelationId);
            for (var i = 0; i < count; i++)
            {
                var item = items[start + i];
                values.Append(i == 0 ? "" : ", ").Append("(@id, @k").Append(i).Append(", @s").Append(i).Append(')');
                AddText(command, $"@k{i}", item.Key);
                AddText(command, $"@s{i}", item.Json);
                Interlocked.Add(ref _stateBytesWritten, item.Key.Length + item.Json.Length);
            }
            command.CommandText = $"INSERT INTO {ItemsTable} (correlation_id, item_key, state) VALUES {values} " +
                "ON CONFLICT (correlation_id, item_key) DO UPDATE SET state = excluded.state";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        if (SagaStateSerializer<TState>.HasItems)
        {
            if (_saved.Count >= MaxCachedInstances)
            {
                _saved.Clear();
            }
            _saved[instance.CorrelationId] = instance;
        }
        return true;
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
        var json = _serializer.Serialize(instance);
        Interlocked.Add(ref _stateBytesWritten, json.Length);
        AddState(command, json);
        AddText(command, "@current_state", _serializer.CurrentState(instance));
        AddTimestamp(command, "@deadline", SagaStateSerializer<TState>.Deadline(instance));
        AddTimestamp(command, "@updated_at", _time.GetUtcNow().UtcDateTime);
    }

    private ConcurrencyException Conflict(TState instance, int expected) =>
        new($"Saga version conflict in {Table}: version {expected} was changed or deleted by another writer",
            typeof(TState), instance.CorrelationId);

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
