using System.Diagnostics;
using NuPlanBus.Testing;

namespace NuPlanBus.Distributed.IntegrationTests;

/// <summary>One service running as its own OS process, as on a cluster, with its console captured to a file.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ServiceProcess(string name, Process process, StreamWriter log)
    {
        Name = name;
        _process = process;
        _log = log;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ServiceProcess Start(string name, string assembly, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, string logDirectory)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = logDirectory,
        };
        info.ArgumentList.Add(ServicePaths.Assembly(assembly));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        var log = new StreamWriter(Path.Combine(logDirectory, $"{name}.console.log"), append: true) { AutoFlush = true };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServiceProcess(name, process, log);
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            log.WriteLine(line);
        }
    }

    /// <summary>SIGKILL: the process gets no chance to finish or hand anything back.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, then wait: the host's graceful shutdown.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }
        await Processes.RunAsync("kill", ["-TERM", _process.Id.ToString()], TimeSpan.FromSeconds(5));
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }
}

/// <summary>Where the solution build put each service.</summary>
public static class ServicePaths
{
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NuPlanBus.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Cannot find NuPlanBus.sln above " + AppContext.BaseDirectory);
    }

    private static string Configuration() =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string Assembly(string name)
    {
        var (project, file) = name switch
        {
            "coordinator" => ("Coordinator", "nuplanbus.dll"),
            "sim-worker" => ("SimWorker", "NuPlanBus.SimWorker.dll"),
            "metric-worker" => ("MetricWorker", "NuPlanBus.MetricWorker.dll"),
            "storage-gateway" => ("StorageGateway", "NuPlanBus.StorageGateway.dll"),
            _ => throw new ArgumentException($"Unknown service {name}", nameof(name)),
        };
        var path = Path.Combine(RepositoryRoot(), "services", project, "bin", Configuration(), "net10.0", file);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} does not exist: build the solution (dotnet build NuPlanBus.sln -c {Configuration()}) first.");
        }
        return path;
    }
}
