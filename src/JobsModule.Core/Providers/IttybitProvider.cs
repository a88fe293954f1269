using System.Net.Http.Headers;
using System.Text.Json;
using JobsModule.Accounts;
using JobsModule.JsonReading;
using JobsModule.Listing;
using JobsModule.Outputs;
using JobsModule.Transport;

namespace JobsModule.Providers;

/// <summary>ittybit: GET /jobs, a bare array, paged by after=&lt;last id&gt; or the Link header; epoch-millisecond times.</summary>
internal sealed class IttybitProvider : IJobProvider
{
    private static readonly FieldNames DocumentedFields = Json.Names(
        "id", "object", "kind", "input", "output", "options", "metadata", "status", "error",
        "created_at", "started_at", "finished_at", "updated_at", "tasks");

    public ProviderInfo Info { get; } = new(
        "Ittybit",
        new Uri("https://api.ittybit.com"),
        new[] { "ITTYBIT_API_KEY" },
        "ITTYBIT_BASE_URL",
        new Dictionary<string, JobStatus>
        {
            // waiting, validating and finishing: the API reference's statuses since its 2025-09-15 changelog.
            ["waiting"] = JobStatus.Queued,
            ["validating"] = JobStatus.Queued,
            ["queued"] = JobStatus.Queued,
            ["processing"] = JobStatus.Running,
            ["finishing"] = JobStatus.Running,
            ["succeeded"] = JobStatus.Succeeded,
            ["failed"] = JobStatus.Failed,
            ["cancelled"] = JobStatus.Canceled,
        })
    {
        MaxPageSize = 100,
        KindFilter = KindFilterSupport.ServerSingle,
        KnownKinds = new[] { "video", "audio", "image", "animation", "adaptive_video" },
        FiltersByInputUri = true,

        // ittybit's Versioning page: clients pin a dated version with Accept-Version; unpinned ones get the newest.
        DefaultApiVersion = "2025-08-20",
        ApiVersionVariable = "ITTYBIT_API_VERSION",
    };

    public IJobListRoute? FallbackListRoute => null;

