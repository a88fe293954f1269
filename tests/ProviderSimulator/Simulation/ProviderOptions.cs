using System.Globalization;
using System.Text.Json;

namespace ProviderSimulator.Simulation;

/// <summary>What the corruptBody fault does to a 200 list response.</summary>
internal enum BodyCorruption
{
    None,

    /// <summary>Status 200, text/html maintenance page.</summary>
    Html,

    /// <summary>The first half of the real page (cut on a character boundary), application/json.</summary>
    Truncated,

    /// <summary>Valid JSON of the wrong shape: {"unexpected":true} for array bodies, [1,2,3] for object bodies.</summary>
    WrongShape,

    /// <summary>Status 200, application/json, no body at all.</summary>
    Empty,

    /// <summary>Headers (with the full Content-Length) and half of the body, then the connection is aborted.</summary>
    ResetMidBody,
}

/// <summary>pyannoteAI: which list routes exist (GET /v1/jobs, GET /v2/jobs); the other one answers 404.</summary>
internal enum ListRoutes
{
    Both,
    V1,
    V2,
}

/// <summary>Counters that options set but requests consume (shown in GET options as what is left).</summary>
internal struct FaultCounters
{
    public int FailCount;
    public int CorruptCount;
}

/// <summary>
/// Per-provider behaviour switches, set by tests through POST /_sim/{provider}/options.
/// Immutable: a change swaps the whole record, so a request always sees one consistent set.
/// </summary>
internal sealed record ProviderOptions
{
    /// <summary>The largest value the integer options accept (delays in ms, job counts).</summary>
    private const int MaxDelayMs = 600_000;

    private static readonly string[] CorruptionNames = ["html", "truncated", "wrongShape", "empty", "resetMidBody"];

    private static readonly string[] ListRoutesNames = ["both", "v1", "v2"];

    /// <summary>ittybit: send Link / Has-More / Limit headers (the live API does; the docs only promise `after`).</summary>
    public bool LinkHeader { get; init; } = true;

    /// <summary>Krea: spell the body's cursor `nextCursor` (current docs) instead of `next_cursor`.</summary>
    public bool CamelCaseCursor { get; init; }

    /// <summary>Delay before every list response, to make paging and concurrency measurable.</summary>
    public int LatencyMs { get; init; }

    /// <summary>The API key accepted from now on.</summary>
    public required string Key { get; init; }

    /// <summary>When non-zero, list requests fail with this status (e.g. 429, 402, 503) while failCount > 0.</summary>
    public int FailStatus { get; init; }

    /// <summary>List requests that still succeed before the injected failures (and corruptions) start.</summary>
    public int FailAfter { get; init; }

    /// <summary>Retry-After value sent with injected 429/503 responses, verbatim: seconds or an HTTP date. "" = no header.</summary>
    public string RetryAfter { get; init; } = "1";

    /// <summary>When set, sent verbatim as X-RateLimit-Reset on injected 429s (instead of pyannoteAI's computed value).</summary>
    public string? RateLimitReset { get; init; }

    /// <summary>Injected failures carry an HTML maintenance page (text/html) instead of the provider's JSON error.</summary>
    public bool FailBodyHtml { get; init; }

    /// <summary>How the next corruptCount 200 list responses are spoiled.</summary>
    public BodyCorruption CorruptBody { get; init; }

    /// <summary>200 list bodies are sent in small chunks spread over this many milliseconds (headers at once).</summary>
    public int SlowBodyMs { get; init; }

    /// <summary>After every 200 list response, this many new jobs appear at the head of the dataset.</summary>
    public int InsertBetweenPages { get; init; }

    /// <summary>After every 200 list response, this many of the newest jobs disappear.</summary>
    public int DeleteBetweenPages { get; init; }

    /// <summary>Krea's next_cursor, pyannoteAI's v2 nextCursor and ittybit's Link always point at the first page's next page.</summary>
    public bool RepeatCursor { get; init; }

    /// <summary>Periodic faults for soak tests: every Nth authorised list request gets a 429, a 503, or a reset connection (0 = off).</summary>
    public int Every429 { get; init; }

    public int Every503 { get; init; }

    public int EveryReset { get; init; }

