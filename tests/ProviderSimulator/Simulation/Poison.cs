using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ProviderSimulator.Simulation;

/// <summary>
/// The poison option: one job's property set to a raw JSON value (added if absent), or removed,
/// whenever that job is written. <see cref="Index"/> is the position in the provider's natural
/// unfiltered list order when the option was set; <see cref="Key"/> is the job found there (-1: none),
/// so the job stays poisoned wherever inserts and deletes move it. <see cref="Nest"/> wraps the value
/// in that many objects, {"nested": ...}, for values deeper than a JSON body sent to the control API
/// can carry.
/// </summary>
internal sealed record Poison(int Index, string Field, string? RawValue, int Nest = 0)
{
    /// <summary>How many poisons one option may hold, and how deep a value may be nested.</summary>
    public const int MaxPoisons = 100;

    public const int MaxNest = 100_000;

    /// <summary>True when the property is removed rather than set (no value given).</summary>
    public bool Remove => RawValue is null;

    /// <summary>The key of the poisoned job, resolved by the provider from <see cref="Index"/>; -1 until then.</summary>
    public int Key { get; init; } = -1;

    /// <summary>The value as it is written: the raw value inside <see cref="Nest"/> objects (null when removing).</summary>
    public byte[]? Written { get; } = RawValue is null ? null : NestedValue(RawValue, Nest);

    /// <summary>
    /// Parses the option's value: one poison object, or an array of 1 to <see cref="MaxPoisons"/> of them
    /// (several fields or jobs at once).
    /// </summary>
    public static bool TryParseAll(JsonElement body, out IReadOnlyList<Poison>? poisons, out string? error)
    {
        poisons = null;
        error = null;
        if (body.ValueKind != JsonValueKind.Array)
        {
            if (!TryParse(body, out Poison? one, out error))
            {
                return false;
            }
            poisons = [one!];
            return true;
        }
        int count = body.GetArrayLength();
        if (count is 0 or > MaxPoisons)
        {
            error = $"poison as an array must hold 1 to {MaxPoisons} poison objects";
            return false;
        }
        var list = new List<Poison>(count);
        foreach (JsonElement item in body.EnumerateArray())
        {
            if (!TryParse(item, out Poison? poison, out error))
            {
                return false;
            }
            list.Add(poison!);
        }
        poisons = list;
        return true;
    }

    /// <summary>
    /// Parses {"index": N, "field": "name", "value": any, "nest"?: D} or {"index": N, "field": "name", "remove": true}:
    /// index >= 0, field non-empty, exactly one of value and remove, nest 0 to <see cref="MaxNest"/> and only
    /// with a value. Names are case-insensitive.
    /// </summary>
    public static bool TryParse(JsonElement body, out Poison? poison, out string? error)
    {
        poison = null;
        error = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = "poison must be null, an object {\"index\",\"field\",\"value\"} or {\"index\",\"field\",\"remove\":true}, or an array of such objects";
            return false;
        }
        int? index = null;
        string? field = null, raw = null;
        bool remove = false;
        int nest = 0;
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
                case "nest" when v.TryGetInt32(out int levels) && levels is >= 0 and <= MaxNest:
                    nest = levels;
                    break;
                case "nest":
                    error = $"poison.nest must be an integer from 0 to {MaxNest}";
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
        if (remove && nest > 0)
        {
            error = "poison.nest needs a value";
            return false;
        }
        poison = new Poison(index.Value, field, raw, nest);
        return true;
    }

    /// <summary>
    /// Sets the property to a placeholder (in place when it exists, else at the end), or removes it;
    /// <see cref="Written"/> takes the placeholder's place when the item is written.
    /// </summary>
    public void Apply(JsonObject item)
    {
        if (RawValue is null)
        {
            item.Remove(Field);
        }
        else
        {
            item[Field] = null;
        }
    }

    /// <summary>As GET /_sim/{provider}/options shows it.</summary>
    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
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
            if (Nest > 0)
            {
                writer.WriteNumber("nest", Nest);
            }
        }
        writer.WriteEndObject();
    }

    /// <summary>GET options: null, the one poison as an object, or several as an array.</summary>
    public static void WriteAll(Utf8JsonWriter writer, string name, IReadOnlyList<Poison>? poisons)
    {
        writer.WritePropertyName(name);
        if (poisons is null)
        {
            writer.WriteNullValue();
        }
        else if (poisons.Count == 1)
        {
            poisons[0].Write(writer);
        }
        else
        {
            writer.WriteStartArray();
            foreach (Poison poison in poisons)
            {
                poison.Write(writer);
            }
            writer.WriteEndArray();
        }
    }

    /// <summary>The raw value inside <paramref name="nest"/> objects: {"nested":{"nested":...value...}}.</summary>
    internal static byte[] NestedValue(string raw, int nest)
    {
        const string Open = "{\"nested\":";
        var text = new StringBuilder(raw.Length + (nest * (Open.Length + 1)));
        text.Insert(0, Open, nest).Append(raw).Append('}', nest);
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
