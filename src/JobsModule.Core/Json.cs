using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Xml;

namespace JobsModule;

/// <summary>Tolerant readers for provider JSON: a missing or null field is null, a wrong shape is a clear error.</summary>
internal static class Json
{
    public static JsonElement RequireArray(JsonElement element, string what)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new ProviderResponseShapeException($"expected {what} to be a JSON array but found {Describe(element.ValueKind)}");
        }

        return element;
    }

    public static JsonElement RequireObject(JsonElement element, string what)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ProviderResponseShapeException($"expected {what} to be a JSON object but found {Describe(element.ValueKind)}");
        }

        return element;
    }

    public static JsonElement RequireProperty(JsonElement obj, string name)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var value))
        {
            throw new ProviderResponseShapeException($"expected a '{name}' property");
        }

        return value;
    }

    public static JsonElement? Property(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>The job's id from the first of <paramref name="names"/> that holds one (list items and single jobs name it differently).</summary>
    public static string RequireId(JsonElement item, params string[] names)
    {
        foreach (var name in names)
        {
            if (String(item, name) is { Length: > 0 } id)
            {
                return id;
            }
        }

        throw new ProviderResponseShapeException($"a job without its '{string.Join("' or '", names)}'");
    }

    public static string? String(JsonElement obj, string name) => Property(obj, name) is { } value ? AsString(value) : null;

    public static string? AsString(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    };

    public static int? Int(JsonElement obj, string name)
    {
        // Each TryGet has a condition of its own: "kind && TryGet(out x)" leaves x unassigned under a
        // mutated "||", so Stryker could not compile, and so not measure, any mutant of this method.
        if (Property(obj, name) is { } value)
        {
            if (value.ValueKind == JsonValueKind.Number)
            {
                if (value.TryGetInt32(out var number))
                {
                    return number;
                }

                if (value.TryGetDouble(out var real))
                {
                    return (int)Math.Round(real);
                }
            }

            if (value.ValueKind == JsonValueKind.String)
            {
                if (int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
                {
                    return parsed;
                }
            }
        }

        return null;
    }

    public static long? Long(JsonElement obj, string name) =>
        Property(obj, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var number) ? number : null;

    public static bool? Bool(JsonElement obj, string name) => Property(obj, name) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => null,
    };

    /// <summary>An ISO 8601 timestamp as UTC.</summary>
    public static DateTime? IsoTime(JsonElement obj, string name) => ParseIso(String(obj, name));

    public static DateTime? ParseIso(string? text) =>
        text is not null && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : null;

    /// <summary>Unix epoch milliseconds (a number, or a numeric string) as UTC.</summary>
    public static DateTime? EpochMilliseconds(JsonElement obj, string name)
    {
        if (Property(obj, name) is not { } value)
        {
            return null;
        }

        // As in Int: one TryGet per condition, so that every mutant of this method compiles.
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (value.TryGetInt64(out var ms))
            {
                return DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;
            }

            if (value.TryGetDouble(out var real))
            {
                return DateTimeOffset.FromUnixTimeMilliseconds((long)real).UtcDateTime;
            }
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            if (long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
            {
                return DateTimeOffset.FromUnixTimeMilliseconds(parsed).UtcDateTime;
            }
        }

        return ParseIso(AsString(value));
    }

    /// <summary>An ISO 8601 duration such as PT2M30S.</summary>
    public static TimeSpan? IsoDuration(JsonElement obj, string name)
    {
        var text = String(obj, name);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            return XmlConvert.ToTimeSpan(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static JobDataObject? Object(JsonElement obj, string name) =>
        Property(obj, name) is { ValueKind: JsonValueKind.Object } value ? (JobDataObject?)JobData.FromJson(value) : null;

    public static JobDataList? List(JsonElement obj, string name) =>
        Property(obj, name) is { ValueKind: JsonValueKind.Array } value ? (JobDataList?)JobData.FromJson(value) : null;

    public static object? Any(JsonElement obj, string name) => Property(obj, name) is { } value ? JobData.FromJson(value) : null;

    /// <summary>The fields of <paramref name="item"/> whose names are not in <paramref name="documented"/>.</summary>
    public static JobDataObject Extras(JsonElement item, HashSet<string> documented)
    {
        var extras = new JobDataObject();
        foreach (var property in item.EnumerateObject())
        {
            if (!documented.Contains(property.Name))
            {
                extras[property.Name] = JobData.FromJson(property.Value);
            }
        }

        return extras;
    }

    public static HashSet<string> Names(params string[] names) => new(names, StringComparer.Ordinal);

    /// <summary>The message of an error that may be a string or an object with a message.</summary>
    public static string? ErrorText(JsonElement? error) => error switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } text => text.GetString(),
        { ValueKind: JsonValueKind.Object } obj => String(obj, "message") ?? String(obj, "code") ?? obj.GetRawText(),
        { } other => other.GetRawText(),
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Null => "null",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
