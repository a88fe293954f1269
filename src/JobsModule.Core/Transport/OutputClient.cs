using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using JobsModule.Accounts;
using JobsModule.Engine;
using JobsModule.JsonReading;
using JobsModule.Listing;

namespace JobsModule.Transport;

/// <summary>
/// The transport of a job's outputs. A request the provider's adapter makes under its base URL carries
/// the key (through the provider's own Authorize), keeps to its rate budget and follows no redirect; a
/// URL from a job's data (a file host, a pre-signed URL) gets no key header at all, and its redirects
/// are followed, each checked by the https rule (<see cref="FileUri"/>). Bodies stream to the caller's
/// stream through one fixed buffer, so memory stays flat however large a file is. Each request may take
/// -TimeoutSec to answer, and each read of its body as long again (a stall, not a large file, is what
/// times out). Failures are retried as the other reads are: 408, 429, 5xx, network failures, timeouts,
/// and a body cut short, which starts the file again.
/// </summary>
internal sealed class OutputClient
{
    private const int BufferSize = 128 * 1024;
    private const int MaxRedirects = 10;
    private const int LinkAnswerLimit = 64 * 1024;
    private static readonly Lazy<HttpClient> SharedClient = new(CreateClient);
    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");
    private readonly HttpClient _http;

    public OutputClient(HttpClient? http = null)
    {
        _http = http ?? SharedClient.Value;
    }

    /// <summary>
    /// Streams the file at <paramref name="uri"/> into <paramref name="sink"/> (from its start, again on each
    /// retry) and returns its length. With <paramref name="withKey"/> the request carries the provider's key
    /// and must be under the base URL; without, it carries none. <paramref name="size"/> is the provider's
    /// size for the file, checked when the answer has no Content-Length. A write to <paramref name="sink"/>
    /// that fails throws as it is (it is not the network's failure, and not retried).
    /// </summary>
    public Task<long> DownloadAsync(ProviderEndpoint endpoint, Uri uri, bool withKey, long? size, Stream sink, TransferCounter counter, CallContext call)
    {
        if (withKey && !JobPager.IsUnderBase(uri, endpoint.BaseUri))
        {
            // The adapter builds these under the base URL; this is the last line of defence for the key.
            var name = endpoint.Provider.Info.Name;
            throw new ProviderRequestException(name, ProviderErrorKind.UnsafeRedirect, Strings.UnsafeNextPage(name, uri, endpoint.BaseUri)) { RequestUri = uri };
        }

        return WithRetriesAsync(endpoint, HttpMethod.Get, uri, withKey, attempt => AttemptDownloadAsync(endpoint, uri, withKey, size, sink, counter, attempt, call), call);
    }

    /// <summary>
    /// The URL in property <paramref name="property"/> of the JSON the provider answers to a POST of
    /// <paramref name="body"/> to <paramref name="uri"/> (under its base URL, with the key): a link to a file,
    /// which is fetched afterwards without the key.
    /// </summary>
    public Task<string> ResolveLinkAsync(ProviderEndpoint endpoint, Uri uri, string body, string property, CallContext call)
    {
        if (!JobPager.IsUnderBase(uri, endpoint.BaseUri))
        {
            var name = endpoint.Provider.Info.Name;
            throw new ProviderRequestException(name, ProviderErrorKind.UnsafeRedirect, Strings.UnsafeNextPage(name, uri, endpoint.BaseUri)) { RequestUri = uri };
        }

        return WithRetriesAsync(endpoint, HttpMethod.Post, uri, true, attempt => AttemptLinkAsync(endpoint, uri, body, property, attempt, call), call);
    }

