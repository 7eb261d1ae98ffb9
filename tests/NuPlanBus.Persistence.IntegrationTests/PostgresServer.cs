using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace NuPlanBus.Persistence.IntegrationTests;

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}

/// <summary>
/// A real PostgreSQL server for the integration tests: the one named by <c>NUPLANBUS_POSTGRES</c> (a connection string
/// whose user may create databases), or else a throwaway cluster initialised in a temporary directory from the local
/// PostgreSQL server binaries, on a free port, stopped and removed at the end. There is no skipping: without either,
/// the tests fail and say what is missing. Each test class gets its own database.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string ConnectionStringVariable = "NUPLANBUS_POSTGRES";

    private const string ServiceUser = "postgres";

    private readonly Dictionary<string, Task<string>> _databases = [];
    private readonly Lock _gate = new();
    private string? _root;
    private string? _binaries;
    private string _adminConnectionString = "";

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(ConnectionStringVariable) is { Length: > 0 } external)
        {
            _adminConnectionString = external;
            return;
        }
        _binaries = FindBinaries();
        _root = Path.Combine(Path.GetTempPath(), $"nuplanbus-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_root);
        // initdb refuses to run as root, so the cluster belongs to the service user, who must be able to write here.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_root, (UnixFileMode)0b111_111_111);
        }
        var data = Path.Combine(_root, "data");
        await RunAsync("initdb", "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync");
        var port = FreePort();
        var options = $"-p {port} -k {_root} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off " +
                      "-c synchronous_commit=off -c full_page_writes=off";
        await RunAsync("pg_ctl", "-D", data, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "-o", options, "start");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopCluster();
        _adminConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
    }

    /// <summary>A connection string for a database of its own (created once per key, dropped at the end).</summary>
    public Task<string> DatabaseAsync(string key)
    {
        lock (_gate)
        {
            if (!_databases.TryGetValue(key, out var database))
            {
                database = CreateDatabaseAsync($"nuplanbus_{key.ToLowerInvariant()}_{Guid.NewGuid():N}"[..50]);
                _databases[key] = database;
            }
            return database;
        }
    }

    public async Task DisposeAsync()
    {
        if (_root is null)
        {
            await DropDatabasesAsync();
            return;
        }
        StopCluster();
    }

    private async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(_adminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE {name}";
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    private async Task DropDatabasesAsync()
    {
        NpgsqlConnection.ClearAllPools();
        foreach (var database in _databases.Values)
        {
            var name = new NpgsqlConnectionStringBuilder(await database).Database;
            await using var connection = new NpgsqlConnection(_adminConnectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"DROP DATABASE IF EXISTS {name} WITH (FORCE)";
            await command.ExecuteNonQueryAsync();
        }
    }

    private void StopCluster()
    {
        var root = Interlocked.Exchange(ref _root, null);
        if (root is null)
        {
            return;
        }
        NpgsqlConnection.ClearAllPools();
        try
        {
            RunAsync("pg_ctl", "-D", Path.Combine(root, "data"), "-m", "immediate", "-w", "-t", "30", "stop").GetAwaiter().GetResult();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string FindBinaries()
    {
        var candidates = new List<string>();
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            // Prefer 15 (what the images ship), then any newer or older major version.
            candidates.Add("/usr/lib/postgresql/15/bin");
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => d).Select(d => Path.Combine(d, "bin")));
        }
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries));
        var found = candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
        return found ?? throw new InvalidOperationException(
            "PostgreSQL integration tests need a server: neither NUPLANBUS_POSTGRES (a connection string) is set nor are the " +
            "PostgreSQL server binaries 'initdb' and 'pg_ctl' installed (looked in /usr/lib/postgresql/*/bin and PATH). " +
            "Install the PostgreSQL 15 server package (Debian: postgresql-15) or point NUPLANBUS_POSTGRES at a server.");
    }

    private async Task RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var executable = Path.Combine(_binaries!, tool);
        if (Environment.IsPrivilegedProcess)
        {
            EnsureServiceUserExists();
            start.FileName = "runuser";
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add(ServiceUser);
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(executable);
        }
        else
        {
            start.FileName = executable;
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {tool}.");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            var log = _root is not null && File.Exists(Path.Combine(_root, "server.log")) ? File.ReadAllText(Path.Combine(_root, "server.log")) : "";
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}:\n{output}\n{log}");
        }
    }

    private static void EnsureServiceUserExists()
    {
        if (!File.ReadLines("/etc/passwd").Any(line => line.StartsWith(ServiceUser + ":", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException(
                $"PostgreSQL refuses to run as root and there is no '{ServiceUser}' user to run it as; create one " +
                $"(useradd --system {ServiceUser}) or run the tests as a non-root user, or set NUPLANBUS_POSTGRES.");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
