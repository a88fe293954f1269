using System.Globalization;
using System.Text.Json;
using ProviderSimulator.Simulation;

namespace ProviderSimulator.Providers;

/// <summary>
/// ittybit: GET /jobs?limit=&amp;after=&amp;before=&amp;order=&amp;kind=&amp;status=&amp;input= -> bare JSON array.
/// Id cursors (after/before), epoch-millisecond timestamps, and the live API's Link / Has-More /
/// Limit headers (option linkHeader) that the docs do not mention. GET /jobs/{id} returns the list
/// item plus `tasks: [{id, kind, status, progress, error}]`. No cancel route is documented. Statuses
/// are those of the current API reference: the List Jobs page's five, and waiting, validating and
/// finishing (its 2025-09-15 changelog). A cancelled job can have a failed task ("cancelled or a
/// sibling failed", the Get Job page): every other cancelled job with more than one task.
/// </summary>
internal sealed class IttybitRoutes : Provider
{
    private const int IdLength = 20;          // "job_" + 7 base32 digits (scrambled index) + 9 of noise
    private const int IndexDigits = 7;

    private static readonly string[] Kinds = ["video", "audio", "image", "animation", "adaptive_video"];
    private static readonly string[] Extensions = ["mp4", "mp3", "webp", "gif", "m3u8"];

    /// <summary>Inputs repeat (so the exact-match filter finds several jobs); one needs careful URL encoding.</summary>
    private static readonly string[][] Inputs = BuildInputs();

    // Commas, double quotes, a newline and non-ASCII: whatever formats these must escape them.
    private static readonly string[] ErrorMessages =
    [
        "Codec \"h265\" unsupported, try h264",
        "Input could not be downloaded (HTTP 404)",
        "Decoder failed at frame 1204\nffmpeg exited with code 1",
        "Fichier d'entrée corrompu – réessayez 🙁",
    ];

    /// <summary>Kinds of a job's further tasks (the first task has the job's own kind).</summary>
    private static readonly string[] TaskKinds = ["thumbnails", "subtitles", "chapters"];

    private const int Queued = 0, Processing = 1, Succeeded = 2, Failed = 3, Cancelled = 4, Finishing = 7, Paused = 8;

    public IttybitRoutes()
        : base("ittybit", ["queued", "processing", "succeeded", "failed", "cancelled", "waiting", "validating", "finishing"], ["paused", "expired"])
    {
    }

    public override int? MaxPageSize => 100;

    protected override bool BodyIsArray => true;

    public override void MapRoutes(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/ittybit/jobs", (RequestDelegate)ListAsync);
        routes.MapGet("/ittybit/jobs/{id}", (RequestDelegate)DetailAsync);
    }

    protected override LiveStatusNames LiveStatuses { get; } = new("queued", "processing", "succeeded", "failed", "cancelled");

