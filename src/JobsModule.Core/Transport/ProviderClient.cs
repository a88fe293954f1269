using System.Diagnostics;
using System.Globalization;
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
/// The transport: sends one request to a provider with its key, within its rate budget, retrying
/// 408, 429, 5xx and network failures as the options allow (Retry-After honoured), with a timeout per
/// attempt, and turns a failed answer into a <see cref="ProviderRequestException"/> with the
/// provider's own words. Listing, getting, cancelling and deleting all send through it.
/// </summary>
internal sealed class ProviderClient
{
    private const int ErrorBodyLimit = 64 * 1024;
    private static readonly Lazy<HttpClient> SharedClient = new(CreateClient);
    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");
    private readonly HttpClient _http;

    public ProviderClient(HttpClient? http = null)
    {
        _http = http ?? SharedClient.Value;
    }

    /// <summary>
    /// Sends <paramref name="request"/> and reads a 2xx answer as it says, retrying, pacing and timing out
    /// as <paramref name="call"/> says; writes one verbose line per attempt, and what it waits for to
    /// <paramref name="counts"/>, where a listing shows its progress.
    /// </summary>
    public async Task<T> SendAsync<T>(ProviderRequest<T> request, CallContext call, ListingCounts? counts = null)
    {
        var (endpoint, method, uri, readSuccess, jobsIn) = request;
        var (policy, log, token) = (call.Policy, call.Log, call.Token);
        counts ??= new ListingCounts();
        var name = endpoint.Provider.Info.Name;
        var secrets = log.Redactor.With(endpoint.ApiKey);
        var budget = RateBudget.For(endpoint);

        // The deadline bounds the request while there is time left; begun after it, the request has one attempt (see Deadline).
        var late = call.Deadline is { HasPassed: true };
        var deadline = late ? null : call.Deadline;
        var retries = late ? 0 : policy.MaximumRetryCount;
        for (var attempt = 0; ; attempt++)
        {
            await WaitForBudgetAsync(budget, endpoint, method, uri, deadline, call.Now, log, counts, token).ConfigureAwait(false);
            ProviderRequestException failure;
            if (call.Gate is { } gate)
            {
                await gate.WaitAsync(token).ConfigureAwait(false);
            }

            var clock = Stopwatch.StartNew();
            var reported = false;
            var attemptTimeout = deadline is not null && deadline.Left < policy.RequestTimeout ? deadline.Left : policy.RequestTimeout;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(token))
            {
                timeout.CancelAfter(attemptTimeout);
                try
                {
                    Interlocked.Increment(ref counts.RequestCount);
                    using var message = new HttpRequestMessage(method, uri);
                    message.Headers.Accept.Add(AcceptJson);
                    endpoint.Provider.Authorize(message, endpoint);
                    using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                    budget.Report(response, call.Now());
                    reported = true;
                    var status = (int)response.StatusCode;
                    log.Debug(ExchangeText.Of(name, message, response, secrets, endpoint.ApiKey));
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
                    failure = (await ReadFailureAsync(endpoint, method, response, uri, timeout.Token).ConfigureAwait(false)).Redact(secrets);
                    if (!IsRetryable(status))
                    {
                        throw failure;
                    }
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                    var cut = attemptTimeout < policy.RequestTimeout;
                    failure = new ProviderRequestException(name, ProviderErrorKind.Timeout, cut ? Strings.TimedOutAtDeadline(name, method, uri, deadline!.Duration) : Strings.TimedOut(name, method, uri, policy.RequestTimeout))
                    {
                        RequestUri = uri,
                        DeadlineReached = cut,
                    };
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException && !token.IsCancellationRequested)
                {
                    failure = new ProviderRequestException(name, ProviderErrorKind.Network, Strings.NetworkFailure(name, uri, secrets.Redact(Innermost(ex).Message)), ex) { RequestUri = uri };
                }
                finally
                {
                    if (!reported)
                    {
                        budget.Abandon();
                    }

                    call.Gate?.Release();
                }
            }

            if (attempt >= retries || failure.DeadlineReached)
            {
                throw failure;
            }

            var rateLimitBackoff = failure.StatusCode == 429 && !policy.RetryIntervalGiven ? endpoint.Provider.Info.RateLimitBackoff : null;
            var delay = RetryDelay(failure.RetryAfter, attempt, policy, rateLimitBackoff);
            if (deadline is not null && !deadline.Allows(delay))
            {
                // Waited out, the retry would come after the deadline: the failure stands now.
                throw failure.WithMessage(failure.Message + Strings.NotRetriedPastDeadline(delay, deadline.Left, deadline.Duration), deadlineReached: true);
            }

            var what = failure.StatusCode is { } code ? code.ToString(CultureInfo.InvariantCulture) : failure.Kind.ToString().ToLowerInvariant();
            log.Verbose(Strings.RetryWait(name, method, uri, what, attempt + 1, policy.MaximumRetryCount, delay, failure.RetryAfter is null ? "backoff" : "as the provider asked"));
            counts.Waiting = Strings.Waiting(what, delay);
            await Task.Delay(delay, token).ConfigureAwait(false);
            counts.Waiting = null;
        }
    }

    /// <summary>
    /// One job by id, as the single-job endpoint describes it; its unreadable fields are warned about.
    /// Every single-job read (Get -Id, each poll of a wait, the read before a stop or delete) comes here,
    /// so an answer about another job (a broken gateway or cache) is refused here, before anything uses it.
    /// <paramref name="inspect"/>, when given, also reads the answer's body while it is parsed (the outputs of
    /// a job that only its single-job answer holds), once the answer is known to be about this job.
    /// </summary>
    public Task<ProviderJob> GetJobAsync(ProviderEndpoint endpoint, string id, CallContext call, ListingCounts? counts = null, Action<ProviderJob, JsonElement>? inspect = null)
    {
        var uri = endpoint.Provider.JobUri(endpoint.BaseUri, id);
        var log = call.Log;
        return SendAsync(
            new ProviderRequest<ProviderJob>(endpoint, HttpMethod.Get, uri, (response, timeoutToken) => ReadBodyAsync(endpoint, response, uri, log.Redactor.With(endpoint.ApiKey), (body, tooDeep) =>
            {
                var job = endpoint.Provider.ReadJob(body);
                if (!string.Equals(job.Id, id, StringComparison.Ordinal))
                {
                    throw OtherJob(endpoint, response, uri, id, job.Id);
                }

                job.KeepUnreadable(tooDeep);
                job.Account = endpoint.Account;
                job.ReadAlone = true;
                Unreadable.WarnOfFields(job, endpoint, log);
                inspect?.Invoke(job, body);
                return job;
            }, timeoutToken), _ => 1),
            call,
            counts);
    }

    /// <summary>Sends a request that changes a job (a cancel, a delete) once: it is not idempotent everywhere, so it is never retried.</summary>
    public Task<bool> SendOnceAsync(ProviderEndpoint endpoint, JobRequest jobRequest, CallContext call) =>
        SendAsync(new ProviderRequest<bool>(endpoint, jobRequest.Method, jobRequest.Uri, (_, _) => Task.FromResult(true), _ => null), call with { Policy = call.Policy.NeverRetried() });

    /// <summary>
    /// Waits while the provider's reported budget has no request left in this window, saying so once;
    /// a wait that would end after <paramref name="deadline"/> is not begun, and nothing is sent.
    /// </summary>
    internal static async Task WaitForBudgetAsync(RateBudget budget, ProviderEndpoint endpoint, HttpMethod method, Uri uri, Deadline? deadline, Func<DateTimeOffset> now, CallLog log, ListingCounts result, CancellationToken token)
    {
        while (budget.TryTake(now()) is { } wait)
        {
            var name = endpoint.Provider.Info.Name;
            if (deadline is not null && !deadline.Allows(wait))
            {
                throw new ProviderRequestException(name, ProviderErrorKind.RateLimited, Strings.BudgetPastDeadline(name, method, uri, wait, deadline.Left, deadline.Duration))
                {
                    RequestUri = uri,
                    RetryAfter = wait,
                    DeadlineReached = true,
                };
            }

            log.Verbose(Strings.PacingWait(name, wait));
            result.Waiting = Strings.Waiting("the provider's request budget", wait);
            await Task.Delay(wait, token).ConfigureAwait(false);
            result.Waiting = null;
        }
    }

    /// <summary>
    /// Parses a 2xx body that is one job (with every key <paramref name="redactor"/> knows taken out first)
    /// and hands it to <paramref name="read"/> with its fields too deep to parse (see <see cref="ServerJson.ParseJob"/>);
    /// anything unreadable becomes InvalidResponse.
    /// </summary>
    internal static async Task<T> ReadBodyAsync<T>(ProviderEndpoint endpoint, HttpResponseMessage response, Uri uri, Redactor redactor, Func<JsonElement, JobDataObject?, T> read, CancellationToken token)
    {
        using var body = new MemoryStream();
        using (var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
        {
            await stream.CopyToAsync(body, 81920, token).ConfigureAwait(false);
        }

        try
        {
            var json = new ReadOnlyMemory<byte>(body.GetBuffer(), 0, (int)body.Length);
            if (IsBlank(json.Span))
            {
                throw new NotJsonException("the body is empty");
            }

            using var document = ServerJson.ParseJob(json, redactor, out var tooDeep);
            return read(document.RootElement, tooDeep);
        }
        catch (Exception ex) when (Json.IsBodyFailure(ex))
        {
            throw InvalidBody(endpoint, response, uri, ex);
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> body)
    {
        foreach (var b in body)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A 2xx body that is not the documented JSON: not JSON at all, or JSON of the wrong shape, said in the module's words.</summary>
    internal static ProviderRequestException InvalidBody(ProviderEndpoint endpoint, HttpResponseMessage response, Uri uri, Exception problem)
    {
        var name = endpoint.Provider.Info.Name;
        var contentType = response.Content.Headers.ContentType?.MediaType;
        return new(name, ProviderErrorKind.InvalidResponse, Strings.InvalidBody(name, (int)response.StatusCode, contentType, uri, Strings.BodyProblem(problem)))
        {
            StatusCode = (int)response.StatusCode,
            ContentType = contentType,
            RequestUri = uri,
        };
    }

    /// <summary>A 200 single-job answer that describes another job than the one asked for.</summary>
    internal static ProviderRequestException OtherJob(ProviderEndpoint endpoint, HttpResponseMessage response, Uri uri, string asked, string answered)
    {
        var name = endpoint.Provider.Info.Name;
        return new(name, ProviderErrorKind.InvalidResponse, Strings.OtherJobAnswered(name, uri, asked, answered))
        {
            StatusCode = (int)response.StatusCode,
            ContentType = response.Content.Headers.ContentType?.MediaType,
            RequestUri = uri,
        };
    }

    internal static async Task<ProviderRequestException> ReadFailureAsync(ProviderEndpoint endpoint, HttpMethod method, HttpResponseMessage response, Uri uri, CancellationToken token)
    {
        var name = endpoint.Provider.Info.Name;
        var status = (int)response.StatusCode;
        var text = await ReadLimitedAsync(response.Content, ErrorBodyLimit, token).ConfigureAwait(false);
        ProviderErrorBody body;
        try
        {
            using var document = JsonDocument.Parse(text);
            body = endpoint.Provider.ReadError(document.RootElement);
        }
        catch (JsonException)
        {
            // Not JSON (an HTML error page, a proxy's text): show short plain text, never a page of HTML.
            var trimmed = text.Trim();
            body = new ProviderErrorBody(trimmed.Length == 0 || trimmed.StartsWith("<", StringComparison.Ordinal) ? null : Truncate(trimmed, 300), null);
        }

        var kind = status is >= 300 and < 400 ? ProviderErrorKind.UnsafeRedirect : ProviderRequestException.KindOf(response.StatusCode);
        var message = kind == ProviderErrorKind.UnsafeRedirect
            ? Strings.Redirected(name, method, status, uri)
            : Strings.HttpFailure(name, method, status, ReasonOf(response), uri, body.Message, body.Code);
        return new ProviderRequestException(name, kind, message)
        {
            StatusCode = status,
            ProviderMessage = body.Message,
            ProviderErrorCode = body.Code,
            RequestId = body.RequestId ?? Header(response, "x-request-id") ?? Header(response, "request-id"),
            RetryAfter = RetryAfter(response),
            RequestUri = uri,
            ContentType = response.Content.Headers.ContentType?.MediaType,
        };
    }

    /// <summary>At most <paramref name="limit"/> bytes of a body, read whole across small reads: enough for any error message.</summary>
    internal static async Task<string> ReadLimitedAsync(HttpContent content, int limit, CancellationToken token)
    {
        using var stream = await content.ReadAsStreamAsync().ConfigureAwait(false);
        var buffer = new byte[limit];
        var total = 0;
        while (total < limit)
        {
            var read = await stream.ReadAsync(buffer, total, limit - total, token).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return Encoding.UTF8.GetString(buffer, 0, total);
    }

    internal static bool IsRetryable(int status) => status is 408 or 429 || status >= 500;

    /// <summary>What the provider asked for (Retry-After as seconds or a date, else X-RateLimit-Reset), if anything.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var now = DateTimeOffset.UtcNow;
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta;
            }

            if (retryAfter.Date is { } date)
            {
                return date > now ? date - now : TimeSpan.Zero;
            }
        }

        return RateBudget.ResetTime(Header(response, "X-RateLimit-Reset"), now) is { } reset
            ? (reset > now ? reset - now : TimeSpan.Zero)
            : null;
    }

    internal static TimeSpan RetryDelay(TimeSpan? asked, int attempt, RequestPolicy policy, TimeSpan? rateLimitBackoff = null)
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
            delay = TimeSpan.FromMilliseconds(policy.RetryInterval.TotalMilliseconds * Math.Pow(2, attempt) * jitter);
        }

        return delay > policy.MaximumRetryDelay ? policy.MaximumRetryDelay : delay;
    }

    internal static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    internal static string ReasonOf(HttpResponseMessage response) =>
        string.IsNullOrEmpty(response.ReasonPhrase) ? ((HttpStatusCode)(int)response.StatusCode).ToString() : response.ReasonPhrase!;

    private static string Truncate(string text, int length) => text.Length <= length ? text : text.Substring(0, length) + "...";

    internal static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }

    internal static HttpClient CreateClient()
    {
        // Redirects are refused, not followed: a custom auth header would follow them to any host.
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
        };
        var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var version = typeof(ProviderClient).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
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
