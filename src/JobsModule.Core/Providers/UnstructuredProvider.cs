using System.Text;
using System.Text.Json;
using JobsModule.Accounts;
using JobsModule.JsonReading;
using JobsModule.Listing;
using JobsModule.Outputs;
using JobsModule.Transport;

namespace JobsModule.Providers;

/// <summary>Unstructured: GET /api/v1/jobs/, one unpaged array in no documented order.</summary>
internal sealed class UnstructuredProvider : IJobProvider
{
    private const string ApiPath = "/api/v1";
    private const string DefaultJobType = "ephemeral";

    private static readonly FieldNames DocumentedFields = Json.Names(
        "id", "workflow_id", "workflow_name", "status", "created_at", "runtime", "input_file_ids",
        "output_node_files", "job_type");

    public ProviderInfo Info { get; } = new(
        "Unstructured",
        new Uri("https://platform.unstructuredapp.io"),
        new[] { "UNSTRUCTURED_API_KEY" },
        "UNSTRUCTURED_API_URL",
        new Dictionary<string, JobStatus>
        {
            ["SCHEDULED"] = JobStatus.Queued,
            ["IN_PROGRESS"] = JobStatus.Running,
            ["COMPLETED"] = JobStatus.Succeeded,
            ["FAILED"] = JobStatus.Failed,
            ["STOPPED"] = JobStatus.Canceled,
        })
    {
        MaxPageSize = null,
        NewestFirst = false,
        PollingInterval = TimeSpan.FromSeconds(5),
        KindFilter = KindFilterSupport.Client,
        KnownKinds = new[] { DefaultJobType, "persistent", "scheduled", "template" },
        FiltersByWorkflowId = true,
    };

    public IJobListRoute? FallbackListRoute => null;

    public void Authorize(HttpRequestMessage request, ProviderEndpoint endpoint) =>
        request.Headers.Add("unstructured-api-key", endpoint.ApiKey);

    public Uri PageUri(Uri baseUri, ServerQuery query, int pageSize, string? cursor) =>
        new QueryString(baseUri, JobsPath(baseUri) + "/")
            .Add("workflow_id", query.WorkflowId)
            .Add("status", query.Status)
            .ToUri();

    public Uri JobUri(Uri baseUri, string id) => new QueryString(baseUri, JobsPath(baseUri)).Segment(id).ToUri();

    public JobRequest? CancelRequest(Uri baseUri, string id) =>
        new(HttpMethod.Post, new QueryString(baseUri, JobsPath(baseUri)).Segment(id).Segment("cancel").ToUri());

    public JobRequest? DeleteRequest(Uri baseUri, string id) => null;

    /// <summary>
    /// A COMPLETED job may have failed files (Unstructured's webhooks page: "completed" means the job
    /// finished processing, and its processing details say whether every file succeeded), and a FAILED one
    /// says why only in its details: GET /jobs/{id}/details, then GET /jobs/{id}/failed-files when those
    /// report errors (the platform's generated SDK: get_job_details, get_job_failed_files).
    /// </summary>
    public IReadOnlyList<DetailRead> DetailReads { get; } = new[]
    {
        DetailRead.OfDocument(
            "details",
            job => job.Status is JobStatus.Succeeded or JobStatus.Failed,
            (baseUri, id) => new QueryString(baseUri, JobsPath(baseUri)).Segment(id).Segment("details").ToUri(),
            "id",
            ApplyDetails),
        DetailRead.OfDocument(
            "failed files",
            job => job.Outcome is JobOutcome.Partial or JobOutcome.Failed,
            (baseUri, id) => new QueryString(baseUri, JobsPath(baseUri)).Segment(id).Segment("failed-files").ToUri(),
            null,
            ApplyFailedFiles),
    };

    ProviderJob IJobProvider.ReadJob(JsonElement body) => ReadJob(body);

    // The list item is the job as GET /jobs/{job_id} describes it, output_node_files included.
    public bool OutputsNeedJobRead => false;

    /// <summary>
    /// Each output_node_files entry (node_id, file_id) is a file the API serves itself, with the key:
    /// GET {jobs}/{job_id}/download?file_id=&amp;node_id= (the python client's download_job_output). Its docs
    /// save one as &lt;file_id&gt;.json; where one file went through several nodes, the node (its type, else
    /// its id) goes into the name, so that each node's file is kept.
    /// </summary>
    public IReadOnlyList<JobOutput> Outputs(ProviderJob job, JsonElement? detail, Uri baseUri)
    {
        var files = new List<(string FileId, string? NodeId, string? NodeType)>();
        var perFile = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in (job as UnstructuredJob)?.OutputNodeFiles ?? new JobDataList())
        {
            if (entry is JobDataObject fields && fields.TryGetValue("file_id", out var value) && value is string { Length: > 0 } fileId)
            {
                var nodeId = fields.TryGetValue("node_id", out var node) ? node as string : null;
                files.Add((fileId, nodeId, fields.TryGetValue("node_type", out var type) ? type as string : null));
                perFile[fileId] = perFile.TryGetValue(fileId, out var count) ? count + 1 : 1;
            }
        }

        var outputs = new List<JobOutput>(files.Count);
        foreach (var (fileId, nodeId, nodeType) in files)
        {
            var uri = new QueryString(baseUri, JobsPath(baseUri)).Segment(job.Id).Segment("download")
                .Add("file_id", fileId)
                .Add("node_id", nodeId)
                .ToUri();
            var stem = fileId.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? fileId.Substring(0, fileId.Length - 5) : fileId;
            var node = perFile[fileId] > 1 ? "." + (nodeType ?? nodeId ?? "node") : string.Empty;
            outputs.Add(JobOutput.FromApi(uri, stem + node + ".json"));
        }

