using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using ProviderSimulator.Simulation;

namespace ProviderSimulator.Providers;

/// <summary>
/// pyannoteAI: GET /v1/jobs?take=&amp;skip=&amp;status= -> {items:[{id,status,createdAt}], total}, newest first.
/// Offset paging; total counts the jobs matching the status filter. NestJS-style validation errors.
/// GET /v2/jobs?limit=&amp;cursor=&amp;status= -> {items, nextCursor}, the same order: the cursor is the id
/// of the last job already read, nextCursor null on the last page (the published OpenAPI document).
/// Option listRoutes turns one of the two list routes into a 404.
/// GET /v1/jobs/{jobId} -> {jobId, status, createdAt, updatedAt, output, model}: output is the
/// diarization of a succeeded job (every third with a warning beside it), {diarization: [], error}
/// for a failed one, null otherwise. No cancel route is documented.
/// </summary>
internal sealed class PyannoteAIRoutes : Provider
{
    // pyannoteAI allows about 100 a minute; the simulator reports a generous budget of its own, so that the
    // module's pacing (which honours a spent budget) never slows a test down unless rateBudget asks it to.
    private const int RateLimit = 100_000;
    private static readonly string[] Models = ["precision-2", "precision-1", "community-1"];

    // Quotes, a newline and non-ASCII: whatever shows these must escape them.
    private static readonly string[] ErrorMessages =
    [
        "Media could not be decoded: \"unsupported codec\"",
        "Download failed: the media URL answered HTTP 403",
        "Audio is empty\nno speech detected in 0 s of media",
        "Fichier audio illisible – 音声ファイルを確認してください",
    ];

    private static readonly string[] WarningMessages =
    [
        "Audio shorter than 1 s; diarization may be unreliable",
        "numSpeakers hint (\"3\") ignored: 2 speakers detected",
        "Résultat partiel – long silence détecté (無音)",
    ];

    private const int Pending = 0, Created = 1, Succeeded = 2, Failed = 4, Running = 5;

    private readonly Lock _rateLock = new();
    private long _rateWindowMinute;
    private int _rateWindowCount;

    public PyannoteAIRoutes()
        : base("pyannoteai", ["pending", "created", "succeeded", "canceled", "failed", "running"], ["archived", "expired"])
    {
    }

    public override int? MaxPageSize => 100;

    public override void MapRoutes(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/pyannoteai/v1/jobs", (RequestDelegate)ListAsync);
        routes.MapGet("/pyannoteai/v2/jobs", (RequestDelegate)ListV2Async);
        routes.MapGet("/pyannoteai/v1/jobs/{jobId}", (RequestDelegate)DetailAsync);
        routes.MapPost("/pyannoteai/v1/media/output", (RequestDelegate)MediaOutputAsync);
    }

    protected override LiveStatusNames LiveStatuses { get; } = new("pending", "running", "succeeded", "failed", "canceled");

    protected override string GeneratedId(JobDataset d, int key) =>
        SimHash.Uuid(d.Ids.Forward((uint)key), d.Rand(key, 1), d.Rand(key, 2));

