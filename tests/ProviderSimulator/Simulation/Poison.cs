using System.Text.Json;
using System.Text.Json.Nodes;

namespace ProviderSimulator.Simulation;

/// <summary>
/// The poison option: one job's property set to a raw JSON value (added if absent), or removed,
/// whenever that job is written. <see cref="Index"/> is the position in the provider's natural
/// unfiltered list order when the option was set; <see cref="Key"/> is the job found there (-1: none),
/// so the job stays poisoned wherever inserts and deletes move it.
/// </summary>
internal sealed record Poison(int Index, string Field, string? RawValue)
{
    /// <summary>True when the property is removed rather than set (no value given).</summary>
    public bool Remove => RawValue is null;

    /// <summary>The key of the poisoned job, resolved by the provider from <see cref="Index"/>; -1 until then.</summary>
    public int Key { get; init; } = -1;

    /// <summary>
    /// Parses {"index": N, "field": "name", "value": any} or {"index": N, "field": "name", "remove": true}:
    /// index >= 0, field non-empty, exactly one of value and remove. Names are case-insensitive.
    /// </summary>
    public static bool TryParse(JsonElement body, out Poison? poison, out string? error)
    {
        poison = null;
        error = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = "poison must be null or an object {\"index\",\"field\",\"value\"} or {\"index\",\"field\",\"remove\":true}";
            return false;
        }
        int? index = null;
        string? field = null, raw = null;
        bool remove = false;
        foreach (JsonProperty p in body.EnumerateObject())
        {
            JsonElement v = p.Value;
            switch (p.Name.ToLowerInvariant())
            {
                case "index" when v.TryGetInt32(out int n) && n >= 0:
                    index = n;
                    break;
                case "index":
                    error = "poison.index must be an integer >= 0";
                    return false;
                case "field" when v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0:
                    field = v.GetString();
                    break;
                case "field":
                    error = "poison.field must be a non-empty string";
                    return false;
                case "value":
                    raw = v.GetRawText();
                    break;
                case "remove" when v.ValueKind == JsonValueKind.True:
                    remove = true;
                    break;
                case "remove":
                    error = "poison.remove must be true (or left out)";
                    return false;
                default:
                    error = $"poison: unknown property '{p.Name}'";
                    return false;
            }
        }
        if (index is null || field is null)
        {
            error = "poison needs index and field";
            return false;
        }
        if (remove == (raw is not null))
        {
            error = "poison needs exactly one of value and remove";
            return false;
        }
        poison = new Poison(index.Value, field, raw);
        return true;
    }

    /// <summary>Sets the property to the raw value (in place when it exists, else at the end), or removes it.</summary>
    public void Apply(JsonObject item)
    {
        if (RawValue is null)
        {
            item.Remove(Field);
        }
        else
        {
            item[Field] = JsonNode.Parse(RawValue);
        }
    }

    /// <summary>As GET /_sim/{provider}/options shows it.</summary>
    public void Write(Utf8JsonWriter writer, string name)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("index", Index);
        writer.WriteString("field", Field);
        if (RawValue is null)
        {
            writer.WriteBoolean("remove", true);
        }
        else
        {
            writer.WritePropertyName("value");
            writer.WriteRawValue(RawValue);
        }
        writer.WriteEndObject();
    }
}
