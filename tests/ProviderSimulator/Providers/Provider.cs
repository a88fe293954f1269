using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using ProviderSimulator.Simulation;

namespace ProviderSimulator.Providers;

/// <summary>
/// What the five simulated providers share: identity, dataset, options, key checking, latency and
/// failure injection (with the poison and echoKey options), and the get-one-job, cancel, delete and
/// live-job machinery. Each subclass owns its
/// routes, query validation, item JSON shape, id format and status vocabulary.
/// </summary>
internal abstract class Provider
{
    /// <summary>Response header that repeats the credential the request sent while echoKey is on.</summary>
    private const string EchoHeader = "X-Echo-Authorization";

    private readonly string[] _documented;
    private readonly string[] _undocumented;
    private readonly Lock _optionsLock = new();
    private readonly Lock _datasetLock = new();
    private JobDataset _dataset;
    private ProviderOptions _options;
    private int _failCount;
    private int _passedBeforeFailing;
    private int _periodicCount;
    private int _corruptCount;
    private int _passedBeforeCorrupting;
    private readonly RateBudgetCounter _budget = new();

    protected Provider(string id, string[] documentedStatuses, string[] undocumentedStatuses)
    {
        Id = id;
        _documented = documentedStatuses;
        _undocumented = undocumentedStatuses;
        _dataset = Generate(JobDataset.DefaultCount, JobDataset.DefaultSeed, finished: false);
        _options = DefaultOptions();
    }

    /// <summary>Lower-case id, also the URL prefix: http://127.0.0.1:port/{id}.</summary>
    public string Id { get; }

    public string Prefix => "/" + Id;

    public string DefaultKey => $"sim-{Id}-key";

    /// <summary>Where the provider's output files are served (set by the simulator).</summary>
    public FileHost Files { get; set; } = new();

    /// <summary>The name of a list item's id field.</summary>
    public virtual string IdField => "id";

    /// <summary>Largest page the list route serves; null when the route does not page.</summary>
    public abstract int? MaxPageSize { get; }

    public JobDataset Dataset => Volatile.Read(ref _dataset);

    public ProviderOptions Options => Volatile.Read(ref _options);

    public FaultCounters Counters => new()
    {
        FailCount = Volatile.Read(ref _failCount),
        CorruptCount = Volatile.Read(ref _corruptCount),
    };

    /// <summary>True when the list body is a bare JSON array (what corruptBody "wrongShape" swaps for an object).</summary>
    protected virtual bool BodyIsArray => false;

    protected string DocumentedStatusList => string.Join(", ", _documented);

    public abstract void MapRoutes(IEndpointRouteBuilder routes);

    /// <summary>Writes the job whose key is <paramref name="index"/> (see <see cref="JobDataset"/>) in this provider's own item shape.</summary>
    public abstract void WriteItem(Utf8JsonWriter writer, JobDataset dataset, int index);

    /// <summary>Writes the job as the get-one-job route returns it (by default: the list item shape).</summary>
    protected virtual void WriteDetail(Utf8JsonWriter writer, JobDataset dataset, int index) => WriteItem(writer, dataset, index);

    /// <summary>The id a generated or inserted job has (computed from its key).</summary>
    protected abstract string GeneratedId(JobDataset dataset, int key);

    /// <summary>The provider's raw statuses a live job goes through (see <see cref="AddLiveJobs"/>).</summary>
    protected abstract LiveStatusNames LiveStatuses { get; }

    /// <summary>Raw statuses a cancel accepts; null when the provider documents no cancel route.</summary>
    protected virtual string[]? CancellableStatuses => null;

    /// <summary>The raw status a cancelled job gets; null when a cancel removes the job from the dataset instead.</summary>
    protected virtual string? CancelledStatus => null;

    /// <summary>Message of the get-one-job, cancel and delete routes' 404 (in the provider's error shape).</summary>
    protected virtual string NotFoundMessage => "Job not found";

    /// <summary>The id of the job with this key, as its items carry it: a live job's own id, else the generated one.</summary>
    public string JobId(JobDataset dataset, int key) => dataset.Live(key)?.Id ?? GeneratedId(dataset, key);

    /// <summary>Writes a UUID-form id (a live job's own id instead) without allocating for generated ones.</summary>
    protected static void WriteUuidId(Utf8JsonWriter writer, string name, JobDataset dataset, int key)
    {
        if (dataset.Live(key) is LiveJob live)
        {
            writer.WriteString(name, live.Id);
            return;
        }
        Span<char> id = stackalloc char[36];
        SimHash.FormatUuid(id, dataset.Ids.Forward((uint)key), dataset.Rand(key, 1), dataset.Rand(key, 2));
        writer.WriteString(name, id);
    }

