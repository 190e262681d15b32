using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ReleaseCli.Core.Definition;

namespace ReleaseCli.Core.Engine;

/// <summary>
/// Binds a step's <c>settings</c> object to its typed settings record, reporting every mistake at once with
/// the key it is at: unknown keys (with "did you mean"), keys given twice, values of the wrong type.
/// </summary>
public static class SettingsBinder
{
    /// <summary>
    /// The settings bound from every key that is right (so checks beyond types can still run on them), with
    /// each wrong key reported in <paramref name="errors"/>; null only when <paramref name="settings"/> is not an object.
    /// </summary>
    public static T? Bind<T>(JsonElement settings, JsonTypeInfo<T> typeInfo, string kind, List<(string Key, string Message)> errors)
        where T : class
    {
        if (settings.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return WithDefaults([], typeInfo).Deserialize(typeInfo);
        }

        if (settings.ValueKind != JsonValueKind.Object)
        {
            errors.Add((string.Empty, $"expected an object of settings, found {JsonObjectReader.Describe(settings)}."));
            return null;
        }

        var properties = typeInfo.Properties.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var good = new System.Text.Json.Nodes.JsonObject();
        foreach (var property in settings.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                errors.Add((property.Name, "is given more than once; keep one."));
                continue;
            }

            if (!properties.TryGetValue(property.Name, out var info))
            {
                var closest = properties.Keys.OrderBy(k => JsonObjectReader.EditDistance(k, property.Name)).FirstOrDefault();
                var hint = closest is not null && JsonObjectReader.EditDistance(closest, property.Name) <= 3 ? $" did you mean '{closest}'?" : string.Empty;
                errors.Add((property.Name, $"unknown setting;{hint} {kind} takes {(properties.Count == 0 ? "no settings" : Listing(properties.Keys))}."));
                continue;
            }

            try
            {
                if (property.Value.Deserialize(typeInfo.Options.GetTypeInfo(info.PropertyType)) is null && !IsNullable(info))
                {
                    errors.Add((property.Name, $"expected {Expected(info.PropertyType)}, found null."));
                }
                else
                {
                    good[property.Name] = System.Text.Json.Nodes.JsonNode.Parse(property.Value.GetRawText());
                }
            }
            catch (JsonException ex) when (property.Value.ValueKind == JsonValueKind.Object && ex.Path is { Length: > 2 } inner)
            {
                // An object of settings inside the settings (a pipeline, say) with a key it does not take or a value of the wrong type there.
                errors.Add((property.Name, $"{inner.TrimStart('$')} is not a setting this object takes, or its value has the wrong type; check its spelling and value."));
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
            {
                var at = ex is JsonException { Path: { Length: > 1 } path } ? $" (at {path.TrimStart('$')})" : string.Empty;
                errors.Add((property.Name, $"expected {Expected(info.PropertyType)}, found {JsonObjectReader.Describe(property.Value)}{at}."));
            }
        }

        try
        {
            return WithDefaults(good, typeInfo).Deserialize(typeInfo);
        }
        catch (JsonException ex)
        {
            errors.Add((string.Empty, ex.Message));
            return null;
        }
    }

    /// <summary>
    /// The settings of <paramref name="step"/>, which the definition loader has already checked: the one way a
    /// step kind (or a step reading the settings of the ring's other steps) gets them at run time.
    /// </summary>
    public static T BindStep<T>(StepDefinition step, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        var errors = new List<(string Key, string Message)>();
        var bound = Bind(step.Settings, typeInfo, step.Kind, errors);
        return bound is not null && errors.Count == 0 ? bound : throw ReleaseException.Usage($"the settings of step '{step.Id}' are not valid: {string.Join("; ", errors.Select(e => $"{e.Key}: {e.Message}"))}");
    }

    /// <summary>
    /// <paramref name="given"/> with every setting it leaves out set to the value a new record holds. The generated
    /// binding of the framework's System.Text.Json sets an init-only property the JSON does not name to its type's default
    /// (null, 0), not to the record's initializer (<c>= []</c>, <c>= string.Empty</c>, <c>= 3</c>); naming each one keeps them.
    /// </summary>
    private static System.Text.Json.Nodes.JsonObject WithDefaults<T>(System.Text.Json.Nodes.JsonObject given, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (typeof(T).GetConstructor(Type.EmptyTypes) is null || JsonSerializer.SerializeToNode((T)Activator.CreateInstance(typeof(T))!, typeInfo) is not System.Text.Json.Nodes.JsonObject defaults)
        {
            return given;
        }

        foreach (var (name, value) in defaults)
        {
            if (!given.ContainsKey(name))
            {
                given[name] = value?.DeepClone();
            }
        }

        return given;
    }

    private static string Listing(IEnumerable<string> names)
    {
        var sorted = names.Order(StringComparer.Ordinal).ToList();
        return sorted.Count == 1 ? sorted[0] : $"{string.Join(", ", sorted[..^1])} and {sorted[^1]}";
    }

    private static bool IsNullable(JsonPropertyInfo info) =>
        Nullable.GetUnderlyingType(info.PropertyType) is not null || !info.PropertyType.IsValueType;

    /// <summary>What a value of <paramref name="type"/> looks like, for messages.</summary>
    public static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(bool))
        {
            return "true or false";
        }

        if (type == typeof(int) || type == typeof(long))
        {
            return "a whole number";
        }

        if (type == typeof(double) || type == typeof(decimal))
        {
            return "a number";
        }

        if (type == typeof(string))
        {
            return "a string";
        }

        if (type.IsEnum)
        {
            // The names as release.json spells them: an explicit member name, else camelCase.
            return "one of " + string.Join(", ", Enum.GetNames(type).Select(n =>
                $"\"{type.GetField(n)?.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonStringEnumMemberNameAttribute), false).OfType<System.Text.Json.Serialization.JsonStringEnumMemberNameAttribute>().FirstOrDefault()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(n)}\""));
        }

        if (type != typeof(string) && type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)))
        {
            var item = type.IsArray ? type.GetElementType()! : type.GetGenericArguments().FirstOrDefault() ?? typeof(object);
            return item == typeof(string) ? "an array of strings" : "an array of objects";
        }

        return "an object";
    }
}
