using System.Globalization;

namespace ProviderSimulator.Simulation;

/// <summary>
/// Query-string reading shared by the providers. Rule used everywhere: a parameter that is present
/// is validated, even when its value is empty ("take=" is an invalid number, not the default), so a
/// client that sends sloppy queries is caught. A repeated parameter uses its first value.
/// </summary>
internal static class QueryParams
{
    public static string? Get(HttpRequest request, string name)
    {
        var values = request.Query[name];
        return values.Count == 0 ? null : values[0];
    }

    /// <summary>Digits with an optional sign only: "10.5", "1e2", " 3" and "abc" are not integers.</summary>
    public static bool TryParseInteger(string text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>The raw query string (without '?') minus the named parameters, keeping the rest byte for byte.</summary>
    public static List<string> RawPairsExcept(HttpRequest request, params string[] dropped)
    {
        var kept = new List<string>();
        string raw = request.QueryString.HasValue ? request.QueryString.Value![1..] : string.Empty;
        foreach (string pair in raw.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            string name = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
            if (Array.IndexOf(dropped, name) < 0)
            {
                kept.Add(pair);
            }
        }
        return kept;
    }
}
