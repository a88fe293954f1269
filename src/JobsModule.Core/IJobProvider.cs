using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;

namespace JobsModule;

/// <summary>One way to list a provider's jobs: the URL of each page, and how to read a page.</summary>
public interface IJobListRoute
{
    /// <summary>The URL of a list page: <paramref name="cursor"/> is null for the first page, else a value from <see cref="JobPage.NextCursor"/>.</summary>
    Uri PageUri(Uri baseUri, ServerQuery query, int pageSize, string? cursor);

    /// <summary>
    /// Reads one list page. Throws <see cref="ProviderResponseShapeException"/> when the page is not the
    /// documented shape; a single job that cannot be read is recorded in <see cref="PageContext.Problems"/> instead.
    /// </summary>
    JobPage ReadPage(JsonElement body, PageContext context);
}

/// <summary>
/// What one provider adapter knows: its facts, its auth header, its URLs and its JSON. It is its own
/// preferred list route. The engine (<see cref="JobLister"/>) does everything else, so a new provider
/// is one new class.
/// </summary>
public interface IJobProvider : IJobListRoute
{
    ProviderInfo Info { get; }

    /// <summary>Adds the provider's auth header (and any other header every request needs).</summary>
    void Authorize(HttpRequestMessage request, ProviderEndpoint endpoint);

    /// <summary>
    /// An older list route, used when the provider's own answers 404 to a first page (an older
    /// deployment, or a gateway that exposes only the old route); null when there is none.
    /// </summary>
    IJobListRoute? FallbackListRoute { get; }

    /// <summary>The provider's own message (and request id, where it gives one) from an error body.</summary>
    ProviderErrorBody ReadError(JsonElement body);

    /// <summary>The URL of one job; the id is one escaped path segment.</summary>
    Uri JobUri(Uri baseUri, string id);

    /// <summary>Reads the body of the single-job endpoint, which may differ from a list item.</summary>
    ProviderJob ReadJob(JsonElement body);

    /// <summary>The request that stops a job, or null when the provider documents none.</summary>
    JobRequest? CancelRequest(Uri baseUri, string id);

    /// <summary>The request that deletes a job, or null when the provider documents none.</summary>
    JobRequest? DeleteRequest(Uri baseUri, string id);
}

/// <summary>A request about one job that changes it (a cancel, a delete); such requests are never retried.</summary>
public sealed class JobRequest
{
    public JobRequest(HttpMethod method, Uri uri, bool deletesJob = false)
    {
        Method = method;
        Uri = uri;
        DeletesJob = deletesJob;
    }

    public HttpMethod Method { get; }

    public Uri Uri { get; }

    /// <summary>True when the job and its results are gone afterwards (a provider whose only stop is a delete).</summary>
    public bool DeletesJob { get; }
}

/// <summary>The facts about a provider that the engine and the cmdlets need.</summary>
public sealed class ProviderInfo
{
    public ProviderInfo(string name, Uri defaultBaseUri, IReadOnlyList<string> keyVariables, string baseUriVariable, IDictionary<string, JobStatus> statusMap)
    {
        Name = name;
        DefaultBaseUri = defaultBaseUri;
        KeyVariables = keyVariables;
        BaseUriVariable = baseUriVariable;
        StatusMap = new Dictionary<string, JobStatus>(statusMap, StringComparer.OrdinalIgnoreCase);
    }

    public string Name { get; }

    public Uri DefaultBaseUri { get; }

    /// <summary>Environment variables that may hold the key, in the order they are tried.</summary>
    public IReadOnlyList<string> KeyVariables { get; }

    public string BaseUriVariable { get; }

    /// <summary>Raw provider status to normalized status; anything else is Unknown.</summary>
    public IReadOnlyDictionary<string, JobStatus> StatusMap { get; }

    /// <summary>Largest page the API serves; null when it does not page.</summary>
    public int? MaxPageSize { get; init; }

    /// <summary>True when the API documents newest-first order, so a CreatedAfter bound can stop paging early.</summary>
    public bool NewestFirst { get; init; } = true;

    public KindFilterSupport KindFilter { get; init; }

    /// <summary>The documented kinds, when the provider documents a closed set.</summary>
    public IReadOnlyList<string>? KnownKinds { get; init; }

    /// <summary>
    /// Kinds to offer for tab completion where the provider's kinds are free text (no <see cref="KnownKinds"/>):
    /// the examples its documentation gives. Never used to check a kind.
    /// </summary>
    public IReadOnlyList<string>? SuggestedKinds { get; init; }

    public bool FiltersByWorkflowId { get; init; }

    public bool FiltersByInputUri { get; init; }

    /// <summary>True when the API can start a listing at a created-before timestamp.</summary>
    public bool StartsAtCreatedBefore { get; init; }

    /// <summary>The API version the module is written against, where the provider lets clients pin one; null otherwise.</summary>
    public string? DefaultApiVersion { get; init; }

