using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using JobsModule.Accounts;
using JobsModule.Engine;
using JobsModule.JsonReading;
using JobsModule.Providers;
using JobsModule.Transport;

namespace JobsModule.Listing;

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
    public IEnumerable<ProviderJob> List(ProviderEndpoint endpoint, JobQuery query, CallContext call, ListingCounts result)
    {
        var info = endpoint.Provider.Info;
        var plan = new ListingPlan(info, query);
        var maxPageSize = info.MaxPageSize is { } max ? query.PageSize ?? max : 0;
        var requestedUris = new HashSet<string>(StringComparer.Ordinal);
        using var listingCancellation = CancellationTokenSource.CreateLinkedTokenSource(call.Token);
        var token = listingCancellation.Token;
        call = call with { Token = token };
        var (log, options) = (call.Log, call.ReadAhead);

        // Stops and deletes of this listing's jobs that take them out of its list: offset pages step back over them.
        var removals = new ListingRemovals(plan.Server.Status is not null);

        // Offset pages shift when jobs are created or removed mid-listing; the ids of the last pages catch the repeats.
        var ids = new RecentIds();
        OffsetSteps? offsets = null;

        long kept = 0;
        var firstSize = FirstPageSize(maxPageSize, query, plan, options);
        PageDownload? download = StartFirst(endpoint, plan.Server, firstSize, requestedUris, removals, call, result);
        PageDownload? previous = null;
        PageDownload? next = null;
        try
        {
            while (download is not null)
            {
                ids.Start(download.Number);
                var step = download.Step;
                var pagesBack = offsets?.WindowPages ?? 1;
                var anchor = step?.Anchor ?? 0;
                var anchorSeen = false;
                var stepsTaken = false;
                var servedLate = false;
                var keptBefore = kept;
                // Only the consumer's time counts (between handing a job on and being asked for the next): the
                // page's own time on the wire says nothing about how long the consumer will hold it.
                var consumerTime = new Stopwatch();
                var fresh = 0;
                var taken = 0;
                NextRequest? ahead = null;
                foreach (var job in download.Jobs(call.Heartbeat, token))
                {
                    if (taken++ == 0 && step is not null && !download.ServedAsPlanned)
                    {
                        servedLate = true;
                        break;
                    }

                    if (ids.IsRepeat(job.Id, pagesBack))
                    {
                        anchorSeen = anchorSeen || (anchor > 0 && ids.WasOn(anchor, job.Id));
                        continue;
                    }

                    fresh++;
                    if (plan.StopsAtCreatedAfter && plan.IsBeforeCreatedAfter(job))
                    {
                        yield break;
                    }

                    if (plan.Matches(job))
                    {
                        job.ListedOn = download.Listed;
                        result.Jobs = kept + 1;
                        if (kept + 1 >= query.Limit)
                        {
                            // The last job wanted: the rest of its page is on its way and may carry the total
                            // (-IncludeTotalCount), so it is read before the consumer, who may stop here, gets the job.
                            Record(download, plan, result, waitForIt: true);
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
                    // Not while jobs leave an offset-paged list: the next page's start depends on them.
                    if (options.PrefetchNextPage && next is null && download.HasArrivedWhole && !StepsCarefully(download, removals, offsets)
                        && (taken >= Math.Min(options.PrefetchAfterJobs, (download.End().ItemCount + 1) / 2) || consumerTime.Elapsed >= options.PrefetchAfter))
                    {
                        offsets = TakeSteps(offsets, download, anchorSeen, maxPageSize, log);
                        stepsTaken = true;
                        ahead = Next(endpoint, download, maxPageSize, query.Limit - keptBefore - download.End().ItemCount, plan, requestedUris, offsets, removals);
                        WarnOfMissing(offsets, info.Name, log);
                        next = ahead.Start(this, endpoint, download.Number + 1, removals, call, result);
                    }
                }

                if (step is not null && (servedLate || (taken == 0 && download.HasArrivedWhole && !download.ServedAsPlanned)))
                {
                    // Jobs before this page left the list while it was on its way, so it may have started late
                    // and skipped some: it is asked for again, from where the listing stands now (once the
                    // consumer of an account listed on its own thread is done with the jobs it has).
                    download.Abandon();
                    call.AwaitConsumer?.Invoke(token);
                    ahead = Next(endpoint, previous!, maxPageSize, query.Limit - kept, plan, requestedUris, offsets, removals);
                    WarnOfMissing(offsets, info.Name, log);
                    download = ahead.Error is { } failure ? throw failure : ahead.Start(this, endpoint, download.Number, removals, call, result);
                    continue;
                }

                Record(download, plan, result, waitForIt: false);
                if (!stepsTaken)
                {
                    offsets = TakeSteps(offsets, download, anchorSeen, maxPageSize, log);
                }

                // Unless the next page is on its way, work out where it is now, with what was really kept: when
                // repeats were dropped, the jobs still missing are on the next page.
                if (next is null)
                {
                    // Several accounts at once: the jobs handed on may still be stopped; wait until the consumer
                    // has dealt with them, so that no stop reaches the server while the next page is on its way.
                    if (offsets is not null && removals.Started > 0)
                    {
                        call.AwaitConsumer?.Invoke(token);
                    }

                    ahead = Next(endpoint, download, maxPageSize, query.Limit - kept, plan, requestedUris, offsets, removals);
                    WarnOfMissing(offsets, info.Name, log);
                }

                if (ahead!.Error is { } error)
                {
                    throw error;
                }

                // A full page of jobs already seen means the provider is not moving on: stop, do not loop. A page
                // that goes back on purpose may bring nothing new.
                if (ahead.Uri is { } nextUri && taken > 0 && fresh == 0 && step is not { Rereads: true } && taken > (step?.Reach ?? 0))
                {
                    throw new ProviderRequestException(info.Name, ProviderErrorKind.PagingLoop, Strings.PageDidNotAdvance(info.Name, nextUri)) { RequestUri = nextUri };
                }

                previous = download;
                download = next ?? ahead.Start(this, endpoint, download.Number + 1, removals, call, result);
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
    /// True when the next page of <paramref name="download"/>'s listing must not be asked for ahead: it is
    /// offset-paged, and jobs leave its list (stopped by this listing's consumer, or the total dropped).
    /// </summary>
    private static bool StepsCarefully(PageDownload download, ListingRemovals removals, OffsetSteps? offsets) =>
        download.End().End.PageOffset is not null && (removals.Started > 0 || offsets is { Reaching: true });

    /// <summary>An offset page that has been read, told to the listing's <see cref="OffsetSteps"/> (made with the first); other pages leave it as is.</summary>
    private static OffsetSteps? TakeSteps(OffsetSteps? offsets, PageDownload download, bool anchorSeen, int maxPageSize, CallLog log)
    {
        var page = download.End();
        if (page.End.PageOffset is not { } start)
        {
            return offsets;
        }

        offsets ??= new OffsetSteps(maxPageSize);
        offsets.Read(download.Step, download.Number, start, page.ItemCount, page.End.Total, page.End.HasNext, anchorSeen, download.Listed);
        WarnOfMissing(offsets, download.Name, log);
        return offsets;
    }

    private static void WarnOfMissing(OffsetSteps? offsets, string provider, CallLog log)
    {
        if (offsets?.TakeMissing() is { } missing && missing > 0)
        {
            log.Warning(Strings.JobsMayBeMissing(provider, missing));
        }
    }

    /// <summary>
    /// What a page that has arrived tells about the listing: its number, and the total (for
    /// -IncludeTotalCount, from the first page). The page's failure is thrown, unless
    /// <paramref name="waitForIt"/> (the listing has all it wants already, and only waits for the rest of
    /// the page to read its total).
    /// </summary>
    private static void Record(PageDownload download, ListingPlan plan, ListingCounts result, bool waitForIt)
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
    }

    /// <summary>
    /// The first page's size: what a limit needs when it is below a page, else a small page (a slow start,
    /// so the first job comes quickly) unless -PageSize was given, else the provider's maximum.
    /// </summary>
    private static int FirstPageSize(int maxPageSize, JobQuery query, ListingPlan plan, ReadAhead options)
    {
        var size = SizeFor(maxPageSize, query.Limit, plan);
        return size == maxPageSize && query.PageSize is null && options.FirstPageSize is { } small ? Math.Min(small, maxPageSize) : size;
    }

    private static int SizeFor(int maxPageSize, long remaining, ListingPlan plan) =>
        maxPageSize == 0 || !plan.KeepsEveryJob || remaining >= maxPageSize ? maxPageSize : (int)Math.Max(1, remaining);

    /// <summary>Where to go after <paramref name="download"/>: the next page's request, nothing, or an error that ends the listing.</summary>
    private static NextRequest Next(
        ProviderEndpoint endpoint, PageDownload download, int maxPageSize, long remaining, ListingPlan plan, HashSet<string> requestedUris, OffsetSteps? offsets, ListingRemovals removals)
    {
        var page = download.End();

        // A page that was to reach the limit is the last, and so is a newest-first page that already reaches past CreatedAfter.
        if ((plan.KeepsEveryJob && remaining <= 0) || (plan.StopsAtCreatedAfter && download.LastJob is { } last && plan.IsBeforeCreatedAfter(last)))
        {
            return NextRequest.None;
        }

        var size = SizeFor(maxPageSize, remaining, plan);
        if (offsets is not null && page.End.PageOffset is not null)
        {
            // The removals ended are read first, so that one ending meanwhile shows as in flight, never as missed.
            var ended = removals.Settled;
            var removed = removals.Removed;
            var begun = removals.Started;
            if (offsets.Next(removed) is not { } step)
            {
                return NextRequest.None;
            }

            // The pager works out the offset itself (a page that goes back on purpose asks for that much more),
            // so an offset asked for again is no loop: a page that brings nothing new is.
            var offset = step.Offset.ToString(CultureInfo.InvariantCulture);
            var stepSize = (int)Math.Min(maxPageSize, size + step.Reach);
            return new NextRequest(page.Route, page.Route.PageUri(endpoint.BaseUri, plan.Server, stepSize, offset), stepSize, offset, null)
            {
                Step = step,
                RemovalsAtSend = (begun, ended),
            };
        }

        if (!page.End.HasNext)
        {
            return NextRequest.None;
        }

        var name = endpoint.Provider.Info.Name;

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
    /// for this base URL for as long as the module is loaded; when that remembered route answers 404 in
    /// turn, the provider's own is tried again (once a listing) and, if it works, the memory is dropped.
    /// </summary>
    private PageDownload StartFirst(
        ProviderEndpoint endpoint, ServerQuery server, int pageSize, HashSet<string> requestedUris, ListingRemovals removals, CallContext call, ListingCounts result)
    {
        var provider = endpoint.Provider;
        var routeKey = RouteKey(endpoint);
        var route = RouteFor(endpoint);
        var uri = route.PageUri(endpoint.BaseUri, server, pageSize, null);
        requestedUris.Add(uri.AbsoluteUri);
        return new PageDownload(provider.Info.Name, 1, new ListedPage(removals)).Start(async download =>
        {
            try
            {
                return await ReadPageAsync(download, endpoint, route, uri, pageSize, null, call, result).ConfigureAwait(false);
            }
            catch (ProviderRequestException ex) when (ex.Kind == ProviderErrorKind.NotFound && route == provider && provider.FallbackListRoute is { } fallback)
            {
                var fallbackUri = fallback.PageUri(endpoint.BaseUri, server, pageSize, null);
                call.Log.Verbose(Strings.ListRouteFallback(provider.Info.Name, uri, fallbackUri));
                lock (requestedUris)
                {
                    requestedUris.Add(fallbackUri.AbsoluteUri);
                }

                var page = await ReadPageAsync(download, endpoint, fallback, fallbackUri, pageSize, null, call, result).ConfigureAwait(false);
                FallbackBaseUris[routeKey] = true;
                return page;
            }
            catch (ProviderRequestException ex) when (ex.Kind == ProviderErrorKind.NotFound && route != provider)
            {
                // The older route remembered here is gone (the deployment moved on): the provider's own is tried again, once a listing.
                var ownUri = provider.PageUri(endpoint.BaseUri, server, pageSize, null);
                call.Log.Verbose(Strings.ListRouteRetried(provider.Info.Name, uri, ownUri));
                lock (requestedUris)
                {
                    requestedUris.Add(ownUri.AbsoluteUri);
                }

                var page = await ReadPageAsync(download, endpoint, provider, ownUri, pageSize, null, call, result).ConfigureAwait(false);
                FallbackBaseUris.TryRemove(routeKey, out _);
                return page;
            }
        });
    }

    /// <summary>The list route a listing of <paramref name="endpoint"/> starts with: the provider's own, or the older one that last worked there.</summary>
    private static IJobListRoute RouteFor(ProviderEndpoint endpoint) =>
        endpoint.Provider.FallbackListRoute is { } older && FallbackBaseUris.ContainsKey(RouteKey(endpoint)) ? older : endpoint.Provider;

    private static string RouteKey(ProviderEndpoint endpoint) => endpoint.Provider.Info.Name + " " + endpoint.BaseUri.AbsoluteUri;

    /// <summary>
    /// How many jobs match <paramref name="query"/> as the provider counts them, asking as little as it takes:
    /// a page of one (an unpaged provider's one list) where the route reports a total, nothing where it
    /// does not or where the module would filter jobs itself (null: unknown).
    /// </summary>
    public async Task<long?> TotalAsync(ProviderEndpoint endpoint, JobQuery query, CallContext call, ListingCounts result)
    {
        var plan = new ListingPlan(endpoint.Provider.Info, query);
        if (!plan.TotalIsExact || !RouteFor(endpoint).ReportsTotal)
        {
            return null;
        }

        var pageSize = endpoint.Provider.Info.MaxPageSize is null ? 0 : 1;
        var page = await StartFirst(endpoint, plan.Server, pageSize, new HashSet<string>(StringComparer.Ordinal), new ListingRemovals(false), call, result)
            .Completion.ConfigureAwait(false);
        result.Pages = 1;
        result.Total = page.End.Total;
        return page.End.Total;
    }

    /// <summary>Sends one page request and reads the answer as it arrives, handing each job on to the download.</summary>
    private Task<PageRead> ReadPageAsync(
        PageDownload download, ProviderEndpoint endpoint, IJobListRoute route, Uri uri, int pageSize, string? cursor, CallContext call, ListingCounts result) =>
        _client.SendAsync(
            new ProviderRequest<PageRead>(endpoint, HttpMethod.Get, uri, async (response, timeoutToken) =>
            {
                download.Answered();
                var context = new PageContext(uri, pageSize, cursor, response.Headers);
                using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                var position = 0;
                var secrets = call.Log.Redactor.With(endpoint.ApiKey);
                try
                {
                    var page = await PageStreamReader.ReadAsync(stream, route.ItemsProperty, (item, tooDeep) => Read(download, endpoint, route, item, tooDeep, position++, call.Log), timeoutToken, download.HandOn, secrets).ConfigureAwait(false);
                    return new PageRead(route.EndPage(page, context), route, pageSize, page.ItemCount);
                }
                catch (Exception ex) when (Json.IsBodyFailure(ex))
                {
                    throw ProviderClient.InvalidBody(endpoint, response, uri, ex);
                }
            },
            page => page.ItemCount),
            call,
            result);

    /// <summary>
    /// One item: a job handed on (with the fields too deep to parse among its unreadable ones), or, when it
    /// is no job (no id), an error of its own while the page goes on.
    /// </summary>
    private static void Read(PageDownload download, ProviderEndpoint endpoint, IJobListRoute route, JsonElement item, JobDataObject? tooDeep, int position, CallLog log)
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

        /// <summary>For an offset page: where it starts and why.</summary>
        public OffsetSteps.Step? Step { get; init; }

        /// <summary>The listing's removals begun and ended when the request was worked out.</summary>
        public (long Begun, long Ended) RemovalsAtSend { get; init; }

        public static NextRequest Failed(ProviderRequestException error) => new(null, null, 0, null, error);

        /// <summary>Starts the download of this page, or returns null when there is none.</summary>
        public PageDownload? Start(JobPager pager, ProviderEndpoint endpoint, int number, ListingRemovals removals, CallContext call, ListingCounts result) =>
            Uri is null || Route is null
                ? null
                : new PageDownload(endpoint.Provider.Info.Name, number, new ListedPage(removals)) { Step = Step, RemovalsAtSend = RemovalsAtSend }
                    .Start(download => pager.ReadPageAsync(download, endpoint, Route, Uri, Size, Cursor, call, result));
    }
}
