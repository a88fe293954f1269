using System.Text.Json;
using JobsModule.JsonReading;
using JobsModule.Listing;

namespace JobsModule.Providers;

/// <summary>
/// One way to list a provider's jobs: the URL of each page, where a page holds its jobs, how to read
/// one job, and where the next page is. The engine reads each page as it arrives (see
/// <see cref="PageEnvelope"/>), so a route only declares these and never sees a whole body.
/// </summary>
internal interface IJobListRoute
{
    /// <summary>The URL of a list page: <paramref name="cursor"/> is null for the first page, else a value from <see cref="PageEnd.NextCursor"/>.</summary>
    Uri PageUri(Uri baseUri, ServerQuery query, int pageSize, string? cursor);

    /// <summary>
    /// True when a page says how many jobs match in all (<see cref="PageEnd.Total"/>), so that
    /// -IncludeTotalCount -First 0 asks for a page of one; false when it never does, and nothing is asked.
    /// </summary>
    bool ReportsTotal { get; }

    /// <summary>The top-level property whose array holds a page's jobs; null when the whole body is that array.</summary>
    string? ItemsProperty { get; }

    /// <summary>Reads one item of a page's array; a <see cref="ProviderResponseShapeException"/> when it is no job (no id).</summary>
    ProviderJob ReadItem(JsonElement item);

    /// <summary>
    /// Where the next page is (and the total, where the page gives one), from what the page said besides
    /// its jobs; a <see cref="ProviderResponseShapeException"/> when that is not the documented shape.
    /// </summary>
    PageEnd EndPage(PageEnvelope page, PageContext context);
}
