using System.Text.RegularExpressions;

namespace NuPlanBus.Common.Distributed;

/// <summary>Barrier and participant ids double as file and object names, so they are restricted to a safe set.</summary>
internal static partial class BarrierNames
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeId();

    public static bool IsValidId(string? id) => id is not null && SafeId().IsMatch(id);

    public static void ValidateId(string? id, string parameterName)
    {
        if (!IsValidId(id))
        {
            throw new ArgumentException(
                $"'{id}' is not a valid barrier or participant id: use 1–200 letters, digits, '.', '_' or '-', starting with a letter or digit.",
                parameterName);
        }
    }
}
