using System.Net.Http.Headers;

namespace JobsModule.Listing;

/// <summary>What a route needs, besides the page itself, to say where the next page is.</summary>
/// <param name="RequestUri">The URL the page was asked for at.</param>
/// <param name="PageSize">The page size asked for (0 for an unpaged provider).</param>
/// <param name="Cursor">The cursor this page was asked with; null for the first page.</param>
/// <param name="Headers">The answer's headers.</param>
internal sealed record PageContext(Uri RequestUri, int PageSize, string? Cursor, HttpResponseHeaders Headers);