    /// <summary>One rule of retries for both: what is retryable is tried again after the provider's or the backoff's wait.</summary>
    private static async Task<T> WithRetriesAsync<T>(ProviderEndpoint endpoint, HttpMethod method, Uri uri, bool withKey, Func<int, Task<T>> attempt, CallContext call)
    {
        var name = endpoint.Provider.Info.Name;
        var options = call.Policy;
        for (var number = 0; ; number++)
        {
            ProviderRequestException failure;
            try
            {
                return await attempt(number).ConfigureAwait(false);
            }
            catch (ProviderRequestException ex) when (IsRetryable(ex) && number < options.MaximumRetryCount)
            {
                failure = ex;
            }
            catch (OutputCutException ex) when (number < options.MaximumRetryCount)
            {
                failure = ex.Failure;
            }

            var rateLimitBackoff = failure.StatusCode == 429 && withKey && !options.RetryIntervalGiven ? endpoint.Provider.Info.RateLimitBackoff : null;
            var delay = ProviderClient.RetryDelay(failure.RetryAfter, number, options, rateLimitBackoff);
            var what = failure.StatusCode is { } code ? code.ToString(System.Globalization.CultureInfo.InvariantCulture) : failure.Kind.ToString().ToLowerInvariant();
            call.Log.Verbose(Strings.RetryWait(name, method, ShownUri(uri, withKey), what, number + 1, options.MaximumRetryCount, delay, failure.RetryAfter is null ? "backoff" : "as the server asked"));
            await Task.Delay(delay, call.Token).ConfigureAwait(false);
        }
    }

    private static bool IsRetryable(ProviderRequestException failure) =>
        failure.StatusCode is { } status ? ProviderClient.IsRetryable(status) : failure.Kind is ProviderErrorKind.Network or ProviderErrorKind.Timeout;

    private async Task<long> AttemptDownloadAsync(ProviderEndpoint endpoint, Uri uri, bool withKey, long? size, Stream sink, TransferCounter counter, int attempt, CallContext call)
    {
        var (name, options, log, token) = (endpoint.Provider.Info.Name, call.Policy, call.Log, call.Token);
        sink.SetLength(0);
        sink.Position = 0;
        long written = 0;
        long announced = 0;
        var clock = Stopwatch.StartNew();
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(token);
        var (response, at) = await SendAsync(endpoint, uri, withKey, null, stall, call).ConfigureAwait(false);
        using (response)
        {
            var status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                log.Verbose(Strings.RequestLine(name, HttpMethod.Get, ShownUri(at, withKey), status, null, clock.ElapsedMilliseconds, attempt));
                throw await FailureAsync(endpoint, HttpMethod.Get, response, at, withKey, log, stall.Token).ConfigureAwait(false);
            }

            var expected = response.Content.Headers.ContentLength ?? size;
            if (expected is { } total)
            {
                announced = total;
                counter.Expect(total);
            }

            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            var complete = false;
            try
            {
                using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                while (true)
                {
                    stall.CancelAfter(options.RequestTimeout);
                    int read;
                    try
                    {
                        read = await body.ReadAsync(buffer, 0, buffer.Length, stall.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!token.IsCancellationRequested)
                    {
                        throw Cut(Stalled(name, at, withKey, written, options.RequestTimeout), written, expected);
                    }
                    catch (Exception ex) when (ex is IOException or HttpRequestException && !token.IsCancellationRequested)
                    {
                        var broken = Strings.OutputBodyBroken(name, ShownUri(at, withKey), written, log.Redactor.Redact(ProviderClient.Innermost(ex).Message));
                        throw Cut(new ProviderRequestException(name, ProviderErrorKind.Network, broken) { RequestUri = at }, written, expected);
                    }

                    if (read == 0)
                    {
                        break;
                    }

                    await sink.WriteAsync(buffer, 0, read, token).ConfigureAwait(false);
                    written += read;
                    counter.Receive(read);
                }

                if (expected is { } length && written != length)
                {
                    throw Cut(new ProviderRequestException(name, ProviderErrorKind.Network, Strings.OutputLengthMismatch(name, ShownUri(at, withKey), written, length)) { RequestUri = at }, written, expected);
                }

                complete = true;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
                if (!complete)
                {
                    // What this attempt counted is taken back: a retry starts the file again.
                    counter.Receive(-written);
                    counter.Expect(-announced);
                }
            }

            log.Verbose(Strings.OutputRequestLine(name, HttpMethod.Get, ShownUri(at, withKey), status, written, clock.ElapsedMilliseconds, attempt));
            return written;
        }
    }

