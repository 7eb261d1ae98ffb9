using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.S3;
using NuPlanBus.Common.Storage;

namespace NuPlanBus.Common.IntegrationTests;

/// <summary>
/// A real S3 API for the tests: the moto server at <c>MOTO_URL</c> when that is set, otherwise one started here with
/// <c>python3 -m moto.server</c> on a free port and stopped at the end. A missing python3 or moto fails the tests
/// (it never skips them).
/// </summary>
public sealed class MotoServer : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Process? _process;
    private readonly StringBuilder _output = new();

    public MotoServer()
    {
        var external = Environment.GetEnvironmentVariable("MOTO_URL");
        if (!string.IsNullOrWhiteSpace(external))
        {
            Url = external.TrimEnd('/');
            WaitUntilReady(TimeSpan.FromSeconds(30));
            return;
        }

        var python = FindOnPath("python3")
            ?? throw new InvalidOperationException("python3 is not on PATH; the S3 integration tests need moto (pip install 'moto[server]') or MOTO_URL pointing at a running moto server.");
        var probe = Run(python, "-c \"import moto, sys; sys.stdout.write(moto.__version__)\"");
        if (probe.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"moto is not importable by {python} (exit {probe.ExitCode}): {probe.Output.Trim()}. Install it with: {python} -m pip install 'moto[server]', or set MOTO_URL.");
        }

        var port = FreePort();
        Url = $"http://127.0.0.1:{port}";
        _process = new Process
        {
            StartInfo = new ProcessStartInfo(python)
            {
                ArgumentList = { "-m", "moto.server", "-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
        };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
        WaitUntilReady(TimeSpan.FromSeconds(60));
    }

    public string Url { get; }

    public S3StorageOptions Options(StorageResilienceOptions? resilience = null) => new()
    {
        ServiceUrl = Url,
        ForcePathStyle = true,
        Region = "us-east-1",
        AccessKeyId = "testing",
        SecretAccessKey = "testing",
        Resilience = resilience ?? new StorageResilienceOptions(),
    };

    public S3Storage CreateStorage(IStorageMetrics? metrics = null, S3StorageOptions? options = null) => new(options ?? Options(), metrics);

    public async Task<string> CreateBucketAsync(string bucket)
    {
        using var client = S3Storage.CreateClient(Options());
        await client.PutBucketAsync(bucket);
        return bucket;
    }

    /// <summary>Clears every bucket and object (moto's reset endpoint).</summary>
    public void Reset()
    {
        using var response = Http.PostAsync($"{Url}/moto-api/reset", null).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
    }

    public void Dispose() => Stop();

    private void Stop()
    {
        if (_process is null)
        {
            return;
        }
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private void WaitUntilReady(TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        Exception? last = null;
        while (deadline.Elapsed < limit)
        {
            if (_process is { HasExited: true })
            {
                throw new InvalidOperationException($"moto server exited with code {_process.ExitCode} before it was ready:\n{Output}");
            }
            try
            {
                using var response = Http.GetAsync($"{Url}/moto-api/data.json").GetAwaiter().GetResult();
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException ex)
            {
                last = ex;
            }
            catch (TaskCanceledException ex)
            {
                last = ex;
            }
            Thread.Sleep(100);
        }
        Stop();
        throw new InvalidOperationException($"moto server at {Url} was not ready within {limit.TotalSeconds} s ({last?.Message}):\n{Output}");
    }

    private string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            if (_output.Length < 64 * 1024)
            {
                _output.AppendLine(line);
            }
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindOnPath(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static (int ExitCode, string Output) Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}

[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "moto";
}

/// <summary>Marks a test class as reset: the first test of each class clears moto.</summary>
public sealed class MotoResetOnce
{
    private int _done;

    public void EnsureReset(MotoServer moto)
    {
        if (Interlocked.Exchange(ref _done, 1) == 0)
        {
            moto.Reset();
        }
    }
}

/// <summary>Base of test classes against moto: resets the server once per class.</summary>
public abstract class MotoTestBase : IClassFixture<MotoResetOnce>
{
    protected MotoTestBase(MotoServer moto, MotoResetOnce reset)
    {
        Moto = moto;
        reset.EnsureReset(moto);
    }

    protected MotoServer Moto { get; }

    protected static string UniqueBucket(string prefix = "test") => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 33)];
}
