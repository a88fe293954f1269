using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using JobsModule.Accounts;
using JobsModule.JsonReading;
using JobsModule.Listing;
using JobsModule.Outputs;
using JobsModule.Transport;

namespace JobsModule.Providers;

/// <summary>
/// pyannoteAI: GET /v2/jobs with a cursor passed back verbatim until it is null, as its published
/// OpenAPI document describes; GET /v1/jobs with take/skip offsets where a deployment has only that.
/// </summary>
internal sealed class PyannoteAIProvider : IJobProvider
{
    private static readonly FieldNames DocumentedFields = Json.Names("id", "jobId", "status", "createdAt", "updatedAt", "output");

    public ProviderInfo Info { get; } = new(
        "PyannoteAI",
        new Uri("https://api.pyannote.ai"),
        new[] { "PYANNOTEAI_API_KEY" },
        "PYANNOTEAI_BASE_URL",
        new Dictionary<string, JobStatus>
        {
            ["pending"] = JobStatus.Queued,
            ["created"] = JobStatus.Queued,
            ["running"] = JobStatus.Running,
            ["succeeded"] = JobStatus.Succeeded,
            ["failed"] = JobStatus.Failed,
            ["canceled"] = JobStatus.Canceled,
        })
    {
        MaxPageSize = 100,
        PollingInterval = TimeSpan.FromSeconds(5),
        RequestsPerMinute = 100,

        // Its Get Job reference: job results are deleted automatically 24 hours after completion.
        OutputRetention = TimeSpan.FromHours(24),
    };

    public PyannoteAIProvider()
    {
        FallbackListRoute = new OffsetRoute(ReadJob);
    }

    public IJobListRoute? FallbackListRoute { get; }

    public void Authorize(HttpRequestMessage request, ProviderEndpoint endpoint) =>
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", endpoint.ApiKey);

    public Uri PageUri(Uri baseUri, ServerQuery query, int pageSize, string? cursor) =>
        new QueryString(baseUri, "/v2/jobs")
            .Add("limit", pageSize)
            .Add("cursor", cursor)
            .Add("status", query.Status)
            .ToUri();

    // /v2/jobs gives no total.
    public bool ReportsTotal => false;

    public string? ItemsProperty => "items";

    public ProviderJob ReadItem(JsonElement item) => ReadJob(item);

    /// <summary>{items, nextCursor}: no total; nextCursor is null on the last page.</summary>
    public PageEnd EndPage(PageEnvelope page, PageContext context)
    {
        // An empty page ends the listing too: a server that keeps sending new cursors with nothing in them would never end.
        var next = page.Field("nextCursor") is { } cursor ? Json.AsString(cursor) : null;
        return new PageEnd { NextCursor = page.ItemCount > 0 && !string.IsNullOrEmpty(next) ? next : null };
    }

    public ProviderErrorBody ReadError(JsonElement body)
    {
        var message = Json.String(body, "message");
        if (Json.Property(body, "errors") is { ValueKind: JsonValueKind.Array } errors && errors.GetArrayLength() > 0)
        {
            var text = new StringBuilder(message ?? "Invalid request");
            foreach (var error in errors.EnumerateArray())
            {
                text.Append("; ").Append(Json.String(error, "field")).Append(": ").Append(Json.String(error, "message"));
            }

            message = text.ToString();
        }

        return new ProviderErrorBody(message, Json.String(body, "requestId"));
    }

    public Uri JobUri(Uri baseUri, string id) => new QueryString(baseUri, "/v1/jobs").Segment(id).ToUri();

    public JobRequest? CancelRequest(Uri baseUri, string id) => null;

    public JobRequest? DeleteRequest(Uri baseUri, string id) => null;

    // A list item has no output: only GET /v1/jobs/{jobId} does.
    public bool OutputsNeedJobRead => true;

    /// <summary>
    /// The output of GET /v1/jobs/{jobId} (the diarization, identification or voiceprint), saved as
    /// &lt;job id&gt;.json exactly as sent; and any media:// reference in it, whose file's URL POST
    /// /v1/media/output gives ({"url": "media://..."} answered by {"url"}), fetched without the key.
    /// </summary>
    public IReadOnlyList<JobOutput> Outputs(ProviderJob job, JsonElement? detail, Uri baseUri)
    {
        var outputs = new List<JobOutput>();
        if (detail is not { ValueKind: JsonValueKind.Object } body || Json.Property(body, "output") is not { ValueKind: JsonValueKind.Object or JsonValueKind.Array } output)
        {
            return outputs;
        }

        outputs.Add(JobOutput.Inline(job.Id + ".json", Encoding.UTF8.GetBytes(output.GetRawText())));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var reference in MediaReferences(output, ServerJson.DocumentDepth))
        {
            if (seen.Add(reference))
            {
                var request = "{\"url\":" + JsonSerializer.Serialize(reference) + "}";
                // Named after the last part of its key (media://outputs/a.wav is a.wav).
                outputs.Add(JobOutput.LinkFromApi(new QueryString(baseUri, "/v1/media/output").ToUri(), request, "url", reference.Substring(reference.LastIndexOf('/') + 1)));
            }
        }

