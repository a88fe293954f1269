using System.Text.Json;
using ProviderSimulator.Simulation;

namespace ProviderSimulator.Providers;

/// <summary>
/// What the five simulated providers share: identity, dataset, options, key checking, latency and
/// failure injection. Each subclass owns its routes, query validation and item JSON shape.
/// </summary>
internal abstract class Provider
{
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

    protected Provider(string id, string[] documentedStatuses, string[] undocumentedStatuses)
    {
        Id = id;
        _documented = documentedStatuses;
        _undocumented = undocumentedStatuses;
        _dataset = Generate(JobDataset.DefaultCount, JobDataset.DefaultSeed);
        _options = DefaultOptions();
    }

    /// <summary>Lower-case id, also the URL prefix: http://127.0.0.1:port/{id}.</summary>
    public string Id { get; }

    public string Prefix => "/" + Id;

    public string DefaultKey => $"sim-{Id}-key";

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

    /// <summary>The keys of the jobs in the order the list route returns them when unfiltered.</summary>
    public virtual IEnumerable<int> NaturalOrder(JobDataset dataset) => dataset.KeysInOrder();

    public void Regenerate(int count, long seed)
    {
        lock (_datasetLock)
        {
            Volatile.Write(ref _dataset, Generate(count, seed));
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
        }
    }

    /// <summary>Applies a JSON object of option values; returns an error message or null.</summary>
    public string? MergeOptions(JsonElement body)
    {
        lock (_optionsLock)
        {
            FaultCounters counters = Counters;
            ProviderOptions merged = Options.Merge(body, ref counters, out string? error);
            if (error is null)
            {
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

    private JobDataset Generate(int count, long seed) =>
        new(Id, _documented, _undocumented, count, seed, JobDataset.AnchorFor(DateTimeOffset.UtcNow));

    private ProviderOptions DefaultOptions() => new() { Key = DefaultKey };

    /// <summary>
    /// Runs what precedes every list response: redirectTo, provider headers, configured latency, the
    /// key check (401 before any validation, as real APIs do) and injected failures. Null = response
    /// written; otherwise the options this request runs with.
    /// </summary>
    protected async Task<ProviderOptions?> BeginListAsync(HttpContext ctx)
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
        AddResponseHeaders(ctx);
        if (options.LatencyMs > 0)
        {
            await Task.Delay(options.LatencyMs, ctx.RequestAborted).ConfigureAwait(false);
        }
        if (!IsAuthorized(ctx.Request, options.Key))
        {
            await WriteErrorAsync(ctx, StatusCodes.Status401Unauthorized, UnauthorizedMessage).ConfigureAwait(false);
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
                await WriteErrorAsync(ctx, periodic, InjectedMessage(periodic)).ConfigureAwait(false);
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
                byte[] page = Faults.MaintenancePage(status);
                ctx.Response.StatusCode = status;
                ctx.Response.ContentType = Faults.HtmlContentType;
                ctx.Response.ContentLength = page.Length;
                await ctx.Response.BodyWriter.WriteAsync(page, ctx.RequestAborted).ConfigureAwait(false);
                return null;
            }
            await WriteErrorAsync(ctx, status, InjectedMessage(status)).ConfigureAwait(false);
            return null;
        }
        return options;
    }

    /// <summary>
    /// Starts a 200 list page. Decides here whether this response is one of the corruptBody ones
    /// (counted like failStatus: failAfter pages pass first) and whether it is sent slowly.
    /// </summary>
    protected PageWriter StartPage(HttpContext ctx, ProviderOptions options)
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
        return new PageWriter(ctx, corruption, options.SlowBodyMs, BodyIsArray, () => PageServed(ctx, options));
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
