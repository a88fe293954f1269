using System.Globalization;
using System.Text;
using System.Text.Json;
using ProviderSimulator.Simulation;

namespace ProviderSimulator.Providers;

/// <summary>
/// Unstructured: GET /api/v1/jobs/?workflow_id=&amp;status= -> every matching job in one bare array.
/// No paging, and the order is a seed-determined shuffle because the docs promise none.
/// FastAPI-style errors: 422 {detail:[{loc,msg,type,input}]} and 401 {detail}.
/// GET /api/v1/jobs/{job_id} returns one job in the list item shape; POST /api/v1/jobs/{job_id}/cancel
/// stops a SCHEDULED or IN_PROGRESS job (-> STOPPED, 200 with the job), else 409 {detail}.
/// GET /api/v1/jobs/{job_id}/details answers {id, processing_status, node_stats, message} and
/// GET /api/v1/jobs/{job_id}/failed-files {failed_files: [{document, error}]}, as the platform's
/// generated SDK describes them (JobDetails, JobFailedFiles): every third COMPLETED job completed with
/// errors, and a FAILED job failed on every file.
/// </summary>
internal sealed class UnstructuredRoutes : Provider
{
    private const int Scheduled = 0, InProgress = 1, Completed = 2, Stopped = 3, Failed = 4;

    // Quotes, a newline and non-ASCII text: whatever shows these must escape them.
    private static readonly string[] FailureMessages =
    [
        "Destination connector \"s3\" rejected the credentials",
        "Partitioning timed out after 600 s\nretry with a smaller batch",
        "Le fichier source est introuvable – vérifiez le connecteur 🙁",
    ];

    private static readonly string[] FileErrors =
    [
        "Unsupported file type: application/x-msdownload",
        "PDF is encrypted, \"password required\"",
        "OCR failed on page 3\nimage too small",
        "Document vide – aucun élément extrait",
    ];

    private static readonly string[] WorkflowNames =
    [
        "My ETL Workflow",
        "Überprüfung – 数据 🚀",
        "Invoices, \"Q3\" batch",
        "nightly s3 → pinecone",
        "Rapports financiers (FR)",
    ];

    private static readonly string[] Destinations = ["s3", "azure", "pinecone", "weaviate"];
    private static readonly string[] Tenants = ["acme-eu", "globex-us", "initech-apac"];

    public UnstructuredRoutes()
        : base("unstructured", ["SCHEDULED", "IN_PROGRESS", "COMPLETED", "STOPPED", "FAILED"], ["PAUSED", "ARCHIVED"])
    {
    }

    public override int? MaxPageSize => null;

    protected override bool BodyIsArray => true;

    public override IEnumerable<int> NaturalOrder(JobDataset dataset) => dataset.Shuffled();

    protected override int NaturalKeyAt(JobDataset dataset, int position) => dataset.Shuffled()[position];

    // The docs write the route with a trailing slash; clients also call it without one. ASP.NET Core
    // routing matches both forms with one template (two templates would be an ambiguous match).
    public override void MapRoutes(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/unstructured/api/v1/jobs/", (RequestDelegate)ListAsync);
        routes.MapGet("/unstructured/api/v1/jobs/{job_id}", (RequestDelegate)DetailAsync);
        routes.MapPost("/unstructured/api/v1/jobs/{job_id}/cancel", (RequestDelegate)(ctx => CancelAsync(ctx, 1)));
        routes.MapGet("/unstructured/api/v1/jobs/{job_id}/download", (RequestDelegate)DownloadAsync);
        routes.MapGet("/unstructured/api/v1/jobs/{job_id}/details", (RequestDelegate)(ctx => JobDocumentAsync(ctx, WriteDetails)));
        routes.MapGet("/unstructured/api/v1/jobs/{job_id}/failed-files", (RequestDelegate)(ctx => JobDocumentAsync(ctx, WriteFailedFiles)));
    }

