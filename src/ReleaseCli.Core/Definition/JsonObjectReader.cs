using System.Text.Json;

namespace ReleaseCli.Core.Definition;

/// <summary>
/// Reads one JSON object of the definition, collecting errors with their JSON path instead of
/// stopping at the first, and reporting keys nobody asked for (typos) with the closest known key.
/// </summary>
internal sealed class JsonObjectReader
{
    private readonly JsonElement _element;
    private readonly List<string> _errors;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public JsonObjectReader(JsonElement element, string path, List<string> errors)
    {
        _element = element;
        Path = path;
        _errors = errors;
        IsObject = element.ValueKind == JsonValueKind.Object;
        if (!IsObject)
        {
            errors.Add($"{path}: expected an object, found {Describe(element)}.");
        }
    }

    public string Path { get; }

    public bool IsObject { get; }

    public void Error(string relativePath, string message) => _errors.Add($"{Child(relativePath)}: {message}");

    public string Child(string name) => name.Length == 0 ? Path : name.StartsWith('[') ? Path + name : $"{Path}.{name}";

    public JsonElement? Get(string name)
    {
        _known.Add(name);
        return IsObject && _element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
    }

    public string? String(string name, bool required, string? hint = null)
    {
        var value = Get(name);
        if (value is null)
        {
            if (required && IsObject)
            {
                Error(name, $"is required{(hint is null ? "." : $": {hint}")}");
            }

            return null;
        }

        if (value.Value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.Value.GetString()))
        {
            Error(name, $"expected a non-empty string, found {Describe(value.Value)}.");
            return null;
        }

        return value.Value.GetString();
    }

    public bool Bool(string name, bool defaultValue)
    {
        var value = Get(name);
        if (value is null)
        {
            return defaultValue;
        }

        if (value.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Error(name, $"expected true or false, found {Describe(value.Value)}.");
            return defaultValue;
        }

        return value.Value.GetBoolean();
    }

    public int Int(string name, int defaultValue)
    {
        var value = Get(name);
        if (value is null)
        {
            return defaultValue;
        }

        if (value.Value.ValueKind != JsonValueKind.Number || !value.Value.TryGetInt32(out var number))
        {
            Error(name, $"expected a whole number, found {Describe(value.Value)}.");
            return defaultValue;
        }

        return number;
    }

    public double? Number(string name)
    {
        var value = Get(name);
        if (value is null)
        {
            return null;
        }

        if (value.Value.ValueKind != JsonValueKind.Number || !value.Value.TryGetDouble(out var number))
        {
            Error(name, $"expected a number, found {Describe(value.Value)}.");
            return null;
        }

        return number;
    }

    public IReadOnlyList<string> Strings(string name)
    {
        var value = Get(name);
        if (value is null)
        {
            return [];
        }

        if (value.Value.ValueKind != JsonValueKind.Array)
        {
            Error(name, $"expected an array of strings, found {Describe(value.Value)}.");
            return [];
        }

        var result = new List<string>();
        var index = 0;
        foreach (var item in value.Value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(item.GetString()))
            {
                result.Add(item.GetString()!);
            }
            else
            {
                Error($"{name}[{index}]", $"expected a non-empty string, found {Describe(item)}.");
            }

            index++;
        }

        return result;
    }

    public JsonObjectReader? Object(string name, bool required)
    {
        var value = Get(name);
        if (value is null)
        {
            if (required && IsObject)
            {
                Error(name, "is required.");
            }

            return null;
        }

        return new JsonObjectReader(value.Value, Child(name), _errors);
    }

    public IEnumerable<(JsonElement Element, string Path)> Array(string name)
    {
        var value = Get(name);
        if (value is null)
        {
            yield break;
        }

        if (value.Value.ValueKind != JsonValueKind.Array)
        {
            Error(name, $"expected an array, found {Describe(value.Value)}.");
            yield break;
        }

        var index = 0;
        foreach (var item in value.Value.EnumerateArray())
        {
            yield return (item, $"{Child(name)}[{index++}]");
        }
    }

    /// <summary>A reader for an element below this one that reports into the same error list.</summary>
    public JsonObjectReader Nested(JsonElement element, string path) => new(element, path, _errors);

    public IEnumerable<JsonProperty> Properties() => IsObject ? _element.EnumerateObject() : [];

    /// <summary>Reports every key that no reader asked for: almost always a typo.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var property in Properties())
        {
            if (property.Name == "$schema" || _known.Contains(property.Name))
            {
                continue;
            }

            var closest = _known.OrderBy(k => EditDistance(k, property.Name)).FirstOrDefault();
            var suggestion = closest is not null && EditDistance(closest, property.Name) <= 3 ? $" Did you mean '{closest}'?" : string.Empty;
            _errors.Add($"{Child(property.Name)}: unknown key '{property.Name}'.{suggestion} Known keys here: {string.Join(", ", _known.Order(StringComparer.Ordinal))}.");
        }
    }

    /// <summary>
    /// Every key that appears twice in one object, anywhere under <paramref name="element"/> (settings objects too):
    /// JSON keeps only the last, so a second "approvers" would silently replace the first.
    /// </summary>
    public static void ReportDuplicateKeys(JsonElement element, string path, List<string> errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var child = $"{path}.{property.Name}";
                    if (!seen.Add(property.Name))
                    {
                        errors.Add($"{child}: appears more than once in the same object; only one would count. Keep one (merge their values into it).");
                    }

                    ReportDuplicateKeys(property.Value, child, errors);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    ReportDuplicateKeys(item, $"{path}[{index++}]", errors);
                }

                break;
        }
    }

    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string \"{element.GetString()}\"",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"{element.GetRawText()}",
        _ => "null",
    };

    internal static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
