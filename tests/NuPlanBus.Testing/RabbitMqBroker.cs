using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Testcontainers.RabbitMq;

namespace NuPlanBus.Testing;

/// <summary>Where a test broker listens and how to log in; each test gets its own virtual host.</summary>
public sealed record BrokerEndpoint(string Host, int Port, string Username, string Password);

/// <summary>
/// A real RabbitMQ for integration tests, found in this order: a Docker engine (Testcontainers), a broker
/// named by <c>NUPLANBUS_RABBITMQ</c> (host:port[:user:password]), or a private <c>rabbitmq-server</c> node
/// started here on its own name, ports and directories (the test command installs the Debian package).
/// If none can be had the fixture throws: integration tests never skip silently.
/// </summary>
public sealed class RabbitMqBroker : IAsyncDisposable
{
    private readonly RabbitMqContainer? _container;
    private readonly PrivateNode? _node;

    private RabbitMqBroker(BrokerEndpoint endpoint, RabbitMqContainer? container, PrivateNode? node)
    {
        Endpoint = endpoint;
        _container = container;
        _node = node;
    }

    public BrokerEndpoint Endpoint { get; }

    public string Kind => _container is not null ? "testcontainers" : _node is not null ? "private rabbitmq-server node" : "external";

    public static async Task<RabbitMqBroker> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable("NUPLANBUS_RABBITMQ");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var parts = configured.Split(':');
            return new RabbitMqBroker(
                new BrokerEndpoint(parts[0], parts.Length > 1 ? int.Parse(parts[1]) : 5672, parts.Length > 2 ? parts[2] : "guest", parts.Length > 3 ? parts[3] : "guest"),
                null, null);
        }
        if (await DockerAnswersAsync())
        {
            var container = new RabbitMqBuilder("rabbitmq:3.13-alpine").WithUsername("guest").WithPassword("guest").Build();
            await container.StartAsync();
            var uri = new Uri(container.GetConnectionString());
            return new RabbitMqBroker(new BrokerEndpoint(uri.Host, uri.Port, "guest", "guest"), container, null);
        }
        var node = await PrivateNode.StartAsync();
        return new RabbitMqBroker(new BrokerEndpoint("127.0.0.1", node.Port, "guest", "guest"), null, node);
    }

    /// <summary>Creates a fresh virtual host with full rights for the broker's user.</summary>
    public async Task<string> CreateVirtualHostAsync(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 60)];
        if (_node is not null)
        {
            await _node.CtlAsync("add_vhost", name);
            await _node.CtlAsync("set_permissions", "-p", name, Endpoint.Username, ".*", ".*", ".*");
        }
        else if (_container is not null)
        {
            await _container.ExecAsync(["rabbitmqctl", "add_vhost", name]);
            await _container.ExecAsync(["rabbitmqctl", "set_permissions", "-p", name, Endpoint.Username, ".*", ".*", ".*"]);
        }
        else
        {
            throw new InvalidOperationException("Virtual hosts on an external broker must exist already; use NUPLANBUS_RABBITMQ only with a broker you control.");
        }
        return name;
    }

    /// <summary>Messages waiting in a queue of a virtual host (for dead-letter checks).</summary>
    public async Task<IReadOnlyList<(string Queue, int Messages)>> ListQueuesAsync(string virtualHost)
    {
        if (_node is null)
        {
            throw new InvalidOperationException("Queue listing needs the private node.");
        }
        var output = await _node.CtlAsync("list_queues", "-p", virtualHost, "name", "messages", "--quiet", "--no-table-headers");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t', ' '))
            .Where(parts => parts.Length >= 2)
            .Select(parts => (parts[0], int.Parse(parts[^1])))
            .ToList();
    }

    public async ValueTask DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }

    private static async Task<bool> DockerAnswersAsync()
    {
        if (!File.Exists("/var/run/docker.sock") && Environment.GetEnvironmentVariable("DOCKER_HOST") is null)
        {
            return false;
        }
        try
        {
            var result = await Processes.RunAsync("docker", ["info", "--format", "{{.ServerVersion}}"], TimeSpan.FromSeconds(10));
            return result.ExitCode == 0;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or TimeoutException)
        {
            return false;
        }
    }

    private sealed class PrivateNode : IAsyncDisposable
    {
        private readonly string _root;
        private readonly string _nodeName;
        private readonly string _pidFile;
        private readonly Dictionary<string, string> _environment;

        private PrivateNode(string root, string nodeName, int port, int distributionPort)
        {
            _root = root;
            _nodeName = nodeName;
            Port = port;
            _pidFile = Path.Combine(root, "rabbit.pid");
            // consumer_timeout bounds how long one message may stay unacknowledged; the tests use short partitions.
            File.WriteAllText(Path.Combine(root, "rabbitmq.conf"), "consumer_timeout = 600000\nloopback_users = none\n");
            _environment = new Dictionary<string, string>
            {
                ["HOME"] = root,
                ["RABBITMQ_NODENAME"] = nodeName,
                ["RABBITMQ_NODE_PORT"] = port.ToString(),
                ["RABBITMQ_DIST_PORT"] = distributionPort.ToString(),
                ["RABBITMQ_MNESIA_BASE"] = Path.Combine(root, "mnesia"),
                ["RABBITMQ_LOG_BASE"] = Path.Combine(root, "log"),
                ["RABBITMQ_PID_FILE"] = _pidFile,
                ["RABBITMQ_CONFIG_FILE"] = Path.Combine(root, "rabbitmq"),
                ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(root, "enabled_plugins"),
                ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
                ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            };
            File.WriteAllText(Path.Combine(root, "enabled_plugins"), "[].\n");
        }

        public int Port { get; }

        public static async Task<PrivateNode> StartAsync()
        {
            if (Processes.Find("rabbitmq-server") is null)
            {
                throw new InvalidOperationException(
                    "RabbitMQ is needed for the integration tests: install it (apt-get install -y rabbitmq-server; scripts/test.sh does), " +
                    "set NUPLANBUS_RABBITMQ=host:port, or run a Docker engine.");
            }
            var root = Directory.CreateTempSubdirectory("nuplanbus-rabbit-").FullName;
            // Debian's wrapper scripts drop from root to the rabbitmq user, which must be able to use the node's directory.
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(root, (UnixFileMode)0b111_111_111);
            }
            var node = new PrivateNode(root, $"nuplanbus{Environment.ProcessId}x{Random.Shared.Next(1000, 9999)}@localhost", FreePort(), FreePort());
            var start = await Processes.RunAsync("rabbitmq-server", ["-detached"], TimeSpan.FromSeconds(30), node._environment);
            if (start.ExitCode != 0)
            {
                throw new InvalidOperationException($"rabbitmq-server failed to start: {start.Output}");
            }
            var wait = await Processes.RunAsync("rabbitmqctl", ["-n", node._nodeName, "wait", node._pidFile, "--timeout", "90"], TimeSpan.FromSeconds(100), node._environment);
            if (wait.ExitCode != 0)
            {
                throw new InvalidOperationException($"rabbitmq-server did not come up: {wait.Output}");
            }
            return node;
        }

        public async Task<string> CtlAsync(params string[] args)
        {
            var result = await Processes.RunAsync("rabbitmqctl", ["-n", _nodeName, .. args], TimeSpan.FromSeconds(60), _environment);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', args)} failed: {result.Output}");
            }
            return result.Output;
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await Processes.RunAsync("rabbitmqctl", ["-n", _nodeName, "stop", _pidFile], TimeSpan.FromSeconds(60), _environment);
            }
            finally
            {
                try
                {
                    Directory.Delete(_root, recursive: true);
                }
                catch (IOException)
                {
                    // A lingering log handle; the temp directory is cleaned by the system later.
                }
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Runs a command to completion with a time bound, capturing its output.</summary>
public static class Processes
{
    public sealed record Result(int ExitCode, string Output);

    public static string? Find(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Concat(["/usr/sbin", "/usr/local/sbin", "/sbin"])
            .Select(dir => Path.Combine(dir, command))
            .FirstOrDefault(File.Exists);

    public static async Task<Result> RunAsync(string command, IEnumerable<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(Find(command) ?? command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} {string.Join(' ', args)} did not finish within {timeout}.");
        }
        return new Result(process.ExitCode, (await stdout) + (await stderr));
    }
}
