using System.Text.RegularExpressions;
using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Common.Experiments;

/// <summary>Unique, file-system-safe run names: <c>name</c>, then <c>name_1</c>, <c>name_2</c>, … when taken.</summary>
public static partial class RunNames
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex ValidName();

    public static bool IsValid(string? name) => name is not null && ValidName().IsMatch(name);

    public static void Validate(string name)
    {
        if (!IsValid(name))
        {
            throw new ConfigurationException(
                $"Run name '{name}' is not valid: use 1–128 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }
    }

    /// <summary>Returns the first of name, name_1, name_2, … for which <paramref name="isTaken"/> is false.</summary>
    public static string MakeUnique(string name, Func<string, bool> isTaken)
    {
        Validate(name);
        if (!isTaken(name))
        {
            return name;
        }
        for (var i = 1; ; i++)
        {
            var candidate = $"{name}_{i}";
            if (!isTaken(candidate))
            {
                return candidate;
            }
        }
    }

    /// <summary>
    /// Claims a unique run directory under <paramref name="root"/> by creating it; concurrent callers never
    /// receive the same directory because creation of the marker file is exclusive.
    /// </summary>
    public static string ClaimDirectory(string root, string name)
    {
        Directory.CreateDirectory(root);
        while (true)
        {
            var unique = MakeUnique(name, candidate => Directory.Exists(Path.Combine(root, candidate)));
            var directory = Path.Combine(root, unique);
            Directory.CreateDirectory(directory);
            try
            {
                using var claim = new FileStream(RunLayout.ClaimFile(directory), FileMode.CreateNew);
                return directory;
            }
            catch (IOException) when (File.Exists(RunLayout.ClaimFile(directory)))
            {
                // Another submission won the race for this name; try the next one.
            }
        }
    }
}