    private async Task ListAsync(HttpContext ctx)
    {
        ProviderOptions? options = await BeginListAsync(ctx, offWhen: ListRoutes.V2).ConfigureAwait(false);
        if (options is null)
        {
            return;
        }
        JobDataset d = Dataset;
        var errors = new List<(string Field, string Message)>();
        long take = ReadNumber(ctx.Request, "take", 10, 1, 100, errors);
        long skip = ReadNumber(ctx.Request, "skip", 0, 0, long.MaxValue, errors);
        int statusCode = ReadStatus(ctx.Request, d, errors);
        if (errors.Count > 0)
        {
            await WriteValidationErrorsAsync(ctx, WithEchoedKey(ctx, options, "Invalid request"), errors).ConfigureAwait(false);
            return;
        }

        IndexSet set = statusCode < 0 ? d.All : d.WithStatus(statusCode);
        long total = set.Length;
        if (options.StuckPage)
        {
            // skip is ignored: always the first page, and a total that always promises one more page.
            Faults.Add(ctx, "stuckPage");
            total = Math.Max(total, Math.Min(skip, long.MaxValue - take - 1) + take) + 1;
            skip = 0;
        }
        int start = (int)Math.Min(skip, set.Length);
        int end = (int)Math.Min(set.Length, start + take);
        PageWriter page = StartPage(ctx, options);
        await using (page.ConfigureAwait(false))
        {
            Utf8JsonWriter writer = page.Json;
            writer.WriteStartObject();
            WritePageField(ctx, options, writer);
            WriteItems(ctx, options, writer, d, set, start, end);
            writer.WriteNumber("total", total);
            writer.WriteEndObject();
            await page.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// GET /v2/jobs?limit=&amp;cursor=&amp;status=: the jobs after the one the cursor names, in list order
    /// (with a status filter: the matching ones). nextCursor is the page's last id while more matching
    /// jobs follow, else null. Jobs inserted at the head meanwhile do not shift the pages.
    /// </summary>
    private async Task ListV2Async(HttpContext ctx)
    {
        ProviderOptions? options = await BeginListAsync(ctx, offWhen: ListRoutes.V1).ConfigureAwait(false);
        if (options is null)
        {
            return;
        }
        JobDataset d = Dataset;
        var errors = new List<(string Field, string Message)>();
        long limit = ReadNumber(ctx.Request, "limit", 10, 1, 100, errors);
        int after = 0;
        string? cursor = QueryParams.Get(ctx.Request, "cursor");
        if (cursor is not null && !TryPlaceCursor(d, cursor, out after, out string? cursorError))
        {
            errors.Add(("cursor", cursorError));
        }
        int statusCode = ReadStatus(ctx.Request, d, errors);
        if (errors.Count > 0)
        {
            await WriteValidationErrorsAsync(ctx, WithEchoedKey(ctx, options, "Invalid request"), errors).ConfigureAwait(false);
            return;
        }

        IndexSet set = statusCode < 0 ? d.All : d.WithStatus(statusCode);
        int start = set.LowerBound(after);
        int end = (int)Math.Min(set.Length, start + limit);
        int nextKey = end > start && end < set.Length ? d.Key(set[end - 1]) : -1;
        if (options.RepeatCursor && limit < set.Length)
        {
            // Every page points at the second page again: the first page's nextCursor, verbatim.
            Faults.Add(ctx, "repeatCursor");
            nextKey = d.Key(set[(int)limit - 1]);
        }
        PageWriter page = StartPage(ctx, options);
        await using (page.ConfigureAwait(false))
        {
            Utf8JsonWriter writer = page.Json;
            writer.WriteStartObject();
            WritePageField(ctx, options, writer);
            WriteItems(ctx, options, writer, d, set, start, end);
            if (nextKey >= 0)
            {
                WriteUuidId(writer, "nextCursor", d, nextKey);
            }
            else
            {
                writer.WriteNull("nextCursor");
            }
            writer.WriteEndObject();
            await page.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The first list position after the job a v2 cursor names: its own position + 1 while it is listed;
    /// for a job deleted since, the first listed job older than it (placed by creation time, as
    /// ittybit's `after`). A live job's own id is accepted even when it is not a UUID.
    /// </summary>
    private bool TryPlaceCursor(JobDataset d, string cursor, out int position, [NotNullWhen(false)] out string? error)
    {
        position = 0;
        error = null;
        if (!d.TryFindLive(cursor, out int key))
        {
            if (!Guid.TryParseExact(cursor, "D", out _))
            {
                error = "cursor must be a UUID";
                return false;
            }
            string id = cursor.ToLowerInvariant();   // ids are written in lower case; a UUID is not case-sensitive
            if (!TryDecodeId(d, id, out key) || key >= d.NextKey || d.Live(key) is not null ||
                !string.Equals(GeneratedId(d, key), id, StringComparison.Ordinal))
            {
                error = "cursor does not match any job";
                return false;
            }
        }
        if (!d.TryLocate(key, out int newer, out bool listed))
        {
            error = "cursor does not match any job";
            return false;
        }
        position = listed ? newer + 1 : newer;
        return true;
    }

    private int ReadStatus(HttpRequest request, JobDataset d, List<(string, string)> errors)
    {
        string? status = QueryParams.Get(request, "status");
        int statusCode = -1;
        if (status is not null && (statusCode = d.DocumentedStatusCode(status)) < 0)
        {
            errors.Add(("status", $"status must be one of the following values: {DocumentedStatusList}"));
        }
        return statusCode;
    }

    /// <summary>
    /// POST /v1/media/output {"url":"media://&lt;key&gt;"} -> 201 {"url"}: a pre-signed download URL of the
    /// file on the file host (its signature a query). The key must match the documented pattern
    /// (^media://[a-zA-Z0-9-_./]+$, at most 255 characters), else a 400 in the validation shape.
    /// </summary>
    private async Task MediaOutputAsync(HttpContext ctx)
    {
        ProviderOptions? options = await BeginRequestAsync(ctx).ConfigureAwait(false);
        if (options is null)
        {
            return;
        }
        string? url = null;
        try
        {
            using JsonDocument body = await JsonDocument.ParseAsync(ctx.Request.Body, default, ctx.RequestAborted).ConfigureAwait(false);
            if (body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("url", out JsonElement value) && value.ValueKind == JsonValueKind.String)
            {
                url = value.GetString();
            }
        }
        catch (JsonException)
        {
            // Answered below as a missing url.
        }
        const string scheme = "media://";
        if (url is null || url.Length > 255 || !url.StartsWith(scheme, StringComparison.Ordinal) || url.Length == scheme.Length
            || !url[scheme.Length..].All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/'))
        {
            await WriteValidationErrorsAsync(ctx, WithEchoedKey(ctx, options, "Invalid request"), [("url", "url must match ^media:\\/\\/[a-zA-Z0-9\\-_\\.\\/]+$")]).ConfigureAwait(false);
            return;
        }
        string key = url[scheme.Length..];
        string signature = SimHash.OfString(key).ToString("x16", CultureInfo.InvariantCulture);
        await JsonOut.WriteAsync(ctx, StatusCodes.Status201Created, w =>
        {
            w.WriteStartObject();
            w.WriteString("url", Files.Url($"pyannoteai/media/{key}?X-Amz-Expires=3600&X-Amz-Signature={signature}"));
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary>400 {"message":"Invalid request","errors":[{"field","message"}]}, as NestJS's class-validator pipe answers (summary: the top message).</summary>
    private static Task WriteValidationErrorsAsync(HttpContext ctx, string summary, List<(string Field, string Message)> errors) =>
        JsonOut.WriteAsync(ctx, StatusCodes.Status400BadRequest, w =>
        {
            w.WriteStartObject();
            w.WriteString("message", summary);
            w.WriteStartArray("errors");
            foreach ((string field, string message) in errors)
            {
                w.WriteStartObject();
                w.WriteString("field", field);
                w.WriteString("message", message);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });

    /// <summary>A list request's start: the route switched off by listRoutes answers 404, else the usual checks (null once answered).</summary>
    private async Task<ProviderOptions?> BeginListAsync(HttpContext ctx, ListRoutes offWhen)
    {
        if (Options.ListRoutes == offWhen)
        {
            await WriteRouteDisabledAsync(ctx).ConfigureAwait(false);
            return null;
        }

        return await BeginRequestAsync(ctx).ConfigureAwait(false);
    }

    /// <summary>"items": the jobs at positions start to end of the set, in list order.</summary>
    private void WriteItems(HttpContext ctx, ProviderOptions options, Utf8JsonWriter writer, JobDataset d, IndexSet set, int start, int end)
    {
        writer.WriteStartArray("items");
        for (int pos = start; pos < end; pos++)
        {
            WriteListItem(ctx, options, writer, d, d.Key(set[pos]));
        }
        writer.WriteEndArray();
    }

    /// <summary>
    /// The list route that option listRoutes switched off: 404 {"requestId","message":"Cannot GET /v2/jobs"}
    /// straight away, as for a path the server does not have (no key check, no latency, no fault counted).
    /// </summary>
    private Task WriteRouteDisabledAsync(HttpContext ctx)
    {
        Faults.Add(ctx, "listRoutes");
        string path = ctx.Request.Path.Value ?? string.Empty;
        string route = path.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? path[Prefix.Length..] : path;
        return WriteErrorAsync(ctx, StatusCodes.Status404NotFound, $"Cannot GET {route}");
    }

    /// <summary>Reads an integer query parameter with class-validator-like messages.</summary>
    private static long ReadNumber(HttpRequest request, string name, long fallback, long min, long max, List<(string, string)> errors)
    {
        string? text = QueryParams.Get(request, name);
        if (text is null)
        {
            return fallback;
        }
        if (!QueryParams.TryParseInteger(text, out long value))
        {
            errors.Add((name, $"{name} must be an integer number"));
            return fallback;
        }
        if (value < min)
        {
            errors.Add((name, $"{name} must not be less than {min}"));
            return fallback;
        }
        if (value > max)
        {
            errors.Add((name, $"{name} must not be greater than {max}"));
            return fallback;
        }
        return value;
    }

    public override void WriteItem(Utf8JsonWriter writer, JobDataset d, int i)
    {
        writer.WriteStartObject();
        WriteUuidId(writer, "id", d, i);
        writer.WriteString("status", d.Status(i));
        JsonOut.WriteIsoMs(writer, "createdAt", d.CreatedMs(i));
        writer.WriteString("model", Models[d.Rand(i, 3) % (ulong)Models.Length]);   // not in the docs
        writer.WriteEndObject();
    }

    /// <summary>GET /v1/jobs/{jobId}: the id is called jobId here; updatedAt is when the status last changed.</summary>
    protected override void WriteDetail(Utf8JsonWriter writer, JobDataset d, int i)
    {
        int status = d.StatusCode(i);
        long created = d.CreatedMs(i);
        ulong r = d.Rand(i, 4);
        long updated = d.Timeline(i) is LiveTimeline t
            ? t.FinishedMs ?? t.StartedMs ?? created
            : status switch
            {
                Pending or Created => created,
                Running => created + 1_000 + (long)(r % 19_000),
                _ => created + 2_000 + (long)((r >> 16) % 48_000),
            };
        writer.WriteStartObject();
        WriteUuidId(writer, "jobId", d, i);
        writer.WriteString("status", d.Status(i));
        JsonOut.WriteIsoMs(writer, "createdAt", created);
        JsonOut.WriteIsoMs(writer, "updatedAt", updated);
        int cycle = d.Cycle(i);
        if (status == Succeeded)
        {
            // Every third succeeded job (one per three status cycles) carries a warning beside its diarization.
            string? media = Options.MediaOutputs ? $"media://outputs/{JobId(d, i)}.wav" : null;
            WriteOutput(writer, r, null, cycle % 3 == 0 ? WarningMessages[cycle / 3 % WarningMessages.Length] : null, media);
        }
        else if (status == Failed)
        {
            WriteOutput(writer, r, ErrorMessages[cycle % ErrorMessages.Length], null, null);
        }
        else
        {
            writer.WriteNull("output");
        }
        writer.WriteString("model", Models[d.Rand(i, 3) % (ulong)Models.Length]);   // not in the docs
        writer.WriteEndObject();
    }

    /// <summary>
    /// output: {"diarization":[{"speaker":"SPEAKER_00","start":0.5,"end":3.2}, ...], "warning"?} for a
    /// succeeded job (times in tenths of a second), {"diarization":[], "error"} for a failed one.
    /// </summary>
    private static void WriteOutput(Utf8JsonWriter writer, ulong r, string? error, string? warning, string? media)
    {
        int turns = error is null ? 2 + (int)((r >> 40) % 4) : 0;
        int speakers = 2 + (int)((r >> 44) % 2);
        int tenths = 5;
        writer.WriteStartObject("output");
        writer.WriteStartArray("diarization");
        for (int k = 0; k < turns; k++)
        {
            ulong step = SimHash.Mix(r + (ulong)k);
            int end = tenths + 10 + (int)(step % 50);
            writer.WriteStartObject();
            writer.WriteString("speaker", "SPEAKER_" + (k % speakers).ToString("00", CultureInfo.InvariantCulture));
            writer.WriteNumber("start", tenths / 10.0);
            writer.WriteNumber("end", end / 10.0);
            writer.WriteEndObject();
            tenths = end + 1 + (int)((step >> 8) % 10);
        }
        writer.WriteEndArray();
        if (error is not null)
        {
            writer.WriteString("error", error);
        }
        if (warning is not null)
        {
            writer.WriteString("warning", warning);
        }
        if (media is not null)
        {
            writer.WriteString("media", media);
        }
        writer.WriteEndObject();
    }

    protected override bool IsAuthorized(HttpRequest request, string key) =>
        string.Equals(BearerToken(request), key, StringComparison.Ordinal);

    /// <summary>X-RateLimit-* on every response; a fixed one-minute window, never enforced (use failStatus for 429s).</summary>
    protected override void AddResponseHeaders(HttpContext ctx)
    {
        long minute = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60;
        int used;
        lock (_rateLock)
        {
            if (minute != _rateWindowMinute)
            {
                _rateWindowMinute = minute;
                _rateWindowCount = 0;
            }
            used = ++_rateWindowCount;
        }
        ctx.Response.Headers["X-RateLimit-Limit"] = RateLimit.ToString(CultureInfo.InvariantCulture);
        ctx.Response.Headers["X-RateLimit-Remaining"] = Math.Max(0, RateLimit - used).ToString(CultureInfo.InvariantCulture);
    }

    protected override Task WriteErrorAsync(HttpContext ctx, int status, string message)
    {
        if (status == StatusCodes.Status429TooManyRequests)
        {
            if (!ctx.Response.Headers.ContainsKey("X-RateLimit-Reset"))    // rateLimitReset, when set, wins
            {
                long reset = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 * 60) + 60;
                ctx.Response.Headers["X-RateLimit-Reset"] = reset.ToString(CultureInfo.InvariantCulture);
            }
            ctx.Response.Headers["X-RateLimit-Remaining"] = "0";
        }
        return JsonOut.WriteAsync(ctx, status, w =>
        {
            w.WriteStartObject();
            w.WriteString("requestId", Guid.NewGuid().ToString());
            w.WriteString("message", message);
            w.WriteEndObject();
        });
    }
}