    private async Task ListAsync(HttpContext ctx)
    {
        ProviderOptions? options = await BeginRequestAsync(ctx).ConfigureAwait(false);
        if (options is null)
        {
            return;
        }
        JobDataset d = Dataset;
        HttpRequest q = ctx.Request;
        string? error = null;

        long limit = 20;
        string? text = QueryParams.Get(q, "limit");
        if (text is not null && (!QueryParams.TryParseInteger(text, out limit) || limit is < 1 or > 100))
        {
            error ??= "limit must be an integer between 1 and 100";
        }
        bool ascending = false;
        text = QueryParams.Get(q, "order");
        if (text is not null)
        {
            if (text is not ("asc" or "desc"))
            {
                error ??= "order must be one of: asc, desc";
            }
            ascending = text == "asc";
        }
        int kindCode = -1;
        text = QueryParams.Get(q, "kind");
        if (text is not null && (kindCode = Array.IndexOf(Kinds, text)) < 0)
        {
            error ??= $"kind must be one of: {string.Join(", ", Kinds)}";
        }
        int statusCode = -1;
        text = QueryParams.Get(q, "status");
        if (text is not null && (statusCode = d.DocumentedStatusCode(text)) < 0)
        {
            error ??= $"status must be one of: {DocumentedStatusList}";
        }
        string? input = QueryParams.Get(q, "input");
        // A cursor is located by the listed positions just newer (Lo) and just older (Hi) than its job,
        // so the id of a job deleted meanwhile (deleteBetweenPages) still works, like a timestamp cursor.
        (int Lo, int Hi)? after = null, before = null;
        text = QueryParams.Get(q, "after");
        if (text is not null && (after = LocateId(d, text)) is null)
        {
            error ??= $"after: job '{text}' not found";
        }
        text = QueryParams.Get(q, "before");
        if (text is not null && (before = LocateId(d, text)) is null)
        {
            error ??= $"before: job '{text}' not found";
        }
        if (error is not null)
        {
            await WriteErrorAsync(ctx, StatusCodes.Status400BadRequest, WithEchoedKey(ctx, options, error)).ConfigureAwait(false);
            return;
        }

        // Work in position space: position 0 is the newest, so "forward" in the list is +1 for desc and -1 for asc.
        int dir = ascending ? -1 : 1;
        IndexSet set = statusCode < 0 ? d.All : d.WithStatus(statusCode);
        bool Matches(int pos)
        {
            int key = d.Key(pos);
            return (kindCode < 0 || KindCode(key) == kindCode) && (input is null || Input(d, key) == input);
        }

        var page = new List<int>((int)limit);
        if (before is (int beforeLo, int beforeHi) && after is null)
        {
            // before=X alone: the `limit` matches closest to X on its near side, then back in list order.
            foreach (int i in set.Walk(dir > 0 ? beforeLo : beforeHi, -dir))
            {
                if (Matches(i) && page.Count < limit)
                {
                    page.Add(i);
                }
                if (page.Count == limit)
                {
                    break;
                }
            }
            page.Reverse();
        }
        else
        {
            int from = after is (int afterLo, int afterHi) ? (dir > 0 ? afterHi : afterLo) : (ascending ? d.Count - 1 : 0);
            foreach (int i in set.Walk(from, dir))
            {
                if (before is (int lo, int hi) && (dir > 0 ? i > lo : i < hi))
                {
                    break;   // reached the `before` bound
                }
                if (Matches(i))
                {
                    page.Add(i);
                    if (page.Count == limit)
                    {
                        break;
                    }
                }
            }
        }

        // "More" means: the next page (after=<last id>, before dropped) would not be empty.
        int nextAfter = page.Count > 0 && HasMatchFrom(set, page[^1] + dir, dir, Matches) ? page[^1] : -1;

        if (options.LinkHeader)
        {
            if (options.RepeatCursor)
            {
                // Every Link points at the second page again: after=<the first page's last id>.
                int firstLast = FirstPageLast(set, ascending ? d.Count - 1 : 0, dir, limit, Matches);
                if (firstLast >= 0)
                {
                    Faults.Add(ctx, "repeatCursor");
                    nextAfter = firstLast;
                }
            }
            ctx.Response.Headers["Limit"] = limit.ToString(CultureInfo.InvariantCulture);
            ctx.Response.Headers["Has-More"] = nextAfter >= 0 ? "true" : "false";
            if (nextAfter >= 0)
            {
                if (options.LinkHost is not null)
                {
                    Faults.Add(ctx, "linkHost");
                }
                if (options.LinkPath is not null)
                {
                    Faults.Add(ctx, "linkPath");
                }
                string next = NextPageUrl(ctx, options.LinkHost, options.LinkPath, JobId(d, d.Key(nextAfter)));
                ctx.Response.Headers.Link = $"<{next}>; rel=\"next\"";
            }
        }

        PageWriter body = StartPage(ctx, options);
        await using (body.ConfigureAwait(false))
        {
            Utf8JsonWriter writer = body.Json;
            writer.WriteStartArray();
            foreach (int pos in page)
            {
                WriteListItem(ctx, options, writer, d, d.Key(pos));
            }
            writer.WriteEndArray();
            await body.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static bool HasMatchFrom(IndexSet set, int from, int dir, Func<int, bool> matches)
    {
        foreach (int pos in set.Walk(from, dir))
        {
            if (matches(pos))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Position of the first page's last item when that page has a successor, else -1.</summary>
    private static int FirstPageLast(IndexSet set, int from, int dir, long limit, Func<int, bool> matches)
    {
        int count = 0, last = -1;
        foreach (int pos in set.Walk(from, dir))
        {
            if (!matches(pos))
            {
                continue;
            }
            if (count == limit)
            {
                return last;
            }
            count++;
            last = pos;
        }
        return -1;
    }

    /// <summary>
    /// Absolute URL of the next page: the same query, minus after/before, plus after=&lt;last id&gt;;
    /// on the request's own origin and path, or on linkHost / linkPath when those options are set.
    /// </summary>
    private static string NextPageUrl(HttpContext ctx, string? linkHost, string? linkPath, string lastId)
    {
        List<string> pairs = QueryParams.RawPairsExcept(ctx.Request, "after", "before");
        pairs.Add("after=" + Uri.EscapeDataString(lastId));
        HttpRequest r = ctx.Request;
        string origin = linkHost ?? $"{r.Scheme}://{r.Host}";
        string path = linkPath ?? $"{r.PathBase}{r.Path}";
        return $"{origin}{path}?{string.Join('&', pairs)}";
    }

    // Status cycles with i % 8 (the documented statuses); adding the cycle number makes every (status, kind) pair occur.
    private static int KindCode(int i) => ((i % 8) + (i / 8)) % Kinds.Length;

    private static string Input(JobDataset d, int i) => Inputs[KindCode(i)][d.Rand(i, 3) % 4];

    private static string[][] BuildInputs()
    {
        var table = new string[Kinds.Length][];
        for (int k = 0; k < Kinds.Length; k++)
        {
            string kind = Kinds[k], ext = Extensions[k];
            table[k] =
            [
                $"https://media.example.com/uploads/{kind}/sample-0.{ext}",
                $"https://media.example.com/uploads/{kind}/sample-1.{ext}",
                $"https://media.example.com/uploads/{kind}/sample-2.{ext}",
                $"https://media.example.com/uploads/{kind}/Caf%C3%A9%20menu.{ext}?sig=a%2Bb%3D&v=2",
            ];
        }
        return table;
    }

    private static void FormatId(Span<char> dest, JobDataset d, int i)
    {
        "job_".CopyTo(dest);
        // 35 bits: 3 bits of noise on top of the scrambled index, so ids do not all start alike.
        ulong scrambled = d.Ids.Forward((uint)i) | ((d.Rand(i, 5) & 7) << 32);
        for (int k = 0; k < IndexDigits; k++)
        {
            dest[4 + k] = SimHash.Base32Digits[(int)((scrambled >> (5 * (IndexDigits - 1 - k))) & 31)];
        }
        ulong noise = d.Rand(i, 1);
        for (int k = 4 + IndexDigits; k < IdLength; k++)
        {
            dest[k] = SimHash.Base32Digits[(int)(noise & 31)];
            noise >>= 5;
        }
    }

    protected override string GeneratedId(JobDataset d, int i)
    {
        Span<char> id = stackalloc char[IdLength];
        FormatId(id, d, i);
        return new string(id);
    }

    /// <summary>
    /// Locates an id: the last listed position newer than its job (Lo) and the first older one (Hi);
    /// for a listed job these are its position -1 and +1. Null when no such job ever existed.
    /// </summary>
    private static (int Lo, int Hi)? LocateId(JobDataset d, string id)
    {
        if (!(d.TryFindLive(id, out int key) || TryParseKey(d, id, out key)) || !d.TryLocate(key, out int newer, out bool listed))
        {
            return null;
        }
        return (newer - 1, listed ? newer + 1 : newer);
    }

    protected override bool TryDecodeId(JobDataset d, string id, out int key) => TryParseKey(d, id, out key);

    /// <summary>
    /// Turns a generated id back into its job key: decode the scrambled key digits, then check the whole
    /// id matches. A live job's key is found by its own id (JobDataset.TryFindLive), not by this one.
    /// </summary>
    private static bool TryParseKey(JobDataset d, string id, out int key)
    {
        key = -1;
        if (id.Length != IdLength || !id.StartsWith("job_", StringComparison.Ordinal))
        {
            return false;
        }
        ulong scrambled = 0;
        for (int k = 0; k < IndexDigits; k++)
        {
            int digit = SimHash.Base32Digits.IndexOf(id[4 + k], StringComparison.Ordinal);
            if (digit < 0)
            {
                return false;
            }
            scrambled = (scrambled << 5) | (uint)digit;
        }
        uint candidate = d.Ids.Backward((uint)scrambled);   // drop the noise bits
        if (candidate > int.MaxValue || !d.TryLocate((int)candidate, out _, out _))
        {
            return false;
        }
        Span<char> expected = stackalloc char[IdLength];
        FormatId(expected, d, (int)candidate);
        if (!expected.SequenceEqual(id) || (d.Live((int)candidate) is LiveJob live && live.Id != id))
        {
            return false;
        }
        key = (int)candidate;
        return true;
    }

    public override void WriteItem(Utf8JsonWriter writer, JobDataset d, int i)
    {
        writer.WriteStartObject();
        WriteFields(writer, d, i);
        writer.WriteEndObject();
    }

    /// <summary>GET /jobs/{id}: the list item plus its tasks.</summary>
    protected override void WriteDetail(Utf8JsonWriter writer, JobDataset d, int i)
    {
        writer.WriteStartObject();
        WriteFields(writer, d, i);
        WriteTasks(writer, d, i);
        writer.WriteEndObject();
    }

    private void WriteFields(Utf8JsonWriter writer, JobDataset d, int i)
    {
        int status = d.StatusCode(i);
        int kind = KindCode(i);
        ulong r = d.Rand(i, 4);
        Span<char> id = stackalloc char[IdLength];
        FormatId(id, d, i);

        // Timestamps follow the lifecycle; all within 55 s of creation so nothing lies in the future.
        // A live job's come from its clock.
        long created = d.CreatedMs(i);
        long? started, finished;
        if (d.Timeline(i) is LiveTimeline t)
        {
            started = t.StartedMs;
            finished = t.FinishedMs;
        }
        else
        {
            started = status switch
            {
                Processing or Finishing or Succeeded or Failed or Paused => created + 1_000 + (long)(r % 19_000),
                Cancelled when (r & 1) == 0 => created + 1_000 + (long)(r % 19_000),
                _ => null,
            };
            finished = status is Succeeded or Failed or Cancelled
                ? (started ?? created) + 1_000 + (long)((r >> 20) % 34_000)
                : null;
        }

        if (d.Live(i) is LiveJob live)
        {
            writer.WriteString("id", live.Id);
        }
        else
        {
            writer.WriteString("id", id);
        }
        writer.WriteString("object", "job");
        writer.WriteString("kind", Kinds[kind]);
        writer.WriteString("input", Input(d, i));
        if (status == Succeeded)
        {
            writer.WriteString("output", OutputUrl(id, kind));
        }
        else
        {
            writer.WriteNull("output");
        }
        WriteOptions(writer, kind);
        WriteMetadata(writer, (int)((r >> 40) % 4), i);
        writer.WriteString("status", d.Status(i));
        if (status == Failed)
        {
            writer.WriteString("error", ErrorMessages[d.Cycle(i) % ErrorMessages.Length]);
        }
        else
        {
            writer.WriteNull("error");
        }
        writer.WriteNumber("created_at", created);
        WriteNullableNumber(writer, "started_at", started);
        WriteNullableNumber(writer, "finished_at", finished);
        writer.WriteNumber("updated_at", finished ?? started ?? created);
        writer.WriteNumber("tasks_count", TaskCount(r));   // not in the docs
    }

    private static int TaskCount(ulong r) => 1 + (int)((r >> 50) % 4);

    /// <summary>The job's output on the simulator's file host (ittybit's delivery domain in the live service).</summary>
    private string OutputUrl(ReadOnlySpan<char> id, int kind) => Files.Url($"ittybit/org_sim/{id}.{Extensions[kind]}");

    /// <summary>File extensions of the further tasks' outputs, by task kind.</summary>
    private static readonly string[] TaskExtensions = ["jpg", "vtt", "json"];

    /// <summary>
    /// tasks: [{id, kind, status, progress}], as many as tasks_count says. Tasks run one after the
    /// other: a processing job has finished the first ones, works on one and has the rest queued.
    /// </summary>
    private void WriteTasks(Utf8JsonWriter writer, JobDataset d, int i)
    {
        Span<char> jobId = stackalloc char[IdLength];
        FormatId(jobId, d, i);
        int status = d.StatusCode(i);
        ulong r = d.Rand(i, 4);
        int count = TaskCount(r);
        double done = d.Timeline(i)?.Progress ?? status switch
        {
            Processing => (double)((r >> 10) % 100) / 100,
            Succeeded => 1,
            _ => 0,
        };
        int finishedTasks = (int)(done * count);
        Span<char> id = stackalloc char[17];    // "task_" + 12 base32 digits of noise
        writer.WriteStartArray("tasks");
        for (int t = 0; t < count; t++)
        {
            "task_".CopyTo(id);
            ulong noise = d.Rand(i, 40 + t);
            for (int k = 5; k < id.Length; k++)
            {
                id[k] = SimHash.Base32Digits[(int)(noise & 31)];
                noise >>= 5;
            }
            (string taskStatus, int progress) = status switch
            {
                Queued => ("queued", 0),
                Succeeded => ("succeeded", 100),
                Processing => t < finishedTasks ? ("succeeded", 100)
                    : t == finishedTasks ? ("processing", (int)(((done * count) - finishedTasks) * 100))
                    : ("queued", 0),
                Failed => t < count - 1 ? ("succeeded", 100) : ("failed", (int)((r >> 30) % 100)),
                Cancelled when SiblingFailed(d, i) => t == 0 ? ("succeeded", 100) : t == 1 ? ("failed", (int)((r >> 30) % 100)) : ("cancelled", 0),
                Cancelled => t < finishedTasks ? ("succeeded", 100) : ("cancelled", 0),
                _ => (d.Status(i), 0),
            };
            writer.WriteStartObject();
            writer.WriteString("id", id);
            string taskKind = t == 0 ? Kinds[KindCode(i)] : TaskKinds[(t - 1) % TaskKinds.Length];
            writer.WriteString("kind", taskKind);
            writer.WriteString("status", taskStatus);
            writer.WriteNumber("progress", progress);
            if (taskStatus == "succeeded")
            {
                // A file object, as ittybit's Get Job shows a task's output; the first task's is the job's own output.
                string extension = t == 0 ? Extensions[KindCode(i)] : TaskExtensions[(t - 1) % TaskExtensions.Length];
                writer.WriteStartObject("output");
                writer.WriteString("object", "file");
                writer.WriteString("kind", taskKind);
                writer.WriteString("url", t == 0 ? OutputUrl(jobId, KindCode(i)) : Files.Url($"ittybit/org_sim/{jobId}-{taskKind}.{extension}"));
                writer.WriteString("format", extension);
                writer.WriteEndObject();
            }
            if (taskStatus == "failed")
            {
                writer.WriteString("error", ErrorMessages[(d.Cycle(i) + t) % ErrorMessages.Length]);
            }
            else
            {
                writer.WriteNull("error");
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    /// <summary>A cancelled generated job whose second task failed (every other one with more than one task); a live job's never did.</summary>
    public static bool SiblingFailed(JobDataset d, int i) =>
        d.StatusCode(i) == Cancelled && d.Live(i) is null && d.Cycle(i) % 2 == 0 && TaskCount(d.Rand(i, 4)) > 1;

    private static void WriteNullableNumber(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is long v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteOptions(Utf8JsonWriter w, int kind)
    {
        w.WriteStartObject("options");
        w.WriteString("format", Extensions[kind] == "m3u8" ? "hls" : Extensions[kind]);
        switch (kind)
        {
            case 0:
                w.WriteString("quality", "high");
                w.WriteNumber("width", 1280);
                break;
            case 1:
                w.WriteNumber("bitrate", 128);
                break;
            case 2:
                w.WriteNumber("width", 800);
                w.WriteNumber("height", 600);
                break;
            case 3:
                w.WriteNumber("fps", 12);
                break;
            default:
                w.WriteStartArray("renditions");
                w.WriteStringValue("1080p");
                w.WriteStringValue("720p");
                w.WriteStringValue("480p");
                w.WriteEndArray();
                break;
        }
        w.WriteEndObject();
    }

    private static void WriteMetadata(Utf8JsonWriter w, int variant, int i)
    {
        w.WriteStartObject("metadata");
        if (variant == 2)
        {
            w.WriteString("customer", "Zoë – 東京 🎬");
            w.WriteString("ref", "A-" + i.ToString(CultureInfo.InvariantCulture));
        }
        else if (variant == 3)
        {
            w.WriteString("note", "Line one, \"quoted\"\nline two");
            w.WriteNumber("batch", i % 7);
        }
        w.WriteEndObject();
    }

    protected override bool IsAuthorized(HttpRequest request, string key) =>
        string.Equals(BearerToken(request), key, StringComparison.Ordinal);

    protected override Task WriteErrorAsync(HttpContext ctx, int status, string message) =>
        JsonOut.WriteAsync(ctx, status, w =>
        {
            w.WriteStartObject();
            w.WriteString("kind", "error");
            w.WriteString("message", message);
            w.WriteEndObject();
        });
}
