using System.Net.Http.Headers;
using System.Text.Json;
using JobsModule.Accounts;
using JobsModule.JsonReading;
using JobsModule.Listing;
using JobsModule.Outputs;
using JobsModule.Transport;

namespace JobsModule.Providers;

/// <summary>Convertly: GET /api/jobs with limit/offset paging until pagination.hasMore is false.</summary>
internal sealed class ConvertlyProvider : IJobProvider
{
    private static readonly FieldNames DocumentedFields = Json.Names(
        "id", "job_type", "status", "total_files", "completed_files", "failed_files", "progress",
        "error_message", "results", "created_at", "completed_at",
        "jobId", "jobType", "totalFiles", "completedFiles", "failedFiles", "errorMessage", "createdAt", "completedAt");

    public ProviderInfo Info { get; } = new(
        "Convertly",
        new Uri("https://convertly.sh"),
        new[] { "CONVERTLY_API_KEY" },
        "CONVERTLY_BASE_URL",
        new Dictionary<string, JobStatus>
        {
            ["pending"] = JobStatus.Queued,
            ["processing"] = JobStatus.Running,
            ["completed"] = JobStatus.Succeeded,
            ["failed"] = JobStatus.Failed,
        })
    {
        MaxPageSize = 100,
        KindFilter = KindFilterSupport.Client,
        KnownKinds = new[] { "convert", "compress", "media_tool", "transfer" },
    };

    public IJobListRoute? FallbackListRoute => null;

    public void Authorize(HttpRequestMessage request, ProviderEndpoint endpoint) =>
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", endpoint.ApiKey);

    public Uri PageUri(Uri baseUri, ServerQuery query, int pageSize, string? cursor) =>
        new QueryString(baseUri, "/api/jobs")
            .Add("limit", pageSize)
            .Add("offset", cursor ?? "0")
            .Add("status", query.Status)
            .ToUri();

    // pagination.total on every page.
    public bool ReportsTotal => true;

    public string? ItemsProperty => "jobs";

    public ProviderJob ReadItem(JsonElement item) => ReadJob(item);

    /// <summary>{jobs, pagination: {limit, offset, total, hasMore}}: paged until hasMore is false.</summary>
    public PageEnd EndPage(PageEnvelope page, PageContext context)
    {
        var pagination = Json.RequireObject(page.RequireField("pagination"), "'pagination'");
        return PageEnd.AfterOffset(context, page, Json.Bool(pagination, "hasMore") == true, Json.Long(pagination, "total"));
    }

    // {error, upgradeUrl?} as documented; Convertly's own PHP client also reads code and detail.
    public ProviderErrorBody ReadError(JsonElement body)
    {
        var error = Json.String(body, "error");
        var detail = Json.String(body, "detail");
        var message = detail is null || detail == error ? error : error is null ? detail : error + ": " + detail;
        return new(message, null, Json.String(body, "code"));
    }

    public Uri JobUri(Uri baseUri, string id) => new QueryString(baseUri, "/api/jobs").Segment(id).ToUri();

    // A cancelled pending job is deleted: it leaves the list (and shifts the offsets of the jobs after it).
    public JobRequest? CancelRequest(Uri baseUri, string id) => new(HttpMethod.Delete, JobUri(baseUri, id), removesFromList: true);

    public JobRequest? DeleteRequest(Uri baseUri, string id) => null;

    // Every item carries its file counts: the listing says all Convertly says of a job's result.
    public IReadOnlyList<DetailRead> DetailReads { get; } = Array.Empty<DetailRead>();

    ProviderJob IJobProvider.ReadJob(JsonElement body) => ReadJob(body);

    // List items carry results as the single job does.
    public bool OutputsNeedJobRead => false;

    /// <summary>
    /// results has no published schema (an object, a list or null). Convertly's own clients read files as
    /// {downloadUrl, filename} and its transfer guide speaks of a signed download URL in results; so every
    /// object anywhere in it with a downloadUrl or url text is a file, named by its filename or name and
    /// sized by a whole-number size where it has them, fetched without the key as Convertly's clients do.
    /// </summary>
    public IReadOnlyList<JobOutput> Outputs(ProviderJob job, JsonElement? detail, Uri baseUri)
    {
        var outputs = new List<JobOutput>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        CollectFiles((job as ConvertlyJob)?.Results, outputs, seen);
        return outputs;
    }

    // Values are copied at most JobData.MaxDepth deep, so this recursion is bounded.
    private static void CollectFiles(object? value, List<JobOutput> outputs, HashSet<string> seen)
    {
        switch (value)
        {
            case JobDataObject fields:
                if (Text(fields, "downloadUrl", "download_url", "url") is { } url && seen.Add(url))
                {
                    outputs.Add(JobOutput.FileAt(url, Text(fields, "filename", "fileName", "name"), fields.TryGetValue("size", out var size) && size is long bytes ? bytes : null));
                }

                foreach (var field in fields.Values)
                {
                    CollectFiles(field, outputs, seen);
                }

                break;
            case JobDataList items:
                foreach (var item in items)
                {
                    CollectFiles(item, outputs, seen);
                }

                break;
        }
    }

    private static string? Text(JobDataObject fields, params string[] names)
    {
        foreach (var name in names)
        {
            if (fields.TryGetValue(name, out var value) && value is string { Length: > 0 } text)
            {
                return text;
            }
        }

        return null;
    }

    // List items are snake_case; the single job is camelCase. Either is read.
    internal ConvertlyJob ReadJob(JsonElement item)
    {
        var fields = new JobFields(item);
        var raw = fields.Status(Info);
        var job = new ConvertlyJob(Info.Name, fields.Id("id", "jobId"), raw, Info.MapStatus(raw))
        {
            Kind = fields.String("job_type", "jobType"),
            CreatedUtc = fields.IsoTime("created_at", "createdAt"),
            CompletedUtc = fields.IsoTime("completed_at", "completedAt"),
            Progress = fields.Int("progress"),
            Error = fields.String("error_message", "errorMessage"),
            TotalFiles = fields.Int("total_files", "totalFiles"),
            CompletedFiles = fields.Int("completed_files", "completedFiles"),
            FailedFiles = fields.Int("failed_files", "failedFiles"),
            Results = fields.Any("results"),
        };
        job.DeriveDuration();
        JudgeFiles(job);
        return fields.Finish(job, DocumentedFields);
    }

    /// <summary>
    /// A completed job can have failed files (Convertly's async-processing guide; failed_files on each
    /// item): with some it is Partial, Failed when none of its files completed, and Unverified when its
    /// counts cannot be read. The failed files are one unnamed item with their count, since Convertly
    /// documents no list of them.
    /// </summary>
    private static void JudgeFiles(ConvertlyJob job)
    {
        if (job.FailedFiles is { } failed && failed > 0)
        {
            job.FailedItems = new FailedItemList(new[] { new FailedItem(null, null, failed) });
        }

        if (job.Status != JobStatus.Succeeded)
        {
            return;
        }

        job.Outcome = job.FailedFiles switch
        {
            null => JobOutcome.Unverified,
            0 => JobOutcome.Complete,
            _ when job.CompletedFiles == 0 => JobOutcome.Failed,
            _ => JobOutcome.Partial,
        };
    }
}
