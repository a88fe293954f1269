using System.Globalization;
using System.Text.Json;
using ProviderSimulator.Simulation;

namespace ProviderSimulator.Providers;

/// <summary>
/// Convertly: GET /api/jobs?limit=&amp;offset=&amp;status= -> {jobs:[...], pagination:{limit,offset,total,hasMore}}.
/// Offset paging; either `Authorization: Bearer` or `x-api-key`; `results` is an object, an array or null.
/// GET /api/jobs/{id} returns one job with camelCase field names. DELETE /api/jobs/{id} cancels a
/// pending job: Convertly has no cancelled status, so the job leaves the dataset and the answer is
/// 200 {"success":true}; any other status is a 409. Errors are {"error", "code", "detail"?, "upgradeUrl"?}.
/// </summary>
internal sealed class ConvertlyRoutes : Provider
{
    private const string UpgradeUrl = "https://convertly.sh/pricing";
    private static readonly string[] JobTypes = ["convert", "compress", "media_tool", "transfer"];
    private static readonly string[] Priorities = ["normal", "high", "low"];
    private static readonly string[] Sources = ["api", "dashboard", "workflow"];

    private static readonly string[] ErrorMessages =
    [
        "Codec \"h265\" unsupported, try h264",
        "Source file exceeds the 2 GB limit, upgrade your plan",
        "Conversion failed:\nlibvips error, \"unsupported image format\"",
        "Échec du traitement – format inconnu (数据)",
    ];

    private const int Pending = 0, Processing = 1, Completed = 2, Failed = 3, Archived = 5;

    public ConvertlyRoutes()
        : base("convertly", ["pending", "processing", "completed", "failed"], ["cancelled", "archived"])
    {
    }

    public override int? MaxPageSize => 100;

    public override void MapRoutes(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/convertly/api/jobs", (RequestDelegate)ListAsync);
        routes.MapGet("/convertly/api/jobs/{id}", (RequestDelegate)DetailAsync);
        routes.MapDelete("/convertly/api/jobs/{id}", (RequestDelegate)(ctx => CancelAsync(ctx, 0)));
    }

    protected override string[] CredentialHeaders { get; } = ["Authorization", "x-api-key"];

    protected override LiveStatusNames LiveStatuses { get; } = new("pending", "processing", "completed", "failed", null);

    protected override string[]? CancellableStatuses { get; } = ["pending"];

    protected override string GeneratedId(JobDataset d, int key) =>
        SimHash.Uuid(d.Ids.Forward((uint)key), d.Rand(key, 1), d.Rand(key, 2));

