using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace JobsModule.JsonReading;

/// <summary>Turns JSON elements into plain values that outlive the parsed document.</summary>
internal static class JobData
{
    /// <summary>
    /// How many objects and lists deep a value in a job may nest (a field's value, or an item of one read
    /// on its own). A deeper value is not copied: it is kept in UnreadableFields as its JSON text, cut
    /// to <see cref="MaxRawLength"/>. So every value copied is at most this deep, which keeps copying it
    /// a bounded recursion, and a job's JobDataObject serialises within System.Text.Json's 64 levels
    /// (ExtraFields and UnreadableFields add one).
    /// </summary>
    public const int MaxDepth = 32;

    /// <summary>How many characters of an over-deep value's JSON text are kept.</summary>
    public const int MaxRawLength = 1024;

    // Unicode stays readable in CSV cells and tables; this text is never embedded in HTML.
    private static readonly JsonSerializerOptions DisplayOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Copies a JSON value: objects and arrays become JobDataObject and JobDataList, numbers long or
    /// double. False, with nothing copied, when it nests deeper than <see cref="MaxDepth"/>.
    /// </summary>
    public static bool TryFromJson(JsonElement element, out object? value) => TryCopy(element, MaxDepth, out value);

    /// <summary>
    /// A value as it is kept when it cannot be read: copied; a number beyond a long as its text; a value
    /// that nests too deep as its JSON text, cut to <see cref="MaxRawLength"/>.
    /// </summary>
    public static object? AsSent(JsonElement element)
    {
        // A number too large for a long would lose digits as a double: its JSON text is what was sent.
        if (element.ValueKind == JsonValueKind.Number && !element.TryGetInt64(out _))
        {
            return element.GetRawText();
        }

        return TryFromJson(element, out var value) ? value : Cut(element.GetRawText());
    }

    private static bool TryCopy(JsonElement element, int levelsLeft, out object? value)
    {
        value = null;
        switch (element.ValueKind)
        {
            case JsonValueKind.Object when levelsLeft > 0:
                var obj = new JobDataObject();
                foreach (var property in element.EnumerateObject())
                {
                    if (!TryCopy(property.Value, levelsLeft - 1, out var inner))
                    {
                        return false;
                    }

                    obj[property.Name] = inner;
                }

                value = obj;
                return true;
            case JsonValueKind.Array when levelsLeft > 0:
                var list = new JobDataList(element.GetArrayLength());
                foreach (var item in element.EnumerateArray())
                {
                    if (!TryCopy(item, levelsLeft - 1, out var inner))
                    {
                        return false;
                    }

                    list.Add(inner);
                }

                value = list;
                return true;
            case JsonValueKind.Object or JsonValueKind.Array:
                return false;
            case JsonValueKind.String:
                value = element.GetString();
                return true;
            case JsonValueKind.Number:
                value = element.TryGetInt64(out var whole) ? whole : (object)element.GetDouble();
                return true;
            case JsonValueKind.True:
                value = true;
                return true;
            case JsonValueKind.False:
                value = false;
                return true;
            default:
                return true;
        }
    }

    /// <summary>Text cut to <see cref="MaxRawLength"/> characters, saying how long it was; never between the two halves of a surrogate pair.</summary>
    internal static string Cut(string raw)
    {
        if (raw.Length <= MaxRawLength)
        {
            return raw;
        }

        var length = char.IsHighSurrogate(raw[MaxRawLength - 1]) ? MaxRawLength - 1 : MaxRawLength;
        return raw.Substring(0, length) + "... (" + raw.Length.ToString("N0", CultureInfo.InvariantCulture) + " characters)";
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
