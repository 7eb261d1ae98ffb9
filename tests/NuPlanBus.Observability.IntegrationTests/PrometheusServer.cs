using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace NuPlanBus.Observability.IntegrationTests;

/// <summary>
/// A throwaway Prometheus server (the real binary from PATH) that scrapes the given targets every second, with its
/// own configuration and TSDB in a temporary directory. Each target is a metrics URL
/// (<c>http://127.0.0.1:8081/metrics</c>) or a management base address (its <c>/metrics</c> is scraped).
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _log;

    private PrometheusServer(Process process, string directory, StringBuilder log, Uri baseAddress, int targetCount)
    {
        _process = process;
        _directory = directory;
        _log = log;
        BaseAddress = baseAddress;
        TargetCount = targetCount;
    }

    /// <summary>Prometheus's own address (UI and HTTP API).</summary>
    public Uri BaseAddress { get; }

    public int TargetCount { get; }

    /// <summary>What Prometheus wrote to stdout and stderr so far (for failure messages).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<PrometheusServer> StartAsync(IEnumerable<Uri> targets, CancellationToken cancellationToken = default)
    {
        var executable = RequiredTool.Find("prometheus");
        var targetList = targets.ToList();
        if (targetList.Count == 0)
        {
            throw new ArgumentException("At least one scrape target is needed.", nameof(targets));
        }

        var directory = Directory.CreateTempSubdirectory("nuplanbus-prometheus-").FullName;
        var configFile = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(configFile, ScrapeConfiguration(targetList), cancellationToken);
        var port = FreePort();
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        start.ArgumentList.Add($"--config.file={configFile}");
        start.ArgumentList.Add($"--storage.tsdb.path={Path.Combine(directory, "data")}");
        start.ArgumentList.Add($"--web.listen-address=127.0.0.1:{port}");
        start.ArgumentList.Add("--web.enable-lifecycle");
        start.ArgumentList.Add("--log.level=warn");

        var log = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new PrometheusServer(process, directory, log, new Uri($"http://127.0.0.1:{port}/"), targetList.Count);
        try
        {
            await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(30), cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Evaluates an instant query that yields at most one value (a scalar, or a vector of one element such as
    /// <c>sum(...)</c>); null when the vector is empty (nothing scraped yet).
    /// </summary>
    public async Task<double?> QueryScalarAsync(string promql, CancellationToken cancellationToken = default)
    {
        var uri = new Uri(BaseAddress, $"api/v1/query?query={Uri.EscapeDataString(promql)}");
        using var response = await Http.GetAsync(uri, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Prometheus rejected '{promql}': {(int)response.StatusCode} {body}");
        }

        using var json = JsonDocument.Parse(body);
        var data = json.RootElement.GetProperty("data");
        var resultType = data.GetProperty("resultType").GetString();
        var result = data.GetProperty("result");
        JsonElement value;
        switch (resultType)
        {
            case "scalar":
                value = result;
                break;
            case "vector" when result.GetArrayLength() == 0:
                return null;
            case "vector" when result.GetArrayLength() == 1:
                value = result[0].GetProperty("value");
                break;
            default:
                throw new InvalidOperationException($"'{promql}' is not a single value ({resultType}, aggregate it with sum() or similar): {body}");
        }

        return double.Parse(value[1].GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>Polls a query until its value satisfies <paramref name="done"/>; returns that value, or fails with the last one seen.</summary>
    public async Task<double> WaitForValueAsync(string promql, Func<double, bool> done, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        double? last = null;
        while (true)
        {
            last = await QueryScalarAsync(promql, cancellationToken);
            if (last is { } value && done(value))
            {
                return value;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"'{promql}' was {last?.ToString(CultureInfo.InvariantCulture) ?? "empty"} after {timeout.TotalSeconds:0} s. Prometheus log:\n{Log}");
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    /// <summary>Waits until every target has been scraped successfully (<c>up == 1</c>).</summary>
    public Task WaitForTargetsUpAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitForValueAsync("sum(up)", up => up >= TargetCount, timeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                try
                {
                    using var quit = await Http.PostAsync(new Uri(BaseAddress, "-/quit"), content: null);
                }
                catch (HttpRequestException)
                {
                    // Not listening (yet): killed below.
                }

                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await _process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp directory is harmless.
            }
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Prometheus exited with code {_process.ExitCode} at start:\n{Log}");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri(BaseAddress, "-/ready"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Prometheus was not ready after {timeout.TotalSeconds:0} s:\n{Log}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static string ScrapeConfiguration(IReadOnlyList<Uri> targets)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine("global:");
        yaml.AppendLine("  scrape_interval: 1s");
        yaml.AppendLine("  scrape_timeout: 1s");
        yaml.AppendLine("  evaluation_interval: 1s");
        yaml.AppendLine("scrape_configs:");
        for (var i = 0; i < targets.Count; i++)
        {
            var target = targets[i];
            var path = target.AbsolutePath is "" or "/" ? "/metrics" : target.AbsolutePath;
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  - job_name: target-{i}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    scheme: {target.Scheme}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    metrics_path: '{path}'");
            yaml.AppendLine("    static_configs:");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"      - targets: ['{target.Authority}']");
        }

        return yaml.ToString();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Append(StringBuilder log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.AppendLine(line);
        }
    }
}