    /// <summary>pyannoteAI v1 / Convertly ignore skip / offset: always the first page, and always "more".</summary>
    public bool StuckPage { get; init; }

    /// <summary>When set, list requests get 302 Found to this URL + the original path and query.</summary>
    public string? RedirectTo { get; init; }

    /// <summary>ittybit: the Link header's scheme://host[:port] (default: the request's own).</summary>
    public string? LinkHost { get; init; }

    /// <summary>ittybit: the Link header's path (default: the request's own), e.g. one outside the client's base URL.</summary>
    public string? LinkPath { get; init; }

    /// <summary>pyannoteAI: which list routes exist; the disabled one answers 404 "Cannot GET ...".</summary>
    public ListRoutes ListRoutes { get; init; }

    /// <summary>401, injected failure and validation bodies (and a response header) repeat the credential the request sent.</summary>
    public bool EchoKey { get; init; }

    /// <summary>Jobs written with a property set to an absurd raw value, or removed (null: off).</summary>
    public IReadOnlyList<Poison>? Poisons { get; init; }

    /// <summary>One more top-level field on every list page that is an object (null: off).</summary>
    public PageField? PageField { get; init; }

    /// <summary>At most Limit authorised requests per fixed window of WindowMs; beyond it a 429 (null: off).</summary>
    public RateBudget? RateBudget { get; init; }

    /// <summary>pyannoteAI: a succeeded job's output also holds a media:// reference ("media"), whose file POST /v1/media/output links to.</summary>
    public bool MediaOutputs { get; init; }

    /// <summary>Get one job answers with the job of this id, whatever id was asked for, as a broken gateway or cache would (null: off).</summary>
    public string? AnswerWithJob { get; init; }

    /// <summary>Every read of one job (get one job, Unstructured's details and failed files) fails with a status (null: off).</summary>
    public FailJob? FailJob { get; init; }

    public static string CorruptionName(BodyCorruption value) =>
        value == BodyCorruption.None ? string.Empty : CorruptionNames[(int)value - 1];

