using Microsoft.Extensions.Configuration;

namespace NuPlanBus.Persistence;

/// <summary>Where saga instances are kept.</summary>
public enum SagaStoreProvider
{
    /// <summary>A process-local dictionary with the same version semantics; for tests only, nothing survives a restart.</summary>
    InMemory,

    /// <summary>A SQLite file (the embedded mode's store, normally in the run or application directory).</summary>
    Sqlite,

    /// <summary>A PostgreSQL database (the distributed mode's store).</summary>
    Postgres,
}

/// <summary>
/// The <c>SagaStore</c> configuration section: which store the saga repositories of a process use.
/// </summary>
/// <example>
/// <code>
/// "SagaStore": { "Provider": "Postgres", "ConnectionString": "Host=db;Database=nuplanbus;Username=nuplanbus" }
/// </code>
/// </example>
public sealed class SagaStoreOptions
{
    public const string SectionName = "SagaStore";

    public const string DefaultSqliteConnectionString = "Data Source=nuplanbus-sagas.db";

    public SagaStoreProvider Provider { get; set; } = SagaStoreProvider.Sqlite;

    /// <summary>
    /// An ADO.NET connection string for the provider. SQLite defaults to <see cref="DefaultSqliteConnectionString"/>
    /// (relative to the working directory); PostgreSQL has no default.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The table of the saga; when empty, each saga type gets its own table named after its state type
    /// (<c>SimulationRunState</c> → <c>simulation_run_state</c>). Set it only where one saga type uses the section.
    /// </summary>
    public string? Table { get; set; }

    /// <summary>How long a SQLite write waits for another writer before it fails.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Reads the section by hand so that a misspelt provider fails at start instead of falling back silently.</summary>
    public static SagaStoreOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionName);
        var options = new SagaStoreOptions();
        if (section["Provider"] is { Length: > 0 } provider)
        {
            options.Provider = Enum.TryParse<SagaStoreProvider>(provider, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw new InvalidOperationException(
                    $"{SectionName}:Provider '{provider}' is unknown; use one of {string.Join(", ", Enum.GetNames<SagaStoreProvider>())}.");
        }
        options.ConnectionString = section["ConnectionString"] is { Length: > 0 } cs ? cs : null;
        options.Table = section["Table"] is { Length: > 0 } table ? table : null;
        if (section["BusyTimeout"] is { Length: > 0 } timeout)
        {
            options.BusyTimeout = TimeSpan.TryParse(timeout, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw new InvalidOperationException($"{SectionName}:BusyTimeout '{timeout}' is not a time span (e.g. 00:00:30).");
        }
        options.Validate();
        return options;
    }

    public void Validate()
    {
        if (Provider == SagaStoreProvider.Postgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new InvalidOperationException($"{SectionName}:ConnectionString is required when {SectionName}:Provider is Postgres.");
        }
        if (Table is not null)
        {
            SagaTableName.Validate(Table);
        }
        if (BusyTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{SectionName}:BusyTimeout must be positive.");
        }
    }
}
