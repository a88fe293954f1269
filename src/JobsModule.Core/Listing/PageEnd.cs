using System.Globalization;
using JobsModule.JsonReading;

namespace JobsModule.Listing;

/// <summary>Where a page leads: the next page's cursor or link, and the total where the provider gives one.</summary>
internal sealed record PageEnd
{
    /// <summary>The last page.</summary>
    public static readonly PageEnd Last = new();

    /// <summary>The provider's count of all jobs that match, where it gives one.</summary>
    public long? Total { get; init; }

    /// <summary>Passed back to <see cref="IJobListRoute.PageUri"/> for the next page.</summary>
    public string? NextCursor { get; init; }

    /// <summary>
    /// A ready-made URL of the next page (an HTTP Link header), used as is while the page size stays the
    /// same; when a <see cref="NextCursor"/> is given too, it is used instead for a page of another size.
    /// </summary>
    public Uri? NextLink { get; init; }

    public bool HasNext => NextCursor is not null || NextLink is not null;

    /// <summary>
    /// Where the page started, for offset paging; null for any other kind. The pager works out each next
    /// offset itself (see <see cref="OffsetSteps"/>), since jobs that leave the list move the places up.
    /// </summary>
    public long? PageOffset { get; init; }

    /// <summary>
    /// Offset paging (skip/take, offset/limit): the next page starts after this page's items, counted
    /// whether or not each could be read, so that no job is asked for twice.
    /// </summary>
    public static PageEnd AfterOffset(PageContext context, PageEnvelope page, bool more, long? total)
    {
        var start = OffsetOf(context);
        var next = OffsetAfter(context, page);
        return new PageEnd { Total = total, NextCursor = more && page.ItemCount > 0 ? next.ToString(CultureInfo.InvariantCulture) : null, PageOffset = start };
    }

    /// <summary>Where an offset page started: its cursor (the offset asked for), 0 for the first page.</summary>
    public static long OffsetOf(PageContext context) => context.Cursor is null ? 0 : long.Parse(context.Cursor, CultureInfo.InvariantCulture);

    /// <summary>The offset after an offset page: where it started plus its items, readable or not.</summary>
    public static long OffsetAfter(PageContext context, PageEnvelope page) => OffsetOf(context) + page.ItemCount;
}
