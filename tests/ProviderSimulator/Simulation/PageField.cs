using System.Text.Json;

namespace ProviderSimulator.Simulation;

/// <summary>
/// The pageField option: one more top-level field on every list page whose body is an object
/// (pyannoteAI, Convertly, Krea), beside the items and the cursor, with a raw JSON value that
/// <see cref="Nest"/> wraps in that many objects as poison does: for what a page's own fields may hold.
/// </summary>
internal sealed record PageField(string Field, string RawValue, int Nest)
{
    /// <summary>The value as it is written.</summary>
    public byte[] Written { get; } = Poison.NestedValue(RawValue, Nest);

    /// <summary>
    /// Parses {"field": "name", "value": any, "nest"?: D}: field non-empty, a value, nest 0 to
    /// <see cref="Poison.MaxNest"/>. Names are case-insensitive.
    /// </summary>
    public static bool TryParse(JsonElement body, out PageField? pageField, out string? error)
    {
        pageField = null;
        error = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = "pageField must be null or an object {\"field\",\"value\",\"nest\"?}";
            return false;
        }
        string? field = null, raw = null;
        int nest = 0;
        foreach (JsonProperty p in body.EnumerateObject())
        {
            JsonElement v = p.Value;
            switch (p.Name.ToLowerInvariant())
            {
                case "field" when v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0:
                    field = v.GetString();
                    break;
                case "value":
                    raw = v.GetRawText();
                    break;
                case "nest" when v.TryGetInt32(out int levels) && levels is >= 0 and <= Poison.MaxNest:
                    nest = levels;
                    break;
                default:
                    error = $"pageField: unknown property or invalid value '{p.Name}'";
                    return false;
            }
        }
        if (field is null || raw is null)
        {
            error = "pageField needs field and value";
            return false;
        }
        pageField = new PageField(field, raw, nest);
        return true;
    }

    /// <summary>Writes the field into the page object being written (the page's own writer; the value as raw bytes, so any depth goes).</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WritePropertyName(Field);
        writer.WriteRawValue(Written, skipInputValidation: true);
    }

    /// <summary>As GET /_sim/{provider}/options shows it.</summary>
    public void Write(Utf8JsonWriter writer, string name)
    {
        writer.WriteStartObject(name);
        writer.WriteString("field", Field);
        writer.WritePropertyName("value");
        writer.WriteRawValue(RawValue);
        writer.WriteNumber("nest", Nest);
        writer.WriteEndObject();
    }
}
