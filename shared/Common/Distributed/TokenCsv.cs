using System.Text;

namespace NuPlanBus.Common.Distributed;

/// <summary>
/// The per-node token file of scenario-based distribution, byte-compatible with the devkit's: a header row <c>0,1</c>,
/// then one <c>token,log_name</c> row per scenario, <c>\n</c> line ends, minimal CSV quoting (a field containing a
/// comma, a double quote or a line break is quoted, quotes doubled). Zero scenarios is a file holding one empty line.
/// </summary>
public static class TokenCsv
{
    public const string Header = "0,1";

    public static string Write<TKey>(IEnumerable<TKey> keys)
        where TKey : IScenarioKey<TKey>
    {
        ArgumentNullException.ThrowIfNull(keys);
        var text = new StringBuilder();
        foreach (var key in keys)
        {
            if (text.Length == 0)
            {
                text.Append(Header).Append('\n');
            }
            AppendField(text, key.Token);
            text.Append(',');
            AppendField(text, key.LogName);
            text.Append('\n');
        }
        return text.Length == 0 ? "\n" : text.ToString();
    }

    /// <summary>
    /// Parses a token file. Every field stays a string (the devkit's type inference turned <c>0012</c> into <c>12</c>).
    /// An empty file, or one holding only line breaks, has no rows.
    /// </summary>
    /// <exception cref="FormatException">A row without exactly two fields, or an unterminated quoted field.</exception>
    public static IReadOnlyList<TKey> Read<TKey>(string content, string sourceName)
        where TKey : IScenarioKey<TKey>
    {
        ArgumentNullException.ThrowIfNull(content);
        var records = ParseRecords(content, sourceName);
        var keys = new List<TKey>(Math.Max(0, records.Count - 1));
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            if (record.Count != 2)
            {
                throw new FormatException($"{sourceName}: record {i + 1} has {record.Count} field(s), expected 2 (token, log_name).");
            }
            if (i > 0)
            {
                keys.Add(TKey.Create(record[0], record[1]));
            }
        }
        return keys;
    }

    private static void AppendField(StringBuilder text, string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            text.Append(value);
            return;
        }
        text.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }

    /// <summary>Records of the file; empty lines (outside quotes) are skipped.</summary>
    private static List<List<string>> ParseRecords(string content, string sourceName)
    {
        var records = new List<List<string>>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var fieldStarted = false;

        void EndField()
        {
            fields.Add(field.ToString());
            field.Clear();
            fieldStarted = false;
        }

        void EndRecord()
        {
            if (fields.Count > 0 || fieldStarted || field.Length > 0)
            {
                EndField();
                records.Add(fields);
                fields = [];
            }
        }

        for (var i = 0; i < content.Length; i++)
        {
            var c = content[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < content.Length && content[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0:
                    inQuotes = true;
                    fieldStarted = true;
                    break;
                case ',':
                    EndField();
                    fieldStarted = true;
                    break;
                case '\r' when i + 1 < content.Length && content[i + 1] == '\n':
                    break;
                case '\n':
                case '\r':
                    EndRecord();
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }
        if (inQuotes)
        {
            throw new FormatException($"{sourceName}: unterminated quoted field.");
        }
        EndRecord();
        return records;
    }
}