    public void Write(Utf8JsonWriter writer, FaultCounters counters)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("linkHeader", LinkHeader);
        writer.WriteBoolean("camelCaseCursor", CamelCaseCursor);
        writer.WriteNumber("latencyMs", LatencyMs);
        writer.WriteString("key", Key);
        writer.WriteNumber("failStatus", FailStatus);
        writer.WriteNumber("failCount", counters.FailCount);
        writer.WriteNumber("failAfter", FailAfter);
        writer.WriteString("retryAfter", RetryAfter);
        WriteNullable(writer, "rateLimitReset", RateLimitReset);
        writer.WriteString("failBody", FailBodyHtml ? "html" : "json");
        WriteNullable(writer, "corruptBody", CorruptBody == BodyCorruption.None ? null : CorruptionName(CorruptBody));
        writer.WriteNumber("corruptCount", counters.CorruptCount);
        writer.WriteNumber("slowBodyMs", SlowBodyMs);
        writer.WriteNumber("insertBetweenPages", InsertBetweenPages);
        writer.WriteNumber("deleteBetweenPages", DeleteBetweenPages);
        writer.WriteBoolean("repeatCursor", RepeatCursor);
        writer.WriteBoolean("stuckPage", StuckPage);
        writer.WriteNumber("every429", Every429);
        writer.WriteNumber("every503", Every503);
        writer.WriteNumber("everyReset", EveryReset);
        WriteNullable(writer, "redirectTo", RedirectTo);
        WriteNullable(writer, "linkHost", LinkHost);
        WriteNullable(writer, "linkPath", LinkPath);
        WriteNullable(writer, "answerWithJob", AnswerWithJob);
        writer.WriteString("listRoutes", ListRoutesNames[(int)ListRoutes]);
        writer.WriteBoolean("echoKey", EchoKey);
        writer.WriteBoolean("mediaOutputs", MediaOutputs);
        Poison.WriteAll(writer, "poison", Poisons);
        if (PageField is null)
        {
            writer.WriteNull("pageField");
        }
        else
        {
            PageField.Write(writer, "pageField");
        }
        if (RateBudget is null)
        {
            writer.WriteNull("rateBudget");
        }
        else
        {
            RateBudget.Write(writer, "rateBudget");
        }
        if (FailJob is null)
        {
            writer.WriteNull("failJob");
        }
        else
        {
            FailJob.Write(writer, "failJob");
        }
        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>
    /// Merges a JSON object of option values into a copy of these options. Unknown names and wrong
    /// types are errors, so a typo in a test fails loudly instead of being ignored.
    /// </summary>
    public ProviderOptions Merge(JsonElement body, ref FaultCounters counters, out string? error)
    {
        error = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = "body must be a JSON object";
            return this;
        }
        ProviderOptions result = this;
        FaultCounters next = counters;
        bool corruptCountGiven = false, corruptBodyGiven = false;
        foreach (JsonProperty p in body.EnumerateObject())
        {
            JsonElement v = p.Value;
            bool isNull = v.ValueKind == JsonValueKind.Null;
            string? text = v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            switch (p.Name.ToLowerInvariant())
            {
                case "linkheader" when v.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    result = result with { LinkHeader = v.GetBoolean() };
                    break;
                case "camelcasecursor" when v.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    result = result with { CamelCaseCursor = v.GetBoolean() };
                    break;
                case "latencyms" when v.TryGetInt32(out int latency) && latency is >= 0 and <= MaxDelayMs:
                    result = result with { LatencyMs = latency };
                    break;
                case "key" when text is { Length: > 0 }:
                    result = result with { Key = text };
                    break;
                case "failstatus" when v.TryGetInt32(out int status) && (status == 0 || status is >= 400 and <= 599):
                    result = result with { FailStatus = status };
                    break;
                case "failcount" when v.TryGetInt32(out int count) && count >= 0:
                    next.FailCount = count;
                    break;
                case "failafter" when v.TryGetInt32(out int after) && after >= 0:
                    result = result with { FailAfter = after };
                    break;
                case "retryafter" when text is not null:
                    result = result with { RetryAfter = text };
                    break;
                case "retryafter" when v.TryGetInt32(out int seconds) && seconds >= 0:
                    result = result with { RetryAfter = seconds.ToString(CultureInfo.InvariantCulture) };
                    break;
                case "ratelimitreset" when isNull || text is not null:
                    result = result with { RateLimitReset = text };
                    break;
                case "ratelimitreset" when v.TryGetInt64(out long reset) && reset >= 0:
                    result = result with { RateLimitReset = reset.ToString(CultureInfo.InvariantCulture) };
                    break;
                case "failbody" when isNull || (text is not null && (text.Equals("json", StringComparison.OrdinalIgnoreCase) || text.Equals("html", StringComparison.OrdinalIgnoreCase))):
                    result = result with { FailBodyHtml = text is not null && text.Equals("html", StringComparison.OrdinalIgnoreCase) };
                    break;
                case "corruptbody" when isNull || (text is not null && ParseCorruption(text) != BodyCorruption.None):
                    result = result with { CorruptBody = isNull ? BodyCorruption.None : ParseCorruption(text!) };
                    corruptBodyGiven = true;
                    break;
                case "corruptcount" when v.TryGetInt32(out int corrupt) && corrupt >= 0:
                    next.CorruptCount = corrupt;
                    corruptCountGiven = true;
                    break;
                case "slowbodyms" when v.TryGetInt32(out int slow) && slow is >= 0 and <= MaxDelayMs:
                    result = result with { SlowBodyMs = slow };
                    break;
                case "insertbetweenpages" when v.TryGetInt32(out int insert) && insert is >= 0 and <= JobDataset.MaxCount:
                    result = result with { InsertBetweenPages = insert };
                    break;
                case "deletebetweenpages" when v.TryGetInt32(out int delete) && delete is >= 0 and <= JobDataset.MaxCount:
                    result = result with { DeleteBetweenPages = delete };
                    break;
                case "repeatcursor" when v.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    result = result with { RepeatCursor = v.GetBoolean() };
                    break;
                case "every429" when v.TryGetInt32(out int every429) && every429 >= 0:
                    result = result with { Every429 = every429 };
                    break;
                case "every503" when v.TryGetInt32(out int every503) && every503 >= 0:
                    result = result with { Every503 = every503 };
                    break;
                case "everyreset" when v.TryGetInt32(out int everyReset) && everyReset >= 0:
                    result = result with { EveryReset = everyReset };
                    break;
                case "stuckpage" when v.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    result = result with { StuckPage = v.GetBoolean() };
                    break;
                case "redirectto" when isNull || text == string.Empty || (text is not null && IsHttpUrl(text, originOnly: false)):
                    result = result with { RedirectTo = string.IsNullOrEmpty(text) ? null : text.TrimEnd('/') };
                    break;
                case "linkhost" when isNull || text == string.Empty || (text is not null && IsHttpUrl(text, originOnly: true)):
                    result = result with { LinkHost = string.IsNullOrEmpty(text) ? null : text.TrimEnd('/') };
                    break;
                case "linkpath" when isNull || text == string.Empty || (text is not null && IsPath(text)):
                    result = result with { LinkPath = string.IsNullOrEmpty(text) ? null : text };
                    break;
                case "listroutes" when isNull || (text is not null && ParseListRoutes(text) is not null):
                    result = result with { ListRoutes = isNull ? ListRoutes.Both : ParseListRoutes(text!)!.Value };
                    break;
                case "answerwithjob" when isNull || text is not null:
                    result = result with { AnswerWithJob = string.IsNullOrEmpty(text) ? null : text };
                    break;
                case "echokey" when v.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    result = result with { EchoKey = v.GetBoolean() };
                    break;
                case "mediaoutputs" when v.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    result = result with { MediaOutputs = v.GetBoolean() };
                    break;
                case "poison" when isNull:
                    result = result with { Poisons = null };
                    break;
                case "poison":
                    if (!Poison.TryParseAll(v, out IReadOnlyList<Poison>? poisons, out error))
                    {
                        return this;
                    }
                    result = result with { Poisons = poisons };
                    break;
                case "pagefield" when isNull:
                    result = result with { PageField = null };
                    break;
                case "pagefield":
                    if (!Simulation.PageField.TryParse(v, out PageField? pageField, out error))
                    {
                        return this;
                    }
                    result = result with { PageField = pageField };
                    break;
                case "ratebudget" when isNull:
                    result = result with { RateBudget = null };
                    break;
                case "ratebudget":
                    if (!Simulation.RateBudget.TryParse(v, out RateBudget? budget, out error))
                    {
                        return this;
                    }
                    result = result with { RateBudget = budget };
                    break;
                case "failjob" when isNull:
                    result = result with { FailJob = null };
                    break;
                case "failjob":
                    if (!Simulation.FailJob.TryParse(v, out FailJob? failJob, out error))
                    {
                        return this;
                    }
                    result = result with { FailJob = failJob };
                    break;
                default:
                    error = $"unknown option or invalid value: '{p.Name}'";
                    return this;
            }
        }
        if (corruptBodyGiven && !corruptCountGiven)
        {
            next.CorruptCount = result.CorruptBody == BodyCorruption.None ? 0 : 1;
        }
        counters = next;
        return result;
    }

    private static ListRoutes? ParseListRoutes(string text)
    {
        int k = Array.FindIndex(ListRoutesNames, name => string.Equals(name, text, StringComparison.OrdinalIgnoreCase));
        return k < 0 ? null : (ListRoutes)k;
    }

    private static BodyCorruption ParseCorruption(string text)
    {
        for (int k = 0; k < CorruptionNames.Length; k++)
        {
            if (string.Equals(CorruptionNames[k], text, StringComparison.OrdinalIgnoreCase))
            {
                return (BodyCorruption)(k + 1);
            }
        }
        return BodyCorruption.None;
    }

    /// <summary>An absolute path: starts with '/', no query, fragment, whitespace or control characters.</summary>
    private static bool IsPath(string text) =>
        text.StartsWith('/') && !text.Any(c => c is '?' or '#' || char.IsWhiteSpace(c) || char.IsControl(c));

    /// <summary>An absolute http(s) URL without query or fragment; with originOnly, no path either.</summary>
    private static bool IsHttpUrl(string text, bool originOnly) =>
        Uri.TryCreate(text, UriKind.Absolute, out Uri? uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.UserInfo.Length == 0
        && uri.Query.Length == 0
        && uri.Fragment.Length == 0
        && (!originOnly || uri.AbsolutePath == "/");
}