    private async Task<string> AttemptLinkAsync(ProviderEndpoint endpoint, Uri uri, string body, string property, int attempt, CallContext call)
    {
        var (name, options, log, token) = (endpoint.Provider.Info.Name, call.Policy, call.Log, call.Token);
        var clock = Stopwatch.StartNew();
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(token);
        var (response, _) = await SendAsync(endpoint, uri, true, body, stall, call).ConfigureAwait(false);
        using (response)
        {
            var status = (int)response.StatusCode;
            log.Verbose(Strings.RequestLine(name, HttpMethod.Post, uri, status, null, clock.ElapsedMilliseconds, attempt));
            if (!response.IsSuccessStatusCode)
            {
                throw await FailureAsync(endpoint, HttpMethod.Post, response, uri, true, log, stall.Token).ConfigureAwait(false);
            }

            stall.CancelAfter(options.RequestTimeout);
            string text;
            try
            {
                text = await ProviderClient.ReadLimitedAsync(response.Content, LinkAnswerLimit, stall.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                throw new ProviderRequestException(name, ProviderErrorKind.Timeout, Strings.TimedOut(name, HttpMethod.Post, uri, options.RequestTimeout)) { RequestUri = uri };
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException && !token.IsCancellationRequested)
            {
                throw Network(name, uri, true, ProviderClient.Innermost(ex).Message, log);
            }

            try
            {
                using var document = JsonDocument.Parse(text);
                return Json.String(document.RootElement, property) is { Length: > 0 } link
                    ? link
                    : throw new ProviderResponseShapeException($"it has no '{property}' text");
            }
            catch (Exception ex) when (Json.IsBodyFailure(ex))
            {
                var contentType = response.Content.Headers.ContentType?.MediaType;
                throw new ProviderRequestException(name, ProviderErrorKind.InvalidResponse, Strings.LinkAnswerInvalid(name, status, contentType, uri, Strings.BodyProblem(ex)))
                {
                    StatusCode = status,
                    ContentType = contentType,
                    RequestUri = uri,
                };
            }
        }
    }

    /// <summary>
    /// Sends one request and returns the answer that is not a redirect, with the URL that gave it. A
    /// request with the key follows no redirect (the answer is a failure the caller reports); one without
    /// follows up to <see cref="MaxRedirects"/>, each checked by the https rule, and never gains a key.
    /// </summary>
    private async Task<(HttpResponseMessage Response, Uri At)> SendAsync(ProviderEndpoint endpoint, Uri uri, bool withKey, string? body, CancellationTokenSource stall, CallContext call)
    {
        var (name, options, log, token) = (endpoint.Provider.Info.Name, call.Policy, call.Log, call.Token);
        var budget = withKey ? RateBudget.For(endpoint) : null;
        var method = body is null ? HttpMethod.Get : HttpMethod.Post;
        var at = uri;
        for (var hops = 0; ; hops++)
        {
            if (budget is not null)
            {
                await ProviderClient.WaitForBudgetAsync(budget, endpoint, method, at, null, call.Now, log, new ListingCounts(), token).ConfigureAwait(false);
            }

            var reported = false;
            HttpResponseMessage response;
            using (var request = new HttpRequestMessage(method, at))
            {
                if (withKey)
                {
                    request.Headers.Accept.Add(AcceptJson);
                    endpoint.Provider.Authorize(request, endpoint);
                }

                if (body is not null)
                {
                    request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                }

                stall.CancelAfter(options.RequestTimeout);
                try
                {
                    response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token).ConfigureAwait(false);
                    budget?.Report(response, DateTimeOffset.UtcNow);
                    reported = true;
                    if (withKey)
                    {
                        log.Debug(ExchangeText.Of(name, request, response, log.Redactor.With(endpoint.ApiKey), endpoint.ApiKey));
                    }
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                    throw new ProviderRequestException(name, ProviderErrorKind.Timeout, Strings.TimedOut(name, method, ShownUri(at, withKey), options.RequestTimeout)) { RequestUri = at };
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException && !token.IsCancellationRequested)
                {
                    throw Network(name, at, withKey, ProviderClient.Innermost(ex).Message, log);
                }
                finally
                {
                    if (!reported)
                    {
                        budget?.Abandon();
                    }
                }
            }

            var status = (int)response.StatusCode;
            if (withKey || status is not (301 or 302 or 303 or 307 or 308) || response.Headers.Location is not { } location)
            {
                return (response, at);
            }

            // No key is on this request, so following it sends nothing secret; the next URL meets the same rule.
            response.Dispose();
            var next = location.IsAbsoluteUri ? location : new Uri(at, location);
            if (FileUri.Check(next, at, log.Redactor.With(endpoint.ApiKey)) is not FileUriProblem.None and var problem)
            {
                var refused = problem switch
                {
                    FileUriProblem.ThisMachine => Strings.OutputRedirectToLoopback(name, FileUri.Shown(at), FileUri.Shown(next)),
                    FileUriProblem.HoldsKey => Strings.OutputRedirectHoldsKey(name, FileUri.Shown(at)),
                    _ => Strings.OutputRedirectRefused(name, FileUri.Shown(at), FileUri.Shown(next)),
                };
                throw new ProviderRequestException(name, ProviderErrorKind.UnsafeRedirect, refused) { StatusCode = status, RequestUri = at };
            }

            if (hops >= MaxRedirects)
            {
                throw new ProviderRequestException(name, ProviderErrorKind.HttpError, Strings.OutputTooManyRedirects(name, FileUri.Shown(uri), MaxRedirects)) { StatusCode = status, RequestUri = at };
            }

            log.Verbose(Strings.OutputRedirected(name, FileUri.Shown(at), status, FileUri.Shown(next)));
            at = next;
        }
    }

