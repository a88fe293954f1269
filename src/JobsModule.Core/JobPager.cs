using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace JobsModule;

/// <summary>
/// The pager: follows one account's pages (a cursor, an offset or a Link), reads each as it arrives
/// and yields its jobs one at a time, drops the repeats of shifting offset pages, applies the limits
/// and the filters the server could not, stops at the first job older than CreatedAfter, and asks for
/// the next page in the background once the consumer is clearly going to need it. The first page of a
/// long listing is small (a slow start), so the first job comes about as fast as one small request.
/// </summary>
internal sealed class JobPager
{
    // "provider base-url" of the base URLs that answered 404 to the provider's own list route but not to its older one.
    private static readonly ConcurrentDictionary<string, bool> FallbackBaseUris = new(StringComparer.Ordinal);
    private readonly ProviderClient _client;

    public JobPager(ProviderClient client)
    {
        _client = client;
    }

    /// <summary>The jobs of <paramref name="endpoint"/> that match <paramref name="query"/>, newest first where the provider promises it.</summary>
    public IEnumerable<ProviderJob> List(ProviderEndpoint endpoint, JobQuery query, ListingOptions options, ListingLog log, ListingResult result, CancellationToken cancellationToken)
    {
        var info = endpoint.Provider.Info;
        var plan = new ListingPlan(info, query);
        var maxPageSize = info.MaxPageSize is { } max ? query.PageSize ?? max : 0;
        var requestedUris = new HashSet<string>(StringComparer.Ordinal);
        using var listingCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = listingCancellation.Token;

        long kept = 0;
        var firstSize = FirstPageSize(maxPageSize, query, plan, options);
        PageDownload? download = StartFirst(endpoint, plan.Server, firstSize, requestedUris, options, log, result, token);
        PageDownload? next = null;

        // Offset pages shift when jobs are created mid-listing; ids seen on this and the last page catch the repeats.
        var previousIds = new HashSet<string>(StringComparer.Ordinal);
        var currentIds = new HashSet<string>(StringComparer.Ordinal);
        long? lastTotal = null;
        var warnedOfDrop = false;
        try
        {
            while (download is not null)
            {
                (previousIds, currentIds) = (currentIds, previousIds);
                currentIds.Clear();
                var keptBefore = kept;
                // Only the consumer's time counts (between handing a job on and being asked for the next): the
                // page's own time on the wire says nothing about how long the consumer will hold it.
                var consumerTime = new Stopwatch();
                var fresh = 0;
                var taken = 0;
                NextRequest? ahead = null;
                foreach (var job in download.Jobs(result.Heartbeat, token))
                {
                    taken++;
                    if (!currentIds.Add(job.Id) || previousIds.Contains(job.Id))
                    {
                        continue;
                    }

                    fresh++;
                    if (plan.StopsAtCreatedAfter && plan.IsBeforeCreatedAfter(job))
                    {
                        yield break;
                    }

                    if (plan.Matches(job))
                    {
                        result.Jobs = kept + 1;
                        if (kept + 1 >= query.Limit)
                        {
                            // The last job wanted: the rest of its page is on its way and may carry the total
                            // (-IncludeTotalCount), so it is read before the consumer, who may stop here, gets the job.
                            Record(download, plan, result, log, ref lastTotal, ref warnedOfDrop, waitForIt: true);
                        }

                        // Timed only while it can still start the next page (reading the clock costs on every job).
                        var timed = next is null && options.PrefetchNextPage;
                        if (timed)
                        {
                            consumerTime.Start();
                        }

                        yield return job;
                        if (timed)
                        {
                            consumerTime.Stop();
                        }
                        if (++kept >= query.Limit)
                        {
                            yield break;
                        }
                    }

                    // Fetch ahead once the page has arrived whole and the consumer has taken a few of its jobs
                    // (half of a small page) or spent a while on them, so that Select-Object -First n for a small
                    // n never costs a second request, and a long page still leaves the next one time to arrive.
                    if (options.PrefetchNextPage && next is null && download.HasArrivedWhole
                        && (taken >= Math.Min(options.PrefetchAfterJobs, (download.End().ItemCount + 1) / 2) || consumerTime.Elapsed >= options.PrefetchAfter))
                    {
                        ahead = Next(endpoint, download, maxPageSize, query.Limit - keptBefore - download.End().ItemCount, plan, requestedUris);
                        next = ahead.Start(this, endpoint, download.Number + 1, options, log, result, token);
                    }
                }

                Record(download, plan, result, log, ref lastTotal, ref warnedOfDrop, waitForIt: false);

                // Unless the next page is on its way, work out where it is now, with what was really kept: when
                // repeats were dropped, the jobs still missing are on the next page.
                if (next is null)
                {
                    ahead = Next(endpoint, download, maxPageSize, query.Limit - kept, plan, requestedUris);
                }

                if (ahead!.Error is { } error)
                {
                    throw error;
                }

                // A full page of jobs already seen means the provider is not moving on: stop, do not loop.
                if (ahead.Uri is { } nextUri && taken > 0 && fresh == 0)
                {
                    throw new ProviderRequestException(info.Name, ProviderErrorKind.PagingLoop, Strings.PageDidNotAdvance(info.Name, nextUri)) { RequestUri = nextUri };
                }

                download = next ?? ahead.Start(this, endpoint, download.Number + 1, options, log, result, token);
                next = null;
            }
        }
        finally
        {
            // Stopped early (Select-Object -First, Ctrl+C, an error): cancel whatever is still in flight.
            listingCancellation.Cancel();
            download?.Abandon();
            next?.Abandon();
        }
    }

