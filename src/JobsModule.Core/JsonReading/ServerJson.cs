using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using JobsModule.Accounts;

namespace JobsModule.JsonReading;

/// <summary>
/// How the engine parses what a server sends, so that depth never costs more than the value that is
/// deep, and no key reaches an object.
/// <list type="bullet">
/// <item>The streaming page reader has no depth limit of its own: it only finds where each value ends,
/// which is linear at any depth.</item>
/// <item>A document (one job, one page field) is parsed as it is up to <see cref="DocumentDepth"/>
/// levels, which is all any job reader needs (<see cref="JobData.MaxDepth"/>). A deeper one is rare and
/// costs one linear pass more: each of its fields that nests deeper than the document may is taken out
/// and handed back, as its text cut to <see cref="JobData.MaxRawLength"/>, for UnreadableFields. (The
/// document is not parsed at any depth because JsonDocument takes time in the square of the depth.)</item>
/// <item>A job's JSON is taken through the redactor first, when its bytes may hold something to mask.</item>
/// </list>
/// </summary>
internal static class ServerJson
{
    /// <summary>How deep a document is parsed as it is: System.Text.Json's own default.</summary>
    public const int DocumentDepth = 64;

    /// <summary>The streaming page reader's options: no depth limit (skipping a value is linear at any depth).</summary>
    public static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = int.MaxValue };

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = DocumentDepth };

    // The copies keep the text readable (no \u escapes for non-ASCII); they are parsed at once, never shown.
    private static readonly JsonWriterOptions CopyOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = int.MaxValue,
        SkipValidation = true,
    };

    /// <summary>A value of a page's own (a cursor, a total), as sent; null when it nests deeper than <see cref="DocumentDepth"/>, which no route reads.</summary>
    public static JsonDocument? ParseField(ReadOnlyMemory<byte> json)
    {
        try
        {
            return JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException)
        {
            // The bytes were read whole as JSON already: only the depth can have failed.
            return null;
        }
    }

    /// <summary>
    /// A job's JSON, with every string and property name in it taken through <paramref name="redactor"/>
    /// first when its bytes may hold something to mask (rare: the usual job is parsed as it is); see
    /// <see cref="ParseObject"/> for <paramref name="tooDeep"/>.
    /// </summary>
    public static JsonDocument ParseJob(ReadOnlyMemory<byte> json, Redactor redactor, out JobDataObject? tooDeep) =>
        ParseObject(redactor.MayMatch(json.Span) ? Redacted(json.Span, redactor) : json, out tooDeep);

    /// <summary>
    /// An object as sent (a page's last item, which the next cursor may come from). <paramref name="tooDeep"/>
    /// holds the fields taken out because they nest deeper than <see cref="DocumentDepth"/>, by name, each
    /// as its cut text; null when there were none. Throws <see cref="JsonException"/> for bytes that are not JSON.
    /// </summary>
    public static JsonDocument ParseObject(ReadOnlyMemory<byte> json, out JobDataObject? tooDeep)
    {
        tooDeep = null;
        try
        {
            return JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException)
        {
            // Too deep, or not JSON at all: the linear pass below throws for the latter, with where it went wrong.
            return JsonDocument.Parse(WithoutDeepFields(json.Span, out tooDeep), DocumentOptions);
        }
    }

    /// <summary>
    /// A copy of one JSON value with every string and property name redacted; a number whose text holds
    /// a key becomes the masked text. Token by token, so that any depth is copied without recursion.
    /// </summary>
    internal static byte[] Redacted(ReadOnlySpan<byte> json, Redactor redactor)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        using var copy = new MemoryStream(json.Length + 64);
        using (var writer = new Utf8JsonWriter(copy, CopyOptions))
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        writer.WriteStartObject();
                        break;
                    case JsonTokenType.EndObject:
                        writer.WriteEndObject();
                        break;
                    case JsonTokenType.StartArray:
                        writer.WriteStartArray();
                        break;
                    case JsonTokenType.EndArray:
                        writer.WriteEndArray();
                        break;
                    case JsonTokenType.PropertyName:
                        writer.WritePropertyName(redactor.Redact(reader.GetString()!));
                        break;
                    case JsonTokenType.String:
                        writer.WriteStringValue(redactor.Redact(reader.GetString()!));
                        break;
                    case JsonTokenType.Number:
                        WriteNumber(writer, reader.ValueSpan, redactor);
                        break;
                    case JsonTokenType.True or JsonTokenType.False:
                        writer.WriteBooleanValue(reader.GetBoolean());
                        break;
                    default:
                        writer.WriteNullValue();
                        break;
                }
            }
        }

        return copy.ToArray();
    }

    /// <summary>
    /// A copy of an object or array with each field (or item) that nests deeper than the document may
    /// left out; the fields left out are handed back by name, as their text cut to <see cref="JobData.MaxRawLength"/>
    /// (an array's items have no name to keep them by). One pass, whatever the depth.
    /// </summary>
    internal static byte[] WithoutDeepFields(ReadOnlySpan<byte> json, out JobDataObject? tooDeep)
    {
        tooDeep = null;
        var reader = new Utf8JsonReader(json, ReaderOptions);
        if (!reader.Read() || reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return json.ToArray();
        }

        var isObject = reader.TokenType == JsonTokenType.StartObject;
        using var copy = new MemoryStream(json.Length);
        using (var writer = new Utf8JsonWriter(copy, CopyOptions))
        {
            if (isObject)
            {
                writer.WriteStartObject();
            }
            else
            {
                writer.WriteStartArray();
            }

            while (reader.Read() && reader.TokenType is not (JsonTokenType.EndObject or JsonTokenType.EndArray))
            {
                var name = isObject ? reader.GetString()! : null;
                if (isObject)
                {
                    reader.Read();
                }

                var start = (int)reader.TokenStartIndex;
                var levels = LevelsOf(ref reader);
                var value = json.Slice(start, (int)reader.BytesConsumed - start);

                // The field with the root around it must fit the document.
                if (levels < DocumentDepth)
                {
                    if (name is not null)
                    {
                        writer.WritePropertyName(name);
                    }

                    writer.WriteRawValue(value, skipInputValidation: true);
                }
                else if (name is not null)
                {
                    (tooDeep ??= new JobDataObject())[name] = JobData.Cut(Encoding.UTF8.GetString(value.ToArray()));
                }
            }

            if (isObject)
            {
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteEndArray();
            }
        }

        // Anything but white space after the value throws here, as it did for the document.
        if (reader.Read())
        {
            throw new NotJsonException("the body goes on after its JSON ends");
        }

        return copy.ToArray();
    }

    /// <summary>How many objects and lists deep the value at the reader nests (0 for a plain value); leaves the reader at its last token.</summary>
    private static int LevelsOf(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return 0;
        }

        var level = 1;
        var deepest = 1;
        while (level > 0 && reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    deepest = Math.Max(deepest, ++level);
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    level--;
                    break;
            }
        }

        return deepest;
    }

    private static void WriteNumber(Utf8JsonWriter writer, ReadOnlySpan<byte> number, Redactor redactor)
    {
        var text = Encoding.UTF8.GetString(number.ToArray());
        var shown = redactor.Redact(text);
        if (shown == text)
        {
            writer.WriteRawValue(number, skipInputValidation: true);
        }
        else
        {
            writer.WriteStringValue(shown);
        }
    }
}