    /// <summary>GET .../jobs/{job_id}/&lt;document&gt;: 404 {detail} for an unknown id (and failJob's status for its job), else the document.</summary>
    private async Task JobDocumentAsync(HttpContext ctx, Action<Utf8JsonWriter, JobDataset, int> write)
    {
        ProviderOptions? options = await BeginRequestAsync(ctx).ConfigureAwait(false);
        if (options is null)
        {
            return;
        }
        string id = RawPathSegment(ctx, 1);
        if (await FailedForJobAsync(ctx, options, id).ConfigureAwait(false))
        {
            return;
        }
        JobDataset d = Dataset;
        if (!TryFindKey(d, id, out int key))
        {
            await WriteErrorAsync(ctx, StatusCodes.Status404NotFound, NotFoundMessage).ConfigureAwait(false);
            return;
        }
        await WriteBodyAsync(ctx, options, w => write(w, d, key)).ConfigureAwait(false);
    }

    /// <summary>A COMPLETED generated job that completed with errors: every third one.</summary>
    public static bool WithErrors(JobDataset d, int i) => d.StatusCode(i) == Completed && d.Live(i) is null && d.Cycle(i) % 3 == 1;

    /// <summary>How many files a job processed (2 to 4), and how many of them failed.</summary>
    private static (int Files, int Failures) FileCounts(JobDataset d, int i)
    {
        ulong r = d.Rand(i, 5);
        int files = 2 + (int)(r % 3);
        int failures = d.StatusCode(i) == Failed ? files : WithErrors(d, i) ? 1 + (int)((r >> 8) % (ulong)(files - 1)) : 0;
        return (files, failures);
    }