        return outputs;
    }

    private const string MediaScheme = "media://";

    // The parsed answer is at most ServerJson.DocumentDepth deep, which bounds this walk.
    private static IEnumerable<string> MediaReferences(JsonElement value, int levelsLeft)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String when value.GetString() is { } text && text.StartsWith(MediaScheme, StringComparison.Ordinal) && text.Length > MediaScheme.Length:
                yield return text;
                break;
            case JsonValueKind.Object when levelsLeft > 0:
                foreach (var property in value.EnumerateObject())
                {
                    foreach (var reference in MediaReferences(property.Value, levelsLeft - 1))
                    {
                        yield return reference;
                    }
                }

                break;
            case JsonValueKind.Array when levelsLeft > 0:
                foreach (var item in value.EnumerateArray())
                {
                    foreach (var reference in MediaReferences(item, levelsLeft - 1))
                    {
                        yield return reference;
                    }
                }

                break;
        }
    }

    /// <summary>
    /// List items carry no output data (both list routes' documents say so), so a job's error and warning
    /// are only in GET /v1/jobs/{jobId} (output.error, output.warning of the published OpenAPI document).
    /// </summary>
    public IReadOnlyList<DetailRead> DetailReads { get; } = new[]
    {
        DetailRead.OfJob(
            job => job.Status is JobStatus.Succeeded or JobStatus.Failed && job is PyannoteAIJob { Output: null },
            (listed, read) =>
            {
                var job = (PyannoteAIJob)listed;
                var alone = (PyannoteAIJob)read;
                job.Output = alone.Output;
                job.Warning = alone.Warning;
                job.Error = alone.Error;
                job.FailedItems = alone.FailedItems;
                job.UpdatedUtc = alone.UpdatedUtc;
                job.Outcome = alone.Outcome;
            }),
    };

    // A list item has id; the single job has jobId and, once done, output (with an error or a warning, if any).
    public ProviderJob ReadJob(JsonElement item)
    {
        var fields = new JobFields(item);
        var raw = fields.Status(Info);
        var output = fields.Nested("output");
        var id = fields.Id("id", "jobId");
        var error = output?.String("error");
        return fields.Finish(new PyannoteAIJob(Info.Name, id, raw, Info.MapStatus(raw))
        {
            CreatedUtc = fields.IsoTime("createdAt"),
            UpdatedUtc = fields.IsoTime("updatedAt"),
            Error = error,
            Warning = output?.String("warning"),
            Output = fields.Any("output"),

            // A job is one part: its error, named by the job's id, is the part that failed.
            FailedItems = error is null ? null : new FailedItemList(new[] { new FailedItem(id, error) }),
        }, DocumentedFields);
    }

    /// <summary>GET /v1/jobs?take=&amp;skip=: {items, total}, offset paging; the route before /v2/jobs.</summary>
    private sealed class OffsetRoute : IJobListRoute
    {
        private readonly Func<JsonElement, ProviderJob> _readJob;

        public OffsetRoute(Func<JsonElement, ProviderJob> readJob)
        {
            _readJob = readJob;
        }

        public Uri PageUri(Uri baseUri, ServerQuery query, int pageSize, string? cursor) =>
            new QueryString(baseUri, "/v1/jobs")
                .Add("take", pageSize)
                .Add("skip", cursor ?? "0")
                .Add("status", query.Status)
                .ToUri();

        public bool ReportsTotal => true;

        public string? ItemsProperty => "items";

        public ProviderJob ReadItem(JsonElement item) => _readJob(item);

        /// <summary>{items, total}: a short page, or reaching the total, is the last.</summary>
        public PageEnd EndPage(PageEnvelope page, PageContext context)
        {
            var total = Json.Long(page.Field("total"));
            var seen = PageEnd.OffsetAfter(context, page);
            var more = page.ItemCount >= context.PageSize && (total is null || seen < total);
            return PageEnd.AfterOffset(context, page, more, total);
        }
    }
}
