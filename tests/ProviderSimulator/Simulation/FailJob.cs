using System.Text.Json;

namespace ProviderSimulator.Simulation;

/// <summary>
/// The failJob option: every read of one job (get one job, and Unstructured's details and failed
/// files) answers this status in the provider's error shape, for as long as the option is set, while
/// the list and the other jobs answer as usual: a detail read that fails for one job of a listing.
/// </summary>
internal sealed record FailJob(string Id, int Status)
{
    /// <summary>Parses {"id": "job id", "status": 400-599}; names are case-insensitive.</summary>
    public static bool TryParse(JsonElement body, out FailJob? failJob, out string? error)
    {
        failJob = null;
        error = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = "failJob must be null or an object {\"id\",\"status\"}";
            return false;
        }
        string? id = null;
        int status = 0;
        foreach (JsonProperty p in body.EnumerateObject())
        {
            JsonElement v = p.Value;
            switch (p.Name.ToLowerInvariant())
            {
                case "id" when v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0:
                    id = v.GetString();
                    break;
                case "status" when v.TryGetInt32(out int code) && code is >= 400 and <= 599:
                    status = code;
                    break;
                default:
                    error = $"failJob: unknown property or invalid value '{p.Name}'";
                    return false;
            }
        }
        if (id is null || status == 0)
        {
            error = "failJob needs id and status";
            return false;
        }
        failJob = new FailJob(id, status);
        return true;
    }

    /// <summary>As GET /_sim/{provider}/options shows it.</summary>
    public void Write(Utf8JsonWriter writer, string name)
    {
        writer.WriteStartObject(name);
        writer.WriteString("id", Id);
        writer.WriteNumber("status", Status);
        writer.WriteEndObject();
    }
}
