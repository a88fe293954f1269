using System.Globalization;
using System.Text.Json;
using ProviderSimulator.Simulation;

namespace ProviderSimulator.Providers;

/// <summary>
/// Krea: GET /jobs?cursor=&amp;limit=&amp;types=&amp;status= -> {items:[...], next_cursor}. The cursor is a
/// timestamp ("created strictly before"); next_cursor is the last item's created_at exactly as written.
/// Failure details sit in `error` for some failed jobs and in `result.error` for others.
/// GET /jobs/{id} returns one job in the list item shape; DELETE /jobs/{id} deletes a job in any
/// status (200, empty body; the job leaves the dataset), as Krea's OpenAPI document ("Delete a job by ID").
/// </summary>
internal sealed class KreaRoutes : Provider
{
    /// <summary>The undocumented `type` field, matched by the `types` filter.</summary>
    private static readonly string[] Types = ["flux", "k1", "externalImage", "video", "enhance"];

    private static readonly (string Code, string Message)[] Failures =
    [
        ("content_moderation", "Prompt rejected, \"unsafe\" content detected"),
        ("internal_error", "Sampler crashed\nworker exited with code 137"),
        ("timeout", "Generation timed out after 300 s, try fewer steps"),
        ("invalid_input", "Image d'entrée illisible – 画像を確認してください"),
    ];

    private const int Completed = 6, Failed = 7, Cancelled = 8;

    public KreaRoutes()
        : base("krea",
            ["backlogged", "queued", "scheduled", "processing", "sampling", "intermediate-complete", "completed", "failed", "cancelled"],
            ["expired", "moderated"])
    {
    }

    public override int? MaxPageSize => 1000;

    public override string IdField => "job_id";

    public override void MapRoutes(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/krea/jobs", (RequestDelegate)ListAsync);
        routes.MapGet("/krea/jobs/{id}", (RequestDelegate)DetailAsync);
        routes.MapDelete("/krea/jobs/{id}", (RequestDelegate)DeleteAsync);
    }

    protected override LiveStatusNames LiveStatuses { get; } = new("queued", "processing", "completed", "failed", "cancelled");

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
        string? error = null;
        long limit = 100;
        string? text = QueryParams.Get(ctx.Request, "limit");
        if (text is not null && (!QueryParams.TryParseInteger(text, out limit) || limit is < 1 or > 1000))
        {
            error ??= "Invalid query parameters: limit must be an integer between 1 and 1000";
        }
        int start = 0;
        text = QueryParams.Get(ctx.Request, "cursor");
        if (text is not null)
        {
            if (TryParseCursor(text, out DateTimeOffset cursor))
            {
                start = d.FirstIndexCreatedBefore(cursor.UtcTicks - DateTime.UnixEpoch.Ticks);
            }
            else
            {
                error ??= "Invalid query parameters: cursor must be an ISO 8601 date-time";
            }
        }
        int statusCode = -1;
        text = QueryParams.Get(ctx.Request, "status");
        if (text is not null && (statusCode = d.DocumentedStatusCode(text)) < 0)
        {
            error ??= $"Invalid query parameters: status must be one of {DocumentedStatusList}";
        }
        // types: names are matched exactly; unknown names simply match nothing; "types=" filters nothing out.
        int typeMask = -1;
        text = QueryParams.Get(ctx.Request, "types");
        if (text is not null)
        {
            string[] names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (names.Length > 0)
            {
                typeMask = 0;
                foreach (string name in names)
                {
                    int k = Array.IndexOf(Types, name);
                    typeMask |= k < 0 ? 0 : 1 << k;
                }
            }
        }
        if (error is not null)
        {
            await WriteErrorAsync(ctx, StatusCodes.Status400BadRequest, WithEchoedKey(ctx, options, error)).ConfigureAwait(false);
            return;
        }

