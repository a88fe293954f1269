using System.Net.Http.Headers;

namespace JobsModule.Transport;

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
            var position = 0;
            while (NextLinkValue(value, ref position) is var (target, parameters))
            {
                if (HasRelNext(parameters) && Uri.TryCreate(requestUri, target.Trim(), out var next))
                {
                    return next;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The next "&lt;target&gt;; params" of a header. The target is delimited by angle brackets and
    /// the parameters end at a comma outside quotes, so a comma inside a URL (a cursor, say) or a
    /// quoted title does not split a link.
    /// </summary>
    private static (string Target, string Parameters)? NextLinkValue(string header, ref int position)
    {
        var open = header.IndexOf('<', position);
        var close = open < 0 ? -1 : header.IndexOf('>', open + 1);
        if (close < 0)
        {
            position = header.Length;
            return null;
        }

        var end = close + 1;
        var quoted = false;
        while (end < header.Length && (quoted || header[end] != ','))
        {
            if (header[end] == '\\' && quoted)
            {
                end++;
            }
            else if (header[end] == '"')
            {
                quoted = !quoted;
            }

            end++;
        }

        position = Math.Min(end + 1, header.Length);
        return (header.Substring(open + 1, close - open - 1), header.Substring(close + 1, Math.Min(end, header.Length) - close - 1));
    }

    /// <summary>rel may be quoted and may list several relation types ("next last").</summary>
    private static bool HasRelNext(string parameters)
    {
        foreach (var parameter in parameters.Split(';'))
        {
            var equals = parameter.IndexOf('=');
            if (equals < 0 || !parameter.Substring(0, equals).Trim().Equals("rel", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var relations = parameter.Substring(equals + 1).Trim().Trim('"');
            foreach (var relation in relations.Split(' '))
            {
                if (relation.Equals("next", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