    /// <summary>
    /// What a page that has arrived tells about the listing: its number, the total (for
    /// -IncludeTotalCount, from the first page) and whether the total dropped, which is warned about
    /// once. The page's failure is thrown, unless <paramref name="waitForIt"/> (the listing has all it
    /// wants already, and only waits for the rest of the page to read its total).
    /// </summary>
    private static void Record(PageDownload download, ListingPlan plan, ListingResult result, ListingLog log, ref long? lastTotal, ref bool warnedOfDrop, bool waitForIt)
    {
        PageEnd end;
        try
        {
            end = download.End().End;
        }
        catch (ProviderRequestException) when (waitForIt)
        {
            return;
        }

        result.Pages = download.Number;
        if (download.Number == 1 && plan.TotalIsExact)
        {
            result.Total = end.Total;
        }

        if (end.Total is { } pageTotal)
        {
            if (lastTotal is { } earlier && pageTotal < earlier && !warnedOfDrop)
            {
                warnedOfDrop = true;
                log.Warning(Strings.TotalDropped(download.Name, earlier, pageTotal));
            }

            lastTotal = pageTotal;
        }
    }

    /// <summary>
    /// The first page's size: what a limit needs when it is below a page, else a small page (a slow start,
    /// so the first job comes quickly) unless -PageSize was given, else the provider's maximum.
    /// </summary>
    private static int FirstPageSize(int maxPageSize, JobQuery query, ListingPlan plan, ListingOptions options)
    {
        var size = SizeFor(maxPageSize, query.Limit, plan);
        return size == maxPageSize && query.PageSize is null && options.FirstPageSize is { } small ? Math.Min(small, maxPageSize) : size;
    }

    private static int SizeFor(int maxPageSize, long remaining, ListingPlan plan) =>
        maxPageSize == 0 || !plan.KeepsEveryJob || remaining >= maxPageSize ? maxPageSize : (int)Math.Max(1, remaining);

    /// <summary>Where to go after <paramref name="download"/>: the next page's request, nothing, or an error that ends the listing.</summary>
    private static NextRequest Next(ProviderEndpoint endpoint, PageDownload download, int maxPageSize, long remaining, ListingPlan plan, HashSet<string> requestedUris)
    {
        var page = download.End();

        // A page that was to reach the limit is the last, and so is a newest-first page that already reaches past CreatedAfter.
        if (!page.End.HasNext || (plan.KeepsEveryJob && remaining <= 0)
            || (plan.StopsAtCreatedAfter && download.LastJob is { } last && plan.IsBeforeCreatedAfter(last)))
        {
            return NextRequest.None;
        }

        var name = endpoint.Provider.Info.Name;
        var size = SizeFor(maxPageSize, remaining, plan);

        // A link is followed as is, unless the next page is to be of another size (after a small first
        // page, or near a limit) and the route gave a cursor as well.
        var link = page.End.NextLink is { } given && (page.End.NextCursor is null || size == page.Size) ? given : null;
        var uri = link ?? page.Route.PageUri(endpoint.BaseUri, plan.Server, size, page.End.NextCursor);
        if (!IsUnderBase(uri, endpoint.BaseUri))
        {
            return NextRequest.Failed(new ProviderRequestException(name, ProviderErrorKind.UnsafeRedirect, Strings.UnsafeNextPage(name, uri, endpoint.BaseUri)) { RequestUri = uri });
        }

        // A cursor that repeats would loop for ever: stop with an error once this page is out.
        if (!requestedUris.Add(uri.AbsoluteUri))
        {
            return NextRequest.Failed(new ProviderRequestException(name, ProviderErrorKind.PagingLoop, Strings.PagingLoop(name, uri)) { RequestUri = uri });
        }

        return new NextRequest(page.Route, uri, size, link is null ? page.End.NextCursor : null, null);
    }