    /// <summary>The key of the listed job with exactly this id (ordinal comparison).</summary>
    public bool TryFindKey(JobDataset dataset, string id, out int key)
    {
        if (dataset.TryFindLive(id, out key))
        {
            return dataset.IsListed(key);
        }
        return TryDecodeId(dataset, id, out key) && dataset.IsListed(key) && dataset.Live(key) is null &&
            string.Equals(GeneratedId(dataset, key), id, StringComparison.Ordinal);
    }

    /// <summary>
    /// The key a generated id claims to be (callers check it against the whole id). This default suits
    /// the UUID ids, whose first 8 hex digits are the scrambled key.
    /// </summary>
    protected virtual bool TryDecodeId(JobDataset dataset, string id, out int key)
    {
        key = -1;
        if (id.Length != 36 || !uint.TryParse(id.AsSpan(0, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint scrambled))
        {
            return false;
        }
        uint candidate = dataset.Ids.Backward(scrambled);
        if (candidate > int.MaxValue)
        {
            return false;
        }
        key = (int)candidate;
        return true;
    }

    /// <summary>The keys of the jobs in the order the list route returns them when unfiltered.</summary>
    public virtual IEnumerable<int> NaturalOrder(JobDataset dataset) => dataset.KeysInOrder();

    /// <summary>The key of the job at this position of <see cref="NaturalOrder"/> (position below Count).</summary>
    protected virtual int NaturalKeyAt(JobDataset dataset, int position) => dataset.Key(position);

    /// <summary>
    /// Generates a new dataset (with <paramref name="finished"/>, every job in a final status: an idle
    /// account); a poison option then names the job at its index in the new one (or none).
    /// </summary>
    public void Regenerate(int count, long seed, bool finished = false)
    {
        JobDataset d;
        lock (_datasetLock)
        {
            d = Generate(count, seed, finished);
            Volatile.Write(ref _dataset, d);
        }
        lock (_optionsLock)
        {
            if (Options.Poisons is { } poisons)
            {
                Volatile.Write(ref _options, Options with
                {
                    Poisons = poisons.Select(poison => poison with { Key = poison.Index < d.Count ? NaturalKeyAt(d, poison.Index) : -1 }).ToList(),
                });
            }
        }
    }

    public void Reset()
    {
        Regenerate(JobDataset.DefaultCount, JobDataset.DefaultSeed);
        lock (_optionsLock)
        {
            Volatile.Write(ref _options, DefaultOptions());
            Volatile.Write(ref _failCount, 0);
            Volatile.Write(ref _passedBeforeFailing, 0);
            Volatile.Write(ref _periodicCount, 0);
            Volatile.Write(ref _corruptCount, 0);
            Volatile.Write(ref _passedBeforeCorrupting, 0);
            _budget.Restart();
        }
    }

    /// <summary>Applies a JSON object of option values; returns an error message or null.</summary>
    public string? MergeOptions(JsonElement body)
    {
        lock (_optionsLock)
        {
            FaultCounters counters = Counters;
            ProviderOptions merged = Options.Merge(body, ref counters, out string? error);
            if (error is null && merged.Poisons is { } poisons && !ReferenceEquals(poisons, Options.Poisons))
            {
                // A new poison names the job listed at that position now; it stays that job from here on.
                JobDataset d = Dataset;
                if (poisons.FirstOrDefault(poison => poison.Index >= d.Count) is not null)
                {
                    return $"poison.index must be less than the number of listed jobs ({d.Count})";
                }
                merged = merged with { Poisons = poisons.Select(poison => poison with { Key = NaturalKeyAt(d, poison.Index) }).ToList() };
            }
            if (error is null && merged.PageField is not null && BodyIsArray)
            {
                return $"pageField: {Id}'s list pages are bare arrays, with no field of their own";
            }
            if (error is null)
            {
                if (!ReferenceEquals(merged.RateBudget, Options.RateBudget))
                {
                    _budget.Restart();   // a budget set (even to the same values) starts a fresh count
                }
                Volatile.Write(ref _options, merged);
                Volatile.Write(ref _failCount, counters.FailCount);
                Volatile.Write(ref _passedBeforeFailing, 0);
            Volatile.Write(ref _periodicCount, 0);
                Volatile.Write(ref _corruptCount, counters.CorruptCount);
                Volatile.Write(ref _passedBeforeCorrupting, 0);
            }
            return error;
        }
    }

    private JobDataset Generate(int count, long seed, bool finished) =>
        new(Id, _documented, _undocumented, count, seed, JobDataset.AnchorFor(DateTimeOffset.UtcNow), finished ? FinishedCodes() : null);

    /// <summary>The codes of the provider's final statuses (succeeded, failed, canceled where it has one).</summary>
    private int[] FinishedCodes()
    {
        LiveStatusNames names = LiveStatuses;
        return new[] { names.Succeeded, names.Failed, names.Canceled }
            .Where(name => name is not null)
            .Select(name => Array.IndexOf(_documented, name))
            .Where(code => code >= 0)
            .ToArray();
    }

    private ProviderOptions DefaultOptions() => new() { Key = DefaultKey };

    /// <summary>
    /// Runs what precedes every provider response (list, get one job, cancel, delete): redirectTo,
    /// provider headers (and echoKey's), configured latency, the key check (401 before any validation,
    /// as real APIs do), the rate budget and injected failures. Null = response written; otherwise the options this request runs with, and
    /// the live-job clock is frozen for the rest of the request.
    /// </summary>
    protected async Task<ProviderOptions?> BeginRequestAsync(HttpContext ctx)
    {
        ProviderOptions options = Options;
        if (options.RedirectTo is string target)
        {
            if (options.LatencyMs > 0)
            {
                await Task.Delay(options.LatencyMs, ctx.RequestAborted).ConfigureAwait(false);
            }
            HttpRequest r = ctx.Request;
            Faults.Add(ctx, "redirectTo");
            ctx.Response.StatusCode = StatusCodes.Status302Found;
            ctx.Response.Headers.Location = target + r.PathBase.Add(r.Path).ToUriComponent() + r.QueryString.Value;
            return null;
        }
        if (options.RateBudget is null)
        {
            AddResponseHeaders(ctx);    // pyannoteAI's own per-minute headers; a budget replaces them
        }
        (string Header, string Value)? echoed = options.EchoKey ? SentCredential(ctx.Request) : null;
        if (echoed is (_, string sent))
        {
            Faults.Add(ctx, "echoKey");
            ctx.Response.Headers[EchoHeader] = sent;
        }
        if (options.LatencyMs > 0)
        {
            await Task.Delay(options.LatencyMs, ctx.RequestAborted).ConfigureAwait(false);
        }
        if (!IsAuthorized(ctx.Request, options.Key))
        {
            string message = echoed is (_, string wrongKey) ? EchoedUnauthorizedMessage(wrongKey) : UnauthorizedMessage;
            await WriteErrorAsync(ctx, StatusCodes.Status401Unauthorized, message).ConfigureAwait(false);
            return null;
        }
        if (options.RateBudget is RateBudget budget && !await TakeFromBudgetAsync(ctx, options, budget).ConfigureAwait(false))
        {
            return null;
        }
        if (options.Every429 > 0 || options.Every503 > 0 || options.EveryReset > 0)
        {
            // Soak faults by request number; a reset wins over a 503, a 503 over a 429.
            int number = Interlocked.Increment(ref _periodicCount);
            if (options.EveryReset > 0 && number % options.EveryReset == 0)
            {
                Faults.Add(ctx, "everyReset");
                ctx.Abort();
                return null;
            }

            int periodic = options.Every503 > 0 && number % options.Every503 == 0 ? StatusCodes.Status503ServiceUnavailable
                : options.Every429 > 0 && number % options.Every429 == 0 ? StatusCodes.Status429TooManyRequests
                : 0;
            if (periodic != 0)
            {
                Faults.Add(ctx, periodic == StatusCodes.Status503ServiceUnavailable ? "every503" : "every429");
                if (options.RetryAfter.Length > 0)
                {
                    ctx.Response.Headers.RetryAfter = options.RetryAfter;
                }
                await WriteErrorAsync(ctx, periodic, WithEchoedKey(ctx, options, InjectedMessage(periodic))).ConfigureAwait(false);
                return null;
            }
        }
        if (options.FailStatus != 0 && Interlocked.Increment(ref _passedBeforeFailing) > options.FailAfter && TryConsume(ref _failCount))
        {
            int status = options.FailStatus;
            if ((status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable) && options.RetryAfter.Length > 0)
            {
                ctx.Response.Headers.RetryAfter = options.RetryAfter;
            }
            if (status == StatusCodes.Status429TooManyRequests && options.RateLimitReset is string reset)
            {
                ctx.Response.Headers["X-RateLimit-Reset"] = reset;
            }
            Faults.Add(ctx, "failStatus");
            if (options.FailBodyHtml)
            {
                Faults.Add(ctx, "failBody");
                byte[] page = Faults.MaintenancePage(status, echoed is (string header, string value) ? $"{header}: {value}" : null);
                ctx.Response.StatusCode = status;
                ctx.Response.ContentType = Faults.HtmlContentType;
                ctx.Response.ContentLength = page.Length;
                await ctx.Response.BodyWriter.WriteAsync(page, ctx.RequestAborted).ConfigureAwait(false);
                return null;
            }
            await WriteErrorAsync(ctx, status, WithEchoedKey(ctx, options, InjectedMessage(status))).ConfigureAwait(false);
            return null;
        }
        LiveClock.Freeze();
        return options;
    }

    /// <summary>
    /// The rateBudget option, once the key is checked: every authorised request gets X-RateLimit-Limit,
    /// -Remaining (what the window has left after it) and -Reset (the window's end, epoch seconds with
    /// three decimals). Beyond the budget: 429 in the provider's error shape with Retry-After (whole
    /// seconds to the window's end, rounded up), fault "rateBudget"; it takes no place in the window.
    /// False = the 429 is written.
    /// </summary>
    private async Task<bool> TakeFromBudgetAsync(HttpContext ctx, ProviderOptions options, RateBudget budget)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        (bool allowed, int remaining, long resetMs) = _budget.Take(budget, now);
        IHeaderDictionary headers = ctx.Response.Headers;
        headers["X-RateLimit-Limit"] = budget.Limit.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset"] = RateBudget.EpochSeconds(resetMs);
        if (allowed)
        {
            return true;
        }
        long seconds = (resetMs - now + 999) / 1000;
        headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        Faults.Add(ctx, "rateBudget");
        await WriteErrorAsync(ctx, StatusCodes.Status429TooManyRequests, WithEchoedKey(ctx, options, InjectedMessage(StatusCodes.Status429TooManyRequests))).ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// Starts a 200 response body. Decides here whether this response is one of the corruptBody ones
    /// (counted like failStatus: failAfter responses pass first) and whether it is sent slowly. Only
    /// list pages (<paramref name="listPage"/>) move the dataset afterwards (insert/deleteBetweenPages).
    /// </summary>
    protected PageWriter StartPage(HttpContext ctx, ProviderOptions options, bool listPage = true)
    {
        BodyCorruption corruption = BodyCorruption.None;
        if (options.CorruptBody != BodyCorruption.None &&
            Interlocked.Increment(ref _passedBeforeCorrupting) > options.FailAfter && TryConsume(ref _corruptCount))
        {
            corruption = options.CorruptBody;
            Faults.Add(ctx, "corruptBody");
        }
        if (options.SlowBodyMs > 0)
        {
            Faults.Add(ctx, "slowBodyMs");
        }
        bool bodyIsArray = listPage && BodyIsArray;   // a single job is always an object
        Action served = listPage ? () => PageServed(ctx, options) : static () => { };
        return new PageWriter(ctx, corruption, options.SlowBodyMs, bodyIsArray, served);
    }

    /// <summary>
    /// GET {prefix}/.../{id}: one job of the dataset, or 404 in the provider's error shape. With
    /// answerWithJob, the job of that id instead, whatever was asked for (fault "answerWithJob").
    /// </summary>
    protected async Task DetailAsync(HttpContext ctx)
    {
        ProviderOptions? options = await BeginRequestAsync(ctx).ConfigureAwait(false);
        if (options is null)
        {
            return;
        }
        JobDataset d = Dataset;
        string asked = RawPathSegment(ctx, 0);
        if (await FailedForJobAsync(ctx, options, asked).ConfigureAwait(false))
        {
            return;
        }
        if (options.AnswerWithJob is string other && !string.Equals(other, asked, StringComparison.Ordinal) && TryFindKey(d, other, out int otherKey))
        {
            Faults.Add(ctx, "answerWithJob");
            await WriteJobAsync(ctx, options, d, otherKey).ConfigureAwait(false);
            return;
        }
        if (!TryFindKey(d, asked, out int key))
        {
            await WriteErrorAsync(ctx, StatusCodes.Status404NotFound, NotFoundMessage).ConfigureAwait(false);
            return;
        }
        await WriteJobAsync(ctx, options, d, key).ConfigureAwait(false);
    }

    /// <summary>
    /// The failJob option: a read of the job it names answers its status in the provider's error shape
    /// (429 and 503 with Retry-After as retryAfter says), fault "failJob". True = the answer is written.
    /// </summary>
    protected async Task<bool> FailedForJobAsync(HttpContext ctx, ProviderOptions options, string id)
    {
        if (options.FailJob is not { } fail || !string.Equals(fail.Id, id, StringComparison.Ordinal))
        {
            return false;
        }
        if (fail.Status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable && options.RetryAfter.Length > 0)
        {
            ctx.Response.Headers.RetryAfter = options.RetryAfter;
        }
        Faults.Add(ctx, "failJob");
        await WriteErrorAsync(ctx, fail.Status, fail.Status == StatusCodes.Status404NotFound ? NotFoundMessage : WithEchoedKey(ctx, options, InjectedMessage(fail.Status))).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Cancels the job whose id is the path segment <paramref name="idFromEnd"/> places before the last:
    /// 404 for an unknown id, 409 "Job cannot be cancelled in status &lt;s&gt;" unless its status is one of
    /// <see cref="CancellableStatuses"/>; otherwise it gets <see cref="CancelledStatus"/> (a live job stops
    /// moving) or leaves the dataset, and the response is <see cref="WriteCancelledAsync"/>.
    /// </summary>
    protected async Task CancelAsync(HttpContext ctx, int idFromEnd)
    {
        ProviderOptions? options = await BeginRequestAsync(ctx).ConfigureAwait(false);
        if (options is null)
        {
            return;
        }
        string id = RawPathSegment(ctx, idFromEnd);
        long now = LiveClock.NowMs;
        JobDataset d;
        int key;
        string? refused = null;
        bool found;
        lock (_datasetLock)
        {
            d = Dataset;
            found = TryFindKey(d, id, out key);
            if (found)
            {
                string status = d.Status(key);
                if (Array.IndexOf(CancellableStatuses ?? [], status) < 0)
                {
                    refused = status;
                }
                else
                {
                    d = CancelledStatus is string cancelled ? d.WithStatusOverride(key, d.AnyStatusCode(cancelled), now) : d.Without(key);
                    Volatile.Write(ref _dataset, d);
                }
            }
        }
        if (!found)
        {
            await WriteErrorAsync(ctx, StatusCodes.Status404NotFound, NotFoundMessage).ConfigureAwait(false);
        }
        else if (refused is not null)
        {
            await WriteNotCancellableAsync(ctx, refused).ConfigureAwait(false);
        }
        else
        {
            await WriteCancelledAsync(ctx, options, d, key).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Deletes the job whose id is the last path segment, whatever its status: it leaves the dataset
    /// (list, detail, count, /_sim/.../jobs) and the answer is 200 with an empty body; 404 for an
    /// unknown id. Body faults do not apply to the empty answer (there is nothing to spoil).
    /// </summary>
    protected async Task DeleteAsync(HttpContext ctx)
    {
        ProviderOptions? options = await BeginRequestAsync(ctx).ConfigureAwait(false);
        if (options is null)
        {
            return;
        }
        string id = RawPathSegment(ctx, 0);
        bool found;
        lock (_datasetLock)
        {
            JobDataset d = Dataset;
            found = TryFindKey(d, id, out int key);
            if (found)
            {
                Volatile.Write(ref _dataset, d.Without(key));
            }
        }
        if (!found)
        {
            await WriteErrorAsync(ctx, StatusCodes.Status404NotFound, NotFoundMessage).ConfigureAwait(false);
            return;
        }
        ctx.Response.StatusCode = StatusCodes.Status200OK;
        ctx.Response.ContentLength = 0;
    }

    /// <summary>The 409 answer to a cancel of a job in a status that cannot be cancelled.</summary>
    protected virtual Task WriteNotCancellableAsync(HttpContext ctx, string status) =>
        WriteErrorAsync(ctx, StatusCodes.Status409Conflict, $"Job cannot be cancelled in status {status}");

    /// <summary>The 200 answer to an accepted cancel; by default the job as it is now (cancelled).</summary>
    protected virtual Task WriteCancelledAsync(HttpContext ctx, ProviderOptions options, JobDataset dataset, int key) =>
        WriteJobAsync(ctx, options, dataset, key);

    /// <summary>A 200 single-object body (body faults apply, the dataset does not move).</summary>
    protected async Task WriteBodyAsync(HttpContext ctx, ProviderOptions options, Action<Utf8JsonWriter> build)
    {
        PageWriter page = StartPage(ctx, options, listPage: false);
        await using (page.ConfigureAwait(false))
        {
            build(page.Json);
            await page.CompleteAsync().ConfigureAwait(false);
        }
    }

    private Task WriteJobAsync(HttpContext ctx, ProviderOptions options, JobDataset d, int key) =>
        WriteBodyAsync(ctx, options, w => WriteJob(ctx, options, w, d, key, detail: true));

    /// <summary>Writes a job as list pages carry it (the poisoned job patched, see <see cref="WriteJob"/>).</summary>
    protected void WriteListItem(HttpContext ctx, ProviderOptions options, Utf8JsonWriter writer, JobDataset d, int key) =>
        WriteJob(ctx, options, writer, d, key, detail: false);

    /// <summary>
    /// Writes a job as an item or a detail. A job the poison option names is written into a buffer
    /// first, patched as a JSON object and then written out property by property, each poisoned one
    /// as its raw bytes so that any depth goes (fault "poison"); every other job goes straight to the
    /// writer.
    /// </summary>
    private void WriteJob(HttpContext ctx, ProviderOptions options, Utf8JsonWriter writer, JobDataset d, int key, bool detail)
    {
        List<Poison>? poisons = options.Poisons?.Where(poison => poison.Key == key).ToList();
        if (poisons is not { Count: > 0 })
        {
            WriteAs(writer, d, key, detail);
            return;
        }
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var temp = new Utf8JsonWriter(buffer))
        {
            WriteAs(temp, d, key, detail);
        }
        JsonObject item = JsonNode.Parse(buffer.WrittenSpan)!.AsObject();
        foreach (Poison poison in poisons)
        {
            poison.Apply(item);
        }
        writer.WriteStartObject();
        foreach (KeyValuePair<string, JsonNode?> property in item)
        {
            writer.WritePropertyName(property.Key);
            if (poisons.LastOrDefault(poison => poison.Field == property.Key && !poison.Remove) is { } set)
            {
                writer.WriteRawValue(set.Written!, skipInputValidation: true);
            }
            else if (property.Value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                property.Value.WriteTo(writer);
            }
        }
        writer.WriteEndObject();
        Faults.Add(ctx, "poison");
    }

    /// <summary>The pageField option's field, written into a list page object before it closes (fault "pageField").</summary>
    protected static void WritePageField(HttpContext ctx, ProviderOptions options, Utf8JsonWriter writer)
    {
        if (options.PageField is { } field)
        {
            field.WriteTo(writer);
            Faults.Add(ctx, "pageField");
        }
    }

    private void WriteAs(Utf8JsonWriter writer, JobDataset d, int key, bool detail)
    {
        if (detail)
        {
            WriteDetail(writer, d, key);
        }
        else
        {
            WriteItem(writer, d, key);
        }
    }

    /// <summary>
    /// A path segment, counted from the end (0 = last), percent-decoded exactly once from the raw
    /// request target. Kestrel leaves %2F encoded in Request.Path and routing would hand "a%2Fb" over
    /// half-decoded, so an id such as "a/b c" (sent as a%2Fb%20c) is taken from the raw target.
    /// One trailing slash is ignored, as routing ignores it.
    /// </summary>
    protected static string RawPathSegment(HttpContext ctx, int fromEnd)
    {
        string raw = ctx.Features.Get<IHttpRequestFeature>()?.RawTarget ?? ctx.Request.Path.Value ?? string.Empty;
        int end = raw.IndexOfAny(['?', '#']);
        if (end >= 0)
        {
            raw = raw[..end];
        }
        if (!raw.StartsWith('/'))
        {
            // Absolute form (http://host/path): keep the path.
            int scheme = raw.IndexOf("://", StringComparison.Ordinal);
            int path = scheme < 0 ? -1 : raw.IndexOf('/', scheme + 3);
            raw = path < 0 ? "/" : raw[path..];
        }
        if (raw.Length > 1 && raw.EndsWith('/'))
        {
            raw = raw[..^1];
        }
        string[] segments = raw.Split('/');
        return fromEnd < segments.Length ? Uri.UnescapeDataString(segments[^(1 + fromEnd)]) : string.Empty;
    }

    /// <summary>
    /// POST /_sim/{provider}/live: adds live jobs at the head of the dataset, <c>jobs[0]</c> newest.
    /// Each is <c>{"id"?, "runMs"?, "final"?, "middle"?}</c>: id as given (default: a generated id of
    /// the provider's form), runMs 0-86,400,000 (default 1000), final "succeeded" (default), "failed" or
    /// "canceled"/"cancelled", middle a raw status shown instead of the running one. Returns null, or
    /// an error message and its status (400 invalid, 409 id already in the dataset).
    /// </summary>
    public string? AddLiveJobs(JsonElement body, out int errorStatus, out List<int> keys, out JobDataset dataset)
    {
        errorStatus = StatusCodes.Status400BadRequest;
        keys = [];
        dataset = Dataset;
        if (!LiveSpec.TryParseAll(body, LiveStatuses, out List<LiveSpec> specs, out string? error))
        {
            return error;
        }
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        lock (_datasetLock)
        {
            JobDataset d = Dataset;
            if (specs.Count > JobDataset.MaxInserted - d.InsertedTotal)
            {
                return $"too many jobs: at most {JobDataset.MaxInserted - d.InsertedTotal} more can be added to this dataset";
            }
            var jobs = new List<LiveJob>(specs.Count);
            var ids = new HashSet<string>(StringComparer.Ordinal);
            LiveStatusNames names = LiveStatuses;
            for (int a = 0; a < specs.Count; a++)
            {
                LiveSpec spec = specs[a];
                int key = d.NextKey + specs.Count - 1 - a;
                string id = spec.Id ?? GeneratedId(d, key);
                if (!ids.Add(id))
                {
                    return $"jobs[{a}]: id '{id}' is given twice";
                }
                if (TryFindKey(d, id, out _) || d.TryFindLive(id, out _))
                {
                    errorStatus = StatusCodes.Status409Conflict;
                    return $"jobs[{a}]: a job with id '{id}' already exists in this dataset";
                }
                jobs.Add(new LiveJob(id, now, spec.RunMs,
                    d.AnyStatusCode(names.Queued), d.AnyStatusCode(names.Running),
                    spec.Middle, spec.Middle is null ? -1 : d.AnyStatusCode(spec.Middle),
                    d.AnyStatusCode(spec.Final)));
                keys.Add(key);
            }
            dataset = d.WithLiveJobs(jobs, now);
            Volatile.Write(ref _dataset, dataset);
        }
        return null;
    }

    /// <summary>
    /// POST /_sim/{provider}/live/advance: <c>{"id", "to"}</c> with "running" or "final" moves the live
    /// job's clock on so that it is in that phase from now; a job already past it, or cancelled, is a 409.
    /// Returns null with the job's raw status now, or an error message and its status (400, 404, 409).
    /// </summary>
    public string? AdvanceLiveJob(JsonElement body, out int errorStatus, out string? raw)
    {
        errorStatus = StatusCodes.Status400BadRequest;
        raw = null;
        string? id = null, to = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            return "body must be a JSON object: {\"id\":\"...\",\"to\":\"running\"}";
        }
        foreach (JsonProperty property in body.EnumerateObject())
        {
            switch (property.Name.ToLowerInvariant())
            {
                case "id" when property.Value.ValueKind == JsonValueKind.String:
                    id = property.Value.GetString();
                    break;
                case "to" when property.Value.ValueKind == JsonValueKind.String:
                    to = property.Value.GetString()!.ToLowerInvariant();
                    break;
                default:
                    return $"unknown or invalid property '{property.Name}'";
            }
        }
        if (string.IsNullOrEmpty(id) || to is not ("running" or "final"))
        {
            return "id (a live job's id) and to (\"running\" or \"final\") are required";
        }
        lock (_datasetLock)
        {
            JobDataset d = Dataset;
            if (!d.TryFindLive(id, out int key) || !d.IsListed(key))
            {
                errorStatus = StatusCodes.Status404NotFound;
                return $"no live job with id '{id}'";
            }
            LiveJob job = d.Live(key)!;
            long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            LivePhase target = to == "running" ? LivePhase.Running : LivePhase.Final;
            if (d.IsOverridden(key) || job.PhaseAt(now) > target)
            {
                errorStatus = StatusCodes.Status409Conflict;
                return $"live job '{id}' is already past {to}";
            }
            // Its run starts earlier by what it takes to be in that phase now; the creation time stays.
            long startMs = target == LivePhase.Running ? now - (job.RunMs / 3) : now - job.RunMs;
            d = d.WithLiveJob(key, job with { StartMs = Math.Min(job.StartMs, startMs) });
            Volatile.Write(ref _dataset, d);
            raw = d.Status(key);
        }
        return null;
    }

    /// <summary>The raw status of a live job in each phase (for the live endpoint's answer).</summary>
    public (string Queued, string Running, string Final) LivePhases(JobDataset dataset, int key)
    {
        LiveJob job = dataset.Live(key)!;
        return (dataset.StatusName(job.QueuedCode), job.Middle ?? dataset.StatusName(job.RunningCode), dataset.StatusName(job.FinalCode));
    }

    /// <summary>After a 200 list page: deleteBetweenPages newest jobs go, then insertBetweenPages new ones arrive.</summary>
    private void PageServed(HttpContext ctx, ProviderOptions options)
    {
        if (options.InsertBetweenPages == 0 && options.DeleteBetweenPages == 0)
        {
            return;
        }
        int deleted, inserted;
        lock (_datasetLock)
        {
            JobDataset next = Dataset.Mutate(options.DeleteBetweenPages, options.InsertBetweenPages, out deleted, out inserted);
            Volatile.Write(ref _dataset, next);
        }
        if (deleted > 0)
        {
            Faults.Add(ctx, "deleteBetweenPages");
        }
        if (inserted > 0)
        {
            Faults.Add(ctx, "insertBetweenPages");
        }
    }

    private static bool TryConsume(ref int counter)
    {
        while (true)
        {
            int current = Volatile.Read(ref counter);
            if (current <= 0)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref counter, current - 1, current) == current)
            {
                return true;
            }
        }
    }