    /// <summary>A failed answer: the provider's own words for its API, the status alone for a file host (whose body may be anything).</summary>
    private static async Task<ProviderRequestException> FailureAsync(ProviderEndpoint endpoint, HttpMethod method, HttpResponseMessage response, Uri at, bool withKey, CallLog log, CancellationToken token)
    {
        if (withKey)
        {
            return (await ProviderClient.ReadFailureAsync(endpoint, method, response, at, token).ConfigureAwait(false)).Redact(log.Redactor.With(endpoint.ApiKey));
        }

        var name = endpoint.Provider.Info.Name;
        var status = (int)response.StatusCode;
        return new ProviderRequestException(name, ProviderRequestException.KindOf(response.StatusCode), Strings.FileHostFailure(name, status, ProviderClient.ReasonOf(response), FileUri.Shown(at)))
        {
            StatusCode = status,
            RetryAfter = ProviderClient.RetryAfter(response),
            RequestUri = at,
            ContentType = response.Content.Headers.ContentType?.MediaType,
        };
    }

    private static ProviderRequestException Network(string name, Uri at, bool withKey, string problem, CallLog log) =>
        new(name, ProviderErrorKind.Network, Strings.NetworkFailure(name, ShownUri(at, withKey), log.Redactor.Redact(problem))) { RequestUri = at };

    private static ProviderRequestException Stalled(string name, Uri at, bool withKey, long received, TimeSpan timeout) =>
        new(name, ProviderErrorKind.Timeout, Strings.OutputStalled(name, ShownUri(at, withKey), received, timeout)) { RequestUri = at };

    private static OutputCutException Cut(ProviderRequestException failure, long received, long? expected) => new(failure, received, expected);

    /// <summary>Where the key goes, the URL is the provider's own and shown whole; elsewhere its query (a signature) is left out.</summary>
    private static Uri ShownUri(Uri uri, bool withKey) => withKey ? uri : FileUri.WithoutQuery(uri);

    internal static HttpClient CreateClient()
    {
        // Redirects are followed by hand, only for requests without a key; bodies stay as sent, so that
        // their length is Content-Length's.
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var version = typeof(OutputClient).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("JobsModule", version));
        return client;
    }
}
