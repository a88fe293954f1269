using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace ProviderSimulator.Simulation;

/// <summary>
/// Which injected faults shaped a response (recorded per request, read by the request log), and the
/// HTML page a proxy in maintenance mode would answer with.
/// </summary>
internal static class Faults
{
    public const string HtmlContentType = "text/html; charset=utf-8";

    private const string ItemKey = "ProviderSimulator.Faults";

    /// <summary>Records that the named fault (an option name) shaped this response.</summary>
    public static void Add(HttpContext ctx, string name)
    {
        if (ctx.Items.TryGetValue(ItemKey, out object? value) && value is List<string> names)
        {
            if (!names.Contains(name))
            {
                names.Add(name);
            }
        }
        else
        {
            ctx.Items[ItemKey] = new List<string> { name };
        }
    }

    /// <summary>The recorded fault names, comma-separated in the order they applied, or null.</summary>
    public static string? Get(HttpContext ctx) =>
        ctx.Items.TryGetValue(ItemKey, out object? value) && value is List<string> names ? string.Join(',', names) : null;

    /// <summary>
    /// A gateway's maintenance page, as load balancers and CDNs serve while an API is down; with
    /// <paramref name="echoed"/> (echoKey) it also shows that request header, as a debug footer would.
    /// </summary>
    public static byte[] MaintenancePage(int status, string? echoed = null)
    {
        string code = status.ToString(CultureInfo.InvariantCulture);
        string title = status == StatusCodes.Status200OK
            ? "Scheduled maintenance"
            : $"{code} {ReasonPhrases.GetReasonPhrase(status)}".TrimEnd();
        string html =
            "<!DOCTYPE html>\n" +
            "<html lang=\"en\">\n" +
            "<head>\n" +
            "  <meta charset=\"utf-8\">\n" +
            $"  <title>{title}</title>\n" +
            "  <style>body{font-family:sans-serif;margin:4em auto;max-width:36em;color:#333}</style>\n" +
            "</head>\n" +
            "<body>\n" +
            "  <h1>We&rsquo;ll be back soon</h1>\n" +
            "  <p>The service is undergoing scheduled maintenance. Please try again in a few minutes.</p>\n" +
            $"  <hr><p><small>{title} &middot; edge gateway</small></p>\n" +
            (echoed is null ? string.Empty : $"  <p><small>Request {WebUtility.HtmlEncode(echoed)}</small></p>\n") +
            "</body>\n" +
            "</html>\n";
        return Encoding.UTF8.GetBytes(html);
    }
}