    protected virtual string UnauthorizedMessage => "Invalid or missing API key";

    /// <summary>The 401 message when echoKey is on: it quotes the credential (header value) the request sent.</summary>
    protected virtual string EchoedUnauthorizedMessage(string credential) => $"Invalid API key: {credential}";

    /// <summary>The request headers that can carry this provider's key, in the order they are echoed.</summary>
    protected virtual string[] CredentialHeaders { get; } = ["Authorization"];

    /// <summary>
    /// The message with the credential the request sent appended, "message (Authorization: Bearer abc)",
    /// when echoKey is on (a misconfigured server's debug output); else the message unchanged.
    /// </summary>
    protected string WithEchoedKey(HttpContext ctx, ProviderOptions options, string message) =>
        options.EchoKey && SentCredential(ctx.Request) is (string header, string value) ? $"{message} ({header}: {value})" : message;

    /// <summary>The first of <see cref="CredentialHeaders"/> the request sent (non-empty), with its value as sent.</summary>
    private (string Header, string Value)? SentCredential(HttpRequest request)
    {
        foreach (string header in CredentialHeaders)
        {
            if (request.Headers[header].FirstOrDefault() is { Length: > 0 } value)
            {
                return (header, value);
            }
        }
        return null;
    }

    protected virtual string InjectedMessage(int status) => status switch
    {
        StatusCodes.Status402PaymentRequired => "Subscription is required",
        StatusCodes.Status429TooManyRequests => "Too many requests",
        StatusCodes.Status503ServiceUnavailable => "Service temporarily unavailable",
        _ => "Simulated failure",
    };

    /// <summary>Headers every response of the list route carries (pyannoteAI's rate-limit headers).</summary>
    protected virtual void AddResponseHeaders(HttpContext ctx)
    {
    }

    protected abstract bool IsAuthorized(HttpRequest request, string key);

    /// <summary>Writes a non-validation error (401, injected failures) in the provider's error shape.</summary>
    protected abstract Task WriteErrorAsync(HttpContext ctx, int status, string message);

    /// <summary>The token of an `Authorization: Bearer &lt;token&gt;` header (scheme case-insensitive), or null.</summary>
    protected static string? BearerToken(HttpRequest request)
    {
        string? header = request.Headers.Authorization.FirstOrDefault();
        const string scheme = "Bearer ";
        if (header is null || !header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return header[scheme.Length..].Trim();
    }

    protected static bool HeaderEquals(HttpRequest request, string header, string key) =>
        string.Equals(request.Headers[header].FirstOrDefault(), key, StringComparison.Ordinal);
}
