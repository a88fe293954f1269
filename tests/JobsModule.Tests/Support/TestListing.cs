using System.Text.Json;

namespace JobsModule.Tests.Support;

/// <summary>Everything one listing produced: the jobs yielded before it ended, how it ended, and what it logged.</summary>
internal sealed class ListingRun
{
    public ListingRun(StubHandler stub, List<ProviderJob> jobs, Exception? error, ListingCounts result, List<LogMessage> messages)
    {
        Stub = stub;
        Jobs = jobs;
        Error = error;
        Result = result;
        Messages = messages;
    }

    public StubHandler Stub { get; }

    public List<ProviderJob> Jobs { get; }

    public Exception? Error { get; }

    public ListingCounts Result { get; }

    public List<LogMessage> Messages { get; }

    public IReadOnlyList<string> Ids => Jobs.Select(job => job.Id).ToList();

    public IReadOnlyList<string> PathsAndQueries => Stub.PathsAndQueries;

    /// <summary>Asserts that the listing failed with a ProviderRequestException and returns it.</summary>
    public ProviderRequestException Failure()
    {
        var error = Assert.IsType<ProviderRequestException>(Error);
        return error;
    }

    /// <summary>Asserts that the listing ended without an error.</summary>
    public ListingRun Succeeded()
    {
        Assert.Null(Error);
        return this;
    }
}

internal static class TestListing
{
    public const string Key = "sk-test-7f3a9c-SECRET-do-not-print";

    /// <summary>Fast retries, and no time-based prefetch: page requests depend only on how far the consumer read.</summary>
    public static readonly TestOptions Fast = new()
    {
        MaximumRetryCount = 3,
        RetryInterval = TimeSpan.FromMilliseconds(1),
        MaximumRetryDelay = TimeSpan.FromMilliseconds(5),
        RequestTimeout = TimeSpan.FromSeconds(60),
        PrefetchAfter = TimeSpan.FromHours(1),

        // Page sizes as asked, so a test reads the requests it expects; the slow start has tests of its own.
        FirstPageSize = null,
    };

    public static ProviderEndpoint Endpoint(IJobProvider provider, Uri? baseUri = null, string key = Key, string? account = null) =>
        new(provider, baseUri ?? provider.Info.DefaultBaseUri, key, "test", account);

    /// <summary>Lists to the end (or to the first error), collecting each job as it is yielded.</summary>
    public static ListingRun Run(
        IJobProvider provider,
        StubHandler stub,
        JobQuery? query = null,
        TestOptions? options = null,
        Uri? baseUri = null,
        string key = Key,
        string? account = null,
        CancellationToken cancellationToken = default,
        CallLog? log = null)
    {
        var lister = new JobLister(new HttpClient(stub));
        log ??= new CallLog();
        var result = new ListingCounts();
        var jobs = new List<ProviderJob>();
        Exception? error = null;
        try
        {
            foreach (var job in lister.List(Endpoint(provider, baseUri, key, account), query ?? new JobQuery(), (options ?? Fast).Call(log, cancellationToken), result))
            {
                jobs.Add(job);
            }
        }
        catch (Exception ex) when (ex is not UnexpectedRequestException)
        {
            error = ex;
        }

        var messages = new List<LogMessage>();
        while (log.TryTake(out var message))
        {
            messages.Add(message);
        }

        return new ListingRun(stub, jobs, error, result, messages);
    }

    /// <summary>A query string's parameters, unescaped.</summary>
    public static Dictionary<string, string> QueryOf(Uri uri)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var query = uri.Query.TrimStart('?');
        if (query.Length == 0)
        {
            return parameters;
        }

        foreach (var pair in query.Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair.Substring(0, equals));
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair.Substring(equals + 1));
            parameters.Add(name, value);
        }

        return parameters;
    }

    /// <summary>Reads one page's body as the engine does (item by item, then where it leads): its jobs, and its end.</summary>
    public static (List<ProviderJob> Jobs, PageEnd End) ReadPage(IJobListRoute route, string json, PageContext context)
    {
        var jobs = new List<ProviderJob>();
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        var page = PageStreamReader.ReadAsync(stream, route.ItemsProperty, item => jobs.Add(route.ReadItem(item)), CancellationToken.None).GetAwaiter().GetResult();
        return (jobs, route.EndPage(page, context));
    }

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static PageContext Context(Uri uri, int pageSize, string? cursor = null, Action<HttpResponseMessage>? headers = null)
    {
        var response = new HttpResponseMessage();
        headers?.Invoke(response);
        return new PageContext(uri, pageSize, cursor, response.Headers);
    }
}

