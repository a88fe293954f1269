using System.Globalization;
using System.Text.Json;

namespace ProviderSimulator.Simulation;

/// <summary>
/// The rateBudget option: at most <see cref="Limit"/> authorised provider requests per fixed window of
/// <see cref="WindowMs"/> milliseconds. Windows are aligned to the Unix epoch (window k covers
/// [k*W, (k+1)*W) ms), so X-RateLimit-Reset is the same for every request of one window.
/// </summary>
internal sealed record RateBudget(int Limit, int WindowMs)
{
    /// <summary>The largest limit and window accepted (an hour; tests want seconds).</summary>
    public const int MaxLimit = 1_000_000, MaxWindowMs = 3_600_000;

    /// <summary>Parses {"limit": N, "windowMs": W}: both integers, 1..MaxLimit and 1..MaxWindowMs, names case-insensitive, no others.</summary>
    public static bool TryParse(JsonElement body, out RateBudget? budget, out string? error)
    {
        budget = null;
        error = null;
        const string Shape = "rateBudget must be null or {\"limit\": 1..1000000, \"windowMs\": 1..3600000}";
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = Shape;
            return false;
        }
        int? limit = null, window = null;
        foreach (JsonProperty p in body.EnumerateObject())
        {
            JsonElement v = p.Value;
            switch (p.Name.ToLowerInvariant())
            {
                case "limit" when v.TryGetInt32(out int n) && n is >= 1 and <= MaxLimit:
                    limit = n;
                    break;
                case "windowms" when v.TryGetInt32(out int w) && w is >= 1 and <= MaxWindowMs:
                    window = w;
                    break;
                default:
                    error = Shape;
                    return false;
            }
        }
        if (limit is not int l || window is not int ms)
        {
            error = Shape;
            return false;
        }
        budget = new RateBudget(l, ms);
        return true;
    }

    public void Write(Utf8JsonWriter writer, string name)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("limit", Limit);
        writer.WriteNumber("windowMs", WindowMs);
        writer.WriteEndObject();
    }

    /// <summary>Epoch milliseconds as X-RateLimit-Reset writes them: seconds with exactly three decimals.</summary>
    public static string EpochSeconds(long epochMs) =>
        string.Create(CultureInfo.InvariantCulture, $"{epochMs / 1000}.{epochMs % 1000:000}");
}

/// <summary>
/// The count behind a provider's <see cref="RateBudget"/>: how many requests the current window has
/// let through. Thread-safe; <see cref="Restart"/> when the option is set.
/// </summary>
internal sealed class RateBudgetCounter
{
    private readonly Lock _lock = new();
    private long _window = -1;
    private int _used;

    /// <summary>Forgets what the current window has used.</summary>
    public void Restart()
    {
        lock (_lock)
        {
            _window = -1;
            _used = 0;
        }
    }

    /// <summary>
    /// Takes one place in the window that <paramref name="nowMs"/> falls in, if one is left. Returns
    /// whether it was taken, what is left after it (0 when refused) and the window's end (epoch ms).
    /// A refused request takes nothing.
    /// </summary>
    public (bool Allowed, int Remaining, long ResetMs) Take(RateBudget budget, long nowMs)
    {
        long window = nowMs / budget.WindowMs;
        long resetMs = (window + 1) * budget.WindowMs;
        lock (_lock)
        {
            if (window != _window)
            {
                _window = window;
                _used = 0;
            }
            if (_used >= budget.Limit)
            {
                return (false, 0, resetMs);
            }
            _used++;
            return (true, budget.Limit - _used, resetMs);
        }
    }
}