    /// <summary>
    /// True when a next page stays where the key may go: the base URL's scheme, host and port, and a path
    /// under the base URL's path (a gateway's prefix), so that a key is never sent to another service on
    /// the same host. Dot segments are already resolved in <paramref name="uri"/>.
    /// </summary>
    internal static bool IsUnderBase(Uri uri, Uri baseUri)
    {
        if (!string.Equals(uri.Scheme, baseUri.Scheme, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(uri.Host, baseUri.Host, StringComparison.OrdinalIgnoreCase)
            || uri.Port != baseUri.Port)
        {
            return false;
        }

        var prefix = baseUri.AbsolutePath.TrimEnd('/') + "/";
        return (uri.AbsolutePath.TrimEnd('/') + "/").StartsWith(prefix, StringComparison.Ordinal);
    }

    /// <summary>
    /// The first page, through the route that last worked for this base URL. When the provider's own
    /// route answers 404 and it has an older one, the older one is tried and, if it works, remembered
    /// for this base URL for as long as the module is loaded.
    /// </summary>
    private PageDownload StartFirst(
        ProviderEndpoint endpoint, ServerQuery server, int pageSize, HashSet<string> requestedUris, ListingOptions options, ListingLog log, ListingResult result, CancellationToken token)
    {
        var provider = endpoint.Provider;
        var routeKey = provider.Info.Name + " " + endpoint.BaseUri.AbsoluteUri;
        var route = provider.FallbackListRoute is { } older && FallbackBaseUris.ContainsKey(routeKey) ? older : provider;
        var uri = route.PageUri(endpoint.BaseUri, server, pageSize, null);
        requestedUris.Add(uri.AbsoluteUri);
        return new PageDownload(provider.Info.Name, 1).Start(async download =>
        {
            try
            {
                return await ReadPageAsync(download, endpoint, route, uri, pageSize, null, options, log, result, token).ConfigureAwait(false);
            }
            catch (ProviderRequestException ex) when (ex.Kind == ProviderErrorKind.NotFound && route == provider && provider.FallbackListRoute is { } fallback)
            {
                var fallbackUri = fallback.PageUri(endpoint.BaseUri, server, pageSize, null);
                log.Verbose(Strings.ListRouteFallback(provider.Info.Name, uri, fallbackUri));
                lock (requestedUris)
                {
                    requestedUris.Add(fallbackUri.AbsoluteUri);
                }

                var page = await ReadPageAsync(download, endpoint, fallback, fallbackUri, pageSize, null, options, log, result, token).ConfigureAwait(false);
                FallbackBaseUris[routeKey] = true;
                return page;
            }
        });
    }

    /// <summary>Sends one page request and reads the answer as it arrives, handing each job on to the download.</summary>
    private Task<PageRead> ReadPageAsync(
        PageDownload download, ProviderEndpoint endpoint, IJobListRoute route, Uri uri, int pageSize, string? cursor, ListingOptions options, ListingLog log, ListingResult result, CancellationToken token) =>
        _client.SendAsync(
            endpoint,
            HttpMethod.Get,
            uri,
            async (response, timeoutToken) =>
            {
                var context = new PageContext(uri, pageSize, cursor, response.Headers);
                using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                var position = 0;
                var secrets = log.Redactor.With(endpoint.ApiKey);
                try
                {
                    var page = await PageStreamReader.ReadAsync(stream, route.ItemsProperty, (item, tooDeep) => Read(download, endpoint, route, item, tooDeep, position++, log), timeoutToken, download.HandOn, secrets).ConfigureAwait(false);
                    return new PageRead(route.EndPage(page, context), route, pageSize, page.ItemCount);
                }
                catch (Exception ex) when (Json.IsBodyFailure(ex))
                {
                    throw ProviderClient.InvalidBody(endpoint, response, uri, ex);
                }
            },
            page => page.ItemCount,
            options,
            log,
            result,
            token);

    /// <summary>
    /// One item: a job handed on (with the fields too deep to parse among its unreadable ones), or, when it
    /// is no job (no id), an error of its own while the page goes on.
    /// </summary>
    private static void Read(PageDownload download, ProviderEndpoint endpoint, IJobListRoute route, JsonElement item, JobDataObject? tooDeep, int position, ListingLog log)
    {
        ProviderJob job;
        try
        {
            job = route.ReadItem(item);
            job.KeepUnreadable(tooDeep);
        }
        catch (Exception ex) when (Json.IsReadFailure(ex))
        {
            Unreadable.ReportItem(endpoint, download, position, Strings.ItemProblem(ex), log);
            return;
        }

        job.Account = endpoint.Account;
        Unreadable.WarnOfFields(job, endpoint, log);
        download.Add(job);
    }

    /// <summary>The request for the next page, or none, or the error that ends the listing instead.</summary>
    private sealed record NextRequest(IJobListRoute? Route, Uri? Uri, int Size, string? Cursor, ProviderRequestException? Error)
    {
        public static readonly NextRequest None = new(null, null, 0, null, null);

        public static NextRequest Failed(ProviderRequestException error) => new(null, null, 0, null, error);

        /// <summary>Starts the download of this page, or returns null when there is none.</summary>
        public PageDownload? Start(JobPager pager, ProviderEndpoint endpoint, int number, ListingOptions options, ListingLog log, ListingResult result, CancellationToken token) =>
            Uri is null || Route is null
                ? null
                : new PageDownload(endpoint.Provider.Info.Name, number).Start(download => pager.ReadPageAsync(download, endpoint, Route, Uri, Size, Cursor, options, log, result, token));
    }
}