/// <summary>JSON bodies in each provider's documented shape.</summary>
internal static class Bodies
{
    public static string Str(string? value) => value is null ? "null" : JsonSerializer.Serialize(value);

    public static string PyannoteJob(string id, string status = "succeeded", string createdAt = "2026-01-01T00:00:00Z") =>
        $$"""{"id":{{Str(id)}},"status":{{Str(status)}},"createdAt":{{Str(createdAt)}}}""";

    public static string PyannotePage(long? total, params string[] ids) =>
        PyannotePageOf(total, ids.Select(id => PyannoteJob(id)).ToArray());

    public static string PyannotePageOf(long? total, params string[] jobs) =>
        $$"""{"items":[{{string.Join(",", jobs)}}]{{(total is null ? "" : ",\"total\":" + total)}}}""";

    /// <summary>A /v2/jobs page: items and the cursor of the next page (null on the last).</summary>
    public static string PyannoteV2Page(string? nextCursor, params string[] ids) =>
        PyannoteV2PageOf(nextCursor, ids.Select(id => PyannoteJob(id)).ToArray());

    public static string PyannoteV2PageOf(string? nextCursor, params string[] jobs) =>
        $$"""{"items":[{{string.Join(",", jobs)}}],"nextCursor":{{Str(nextCursor)}}}""";

    public static string IttybitJob(string id, string status = "succeeded", string kind = "video", long createdAt = 1711900000000) =>
        $$"""{"id":{{Str(id)}},"object":"job","kind":{{Str(kind)}},"status":{{Str(status)}},"created_at":{{createdAt}}}""";

    public static string IttybitPage(params string[] ids) => "[" + string.Join(",", ids.Select(id => IttybitJob(id))) + "]";

    public static string ConvertlyJob(string id, string status = "completed", string jobType = "convert", string createdAt = "2026-01-01T00:00:00Z") =>
        $$"""{"id":{{Str(id)}},"job_type":{{Str(jobType)}},"status":{{Str(status)}},"created_at":{{Str(createdAt)}}}""";

    public static string ConvertlyPage(bool hasMore, long total, params string[] ids) =>
        ConvertlyPageOf(hasMore, total, ids.Select(id => ConvertlyJob(id)).ToArray());

    public static string ConvertlyPageOf(bool hasMore, long total, params string[] jobs) =>
        "{\"jobs\":[" + string.Join(",", jobs) + "],\"pagination\":{\"limit\":100,\"offset\":0,\"total\":" + total
        + ",\"hasMore\":" + (hasMore ? "true" : "false") + "}}";

    public static string UnstructuredJob(string id, string status = "COMPLETED", string createdAt = "2026-01-01T00:00:00Z", string jobType = "ephemeral") =>
        $$"""{"id":{{Str(id)}},"workflow_id":"wf-1","workflow_name":"ETL","status":{{Str(status)}},"created_at":{{Str(createdAt)}},"job_type":{{Str(jobType)}}}""";

    public static string UnstructuredPageOf(params string[] jobs) => "[" + string.Join(",", jobs) + "]";

    public static string KreaJob(string id, string status = "completed", string createdAt = "2026-01-01T00:00:00Z", string? type = null) =>
        $$"""{"job_id":{{Str(id)}},"status":{{Str(status)}},"created_at":{{Str(createdAt)}}{{(type is null ? "" : ",\"type\":" + Str(type))}}}""";

    public static string KreaPage(string? nextCursor, params string[] ids) =>
        KreaPageOf(nextCursor, "next_cursor", ids.Select(id => KreaJob(id)).ToArray());

    public static string KreaPageOf(string? nextCursor, string cursorName, params string[] jobs) =>
        $$"""{"items":[{{string.Join(",", jobs)}}],"{{cursorName}}":{{Str(nextCursor)}}}""";
}
