using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;

namespace JobsModule.Providers
{
    /// <summary>ittybit: GET /jobs, a bare array, paged by after=&lt;last id&gt; or the Link header; epoch-millisecond times.</summary>
    public sealed class IttybitProvider : IJobProvider
    {
        private static readonly HashSet<string> DocumentedFields = Json.Names(
            "id", "object", "kind", "input", "output", "options", "metadata", "status", "error",
            "created_at", "started_at", "finished_at", "updated_at", "tasks");

        public ProviderInfo Info { get; } = new(
            "Ittybit",
            new Uri("https://api.ittybit.com"),
            new[] { "ITTYBIT_API_KEY" },
            "ITTYBIT_BASE_URL",
            new Dictionary<string, JobStatus>
            {
                ["queued"] = JobStatus.Queued,
                ["processing"] = JobStatus.Running,
                ["succeeded"] = JobStatus.Succeeded,
                ["failed"] = JobStatus.Failed,
                ["cancelled"] = JobStatus.Canceled,
            })
        {
            MaxPageSize = 100,
            KindFilter = KindFilterSupport.ServerSingle,
            KnownKinds = new[] { "video", "audio", "image", "animation", "adaptive_video" },
            FiltersByInputUri = true,
        };

        public void Authorize(HttpRequestMessage request, string apiKey) =>
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);

        public Uri PageUri(Uri baseUri, ServerQuery query, int pageSize, string? cursor) =>
            new QueryString(baseUri, "/jobs")
                .Add("limit", pageSize)
                .Add("after", cursor)
                .Add("kind", query.Kinds.Count == 1 ? query.Kinds[0] : null)
                .Add("status", query.Status)
                .Add("input", query.InputUri)
                .ToUri();

        public JobPage ReadPage(JsonElement body, PageContext context)
        {
            var items = Json.RequireArray(body, "the response");
            var jobs = new List<IttybitJob>(items.GetArrayLength());
            foreach (var item in items.EnumerateArray())
            {
                jobs.Add(ReadJob(item));
            }

            if (jobs.Count == 0 || HeaderSaysNoMore(context.Headers))
            {
                return new JobPage(jobs);
            }

            // The live API links the next page; the documented contract is after=<last id>.
            if (LinkHeader.Next(context.Headers, context.RequestUri) is { } link)
            {
                return new JobPage(jobs) { NextLink = link };
            }

            return new JobPage(jobs) { NextCursor = jobs.Count >= context.PageSize ? jobs[jobs.Count - 1].Id : null };
        }

        public ProviderErrorBody ReadError(JsonElement body) => new(Json.String(body, "message"), null);

        public Uri JobUri(Uri baseUri, string id) => new QueryString(baseUri, "/jobs").Segment(id).ToUri();

        public CancelEndpoint? CancelEndpoint(Uri baseUri, string id) => null;

        ProviderJob IJobProvider.ReadJob(JsonElement body) => ReadJob(body);

        internal IttybitJob ReadJob(JsonElement item)
        {
            Json.RequireObject(item, "a job");
            var raw = Json.String(item, "status");
            var job = new IttybitJob(Info.Name, Json.RequireId(item, "id"), raw, Info.MapStatus(raw))
            {
                Kind = Json.String(item, "kind"),
                CreatedAt = Json.EpochMilliseconds(item, "created_at"),
                StartedAt = Json.EpochMilliseconds(item, "started_at"),
                CompletedAt = Json.EpochMilliseconds(item, "finished_at"),
                UpdatedAt = Json.EpochMilliseconds(item, "updated_at"),
                Error = Json.ErrorText(Json.Property(item, "error")),
                Input = Json.String(item, "input"),
                Output = Json.String(item, "output"),
                Options = Json.Object(item, "options"),
                Metadata = Json.Object(item, "metadata"),
                Tasks = Json.List(item, "tasks"),
                ExtraFields = Json.Extras(item, DocumentedFields),
            };
            job.DeriveDuration();
            return job;
        }

        private static bool HeaderSaysNoMore(HttpResponseHeaders headers) =>
            headers.TryGetValues("Has-More", out var values) && string.Equals(string.Join(",", values).Trim(), "false", StringComparison.OrdinalIgnoreCase);
    }
}

namespace JobsModule
{
    /// <summary>An ittybit job, with the fields only ittybit documents.</summary>
    public sealed class IttybitJob : ProviderJob
    {
        public IttybitJob(string provider, string id, string? providerStatus, JobStatus status)
            : base(provider, id, providerStatus, status)
        {
        }

        /// <summary>The input file's URL.</summary>
        public string? Input { get; internal set; }

        /// <summary>The output file's URL, once there is one.</summary>
        public string? Output { get; internal set; }

        public JobDataObject? Options { get; internal set; }

        public JobDataObject? Metadata { get; internal set; }

        /// <summary>The job's tasks, from the single-job endpoint.</summary>
        public JobDataList? Tasks { get; internal set; }
    }
}
