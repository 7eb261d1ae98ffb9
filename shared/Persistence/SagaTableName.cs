using System.Text;
using System.Text.RegularExpressions;

namespace NuPlanBus.Persistence;

/// <summary>Table names are spliced into SQL, so only plain identifiers are accepted.</summary>
public static partial class SagaTableName
{
    public static string For<TState>() => ToSnakeCase(typeof(TState).Name);

    public static string Validate(string table)
    {
        if (!Identifier().IsMatch(table))
        {
            throw new ArgumentException(
                $"Saga table name '{table}' is not a plain identifier (letters, digits, underscores; at most 63 characters; not starting with a digit).",
                nameof(table));
        }
        return table;
    }

    private static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                {
                    builder.Append('_');
                }
                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(char.IsLetterOrDigit(c) ? c : '_');
            }
        }
        return Validate(builder.ToString());
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}
