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
    private JobDataset _dataset;
    private ProviderOptions _options;
    private int _failCount;
    private int _passedBeforeFailing;

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

    public int FailCount => Volatile.Read(ref _failCount);

    protected string DocumentedStatusList => string.Join(", ", _documented);

    public abstract void MapRoutes(IEndpointRouteBuilder routes);

    /// <summary>Writes job <paramref name="index"/> in this provider's own item shape.</summary>
    public abstract void WriteItem(Utf8JsonWriter writer, JobDataset dataset, int index);

    /// <summary>The order the list route returns jobs in when unfiltered.</summary>
    public virtual IEnumerable<int> NaturalOrder(JobDataset dataset) => Enumerable.Range(0, dataset.Count);

    public void Regenerate(int count, long seed) => Volatile.Write(ref _dataset, Generate(count, seed));

    public void Reset()
    {
        Regenerate(JobDataset.DefaultCount, JobDataset.DefaultSeed);
        Volatile.Write(ref _options, DefaultOptions());
        Volatile.Write(ref _failCount, 0);
        Volatile.Write(ref _passedBeforeFailing, 0);
    }

    /// <summary>Applies a JSON object of option values; returns an error message or null.</summary>
    public string? MergeOptions(JsonElement body)
    {
        lock (_optionsLock)
        {
            int failCount = _failCount;
            ProviderOptions merged = Options.Merge(body, ref failCount, out string? error);
            if (error is null)
            {
                Volatile.Write(ref _options, merged);
                Volatile.Write(ref _failCount, failCount);
                Volatile.Write(ref _passedBeforeFailing, 0);
            }
            return error;
        }
    }

    private JobDataset Generate(int count, long seed) =>
        new(Id, _documented, _undocumented, count, seed, JobDataset.AnchorFor(DateTimeOffset.UtcNow));

    private ProviderOptions DefaultOptions() => new() { Key = DefaultKey };

    /// <summary>
    /// Runs what precedes every list response: provider headers, configured latency, the key check
    /// (401 before any validation, as real APIs do) and injected failures. False = response written.
    /// </summary>
    protected async Task<bool> BeginListAsync(HttpContext ctx)
    {
        ProviderOptions options = Options;
        AddResponseHeaders(ctx);
        if (options.LatencyMs > 0)
        {
            await Task.Delay(options.LatencyMs, ctx.RequestAborted).ConfigureAwait(false);
        }
        if (!IsAuthorized(ctx.Request, options.Key))
        {
            await WriteErrorAsync(ctx, StatusCodes.Status401Unauthorized, UnauthorizedMessage).ConfigureAwait(false);
            return false;
        }
        if (options.FailStatus != 0 && Interlocked.Increment(ref _passedBeforeFailing) > options.FailAfter && TryConsumeFailure())
        {
            if (options.FailStatus is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
            {
                ctx.Response.Headers.RetryAfter = options.RetryAfter;
            }
            await WriteErrorAsync(ctx, options.FailStatus, InjectedMessage(options.FailStatus)).ConfigureAwait(false);
            return false;
        }
        return true;
    }

    private bool TryConsumeFailure()
    {
        while (true)
        {
            int current = Volatile.Read(ref _failCount);
            if (current <= 0)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _failCount, current - 1, current) == current)
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