    protected override Task WriteCancelledAsync(HttpContext ctx, ProviderOptions options, JobDataset dataset, int key) =>
        WriteBodyAsync(ctx, options, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("success", true);
            w.WriteEndObject();
        });

    private async Task ListAsync(HttpContext ctx)
    {
        ProviderOptions? options = await BeginRequestAsync(ctx).ConfigureAwait(false);
        if (options is null)
        {
            return;
        }
        JobDataset d = Dataset;
        string? error = null;
        long limit = 20, offset = 0;
        string? text = QueryParams.Get(ctx.Request, "limit");
        if (text is not null && (!QueryParams.TryParseInteger(text, out limit) || limit is < 1 or > 100))
        {
            error ??= "Invalid limit: must be an integer between 1 and 100";
        }
        text = QueryParams.Get(ctx.Request, "offset");
        if (text is not null && (!QueryParams.TryParseInteger(text, out offset) || offset < 0))
        {
            error ??= "Invalid offset: must be an integer >= 0";
        }
        int statusCode = -1;
        text = QueryParams.Get(ctx.Request, "status");
        if (text is not null && (statusCode = d.DocumentedStatusCode(text)) < 0)
        {
            error ??= $"Invalid status: must be one of {DocumentedStatusList}";
        }
        if (error is not null)
        {
            await WriteErrorAsync(ctx, StatusCodes.Status400BadRequest, WithEchoedKey(ctx, options, error)).ConfigureAwait(false);
            return;
        }

        IndexSet set = statusCode < 0 ? d.All : d.WithStatus(statusCode);
        int start = (int)Math.Min(offset, set.Length);
        int end = (int)Math.Min(set.Length, start + limit);
        long total = set.Length;
        bool hasMore = end < set.Length;
        if (options.StuckPage)
        {
            // offset is ignored (but echoed): always the first page, always "more", total beyond what is read.
            Faults.Add(ctx, "stuckPage");
            start = 0;
            end = (int)Math.Min(set.Length, limit);
            total = Math.Max(total, Math.Min(offset, long.MaxValue - limit - 1) + limit) + 1;
            hasMore = true;
        }
        PageWriter page = StartPage(ctx, options);
        await using (page.ConfigureAwait(false))
        {
            Utf8JsonWriter writer = page.Json;
            writer.WriteStartObject();
            WritePageField(ctx, options, writer);
            writer.WriteStartArray("jobs");
            for (int pos = start; pos < end; pos++)
            {
                WriteListItem(ctx, options, writer, d, d.Key(set[pos]));
            }
            writer.WriteEndArray();
            writer.WriteStartObject("pagination");
            writer.WriteNumber("limit", limit);
            writer.WriteNumber("offset", offset);
            writer.WriteNumber("total", total);
            writer.WriteBoolean("hasMore", hasMore);
            writer.WriteEndObject();
            writer.WriteEndObject();
            await page.CompleteAsync().ConfigureAwait(false);
        }
    }

    public override void WriteItem(Utf8JsonWriter writer, JobDataset d, int i) => WriteJob(writer, d, i, camelCase: false);

    /// <summary>GET /api/jobs/{id}: the same job with camelCase names (jobId, jobType, totalFiles, ...).</summary>
    protected override void WriteDetail(Utf8JsonWriter writer, JobDataset d, int i) => WriteJob(writer, d, i, camelCase: true);

    private void WriteJob(Utf8JsonWriter writer, JobDataset d, int i, bool camelCase)
    {
        int status = d.StatusCode(i);
        int cycle = d.Cycle(i);
        ulong r = d.Rand(i, 4);
        LiveTimeline? timeline = d.Timeline(i);
        int total = 1 + (int)(r % 12);
        int failed = 0, completed = 0;
        switch (status)
        {
            case Processing:
                completed = timeline is LiveTimeline t ? (int)(t.Progress * total) : (int)((r >> 8) % (ulong)total);
                break;
            case Completed when PartlyFailed(d, i):
                // A completed job can have failed files (Convertly's async-processing guide): every third one with more than one file.
                failed = 1 + (int)((r >> 8) % (ulong)(total - 1));
                completed = total - failed;
                break;
            case Completed or Archived:
                completed = total;
                break;
            case Failed:
                failed = 1 + (int)((r >> 8) % (ulong)total);
                completed = (int)((r >> 16) % (ulong)(total - failed + 1));
                break;
        }
        int progress = status is Completed or Archived ? 100 : (completed + failed) * 100 / total;
        long created = d.CreatedMs(i);

        Span<char> id = stackalloc char[36];
        SimHash.FormatUuid(id, d.Ids.Forward((uint)i), d.Rand(i, 1), d.Rand(i, 2));
        writer.WriteStartObject();
        WriteUuidId(writer, camelCase ? "jobId" : "id", d, i);
        writer.WriteString(camelCase ? "jobType" : "job_type", JobTypes[((i % 4) + (i / 4)) % JobTypes.Length]);   // every (status, type) pair
        writer.WriteString("status", d.Status(i));
        writer.WriteNumber(camelCase ? "totalFiles" : "total_files", total);
        writer.WriteNumber(camelCase ? "completedFiles" : "completed_files", completed);
        writer.WriteNumber(camelCase ? "failedFiles" : "failed_files", failed);
        writer.WriteNumber("progress", progress);
        string errorName = camelCase ? "errorMessage" : "error_message";
        if (status == Failed)
        {
            writer.WriteString(errorName, ErrorMessages[cycle % ErrorMessages.Length]);
        }
        else
        {
            writer.WriteNull(errorName);
        }
        WriteResults(writer, status, cycle, completed, failed, id);
        JsonOut.WriteIsoMs(writer, camelCase ? "createdAt" : "created_at", created);
        string completedName = camelCase ? "completedAt" : "completed_at";
        if (status is Completed or Failed or Archived)
        {
            JsonOut.WriteIsoMs(writer, completedName, timeline?.FinishedMs ?? created + 2_000 + (long)((r >> 24) % 48_000));
        }
        else
        {
            writer.WriteNull(completedName);
        }
        writer.WriteString("priority", Priorities[(r >> 40) % (ulong)Priorities.Length]);   // not in the docs
        writer.WriteString("source", Sources[(r >> 48) % (ulong)Sources.Length]);           // not in the docs
        writer.WriteEndObject();
    }

    /// <summary>A completed generated job with failed files: every third one that has more than one file.</summary>
    public static bool PartlyFailed(JobDataset d, int i) =>
        d.StatusCode(i) == Completed && d.Live(i) is null && d.Cycle(i) % 3 == 1 && 1 + (int)(d.Rand(i, 4) % 12) > 1;

    /// <summary>
    /// The documented type is object | array | null: finished jobs alternate between the forms. The files
    /// are on the simulator's file host, their URLs signed (a query the module must never show), and
    /// each object form's size is the file host's.
    /// </summary>
    private void WriteResults(Utf8JsonWriter w, int status, int cycle, int completed, int failed, ReadOnlySpan<char> id)
    {
        string prefix = Files.Url($"convertly/out/{id[..8]}");
        string signature = $"?expires=4102444800&signature=sim{id[..8]}";
        if ((status is Completed or Archived) && cycle % 2 == 0)
        {
            w.WriteStartObject("results");
            w.WriteString("output_format", "webp");
            w.WriteStartArray("files");
            for (int k = 0; k < completed; k++)
            {
                string n = k.ToString(CultureInfo.InvariantCulture);
                w.WriteStartObject();
                w.WriteString("name", k == 0 ? "Überblick 📄.webp" : $"file-{n}.webp");
                w.WriteString("url", $"{prefix}/{n}.webp{signature}");
                w.WriteNumber("size", Files.Size);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        else if (status is Completed or Archived || (status == Failed && cycle % 2 == 1))
        {
            w.WriteStartArray("results");
            for (int k = 0; k < completed + failed; k++)
            {
                string n = k.ToString(CultureInfo.InvariantCulture);
                w.WriteStartObject();
                w.WriteString("file", $"input-{n}.png");
                if (k < completed)
                {
                    w.WriteString("url", $"{prefix}/{n}.avif{signature}");
                }
                else
                {
                    w.WriteString("error", "Unsupported, \"corrupt\" header");
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        else
        {
            w.WriteNull("results");
        }
    }

    protected override bool IsAuthorized(HttpRequest request, string key) =>
        string.Equals(BearerToken(request), key, StringComparison.Ordinal) || HeaderEquals(request, "x-api-key", key);

    protected override Task WriteErrorAsync(HttpContext ctx, int status, string message) =>
        WriteErrorAsync(ctx, status, message, status switch
        {
            StatusCodes.Status401Unauthorized => "Send the API key as 'Authorization: Bearer <key>' or in the x-api-key header",
            StatusCodes.Status402PaymentRequired => "Monthly quota of 100 conversions reached; resets on the 1st",
            _ => null,
        });

    protected override Task WriteNotCancellableAsync(HttpContext ctx, string status) =>
        WriteErrorAsync(ctx, StatusCodes.Status409Conflict, $"Job cannot be cancelled in status {status}",
            $"Job status is {status}; only pending jobs can be cancelled");

    /// <summary>
    /// {"error", "code", "detail"?, "upgradeUrl"?}: the machine-readable code for the status, and a
    /// detail only where there is more to say, as Convertly's own PHP client reads them.
    /// </summary>
    private static Task WriteErrorAsync(HttpContext ctx, int status, string message, string? detail) =>
        JsonOut.WriteAsync(ctx, status, w =>
        {
            w.WriteStartObject();
            w.WriteString("error", message);
            w.WriteString("code", ErrorCode(status));
            if (detail is not null)
            {
                w.WriteString("detail", detail);
            }
            if (status == StatusCodes.Status402PaymentRequired)
            {
                w.WriteString("upgradeUrl", UpgradeUrl);
            }
            w.WriteEndObject();
        });

    private static string ErrorCode(int status) => status switch
    {
        StatusCodes.Status400BadRequest or StatusCodes.Status422UnprocessableEntity => "invalid_request",
        StatusCodes.Status401Unauthorized => "unauthorized",
        StatusCodes.Status402PaymentRequired => "quota_exceeded",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status404NotFound => "not_found",
        StatusCodes.Status409Conflict => "conflict",
        StatusCodes.Status429TooManyRequests => "rate_limited",
        StatusCodes.Status503ServiceUnavailable => "service_unavailable",
        >= 500 => "server_error",
        _ => "client_error",
    };

    protected override string InjectedMessage(int status) => status == StatusCodes.Status402PaymentRequired
        ? "Monthly quota exhausted"
        : base.InjectedMessage(status);
}