        return outputs;
    }

    // UNSTRUCTURED_API_URL is written both with and without its /api/v1; never double it.
    private static string JobsPath(Uri baseUri) =>
        baseUri.AbsolutePath.TrimEnd('/').EndsWith(ApiPath, StringComparison.OrdinalIgnoreCase) ? "/jobs" : ApiPath + "/jobs";

    // One unpaged list: its length is the total.
    public bool ReportsTotal => true;

    public string? ItemsProperty => null;

    public ProviderJob ReadItem(JsonElement item) => ReadJob(item);

    /// <summary>Every job in one bare array: that is the total, and there is no next page.</summary>
    public PageEnd EndPage(PageEnvelope page, PageContext context) => new() { Total = page.ItemCount };

    public ProviderErrorBody ReadError(JsonElement body)
    {
        // FastAPI style: detail is a string, or a list of {loc, msg, type}.
        if (Json.Property(body, "detail") is { ValueKind: JsonValueKind.Array } details)
        {
            var text = new StringBuilder();
            foreach (var detail in details.EnumerateArray())
            {
                if (text.Length > 0)
                {
                    text.Append("; ");
                }

                if (Json.Property(detail, "loc") is { ValueKind: JsonValueKind.Array } location)
                {
                    foreach (var part in location.EnumerateArray())
                    {
                        text.Append(Json.AsString(part)).Append('.');
                    }

                    text.Length--;
                    text.Append(": ");
                }

                text.Append(Json.String(detail, "msg"));
            }

            return new ProviderErrorBody(text.ToString(), null);
        }

        return new ProviderErrorBody(Json.String(body, "detail"), null);
    }

    internal UnstructuredJob ReadJob(JsonElement item)
    {
        var fields = new JobFields(item);
        var raw = fields.Status(Info);
        var runtime = fields.IsoDuration("runtime");
        var status = Info.MapStatus(raw);
        return fields.Finish(new UnstructuredJob(Info.Name, fields.Id("id"), raw, status)
        {
            // COMPLETED does not say that every file succeeded: only the job's details do (-Detailed).
            Outcome = status == JobStatus.Succeeded ? JobOutcome.Unverified : OutcomeRule.Of(status),
            // Unstructured's schema gives job_type the default "ephemeral": a job without one is such a job.
            Kind = fields.String("job_type") ?? DefaultJobType,
            CreatedUtc = fields.IsoTime("created_at"),
            Duration = runtime,
            Runtime = runtime,
            WorkflowId = fields.String("workflow_id"),
            WorkflowName = fields.String("workflow_name"),
            InputFileIds = fields.List("input_file_ids"),
            OutputNodeFiles = fields.List("output_node_files"),
        }, DocumentedFields);
    }

    /// <summary>
    /// {id, processing_status, node_stats: [{node_name, ready, in_progress, success, failure}], message}:
    /// for a job the list calls COMPLETED, SUCCESS is Complete, COMPLETED_WITH_ERRORS Partial, FAILED
    /// Failed, STOPPED Canceled, and details that say it has not finished (SCHEDULED, IN_PROGRESS) or a
    /// status the module does not know leave it Unverified. The message becomes Error when the job has none, and each node's failures an
    /// item with its count until the failed files name them.
    /// </summary>
    internal static void ApplyDetails(ProviderJob job, JsonElement body)
    {
        var fields = JobFields.OfDocument(body, "the job's details", "details.");
        var processing = fields.String("processing_status");

        // The details decide the result of a job the list calls COMPLETED; a FAILED job stays Failed.
        if (job.Status == JobStatus.Succeeded)
        {
            job.Outcome = processing switch
            {
                "SUCCESS" => JobOutcome.Complete,
                "COMPLETED_WITH_ERRORS" => JobOutcome.Partial,
                "FAILED" => JobOutcome.Failed,
                "STOPPED" => JobOutcome.Canceled,
                _ => job.Outcome,
            };
        }
        job.Error ??= fields.String("message");
        var failures = new List<FailedItem>();
        if (fields.List("node_stats") is { } nodes)
        {
            foreach (var node in nodes)
            {
                if (node is JobDataObject stats && Count(stats, "failure") is { } failed && failed > 0)
                {
                    failures.Add(new FailedItem(stats.TryGetValue("node_name", out var name) ? name as string : null, null, failed));
                }
            }
        }

        if (failures.Count > 0)
        {
            job.FailedItems = new FailedItemList(failures);
        }

        job.KeepUnreadable(fields.Unreadable);
    }

    /// <summary>{failed_files: [{document, error}]}: each file an item with its error; an entry that is no such object is left out.</summary>
    internal static void ApplyFailedFiles(ProviderJob job, JsonElement body)
    {
        var fields = JobFields.OfDocument(body, "the job's failed files", "failed-files.");
        if (fields.List("failed_files") is { } files)
        {
            var failures = new List<FailedItem>(files.Count);
            foreach (var file in files)
            {
                if (file is JobDataObject entry)
                {
                    failures.Add(new FailedItem(Text(entry, "document"), Text(entry, "error")));
                }
            }

            if (failures.Count > 0)
            {
                job.FailedItems = new FailedItemList(failures);
            }
        }

        job.KeepUnreadable(fields.Unreadable);
    }

    // A count from node_stats as copied (a whole number), else nothing.
    private static int? Count(JobDataObject stats, string name) =>
        stats.TryGetValue(name, out var value) && value is long count && count is > 0 and <= int.MaxValue ? (int)count : null;

    private static string? Text(JobDataObject entry, string name) =>
        entry.TryGetValue(name, out var value) ? JobData.Format(value) is { Length: > 0 } text ? text : null : null;
}