    public void Authorize(HttpRequestMessage request, ProviderEndpoint endpoint)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", endpoint.ApiKey);
        if (endpoint.ApiVersion is { } version)
        {
            request.Headers.TryAddWithoutValidation("Accept-Version", version);
        }
    }

    public Uri PageUri(Uri baseUri, ServerQuery query, int pageSize, string? cursor) =>
        new QueryString(baseUri, "/jobs")
            .Add("limit", pageSize)
            .Add("after", cursor)
            .Add("kind", query.Kinds.Count == 1 ? query.Kinds[0] : null)
            .Add("status", query.Status)
            .Add("input", query.InputUri)
            .ToUri();

    public bool ReportsTotal => false;

    public string? ItemsProperty => null;

    public ProviderJob ReadItem(JsonElement item) => ReadJob(item);

    public PageEnd EndPage(PageEnvelope page, PageContext context)
    {
        if (page.ItemCount == 0 || HeaderSaysNoMore(context.Headers))
        {
            return PageEnd.Last;
        }

        // The last item's id, even when that item could not be read otherwise, so that no page is asked for twice.
        var lastId = page.LastItem is { ValueKind: JsonValueKind.Object } last ? Json.String(last, "id") : null;

        // The live API links the next page; the documented contract is after=<last id>, which the engine
        // uses instead when the next page is to be of another size.
        if (LinkHeader.Next(context.Headers, context.RequestUri) is { } link)
        {
            return new PageEnd { NextLink = link, NextCursor = lastId };
        }

        return new PageEnd { NextCursor = page.ItemCount >= context.PageSize ? lastId : null };
    }

    public ProviderErrorBody ReadError(JsonElement body) => new(Json.String(body, "message"), null);

    public Uri JobUri(Uri baseUri, string id) => new QueryString(baseUri, "/jobs").Segment(id).ToUri();

    public JobRequest? CancelRequest(Uri baseUri, string id) => null;

    public JobRequest? DeleteRequest(Uri baseUri, string id) => null;

    /// <summary>
    /// A cancelled job may have been cancelled because a sibling task failed (ittybit's Get Job page), which
    /// only its tasks tell: GET /jobs/{id} gives them. List items carry the job's own error already.
    /// </summary>
    public IReadOnlyList<DetailRead> DetailReads { get; } = new[]
    {
        DetailRead.OfJob(
            job => job.Status == JobStatus.Canceled && job is IttybitJob { Tasks: null },
            (listed, read) =>
            {
                var job = (IttybitJob)listed;
                job.Tasks = ((IttybitJob)read).Tasks;
                job.Outcome = read.Outcome;
                job.FailedItems = read.FailedItems;
                job.Error ??= read.Error;
            }),
    };

    ProviderJob IJobProvider.ReadJob(JsonElement body) => ReadJob(body);

    // The tasks, whose outputs are files too, come only with GET /jobs/{id}.
    public bool OutputsNeedJobRead => true;

    // The job's output, a URL on the project's delivery domain, and each task's output.url (GET /jobs/{id});
    // plain delivery URLs, public unless access rules make them private: no key goes to them.
    public IReadOnlyList<JobOutput> Outputs(ProviderJob job, JsonElement? detail, Uri baseUri)
    {
        if (job is not IttybitJob ittybit)
        {
            return Array.Empty<JobOutput>();
        }

        var urls = new List<object?> { ittybit.Output };
        foreach (var task in ittybit.Tasks ?? new JobDataList())
        {
            if (task is JobDataObject { } fields && fields.TryGetValue("output", out var output) && output is JobDataObject file && file.TryGetValue("url", out var url))
            {
                urls.Add(url);
            }
        }

        return JobOutput.FilesAt(urls);
    }

    internal IttybitJob ReadJob(JsonElement item)
    {
        var fields = new JobFields(item);
        var raw = fields.Status(Info);
        var job = new IttybitJob(Info.Name, fields.Id("id"), raw, Info.MapStatus(raw))
        {
            Kind = fields.String("kind"),
            CreatedUtc = fields.EpochMilliseconds("created_at"),
            StartedUtc = fields.EpochMilliseconds("started_at"),
            CompletedUtc = fields.EpochMilliseconds("finished_at"),
            UpdatedUtc = fields.EpochMilliseconds("updated_at"),
            Error = Json.ErrorText(fields.Raw("error")),
            Input = fields.String("input"),
            Output = fields.String("output"),
            Options = fields.Object("options"),
            Metadata = fields.Object("metadata"),
            Tasks = fields.List("tasks"),
        };
        job.DeriveDuration();
        JudgeTasks(job);
        return fields.Finish(job, DocumentedFields);
    }

    /// <summary>
    /// Where the job's tasks are known (the single-job endpoint), its failed tasks are its failed items,
    /// each named by its id (and kind); a cancelled job with a failed task failed ("cancelled or a sibling
    /// failed", ittybit's Get Job page).
    /// </summary>
    private static void JudgeTasks(IttybitJob job)
    {
        if (job.Tasks is not { } tasks)
        {
            return;
        }

        List<FailedItem>? failures = null;
        foreach (var task in tasks)
        {
            if (task is JobDataObject fields && Text(fields, "status") is { } status && string.Equals(status, "failed", StringComparison.OrdinalIgnoreCase))
            {
                var name = Text(fields, "id") is { } id ? (Text(fields, "kind") is { } kind ? kind + " " + id : id) : Text(fields, "kind");
                (failures ??= new List<FailedItem>()).Add(new FailedItem(name, TaskError(fields)));
            }
        }

        if (failures is null)
        {
            return;
        }

        job.FailedItems = new FailedItemList(failures);
        if (job.Status == JobStatus.Canceled)
        {
            job.Outcome = JobOutcome.Failed;
        }
    }

    // A task's error is text, or an object with a message (as the job's own may be).
    private static string? TaskError(JobDataObject task) =>
        task.TryGetValue("error", out var error) && error is JobDataObject detail ? Text(detail, "message") ?? Text(detail, "code") ?? detail.ToString() : Text(task, "error");

    private static string? Text(JobDataObject fields, string name) =>
        fields.TryGetValue(name, out var value) && value is not (JobDataObject or JobDataList) ? JobData.Format(value) is { Length: > 0 } text ? text : null : null;

    private static bool HeaderSaysNoMore(HttpResponseHeaders headers) =>
        headers.TryGetValues("Has-More", out var values) && string.Equals(string.Join(",", values).Trim(), "false", StringComparison.OrdinalIgnoreCase);
}
