using NuPlanBus.Scenarios;

namespace NuPlanBus.SimWorker;

/// <summary>Keeps the log databases of one partition open while its scenarios are loaded, then closes them.</summary>
public sealed class LogDatabasePool : IDisposable
{
    private readonly Dictionary<string, NuPlanLogDatabase> _open = new(StringComparer.Ordinal);

    public NuPlanLogDatabase Get(string path)
    {
        if (!_open.TryGetValue(path, out var database))
        {
            database = NuPlanLogDatabase.Open(path);
            _open[path] = database;
        }
        return database;
    }

    public void Dispose()
    {
        foreach (var database in _open.Values)
        {
            database.Dispose();
        }
        _open.Clear();
    }
}
