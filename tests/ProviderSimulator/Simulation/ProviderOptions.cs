using System.Text.Json;

namespace ProviderSimulator.Simulation;

/// <summary>
/// Per-provider behaviour switches, set by tests through POST /_sim/{provider}/options.
/// Immutable: a change swaps the whole record, so a request always sees one consistent set.
/// </summary>
internal sealed record ProviderOptions
{
    /// <summary>ittybit: send Link / Has-More / Limit headers (the live API does; the docs only promise `after`).</summary>
    public bool LinkHeader { get; init; } = true;

    /// <summary>Krea: spell the body's cursor `nextCursor` (current docs) instead of `next_cursor`.</summary>
    public bool CamelCaseCursor { get; init; }

    /// <summary>Delay before every list response, to make paging and concurrency measurable.</summary>
    public int LatencyMs { get; init; }

    /// <summary>The API key accepted from now on.</summary>
    public required string Key { get; init; }

    /// <summary>When non-zero, list requests fail with this status (e.g. 429, 402, 503) while failCount > 0.</summary>
    public int FailStatus { get; init; }

    /// <summary>List requests that still succeed before the injected failures start (a later page fails).</summary>
    public int FailAfter { get; init; }

    /// <summary>Retry-After value sent with injected 429/503 responses: seconds or an HTTP date.</summary>
    public string RetryAfter { get; init; } = "1";

    public void Write(Utf8JsonWriter writer, int failCount)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("linkHeader", LinkHeader);
        writer.WriteBoolean("camelCaseCursor", CamelCaseCursor);
        writer.WriteNumber("latencyMs", LatencyMs);
        writer.WriteString("key", Key);
        writer.WriteNumber("failStatus", FailStatus);
        writer.WriteNumber("failCount", failCount);
        writer.WriteNumber("failAfter", FailAfter);
        writer.WriteString("retryAfter", RetryAfter);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Merges a JSON object of option values into a copy of these options. Unknown names and wrong
    /// types are errors, so a typo in a test fails loudly instead of being ignored.
    /// </summary>
    public ProviderOptions Merge(JsonElement body, ref int failCount, out string? error)
    {
        error = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = "body must be a JSON object";
            return this;
        }
        ProviderOptions result = this;
        int newFailCount = failCount;
        foreach (JsonProperty p in body.EnumerateObject())
        {
            switch (p.Name.ToLowerInvariant())
            {
                case "linkheader" when p.Value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    result = result with { LinkHeader = p.Value.GetBoolean() };
                    break;
                case "camelcasecursor" when p.Value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    result = result with { CamelCaseCursor = p.Value.GetBoolean() };
                    break;
                case "latencyms" when p.Value.TryGetInt32(out int latency) && latency is >= 0 and <= 600_000:
                    result = result with { LatencyMs = latency };
                    break;
                case "key" when p.Value.ValueKind == JsonValueKind.String && p.Value.GetString()!.Length > 0:
                    result = result with { Key = p.Value.GetString()! };
                    break;
                case "failstatus" when p.Value.TryGetInt32(out int status) && (status == 0 || status is >= 400 and <= 599):
                    result = result with { FailStatus = status };
                    break;
                case "failcount" when p.Value.TryGetInt32(out int count) && count >= 0:
                    newFailCount = count;
                    break;
                case "failafter" when p.Value.TryGetInt32(out int after) && after >= 0:
                    result = result with { FailAfter = after };
                    break;
                case "retryafter" when p.Value.ValueKind == JsonValueKind.String:
                    result = result with { RetryAfter = p.Value.GetString()! };
                    break;
                case "retryafter" when p.Value.TryGetInt32(out int seconds) && seconds >= 0:
                    result = result with { RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) };
                    break;
                default:
                    error = $"unknown option or invalid value: '{p.Name}'";
                    return this;
            }
        }
        failCount = newFailCount;
        return result;
    }
}
