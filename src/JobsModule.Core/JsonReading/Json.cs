using System.Globalization;
using System.Text.Json;
using System.Xml;

namespace JobsModule.JsonReading;

/// <summary>Tolerant readers for provider JSON: a missing or null field is null, a wrong shape is a clear error.</summary>
internal static class Json
{
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
            // Text or a number; an object or a list is no id.
            if (Property(item, name) is { ValueKind: JsonValueKind.String or JsonValueKind.Number } value && AsString(value) is { Length: > 0 } id)
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

    public static long? Long(JsonElement obj, string name) => Long(Property(obj, name));

    /// <summary>A whole number that fits a long; null for anything else.</summary>
    public static long? Long(JsonElement? value)
    {
        if (value is not { ValueKind: JsonValueKind.Number } number)
        {
            return null;
        }

        return number.TryGetInt64(out var result) ? result : null;
    }

    public static bool? Bool(JsonElement obj, string name) => Property(obj, name) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => null,
    };

    /// <summary>A whole number, or a fraction rounded (a progress of 45.5), or such a number as text; false when it is none of these or out of range.</summary>
    public static bool TryInt(JsonElement value, out int number)
    {
        number = 0;
        double real;
        switch (value.ValueKind)
        {
            case JsonValueKind.Number when value.TryGetInt32(out number):
                return true;
            case JsonValueKind.Number when value.TryGetDouble(out real):
                break;
            case JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out real):
                break;
            default:
                return false;
        }

        real = Math.Round(real);
        if (double.IsNaN(real) || real < int.MinValue || real > int.MaxValue)
        {
            return false;
        }

        number = (int)real;
        return true;
    }

    /// <summary>An ISO 8601 timestamp, as UTC.</summary>
    public static bool TryIsoTime(JsonElement value, out DateTime time)
    {
        time = default;
        if (value.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        // The common ISO 8601 forms are read from the UTF-8 bytes, with no string made; the rest as text.
        if (value.TryGetDateTime(out var parsed))
        {
            if (parsed.Kind == DateTimeKind.Local)
            {
                // A time with an offset: read again with it, to UTC.
                if (value.TryGetDateTimeOffset(out var withOffset))
                {
                    time = withOffset.UtcDateTime;
                    return true;
                }
            }

            time = parsed.Kind == DateTimeKind.Utc ? parsed : DateTime.SpecifyKind(parsed, DateTimeKind.Utc);
            return true;
        }

        return TryParseIso(value.GetString(), out time);
    }

    private static bool TryParseIso(string? text, out DateTime time) =>
        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out time);

    /// <summary>Unix epoch milliseconds (a number, or a numeric string) as UTC; an ISO 8601 string is taken too.</summary>
    public static bool TryEpochMilliseconds(JsonElement value, out DateTime time)
    {
        time = default;
        double ms;
        switch (value.ValueKind)
        {
            case JsonValueKind.Number when value.TryGetDouble(out ms):
                break;
            case JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out ms):
                break;
            case JsonValueKind.String:
                return TryParseIso(value.GetString(), out time);
            default:
                return false;
        }

        // DateTime holds years 1 to 9999: anything outside is not a time this job can have had.
        if (double.IsNaN(ms) || ms < MinEpochMilliseconds || ms > MaxEpochMilliseconds)
        {
            return false;
        }

        time = DateTimeOffset.FromUnixTimeMilliseconds((long)ms).UtcDateTime;
        return true;
    }

    private const double MinEpochMilliseconds = -62_135_596_800_000;
    private const double MaxEpochMilliseconds = 253_402_300_799_999;

    /// <summary>
    /// An ISO 8601 duration such as PT2M30S; false for text that is not one, lies beyond what a TimeSpan
    /// holds, or is negative (PT-5S, -PT5S): no job runs for less than no time.
    /// </summary>
    public static bool TryIsoDuration(JsonElement value, out TimeSpan duration)
    {
        duration = default;
        if (value.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        try
        {
            duration = XmlConvert.ToTimeSpan(value.GetString()!);
            return duration >= TimeSpan.Zero;
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            return false;
        }
    }

    /// <summary>What reading a job may throw when its JSON is not what the docs describe (never a programming error).</summary>
    public static bool IsReadFailure(Exception ex) =>
        ex is ProviderResponseShapeException or InvalidOperationException or FormatException or OverflowException or ArgumentException or KeyNotFoundException;

    /// <summary>What reading a body may throw: not JSON at all (the reader's exception or the module's own), or JSON that cannot be read as documented.</summary>
    public static bool IsBodyFailure(Exception ex) => ex is JsonException || IsReadFailure(ex);

    public static FieldNames Names(params string[] names) => new(names);

    /// <summary>The message of an error that may be a string or an object with a message.</summary>
    public static string? ErrorText(JsonElement? error) => error switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } text => text.GetString(),
        { ValueKind: JsonValueKind.Object } obj => String(obj, "message") ?? String(obj, "code") ?? obj.GetRawText(),
        { } other => other.GetRawText(),
    };

    /// <summary>What a JSON value is, in words, for a message about a body of the wrong shape.</summary>
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Null => "null",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>The value a token starts, in the same words.</summary>
    public static string Describe(JsonTokenType token) => Describe(token switch
    {
        JsonTokenType.StartObject => JsonValueKind.Object,
        JsonTokenType.StartArray => JsonValueKind.Array,
        JsonTokenType.String or JsonTokenType.PropertyName => JsonValueKind.String,
        JsonTokenType.Number => JsonValueKind.Number,
        JsonTokenType.True => JsonValueKind.True,
        JsonTokenType.False => JsonValueKind.False,
        JsonTokenType.Null => JsonValueKind.Null,
        _ => JsonValueKind.Undefined,
    });
}
