using System.Text.Json;

namespace ProviderSimulator.Simulation;

/// <summary>
/// One fault of the file host: what it does (<see cref="FileFaultKind"/>) to the requests whose path
/// contains <see cref="Match"/> ("" matches every path), for the next <c>count</c> of them (0: every one).
/// </summary>
internal sealed class FileFault
{
    private int _remaining;

    private FileFault(string match, FileFaultKind kind, int count, int delayMs, int status, string? location, string? retryAfter)
    {
        Match = match;
        Kind = kind;
        Count = count;
        _remaining = count;
        DelayMs = delayMs;
        Status = status;
        Location = location;
        RetryAfter = retryAfter;
    }

    public string Match { get; }

    public FileFaultKind Kind { get; }

    /// <summary>How many requests it was set for; 0: every one.</summary>
    public int Count { get; }

    public int DelayMs { get; }

    public int Status { get; }

    public string? Location { get; }

    public string? RetryAfter { get; }

    public int Remaining => Volatile.Read(ref _remaining);

    /// <summary>True when this fault takes <paramref name="path"/> (and, when counted, uses up one of its requests).</summary>
    public bool Takes(string path)
    {
        if (!path.Contains(Match, StringComparison.Ordinal))
        {
            return false;
        }
        if (Count == 0)
        {
            return true;
        }
        while (true)
        {
            int left = Volatile.Read(ref _remaining);
            if (left <= 0)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _remaining, left - 1, left) == left)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// {"match","fault","count"?,"delayMs"?,"status"?,"location"?,"retryAfter"?}; fault is cut, expired,
    /// slow (delayMs), status (status 400-599), redirect (location, an absolute http(s) URL, optional) or chunked.
    /// </summary>
    public static FileFault? Parse(JsonElement value, out string? error)
    {
        error = null;
        if (value.ValueKind != JsonValueKind.Object)
        {
            error = "each fault must be an object";
            return null;
        }
        string match = string.Empty;
        FileFaultKind? kind = null;
        int count = 0, delayMs = 0, status = 0;
        string? location = null, retryAfter = null;
        foreach (JsonProperty p in value.EnumerateObject())
        {
            JsonElement v = p.Value;
            switch (p.Name.ToLowerInvariant())
            {
                case "match" when v.ValueKind == JsonValueKind.String:
                    match = v.GetString()!;
                    break;
                case "fault" when v.ValueKind == JsonValueKind.String && Enum.TryParse(v.GetString(), ignoreCase: true, out FileFaultKind k) && Enum.IsDefined(k):
                    kind = k;
                    break;
                case "count" when v.TryGetInt32(out int c) && c >= 0:
                    count = c;
                    break;
                case "delayms" when v.TryGetInt32(out int d) && d is >= 0 and <= 600_000:
                    delayMs = d;
                    break;
                case "status" when v.TryGetInt32(out int s) && s is >= 400 and <= 599:
                    status = s;
                    break;
                case "location" when v.ValueKind == JsonValueKind.String && Uri.TryCreate(v.GetString(), UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https":
                    location = v.GetString();
                    break;
                case "retryafter" when v.ValueKind == JsonValueKind.String:
                    retryAfter = v.GetString();
                    break;
                default:
                    error = $"fault: unknown property or invalid value: '{p.Name}'";
                    return null;
            }
        }
        if (kind is null)
        {
            error = "fault: 'fault' must be one of cut, expired, slow, status, redirect, chunked";
            return null;
        }
        if (kind == FileFaultKind.Status && status == 0)
        {
            error = "fault: a status fault needs 'status' (400-599)";
            return null;
        }
        return new FileFault(match, kind.Value, count, delayMs, status, location, retryAfter);
    }

    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("match", Match);
        w.WriteString("fault", Kind.ToString().ToLowerInvariant());
        w.WriteNumber("count", Count);
        w.WriteNumber("remaining", Remaining);
        w.WriteNumber("delayMs", DelayMs);
        w.WriteNumber("status", Status);
        if (Location is null)
        {
            w.WriteNull("location");
        }
        else
        {
            w.WriteString("location", Location);
        }
        if (RetryAfter is null)
        {
            w.WriteNull("retryAfter");
        }
        else
        {
            w.WriteString("retryAfter", RetryAfter);
        }
        w.WriteEndObject();
    }
}
