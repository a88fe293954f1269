using System;
using System.Net.Http.Headers;

namespace JobsModule;

/// <summary>Reads rel="next" from an RFC 8288 Link header.</summary>
internal static class LinkHeader
{
    public static Uri? Next(HttpResponseHeaders headers, Uri requestUri)
    {
        if (!headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        foreach (var value in values)
        {
            foreach (var link in value.Split(','))
            {
                var open = link.IndexOf('<');
                var close = link.IndexOf('>', open + 1);
                if (open < 0 || close < 0)
                {
                    continue;
                }

                var parameters = link.Substring(close + 1);
                if (parameters.IndexOf("rel=\"next\"", StringComparison.OrdinalIgnoreCase) < 0
                    && parameters.IndexOf("rel=next", StringComparison.OrdinalIgnoreCase) < 0)
                {
                    continue;
                }

                if (Uri.TryCreate(requestUri, link.Substring(open + 1, close - open - 1).Trim(), out var next))
                {
                    return next;
                }
            }
        }

        return null;
    }
}
