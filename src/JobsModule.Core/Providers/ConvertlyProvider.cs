using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;

namespace JobsModule.Providers
{
    /// <summary>Convertly: GET /api/jobs with limit/offset paging until pagination.hasMore is false.</summary>
    public sealed class ConvertlyProvider : IJobProvider
    {
        private static readonly HashSet<string> DocumentedFields = Json.Names(
            "id", "job_type", "status", "total_files", "completed_files", "failed_files", "progress",
            "error_message", "results", "created_at", "completed_at",
            "jobId", "jobType", "totalFiles", "completedFiles", "failedFiles", "errorMessage", "createdAt", "completedAt");

        public ProviderInfo Info { get; } = new(
            "Convertly",
            new Uri("https://convertly.sh"),
            new[] { "CONVERTLY_API_KEY" },
            "CONVERTLY_BASE_URL",
            new Dictionary<string, JobStatus>
            {
                ["pending"] = JobStatus.Queued,
                ["processing"] = JobStatus.Running,
                ["completed"] = JobStatus.Succeeded,
                ["failed"] = JobStatus.Failed,
            })
        {
            MaxPageSize = 100,
            ReportsTotal = true,
            KindFilter = KindFilterSupport.Client,
            KnownKinds = new[] { "convert", "compress", "media_tool", "transfer" },
        };

        public void Authorize(HttpRequestMessage request, string apiKey) =>
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);

        public Uri PageUri(Uri baseUri, ServerQuery query, int pageSize, string? cursor) =>
            new QueryString(baseUri, "/api/jobs")
                .Add("limit", pageSize)
                .Add("offset", cursor ?? "0")
                .Add("status", query.Status)
                .ToUri();

        public JobPage ReadPage(JsonElement body, PageContext context)
        {
            Json.RequireObject(body, "the response");
            var items = Json.RequireArray(Json.RequireProperty(body, "jobs"), "'jobs'");
            var pagination = Json.RequireObject(Json.RequireProperty(body, "pagination"), "'pagination'");
            var jobs = new List<ConvertlyJob>(items.GetArrayLength());
            foreach (var item in items.EnumerateArray())
            {
                jobs.Add(ReadJob(item));
            }

            var offset = long.Parse(context.Cursor ?? "0", CultureInfo.InvariantCulture) + jobs.Count;
            var more = jobs.Count > 0 && Json.Bool(pagination, "hasMore") == true;
            return new JobPage(jobs)
            {
                Total = Json.Long(pagination, "total"),
                NextCursor = more ? offset.ToString(CultureInfo.InvariantCulture) : null,
            };
        }

        public ProviderErrorBody ReadError(JsonElement body) => new(Json.String(body, "error"), null);

        public Uri JobUri(Uri baseUri, string id) => new QueryString(baseUri, "/api/jobs").Segment(id).ToUri();

        public CancelEndpoint? CancelEndpoint(Uri baseUri, string id) => new(HttpMethod.Delete, JobUri(baseUri, id));

        ProviderJob IJobProvider.ReadJob(JsonElement body) => ReadJob(body);

        // List items are snake_case; the single job is camelCase. Either is read.
        internal ConvertlyJob ReadJob(JsonElement item)
        {
            Json.RequireObject(item, "a job");
            var raw = Json.String(item, "status");
            var id = Json.RequireId(item, "id", "jobId");
            var job = new ConvertlyJob(Info.Name, id, raw, Info.MapStatus(raw))
            {
                Kind = Json.String(item, "job_type") ?? Json.String(item, "jobType"),
                CreatedAt = Json.IsoTime(item, "created_at") ?? Json.IsoTime(item, "createdAt"),
                CompletedAt = Json.IsoTime(item, "completed_at") ?? Json.IsoTime(item, "completedAt"),
                Progress = Json.Int(item, "progress"),
                Error = Json.String(item, "error_message") ?? Json.String(item, "errorMessage"),
                TotalFiles = Json.Int(item, "total_files") ?? Json.Int(item, "totalFiles"),
                CompletedFiles = Json.Int(item, "completed_files") ?? Json.Int(item, "completedFiles"),
                FailedFiles = Json.Int(item, "failed_files") ?? Json.Int(item, "failedFiles"),
                Results = Json.Any(item, "results"),
                ExtraFields = Json.Extras(item, DocumentedFields),
            };
            job.DeriveDuration();
            return job;
        }
    }
}

namespace JobsModule
{
    /// <summary>A Convertly job, with its file counts and results.</summary>
    public sealed class ConvertlyJob : ProviderJob
    {
        public ConvertlyJob(string provider, string id, string? providerStatus, JobStatus status)
            : base(provider, id, providerStatus, status)
        {
        }

        public int? TotalFiles { get; internal set; }

        public int? CompletedFiles { get; internal set; }

        public int? FailedFiles { get; internal set; }

        /// <summary>An object, a list or null, as Convertly sends it.</summary>
        public object? Results { get; internal set; }
    }
}
