using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace JobsModule;

/// <summary>
/// Lists one provider's jobs: sends each page request (with retries), hands the body to the
/// provider's adapter, and yields jobs one at a time. The caller's thread only waits for pages;
/// the next page is fetched in the background once the consumer is clearly going to need it.
/// </summary>
public sealed class JobLister
{
    private static readonly Lazy<HttpClient> SharedClient = new(CreateClient);
    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMilliseconds(200);

    // "provider base-url" of the base URLs that answered 404 to the provider's own list route but not to its older one.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> FallbackBaseUris = new(StringComparer.Ordinal);
    private readonly HttpClient _http;

    public JobLister(HttpClient? http = null)
    {
        _http = http ?? SharedClient.Value;
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
        var firstSize = SizeFor(maxPageSize, query.Limit, plan);
        Task<JobPage>? pending = FetchFirstPageAsync(endpoint, plan.Server, firstSize, requestedUris, options, log, result, token);

        // Offset pages shift when jobs are created mid-listing; ids seen on this and the last page catch the repeats.
        var previousIds = new HashSet<string>(StringComparer.Ordinal);
        var currentIds = new HashSet<string>(StringComparer.Ordinal);
        long? lastTotal = null;
        var warnedOfDrop = false;
        try
        {
            while (pending is not null)
            {
                var page = WaitFor(pending, result);
                pending = null;
                ReportUnreadable(endpoint, page, result.Pages + 1, log);
                if (result.Pages++ == 0 && plan.TotalIsExact)
                {
                    result.Total = page.Total;
                }

                if (page.Total is { } pageTotal)
                {
                    if (lastTotal is { } earlier && pageTotal < earlier && !warnedOfDrop)
                    {
                        warnedOfDrop = true;
                        log.Warning(Strings.TotalDropped(info.Name, earlier, pageTotal));
                    }

                    lastTotal = pageTotal;
                }

                var remainingAfterPage = query.Limit - kept - page.Jobs.Count;
                var (nextUri, nextSize, nextCursor, stopError) = plan.KeepsEveryJob && remainingAfterPage <= 0
                    ? (null, 0, null, null)
                    : NextPage(endpoint, page, maxPageSize, remainingAfterPage, plan, requestedUris);

                (previousIds, currentIds) = (currentIds, previousIds);
                currentIds.Clear();
                var prefetchClock = Stopwatch.StartNew();
                var fresh = 0;
                for (var i = 0; i < page.Jobs.Count; i++)
                {
                    var job = page.Jobs[i];
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
                        job.Account = endpoint.Account;
                        result.Jobs = kept + 1;
                        yield return job;
                        if (++kept >= query.Limit)
                        {
                            yield break;
                        }
                    }

                    // Fetch ahead once the consumer has taken a few jobs (half of a small page) or spent a
                    // while on them, so that Select-Object -First n for a small n never costs a second
                    // request, and a long page still leaves the next one time to arrive.
                    if (options.PrefetchNextPage && pending is null && nextUri is not null
                        && (i + 1 >= Math.Min(options.PrefetchAfterJobs, (page.Jobs.Count + 1) / 2) || prefetchClock.Elapsed >= options.PrefetchAfter))
                    {
                        pending = FetchPageAsync(endpoint, page.Route!, nextUri, nextSize, nextCursor, options, log, result, token);
                    }
                }

                // The page was to reach the limit, but repeated ids were dropped: the jobs still missing are on the next page.
                if (nextUri is null && stopError is null && plan.KeepsEveryJob && remainingAfterPage <= 0)
                {
                    (nextUri, nextSize, nextCursor, stopError) = NextPage(endpoint, page, maxPageSize, query.Limit - kept, plan, requestedUris);
                }

                if (stopError is not null)
                {
                    throw stopError;
                }

                // A full page of jobs already seen means the provider is not moving on: stop, do not loop.
                if (nextUri is not null && page.Jobs.Count > 0 && fresh == 0)
                {
                    throw new ProviderRequestException(info.Name, ProviderErrorKind.PagingLoop, Strings.PageDidNotAdvance(info.Name, nextUri)) { RequestUri = nextUri };
                }

                if (pending is null && nextUri is not null)
                {
                    pending = FetchPageAsync(endpoint, page.Route!, nextUri, nextSize, nextCursor, options, log, result, token);
                }
            }
        }
        finally
        {
            // Stopped early (Select-Object -First, Ctrl+C, an error): cancel whatever is still in flight.
            listingCancellation.Cancel();
            pending?.ContinueWith(task => _ = task.Exception, TaskScheduler.Default);
        }
    }

    /// <summary>Waits on the caller's thread, calling the heartbeat now and then so the caller can report progress.</summary>
    private static JobPage WaitFor(Task<JobPage> task, ListingResult result)
    {
        if (result.Heartbeat is { } heartbeat)
        {
            while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(HeartbeatInterval))
            {
                heartbeat();
            }
        }

        return task.GetAwaiter().GetResult();
    }

    private static int SizeFor(int maxPageSize, long remaining, ListingPlan plan) =>
        maxPageSize == 0 || !plan.KeepsEveryJob || remaining >= maxPageSize ? maxPageSize : (int)Math.Max(1, remaining);

    private static (Uri? Uri, int Size, string? Cursor, ProviderRequestException? Error) NextPage(
        ProviderEndpoint endpoint, JobPage page, int maxPageSize, long remaining, ListingPlan plan, HashSet<string> requestedUris)
    {
        // A newest-first page that already reaches past CreatedAfter is the last one needed.
        if (!page.HasNext || (plan.StopsAtCreatedAfter && page.Jobs.Count > 0 && plan.IsBeforeCreatedAfter(page.Jobs[page.Jobs.Count - 1])))
        {
            return (null, 0, null, null);
        }

        var name = endpoint.Provider.Info.Name;
        var size = SizeFor(maxPageSize, remaining, plan);
        var uri = page.NextLink ?? (page.Route ?? endpoint.Provider).PageUri(endpoint.BaseUri, plan.Server, size, page.NextCursor);
        if (!IsUnderBase(uri, endpoint.BaseUri))
        {
            return (null, 0, null, new ProviderRequestException(name, ProviderErrorKind.UnsafeRedirect, Strings.UnsafeNextPage(name, uri, endpoint.BaseUri)) { RequestUri = uri });
        }

        // A cursor that repeats would loop for ever: stop with an error once this page is out.
        if (!requestedUris.Add(uri.AbsoluteUri))
        {
            return (null, 0, null, new ProviderRequestException(name, ProviderErrorKind.PagingLoop, Strings.PagingLoop(name, uri)) { RequestUri = uri });
        }

        return (uri, size, page.NextLink is null ? page.NextCursor : null, null);
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
    private async Task<JobPage> FetchFirstPageAsync(
        ProviderEndpoint endpoint, ServerQuery server, int pageSize, HashSet<string> requestedUris, ListingOptions options, ListingLog log, ListingResult result, CancellationToken token)
    {
        var provider = endpoint.Provider;
        var routeKey = provider.Info.Name + " " + endpoint.BaseUri.AbsoluteUri;
        var route = provider.FallbackListRoute is { } older && FallbackBaseUris.ContainsKey(routeKey) ? older : provider;
        var uri = route.PageUri(endpoint.BaseUri, server, pageSize, null);
        requestedUris.Add(uri.AbsoluteUri);
        try
        {
            return await FetchPageAsync(endpoint, route, uri, pageSize, null, options, log, result, token).ConfigureAwait(false);
        }
        catch (ProviderRequestException ex) when (ex.Kind == ProviderErrorKind.NotFound && route == provider && provider.FallbackListRoute is { } fallback)
        {
            var fallbackUri = fallback.PageUri(endpoint.BaseUri, server, pageSize, null);
            log.Verbose(Strings.ListRouteFallback(provider.Info.Name, uri, fallbackUri));
            requestedUris.Add(fallbackUri.AbsoluteUri);
            var page = await FetchPageAsync(endpoint, fallback, fallbackUri, pageSize, null, options, log, result, token).ConfigureAwait(false);
            FallbackBaseUris[routeKey] = true;
            return page;
        }
    }

    private Task<JobPage> FetchPageAsync(
        ProviderEndpoint endpoint, IJobListRoute route, Uri uri, int pageSize, string? cursor, ListingOptions options, ListingLog log, ListingResult result, CancellationToken token) =>
        SendAsync(
            endpoint,
            HttpMethod.Get,
            uri,
            (response, timeoutToken) => ReadPageAsync(endpoint, route, response, uri, pageSize, cursor, timeoutToken),
            page => page.Jobs.Count,
            options,
            log,
            result,
            token);

    /// <summary>
    /// Items of the page that were no job are errors of their own; fields that could not be read are
    /// a warning, once per provider and field in a call, naming the first job that had one.
    /// </summary>
    private static void ReportUnreadable(ProviderEndpoint endpoint, JobPage page, int pageNumber, ListingLog log)
    {
        var name = endpoint.Provider.Info.Name;
        foreach (var problem in page.Problems)
        {
            var reason = log.Redactor.With(endpoint.ApiKey).Redact(problem.Reason);
            log.Error(new ProviderRequestException(name, ProviderErrorKind.InvalidResponse, Strings.UnreadableJob(name, problem.Position, pageNumber, reason)), endpoint.Account);
        }

        foreach (var job in page.Jobs)
        {
            ReportUnreadableFields(job, endpoint, log);
        }
    }

    private static void ReportUnreadableFields(ProviderJob job, ProviderEndpoint endpoint, ListingLog log)
    {
        if (job.UnreadableFields is not { } fields)
        {
            return;
        }

        foreach (var field in fields)
        {
            // The value is the server's: a key it repeats back is taken out first.
            log.WarningOnce(job.Provider + "\u0000" + field.Key, () => log.Redactor.With(endpoint.ApiKey).Redact(Strings.UnreadableField(job.Provider, job.Id, field.Key, field.Value)));
        }
    }

    /// <summary>One job by id, as the single-job endpoint describes it.</summary>
    public Task<ProviderJob> GetJobAsync(ProviderEndpoint endpoint, string id, ListingOptions options, ListingLog log, CancellationToken token)
    {
        var uri = endpoint.Provider.JobUri(endpoint.BaseUri, id);
        return SendAsync(
            endpoint,
            HttpMethod.Get,
            uri,
            (response, timeoutToken) => ReadBodyAsync(endpoint, response, uri, timeoutToken, body => Received(endpoint.Provider.ReadJob(body), endpoint, log)),
            _ => 1,
            options,
            log,
            new ListingResult(),
            token);
    }

    /// <summary>Sends a request that changes a job (a cancel, a delete) once: it is not idempotent everywhere, so it is never retried.</summary>
    public Task<bool> SendJobRequestAsync(ProviderEndpoint endpoint, JobRequest jobRequest, ListingOptions options, ListingLog log, CancellationToken token)
    {
        var once = new ListingOptions
        {
            MaximumRetryCount = 0,
            RequestTimeout = options.RequestTimeout,
            RequestGate = options.RequestGate,
        };
        return SendAsync(endpoint, jobRequest.Method, jobRequest.Uri, (_, _) => Task.FromResult(true), _ => 0, once, log, new ListingResult(), token);
    }

    private static ProviderJob Received(ProviderJob job, ProviderEndpoint endpoint, ListingLog log)
    {
        job.Account = endpoint.Account;
        ReportUnreadableFields(job, endpoint, log);
        return job;
    }

    /// <summary>
    /// Sends one request with the provider's auth, retrying 408, 429, 5xx and network failures as
    /// <paramref name="options"/> allow, and writes one verbose line per attempt.
    /// </summary>
    private async Task<T> SendAsync<T>(
        ProviderEndpoint endpoint,
        HttpMethod method,
        Uri uri,
        Func<HttpResponseMessage, CancellationToken, Task<T>> readSuccess,
        Func<T, int> jobsIn,
        ListingOptions options,
        ListingLog log,
        ListingResult result,
        CancellationToken token)
    {
        var name = endpoint.Provider.Info.Name;
        for (var attempt = 0; ; attempt++)
        {
            ProviderRequestException failure;
            TimeSpan? askedDelay = null;
            if (options.RequestGate is { } gate)
            {
                await gate.WaitAsync(token).ConfigureAwait(false);
            }

            var clock = Stopwatch.StartNew();
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(token))
            {
                timeout.CancelAfter(options.RequestTimeout);
                try
                {
                    Interlocked.Increment(ref result.RequestCount);
                    using var request = new HttpRequestMessage(method, uri);
                    request.Headers.Accept.Add(AcceptJson);
                    endpoint.Provider.Authorize(request, endpoint);
                    using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                    var status = (int)response.StatusCode;
                    log.Debug(Strings.Exchange(name, request, response, log.Redactor.With(endpoint.ApiKey), endpoint.ApiKey));
                    if (response.IsSuccessStatusCode)
                    {
                        T value;
                        try
                        {
                            value = await readSuccess(response, timeout.Token).ConfigureAwait(false);
                        }
                        catch (ProviderRequestException)
                        {
                            log.Verbose(Strings.RequestLine(name, method, uri, status, null, clock.ElapsedMilliseconds, attempt));
                            throw;
                        }

                        log.Verbose(Strings.RequestLine(name, method, uri, status, jobsIn(value), clock.ElapsedMilliseconds, attempt));
                        return value;
                    }

                    log.Verbose(Strings.RequestLine(name, method, uri, status, null, clock.ElapsedMilliseconds, attempt));
                    failure = await ReadFailureAsync(endpoint, method, response, uri, timeout.Token).ConfigureAwait(false);
                    failure = failure.Redact(log.Redactor.With(endpoint.ApiKey));
                    askedDelay = failure.RetryAfter;
                    if (!IsRetryable(status))
                    {
                        throw failure;
                    }
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                    failure = new ProviderRequestException(name, ProviderErrorKind.Timeout, Strings.TimedOut(name, method, uri, options.RequestTimeout)) { RequestUri = uri };
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException && !token.IsCancellationRequested)
                {
                    failure = new ProviderRequestException(name, ProviderErrorKind.Network, Strings.NetworkFailure(name, uri, log.Redactor.With(endpoint.ApiKey).Redact(Innermost(ex).Message)), ex) { RequestUri = uri };
                }
                finally
                {
                    options.RequestGate?.Release();
                }
            }

            if (attempt >= options.MaximumRetryCount)
            {
                throw failure;
            }

            var rateLimitBackoff = failure.StatusCode == 429 && !options.RetryIntervalGiven ? endpoint.Provider.Info.RateLimitBackoff : null;
            var delay = RetryDelay(askedDelay, attempt, options, rateLimitBackoff);
            var what = failure.StatusCode is { } code ? code.ToString(System.Globalization.CultureInfo.InvariantCulture) : failure.Kind.ToString().ToLowerInvariant();
            log.Verbose(Strings.RetryWait(name, method, uri, what, attempt + 1, options.MaximumRetryCount, delay, askedDelay is null ? "backoff" : "as the provider asked"));
            result.Waiting = Strings.Waiting(what, delay);
            await Task.Delay(delay, token).ConfigureAwait(false);
            result.Waiting = null;
        }
    }

    private static Task<JobPage> ReadPageAsync(ProviderEndpoint endpoint, IJobListRoute route, HttpResponseMessage response, Uri uri, int pageSize, string? cursor, CancellationToken token) =>
        ReadBodyAsync(endpoint, response, uri, token, body =>
        {
            var context = new PageContext(uri, pageSize, cursor, response.Headers);
            var page = route.ReadPage(body, context);
            page.Route = route;
            page.Problems = context.Problems;
            return page;
        });

    /// <summary>Parses a 2xx body and hands it to the adapter; anything unreadable becomes InvalidResponse.</summary>
    private static async Task<T> ReadBodyAsync<T>(ProviderEndpoint endpoint, HttpResponseMessage response, Uri uri, CancellationToken token, Func<JsonElement, T> read)
    {
        var name = endpoint.Provider.Info.Name;
        var contentType = response.Content.Headers.ContentType?.MediaType;
        using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(stream, default, token).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw InvalidBody(name, response, contentType, uri, "the body is not valid JSON (" + ex.Message + ")");
        }

        using (document)
        {
            try
            {
                return read(document.RootElement);
            }
            catch (Exception ex) when (Json.IsReadFailure(ex))
            {
                throw InvalidBody(name, response, contentType, uri, "the JSON is not the documented shape (" + ex.Message + ")");
            }
        }
    }

    private static ProviderRequestException InvalidBody(string name, HttpResponseMessage response, string? contentType, Uri uri, string problem) =>
        new(name, ProviderErrorKind.InvalidResponse, Strings.InvalidBody(name, (int)response.StatusCode, contentType, uri, problem))
        {
            StatusCode = (int)response.StatusCode,
            ContentType = contentType,
            RequestUri = uri,
        };

    private static async Task<ProviderRequestException> ReadFailureAsync(ProviderEndpoint endpoint, HttpMethod method, HttpResponseMessage response, Uri uri, CancellationToken token)
    {
        var name = endpoint.Provider.Info.Name;
        var status = (int)response.StatusCode;
        var contentType = response.Content.Headers.ContentType?.MediaType;
        var text = await ReadLimitedAsync(response.Content, 64 * 1024, token).ConfigureAwait(false);
        string? message = null;
        string? requestId = null;
        string? code = null;
        try
        {
            using var document = JsonDocument.Parse(text);
            var body = endpoint.Provider.ReadError(document.RootElement);
            message = body.Message;
            requestId = body.RequestId;
            code = body.Code;
        }
        catch (JsonException)
        {
            // Not JSON (an HTML error page, a proxy's text): show short plain text, never a page of HTML.
            var trimmed = text.Trim();
            message = trimmed.Length == 0 || trimmed.StartsWith("<", StringComparison.Ordinal) ? null : Truncate(trimmed, 300);
        }

        requestId ??= Header(response, "x-request-id") ?? Header(response, "request-id");
        var kind = status is >= 300 and < 400 ? ProviderErrorKind.UnsafeRedirect : ProviderRequestException.KindOf(response.StatusCode);
        var text2 = kind == ProviderErrorKind.UnsafeRedirect
            ? Strings.Redirected(name, method, status, uri)
            : Strings.HttpFailure(name, method, status, ReasonOf(response), uri, message, code);
        return new ProviderRequestException(name, kind, text2)
        {
            StatusCode = status,
            ProviderMessage = message,
            ProviderErrorCode = code,
            RequestId = requestId,
            RetryAfter = RetryAfter(response),
            RequestUri = uri,
            ContentType = contentType,
        };
    }

    private static async Task<string> ReadLimitedAsync(HttpContent content, int limit, CancellationToken token)
    {
        using var stream = await content.ReadAsStreamAsync().ConfigureAwait(false);
        var buffer = new byte[limit];
        var total = 0;
        int read;
        while (total < limit && (read = await stream.ReadAsync(buffer, total, limit - total, token).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return Encoding.UTF8.GetString(buffer, 0, total);
    }

    private static bool IsRetryable(int status) => status is 408 or 429 || status >= 500;

    /// <summary>What the provider asked for (Retry-After as seconds or a date, else X-RateLimit-Reset), if anything.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta;
            }

            if (retryAfter.Date is { } date)
            {
                var wait = date - DateTimeOffset.UtcNow;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        if (Header(response, "X-RateLimit-Reset") is { } reset
            && double.TryParse(reset, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            // Epoch seconds, or seconds from now: an epoch value is far larger than any sane wait.
            var wait = value > 1_000_000_000
                ? DateTimeOffset.FromUnixTimeMilliseconds((long)(value * 1000)) - DateTimeOffset.UtcNow
                : TimeSpan.FromSeconds(value);
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    internal static TimeSpan RetryDelay(TimeSpan? asked, int attempt, ListingOptions options, TimeSpan? rateLimitBackoff = null)
    {
        // Exponential backoff with +/-25% jitter, so that many clients do not retry in step.
        var jitter = 0.75 + (ThreadSafeRandom.NextDouble() * 0.5);
        TimeSpan delay;
        if (asked is { } wait)
        {
            delay = wait;
        }
        else if (rateLimitBackoff is { } backoff)
        {
            // A provider's documented range (Krea: "back off 10-30 s") bounds the jitter too.
            var ticks = backoff.Ticks * Math.Pow(2, attempt) * jitter;
            delay = TimeSpan.FromTicks((long)Math.Min(Math.Max(ticks, backoff.Ticks), backoff.Ticks * 3.0));
        }
        else
        {
            delay = TimeSpan.FromMilliseconds(options.RetryInterval.TotalMilliseconds * Math.Pow(2, attempt) * jitter);
        }

        return delay > options.MaximumRetryDelay ? options.MaximumRetryDelay : delay;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    private static string ReasonOf(HttpResponseMessage response) =>
        string.IsNullOrEmpty(response.ReasonPhrase) ? ((HttpStatusCode)(int)response.StatusCode).ToString() : response.ReasonPhrase!;

    private static string Truncate(string text, int length) => text.Length <= length ? text : text.Substring(0, length) + "...";

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }

    private static HttpClient CreateClient()
    {
        // Redirects are refused, not followed: a custom auth header would follow them to any host.
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
        };
        var client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        var version = typeof(JobLister).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("JobsModule", version));
        return client;
    }

    private static class ThreadSafeRandom
    {
        private static readonly Random Seed = new();

        [ThreadStatic]
        private static Random? _local;

        public static double NextDouble()
        {
            if (_local is null)
            {
                int seed;
                lock (Seed)
                {
                    seed = Seed.Next();
                }

                _local = new Random(seed);
            }

            return _local.NextDouble();
        }
    }
}

/// <summary>What a listing learned besides its jobs: totals and counts, readable once it has run.</summary>
public sealed class ListingResult
{
    internal int RequestCount;

    /// <summary>The provider's count of all matching jobs, where it gives one and the module filters nothing out.</summary>
    public long? Total { get; internal set; }

    public int Pages { get; internal set; }

    public int Requests => Volatile.Read(ref RequestCount);

    /// <summary>Jobs written so far.</summary>
    public long Jobs { get; internal set; }

    /// <summary>What a retry is waiting for, while it waits; null otherwise.</summary>
    public string? Waiting
    {
        get => Volatile.Read(ref _waiting);
        internal set => Volatile.Write(ref _waiting, value);
    }

    /// <summary>Called on the listing's own thread about five times a second while it waits for a page.</summary>
    public Action? Heartbeat { get; set; }

    private string? _waiting;
}