        IndexSet set = statusCode < 0 ? d.All : d.WithStatus(statusCode);
        bool Matches(int key) => (typeMask & (1 << TypeCode(key))) != 0;
        PageWriter page = StartPage(ctx, options);
        await using (page.ConfigureAwait(false))
        {
            Utf8JsonWriter writer = page.Json;
            writer.WriteStartObject();
            WritePageField(ctx, options, writer);
            writer.WriteStartArray("items");
            int written = 0, last = -1;
            bool more = false;
            foreach (int pos in set.Walk(start, 1))
            {
                int key = d.Key(pos);
                if (!Matches(key))
                {
                    continue;
                }
                if (written == limit)
                {
                    more = true;    // one more match exists beyond the page
                    break;
                }
                WriteListItem(ctx, options, writer, d, key);
                written++;
                last = key;
            }
            writer.WriteEndArray();
            if (options.RepeatCursor && FirstPageLastKey(d, set, limit, Matches) is int firstLast)
            {
                // Every page points at the second page again: the first page's cursor, verbatim.
                Faults.Add(ctx, "repeatCursor");
                more = true;
                last = firstLast;
            }
            string cursorName = options.CamelCaseCursor ? "nextCursor" : "next_cursor";
            if (more)
            {
                JsonOut.WriteIsoMs(writer, cursorName, d.CreatedMs(last));
            }
            else
            {
                writer.WriteNull(cursorName);
            }
            writer.WriteEndObject();
            await page.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The key of the first page's last item when a second page exists (so the first page has a cursor), else null.</summary>
    private static int? FirstPageLastKey(JobDataset d, IndexSet set, long limit, Func<int, bool> matches)
    {
        int written = 0, last = -1;
        foreach (int pos in set.Walk(0, 1))
        {
            int key = d.Key(pos);
            if (!matches(key))
            {
                continue;
            }
            if (written == limit)
            {
                return last;
            }
            written++;
            last = key;
        }
        return null;
    }

    /// <summary>An ISO 8601 date-time (date first, so "12/01/2026" and "yesterday" are rejected).</summary>
    private static bool TryParseCursor(string text, out DateTimeOffset value)
    {
        value = default;
        bool isoShaped = text.Length >= 10 && char.IsAsciiDigit(text[0]) && text[4] == '-' && text[7] == '-';
        return isoShaped && DateTimeOffset.TryParse(
            text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    // Status cycles with i % 9; adding the cycle number makes every (status, type) pair occur.
    private static int TypeCode(int i) => ((i % 9) + (i / 9)) % Types.Length;

    public override void WriteItem(Utf8JsonWriter writer, JobDataset d, int i)
    {
        int status = d.StatusCode(i);
        int type = TypeCode(i);
        ulong r = d.Rand(i, 4);
        long created = d.CreatedMs(i);
        Span<char> uuid = stackalloc char[36];

        writer.WriteStartObject();
        SimHash.FormatUuid(uuid, d.Ids.Forward((uint)i), d.Rand(i, 1), d.Rand(i, 2));
        if (d.Live(i) is LiveJob live)
        {
            writer.WriteString("job_id", live.Id);
        }
        else
        {
            writer.WriteString("job_id", uuid);
        }
        writer.WriteString("status", d.Status(i));
        writer.WriteString("type", Types[type]);   // not in the docs
        JsonOut.WriteIsoMs(writer, "created_at", created);
        if (status is Completed or Failed or Cancelled)
        {
            // Only finished jobs have the property at all: it is omitted, not null, otherwise.
            JsonOut.WriteIsoMs(writer, "completed_at", d.Timeline(i)?.FinishedMs ?? created + 1_000 + (long)(r % 54_000));
        }
        if (status == Completed)
        {
            bool video = Types[type] == "video";
            writer.WriteStartObject("result");
            writer.WriteStartArray("urls");
            int count = video ? 1 : 1 + (int)((r >> 20) % 4);
            for (int k = 0; k < count; k++)
            {
                SimHash.FormatUuid(uuid, (uint)d.Rand(i, 10 + k), d.Rand(i, 20 + k), d.Rand(i, 30 + k));
                // Files on the simulator's file host, as Krea's are on a host that is not its API.
                writer.WriteStringValue(Files.Url(video ? $"krea/videos/{uuid}.mp4" : $"krea/images/{uuid}.png"));
            }
            writer.WriteEndArray();
            if (((r >> 30) & 1) == 0)
            {
                writer.WriteString("style_id", "style_" + ((r >> 32) % 100_000).ToString("00000", CultureInfo.InvariantCulture));
            }
            writer.WriteEndObject();
        }
        else if (status == Failed)
        {
            (string code, string message) = Failures[d.Cycle(i) / 2 % Failures.Length];
            bool nested = d.Cycle(i) % 2 == 1;    // both forms occur in the live API
            if (nested)
            {
                writer.WriteStartObject("result");
            }
            writer.WriteStartObject("error");
            writer.WriteString("code", code);
            writer.WriteString("message", message);
            writer.WriteEndObject();
            if (nested)
            {
                writer.WriteEndObject();
            }
        }
        writer.WriteEndObject();
    }

    protected override bool IsAuthorized(HttpRequest request, string key) =>
        string.Equals(BearerToken(request), key, StringComparison.Ordinal);

    protected override Task WriteErrorAsync(HttpContext ctx, int status, string message) =>
        JsonOut.WriteAsync(ctx, status, w =>
        {
            w.WriteStartObject();
            w.WriteString("error", message);
            w.WriteEndObject();
        });

    protected override string UnauthorizedMessage => "Unauthorized";

    protected override string EchoedUnauthorizedMessage(string credential) => $"Unauthorized: {credential}";
}
