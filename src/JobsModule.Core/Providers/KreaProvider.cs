using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using JobsModule.Accounts;
using JobsModule.JsonReading;
using JobsModule.Listing;
using JobsModule.Outputs;
using JobsModule.Transport;

namespace JobsModule.Providers;

/// <summary>Krea: GET /jobs, a created-before timestamp cursor passed back verbatim until it is null; DELETE /jobs/{id} deletes a job.</summary>
internal sealed class KreaProvider : IJobProvider
{
    // "type" is not in the List Jobs page, but the types filter matches it; it becomes Kind.
    private static readonly FieldNames DocumentedFields = Json.Names(
        "job_id", "status", "created_at", "completed_at", "result", "error", "type");

    public ProviderInfo Info { get; } = new(
        "Krea",
        new Uri("https://api.krea.ai"),
        new[] { "KREA_API_KEY", "KREA_API_TOKEN" },
        "KREA_BASE_URL",
        new Dictionary<string, JobStatus>
        {
            ["backlogged"] = JobStatus.Queued,
            ["queued"] = JobStatus.Queued,
            ["scheduled"] = JobStatus.Queued,
            ["processing"] = JobStatus.Running,
            ["sampling"] = JobStatus.Running,
            ["intermediate-complete"] = JobStatus.Running,
            ["completed"] = JobStatus.Succeeded,
            ["failed"] = JobStatus.Failed,
            ["cancelled"] = JobStatus.Canceled,
        })
    {
        MaxPageSize = 1000,
        PollingInterval = TimeSpan.FromSeconds(3),
        RateLimitBackoff = TimeSpan.FromSeconds(10),
        KindFilter = KindFilterSupport.ServerList,

        // types is free text; these are the examples Krea's List Jobs documentation gives.
        SuggestedKinds = new[] { "flux", "k1", "externalImage" },
        StartsAtCreatedBefore = true,
    };

    public IJobListRoute? FallbackListRoute => null;

    public void Authorize(HttpRequestMessage request, ProviderEndpoint endpoint) =>
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", endpoint.ApiKey);

    public Uri PageUri(Uri baseUri, ServerQuery query, int pageSize, string? cursor)
    {
        cursor ??= query.CreatedBefore?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        return new QueryString(baseUri, "/jobs")
            .Add("cursor", cursor)
            .Add("limit", pageSize)
            .Add("types", query.Kinds.Count > 0 ? string.Join(",", query.Kinds) : null)
            .Add("status", query.Status)
            .ToUri();
    }

    public bool ReportsTotal => false;

    public string? ItemsProperty => "items";

    public ProviderJob ReadItem(JsonElement item) => ReadJob(item);

    public PageEnd EndPage(PageEnvelope page, PageContext context)
    {
        // The published document spells it next_cursor, some docs nextCursor; either is passed back verbatim.
        var next = (page.Field("next_cursor") ?? page.Field("nextCursor")) is { } cursor ? Json.AsString(cursor) : null;
        return new PageEnd { NextCursor = page.ItemCount > 0 && !string.IsNullOrEmpty(next) ? next : null };
    }

    public ProviderErrorBody ReadError(JsonElement body) => new(Json.ErrorText(Json.Property(body, "error")), null);

    public Uri JobUri(Uri baseUri, string id) => new QueryString(baseUri, "/jobs").Segment(id).ToUri();

    // Krea's only way to stop a job is DELETE /jobs/{id}, which its OpenAPI document calls "Delete a job by ID".
    public JobRequest? CancelRequest(Uri baseUri, string id) => new(HttpMethod.Delete, JobUri(baseUri, id), deletesJob: true);

    public JobRequest? DeleteRequest(Uri baseUri, string id) => new(HttpMethod.Delete, JobUri(baseUri, id), deletesJob: true);

    // A list item is the whole job (GET /jobs/{id} answers the same object): nothing more to read.
    public IReadOnlyList<DetailRead> DetailReads { get; } = Array.Empty<DetailRead>();

    ProviderJob IJobProvider.ReadJob(JsonElement body) => ReadJob(body);

    // A list item is the whole job: its result.urls are there already.
    public bool OutputsNeedJobRead => false;

    // result.urls: files on a host that is not Krea's API; Krea's own download helper fetches them with a
    // plain GET and no key (its skills' krea_helpers.py), so they are fetched without one.
    public IReadOnlyList<JobOutput> Outputs(ProviderJob job, JsonElement? detail, Uri baseUri) =>
        JobOutput.FilesAt((job as KreaJob)?.ResultUrls);

    internal KreaJob ReadJob(JsonElement item)
    {
        var fields = new JobFields(item);
        var raw = fields.Status(Info);
        var result = fields.Nested("result");

        // Failure details are in error for some jobs and in result.error for others; either may be text or an object.
        var error = fields.Raw("error") ?? result?.Raw("error");
        var job = new KreaJob(Info.Name, fields.Id("job_id"), raw, Info.MapStatus(raw))
        {
            Kind = fields.String("type"),
            CreatedUtc = fields.IsoTime("created_at"),
            CompletedUtc = fields.IsoTime("completed_at"),
            Error = Json.ErrorText(error),
            ErrorCode = error is { ValueKind: JsonValueKind.Object } e ? Json.String(e, "code") : null,
            ResultUrls = result?.List("urls"),
            StyleId = result?.String("style_id"),
        };
        job.DeriveDuration();
        return fields.Finish(job, DocumentedFields);
    }
}
