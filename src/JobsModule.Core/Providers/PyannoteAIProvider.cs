using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace JobsModule.Providers
{

    /// <summary>pyannoteAI: GET /v1/jobs with take/skip offset paging and a total.</summary>
    public sealed class PyannoteAIProvider : IJobProvider
    {
        private static readonly HashSet<string> DocumentedFields = Json.Names("id", "jobId", "status", "createdAt", "updatedAt", "output");

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
            ReportsTotal = true,
            PollingInterval = TimeSpan.FromSeconds(5),
            RequestsPerMinute = 100,
        };

        public void Authorize(HttpRequestMessage request, string apiKey) =>
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);

        public Uri PageUri(Uri baseUri, ServerQuery query, int pageSize, string? cursor) =>
            new QueryString(baseUri, "/v1/jobs")
                .Add("take", pageSize)
                .Add("skip", cursor ?? "0")
                .Add("status", query.Status)
                .ToUri();

        public JobPage ReadPage(JsonElement body, PageContext context)
        {
            Json.RequireObject(body, "the response");
            var items = Json.RequireArray(Json.RequireProperty(body, "items"), "'items'");
            var total = Json.Long(body, "total");
            var jobs = new List<ProviderJob>(items.GetArrayLength());
            foreach (var item in items.EnumerateArray())
            {
                jobs.Add(ReadJob(item));
            }

            var skip = long.Parse(context.Cursor ?? "0", CultureInfo.InvariantCulture);
            var seen = skip + jobs.Count;
            var more = jobs.Count > 0 && jobs.Count >= context.PageSize && (total is null || seen < total);
            return new JobPage(jobs)
            {
                Total = total,
                NextCursor = more ? seen.ToString(CultureInfo.InvariantCulture) : null,
            };
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

        public CancelEndpoint? CancelEndpoint(Uri baseUri, string id) => null;

        // A list item has id; the single job has jobId and, once done, output.
        public ProviderJob ReadJob(JsonElement item)
        {
            Json.RequireObject(item, "a job");
            var raw = Json.String(item, "status");
            var id = Json.RequireId(item, "id", "jobId");
            return new PyannoteAIJob(Info.Name, id, raw, Info.MapStatus(raw))
            {
                CreatedAt = Json.IsoTime(item, "createdAt"),
                UpdatedAt = Json.IsoTime(item, "updatedAt"),
                Output = Json.Any(item, "output"),
                ExtraFields = Json.Extras(item, DocumentedFields),
            };
        }
    }
}

namespace JobsModule
{
    /// <summary>A pyannoteAI job; Output is filled by Get-ProviderJob -Id once the job is done.</summary>
    public sealed class PyannoteAIJob : ProviderJob
    {
        public PyannoteAIJob(string provider, string id, string? providerStatus, JobStatus status)
            : base(provider, id, providerStatus, status)
        {
        }

        /// <summary>The job's result (for example the diarization), from the single-job endpoint.</summary>
        public object? Output { get; internal set; }
    }
}