    private static void WriteDetails(Utf8JsonWriter writer, JobDataset d, int i)
    {
        int status = d.StatusCode(i);
        (int files, int failures) = FileCounts(d, i);
        string processing = status switch
        {
            Scheduled => "SCHEDULED",
            InProgress => "IN_PROGRESS",
            Completed => failures > 0 ? "COMPLETED_WITH_ERRORS" : "SUCCESS",
            Stopped => "STOPPED",
            Failed => "FAILED",
            _ => "IN_PROGRESS",
        };
        writer.WriteStartObject();
        WriteUuidId(writer, "id", d, i);
        writer.WriteString("processing_status", processing);
        writer.WriteStartArray("node_stats");
        bool done = status is Completed or Failed;
        foreach ((string node, string type, string subtype) in new[] { ("partition", "partition", "auto"), ("destination", "destination", Destinations[WorkflowOf(i) % Destinations.Length]) })
        {
            bool partition = node == "partition";
            writer.WriteStartObject();
            writer.WriteString("node_name", node);
            writer.WriteString("node_type", type);
            writer.WriteString("node_subtype", subtype);
            writer.WriteNumber("ready", status == Scheduled ? files : 0);
            writer.WriteNumber("in_progress", status == InProgress ? files : 0);
            writer.WriteNumber("success", done ? files - failures : 0);
            writer.WriteNumber("failure", done && partition ? failures : 0);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        if (status == Failed)
        {
            writer.WriteString("message", FailureMessages[d.Cycle(i) % FailureMessages.Length]);
        }
        else if (failures > 0)
        {
            writer.WriteString("message", $"{failures.ToString(CultureInfo.InvariantCulture)} of {files.ToString(CultureInfo.InvariantCulture)} files failed");
        }
        else
        {
            writer.WriteNull("message");
        }
        writer.WriteEndObject();
    }

    private static void WriteFailedFiles(Utf8JsonWriter writer, JobDataset d, int i)
    {
        (_, int failures) = FileCounts(d, i);
        writer.WriteStartObject();
        writer.WriteStartArray("failed_files");
        for (int k = 0; k < failures; k++)
        {
            writer.WriteStartObject();
            writer.WriteString("document", k == 0 ? "Rechnung März 2026.pdf" : $"invoice-{(k + 1).ToString("000", CultureInfo.InvariantCulture)}.pdf");
            writer.WriteString("error", FileErrors[(d.Cycle(i) + k) % FileErrors.Length]);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    protected override LiveStatusNames LiveStatuses { get; } = new("SCHEDULED", "IN_PROGRESS", "COMPLETED", "FAILED", "STOPPED");

    protected override string[]? CancellableStatuses { get; } = ["SCHEDULED", "IN_PROGRESS"];

    protected override string? CancelledStatus => "STOPPED";

    protected override string GeneratedId(JobDataset d, int key) =>
        SimHash.Uuid(d.Ids.Forward((uint)key), d.Rand(key, 1), d.Rand(key, 2));

    private async Task ListAsync(HttpContext ctx)
    {
        ProviderOptions? options = await BeginRequestAsync(ctx).ConfigureAwait(false);
        if (options is null)
        {
            return;
        }
        JobDataset d = Dataset;
        string? status = QueryParams.Get(ctx.Request, "status");
        int statusCode = -1;
        if (status is not null && (statusCode = d.DocumentedStatusCode(status)) < 0)
        {
            await JsonOut.WriteAsync(ctx, StatusCodes.Status422UnprocessableEntity, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("detail");
                w.WriteStartObject();
                w.WriteString("type", "enum");
                w.WriteStartArray("loc");
                w.WriteStringValue("query");
                w.WriteStringValue("status");
                w.WriteEndArray();
                w.WriteString("msg", WithEchoedKey(ctx, options, "Input should be 'SCHEDULED', 'IN_PROGRESS', 'COMPLETED', 'STOPPED' or 'FAILED'"));
                w.WriteString("input", status);
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
            }).ConfigureAwait(false);
            return;
        }
        string? workflowId = QueryParams.Get(ctx.Request, "workflow_id");
        int workflow = -1;
        if (workflowId is not null)
        {
            for (int w = 0; w < WorkflowNames.Length; w++)
            {
                if (WorkflowId(d, w) == workflowId)
                {
                    workflow = w;
                }
            }
        }

        // Unknown parameters are ignored, as FastAPI does.
        IEnumerable<int> order = d.Shuffled();
        IEnumerable<int> matching = order;
        if (statusCode >= 0 || workflowId is not null)
        {
            matching = order.Where(i =>
                (statusCode < 0 || d.StatusCode(i) == statusCode) && (workflowId is null || WorkflowOf(i) == workflow));
        }
        PageWriter page = StartPage(ctx, options);
        await using (page.ConfigureAwait(false))
        {
            Utf8JsonWriter writer = page.Json;
            writer.WriteStartArray();
            if (await page.WriteItemsAsync(matching, (w, i) => WriteListItem(ctx, options, w, d, i)).ConfigureAwait(false))
            {
                writer.WriteEndArray();
                await page.CompleteAsync().ConfigureAwait(false);
            }
        }
    }

    // Status cycles with i % 5; adding the cycle number makes every (status, workflow) pair occur.
    private static int WorkflowOf(int i) => ((i % 5) + (i / 5)) % WorkflowNames.Length;

    private static string WorkflowId(JobDataset d, int w) =>
        SimHash.Uuid((uint)d.SideRand(w, 0), d.SideRand(w, 1), d.SideRand(w, 2));

    public override void WriteItem(Utf8JsonWriter writer, JobDataset d, int i)
    {
        int status = d.StatusCode(i);
        int workflow = WorkflowOf(i);
        int cycle = d.Cycle(i);
        ulong r = d.Rand(i, 4);
        Span<char> uuid = stackalloc char[36];

        writer.WriteStartObject();
        SimHash.FormatUuid(uuid, d.Ids.Forward((uint)i), d.Rand(i, 1), d.Rand(i, 2));
        LiveTimeline? timeline = d.Timeline(i);
        if (d.Live(i) is LiveJob live)
        {
            writer.WriteString("id", live.Id);
        }
        else
        {
            writer.WriteString("id", uuid);
        }
        writer.WriteString("workflow_id", WorkflowId(d, workflow));
        writer.WriteString("workflow_name", WorkflowNames[workflow]);
        writer.WriteString("status", d.Status(i));
        JsonOut.WriteIsoMicros(writer, "created_at", d.CreatedMs(i));
        if (timeline is { FinishedMs: long finished } t)
        {
            long ms = finished - (t.StartedMs ?? t.CreatedMs);
            writer.WriteString("runtime", Duration(ms / 1000, (int)(ms % 1000)));
        }
        else if (status is Completed or Stopped or Failed)
        {
            writer.WriteString("runtime", Duration(3 + (long)(r % 5_400), cycle % 3 == 2 ? (int)((r >> 16) % 1000) : 0));
        }
        else
        {
            writer.WriteNull("runtime");
        }
        if ((r >> 32) % 3 == 0)
        {
            writer.WriteNull("input_file_ids");
        }
        else
        {
            writer.WriteStartArray("input_file_ids");
            int inputs = 1 + (int)((r >> 34) % 3);
            for (int k = 0; k < inputs; k++)
            {
                SimHash.FormatUuid(uuid, (uint)d.Rand(i, 10 + k), d.Rand(i, 20 + k), d.Rand(i, 30 + k));
                writer.WriteStringValue(uuid);
            }
            writer.WriteEndArray();
        }
        writer.WriteStartArray("output_node_files");
        foreach ((string nodeId, string fileId) in OutputNodeFiles(d, i))
        {
            writer.WriteStartObject();
            writer.WriteString("node_id", nodeId);
            writer.WriteString("file_id", fileId);
            writer.WriteString("node_type", "destination");
            writer.WriteString("node_subtype", Destinations[workflow % Destinations.Length]);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        // The documented job types (WorkflowJobType: ephemeral, persistent, scheduled, template) but scheduled.
        writer.WriteString("job_type", ((r >> 44) % 4) switch { 0 => "persistent", 1 when ((r >> 46) & 1) == 0 => "template", _ => "ephemeral" });
        writer.WriteString("tenant", Tenants[(r >> 48) % (ulong)Tenants.Length]);   // not in the docs
        writer.WriteEndObject();
    }

    /// <summary>A completed job's output_node_files: one or two (node_id, file_id), the node ids its workflow's.</summary>
    private static List<(string NodeId, string FileId)> OutputNodeFiles(JobDataset d, int i)
    {
        var files = new List<(string, string)>();
        if (d.StatusCode(i) != Completed)
        {
            return files;
        }
        int workflow = WorkflowOf(i);
        int outputs = 1 + (int)((d.Rand(i, 4) >> 40) % 2);
        for (int k = 0; k < outputs; k++)
        {
            files.Add((SimHash.Uuid((uint)d.SideRand(workflow, 3 + k), d.SideRand(workflow, 5 + k), d.SideRand(workflow, 7 + k)),
                $"output-{(k + 1).ToString("000", CultureInfo.InvariantCulture)}.json"));
        }
        return files;
    }

    /// <summary>
    /// GET /api/v1/jobs/{job_id}/download?file_id=&amp;node_id=: one output of a completed job as the
    /// platform serves it, the partitioned elements as JSON, about as long as the file host's size
    /// (body faults apply). file_id is required (422 as FastAPI words it); node_id, when given, must be
    /// the node of that file; any other file is a 404 {"detail":"File not found"}.
    /// </summary>
    private async Task DownloadAsync(HttpContext ctx)
    {
        ProviderOptions? options = await BeginRequestAsync(ctx).ConfigureAwait(false);
        if (options is null)
        {
            return;
        }
        JobDataset d = Dataset;
        string? fileId = QueryParams.Get(ctx.Request, "file_id");
        string? nodeId = QueryParams.Get(ctx.Request, "node_id");
        if (fileId is null)
        {
            await JsonOut.WriteAsync(ctx, StatusCodes.Status422UnprocessableEntity, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("detail");
                w.WriteStartObject();
                w.WriteString("type", "missing");
                w.WriteStartArray("loc");
                w.WriteStringValue("query");
                w.WriteStringValue("file_id");
                w.WriteEndArray();
                w.WriteString("msg", WithEchoedKey(ctx, options, "Field required"));
                w.WriteNull("input");
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
            }).ConfigureAwait(false);
            return;
        }
        if (!TryFindKey(d, RawPathSegment(ctx, 1), out int key))
        {
            await WriteErrorAsync(ctx, StatusCodes.Status404NotFound, NotFoundMessage).ConfigureAwait(false);
            return;
        }
        if (!OutputNodeFiles(d, key).Any(file => file.FileId == fileId && (nodeId is null || file.NodeId == nodeId)))
        {
            await WriteErrorAsync(ctx, StatusCodes.Status404NotFound, "File not found").ConfigureAwait(false);
            return;
        }
        ulong seed = SimHash.Combine(SimHash.OfString(JobId(d, key)), SimHash.OfString(fileId), SimHash.OfString(nodeId ?? string.Empty));
        int elements = (int)Math.Clamp(Files.Size / 160, 1, 200_000);
        PageWriter page = StartPage(ctx, options, listPage: false);
        await using (page.ConfigureAwait(false))
        {
            Utf8JsonWriter writer = page.Json;
            writer.WriteStartArray();
            await page.WriteItemsAsync(Enumerable.Range(0, elements), (w, k) =>
            {
                ulong r = SimHash.Mix(seed + (ulong)k);
                w.WriteStartObject();
                w.WriteString("type", ElementTypes[r % (ulong)ElementTypes.Length]);
                w.WriteString("element_id", r.ToString("x16", CultureInfo.InvariantCulture));
                w.WriteString("text", ElementTexts[(r >> 8) % (ulong)ElementTexts.Length]);
                w.WriteStartObject("metadata");
                w.WriteString("filename", fileId);
                w.WriteNumber("page_number", 1 + (k / 40));
                w.WriteEndObject();
                w.WriteEndObject();
            }).ConfigureAwait(false);
            writer.WriteEndArray();
            await page.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static readonly string[] ElementTypes = ["Title", "NarrativeText", "ListItem", "Table"];

    private static readonly string[] ElementTexts =
    [
        "Quarterly report",
        "Revenue grew by 12 % – „deutlich“ über Plan.",
        "Line one\nline two, \"quoted\"",
        "数据处理完成 ✅",
    ];

    /// <summary>ISO 8601 duration such as PT2M30S, PT1H4S or PT12.345S.</summary>
    private static string Duration(long seconds, int millis)
    {
        var sb = new StringBuilder("PT");
        long h = seconds / 3600, m = seconds / 60 % 60, s = seconds % 60;
        if (h > 0)
        {
            sb.Append(h).Append('H');
        }
        if (m > 0)
        {
            sb.Append(m).Append('M');
        }
        if (s > 0 || millis > 0 || (h == 0 && m == 0))
        {
            sb.Append(s);
            if (millis > 0)
            {
                sb.Append('.').Append(millis.ToString("000", CultureInfo.InvariantCulture).TrimEnd('0'));
            }
            sb.Append('S');
        }
        return sb.ToString();
    }

    protected override bool IsAuthorized(HttpRequest request, string key) =>
        HeaderEquals(request, "unstructured-api-key", key);

    protected override Task WriteErrorAsync(HttpContext ctx, int status, string message) =>
        JsonOut.WriteAsync(ctx, status, w =>
        {
            w.WriteStartObject();
            w.WriteString("detail", message);
            w.WriteEndObject();
        });

    protected override string UnauthorizedMessage => "API key is malformed, please type the correct API key";

    protected override string EchoedUnauthorizedMessage(string credential) => $"Invalid API key {credential}";

    protected override string[] CredentialHeaders { get; } = ["unstructured-api-key"];
}