    /// <summary>The environment variable that overrides <see cref="DefaultApiVersion"/>; null when the provider has no versions.</summary>
    public string? ApiVersionVariable { get; init; }

    /// <summary>How often Wait-ProviderJob polls one job by default.</summary>
    public TimeSpan PollingInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The first backoff after a 429 that does not say how long to wait, where the provider's docs
    /// ask for one; later retries double it, up to three times this.
    /// </summary>
    public TimeSpan? RateLimitBackoff { get; init; }

    /// <summary>The documented request budget, where there is one; polling many jobs stays under it.</summary>
    public int? RequestsPerMinute { get; init; }

    public JobStatus MapStatus(string? raw) =>
        raw is not null && StatusMap.TryGetValue(raw, out var status) ? status : JobStatus.Unknown;
}

public enum KindFilterSupport
{
    /// <summary>The provider's jobs have no kind.</summary>
    None,

    /// <summary>Jobs carry a kind, but the API cannot filter by it: the module filters.</summary>
    Client,

    /// <summary>The API filters by one kind at a time.</summary>
    ServerSingle,

    /// <summary>The API filters by a list of kinds.</summary>
    ServerList,
}

/// <summary>The filters the engine decided to send to the server, already in the provider's terms.</summary>
public sealed class ServerQuery
{
    public static readonly ServerQuery None = new();

    public string? Status { get; init; }

    public IReadOnlyList<string> Kinds { get; init; } = Array.Empty<string>();

    public string? WorkflowId { get; init; }

    public string? InputUri { get; init; }

    public DateTime? CreatedBefore { get; init; }
}

/// <summary>What an adapter needs to read a page and say where the next one is.</summary>
public sealed class PageContext
{
    private List<PageProblem>? _problems;

    public PageContext(Uri requestUri, int pageSize, string? cursor, HttpResponseHeaders headers)
    {
        RequestUri = requestUri;
        PageSize = pageSize;
        Cursor = cursor;
        Headers = headers;
    }

    /// <summary>The items of the page that could not be read as jobs; the page's other jobs go on.</summary>
    public IReadOnlyList<PageProblem> Problems => (IReadOnlyList<PageProblem>?)_problems ?? Array.Empty<PageProblem>();

    /// <summary>Reads each item of a page's array as a job; an item that is not one is recorded in <see cref="Problems"/> and left out.</summary>
    public List<T> ReadItems<T>(JsonElement array, Func<JsonElement, T> read)
    {
        var jobs = new List<T>(array.GetArrayLength());
        var position = 0;
        foreach (var item in array.EnumerateArray())
        {
            try
            {
                jobs.Add(read(item));
            }
            catch (Exception ex) when (Json.IsReadFailure(ex))
            {
                (_problems ??= new List<PageProblem>()).Add(new PageProblem(position, ex.Message));
            }

            position++;
        }

        return jobs;
    }

    public Uri RequestUri { get; }

    /// <summary>The page size asked for (0 for an unpaged provider).</summary>
    public int PageSize { get; }

    /// <summary>The cursor this page was asked with; null for the first page.</summary>
    public string? Cursor { get; }

    public HttpResponseHeaders Headers { get; }
}

/// <summary>An item of a page that could not be read as a job: its place on the page (from 0) and why.</summary>
public readonly struct PageProblem
{
    public PageProblem(int position, string reason)
    {
        Position = position;
        Reason = reason;
    }

    public int Position { get; }

    public string Reason { get; }
}

public sealed class JobPage
{
    public JobPage(IReadOnlyList<ProviderJob> jobs)
    {
        Jobs = jobs;
    }

    public IReadOnlyList<ProviderJob> Jobs { get; }

    /// <summary>The provider's count of all jobs that match, where it gives one.</summary>
    public long? Total { get; init; }

    /// <summary>Passed back to <see cref="IJobProvider.PageUri"/> for the next page.</summary>
    public string? NextCursor { get; init; }

    /// <summary>A ready-made URL of the next page (an HTTP Link header), used as is.</summary>
    public Uri? NextLink { get; init; }

    public bool HasNext => NextCursor is not null || NextLink is not null;

    /// <summary>The route that served this page; its next page is asked for the same way.</summary>
    internal IJobListRoute? Route { get; set; }

    /// <summary>Items of this page that were left out because they could not be read.</summary>
    internal IReadOnlyList<PageProblem> Problems { get; set; } = Array.Empty<PageProblem>();
}

public readonly struct ProviderErrorBody
{
    public ProviderErrorBody(string? message, string? requestId, string? code = null)
    {
        Message = message;
        RequestId = requestId;
        Code = code;
    }

    public string? Message { get; }

    public string? RequestId { get; }

    /// <summary>The provider's machine-readable error code, where it sends one.</summary>
    public string? Code { get; }
}
