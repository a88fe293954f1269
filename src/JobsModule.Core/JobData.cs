using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace JobsModule;

/// <summary>
/// A JSON object from a provider, as a dictionary PowerShell can dot into ($job.Options.format).
/// ToString gives compact JSON so Export-Csv and Format-Table show data, not a .NET type name.
/// </summary>
public sealed class JobDataObject : Dictionary<string, object?>
{
    public JobDataObject()
        : base(StringComparer.OrdinalIgnoreCase)
    {
    }

    public override string ToString() => JobData.ToJson(this);
}

/// <summary>A JSON array from a provider; ToString gives compact JSON for the same reason as <see cref="JobDataObject"/>.</summary>
public sealed class JobDataList : List<object?>
{
    public JobDataList()
    {
    }

    public JobDataList(int capacity)
        : base(capacity)
    {
    }

    public override string ToString() => JobData.ToJson(this);
}

/// <summary>Turns JSON elements into plain values that outlive the parsed document.</summary>
internal static class JobData
{
    // Unicode stays readable in CSV cells and tables; this text is never embedded in HTML.
    private static readonly JsonSerializerOptions DisplayOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Copies a JSON value: objects and arrays become JobDataObject and JobDataList, numbers long or double.</summary>
    public static object? FromJson(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JobDataObject();
                foreach (var property in element.EnumerateObject())
                {
                    obj[property.Name] = FromJson(property.Value);
                }

                return obj;
            case JsonValueKind.Array:
                var list = new JobDataList(element.GetArrayLength());
                foreach (var item in element.EnumerateArray())
                {
                    list.Add(FromJson(item));
                }

                return list;
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                if (element.TryGetInt64(out var whole))
                {
                    return whole;
                }

                return element.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    // Even the relaxed encoder escapes characters beyond the Basic Multilingual Plane (emoji) as a \uD83D\uDE80 pair;
    // an escaped pair not itself behind an escaped backslash is turned back into the character.
    private static readonly Regex EscapedSurrogatePair = new(
        @"(?<=(?<!\\)(?:\\\\)*)\\u(D[89AB][0-9A-F]{2})\\u(D[C-F][0-9A-F]{2})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    internal static string ToJson(object value) => EscapedSurrogatePair.Replace(
        JsonSerializer.Serialize(value, value.GetType(), DisplayOptions),
        pair => new string(new[] { (char)Convert.ToInt32(pair.Groups[1].Value, 16), (char)Convert.ToInt32(pair.Groups[2].Value, 16) }));

    internal static string Format(object? value) => value switch
    {
        null => string.Empty,
        string text => text,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
