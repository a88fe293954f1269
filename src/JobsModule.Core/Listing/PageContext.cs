using System;
using System.Net.Http.Headers;

namespace JobsModule.Listing;

/// <summary>What a route needs, besides the page itself, to say where the next page is.</summary>
internal sealed class PageContext
{
    public PageContext(Uri requestUri, int pageSize, string? cursor, HttpResponseHeaders headers)
    {
        RequestUri = requestUri;
        PageSize = pageSize;
        Cursor = cursor;
        Headers = headers;
    }

    public Uri RequestUri { get; }

    /// <summary>The page size asked for (0 for an unpaged provider).</summary>
    public int PageSize { get; }

    /// <summary>The cursor this page was asked with; null for the first page.</summary>
    public string? Cursor { get; }

    public HttpResponseHeaders Headers { get; }
}
