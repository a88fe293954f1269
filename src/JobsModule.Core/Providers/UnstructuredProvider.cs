using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text;
using System.Text.Json;

namespace JobsModule.Providers
{
    /// <summary>Unstructured: GET /api/v1/jobs/, one unpaged array in no documented order.</summary>
    public sealed class UnstructuredProvider : IJobProvider
    {
        private const string ApiPath = "/api/v1";

        private static readonly HashSet<string> DocumentedFields = Json.Names(
            "id", "workflow_id", "workflow_name", "status", "created_at", "runtime", "input_file_ids",
            "output_node_files", "job_type");

        public ProviderInfo Info { get; } = new(
            "Unstructured",
            new Uri("https://platform.unstructuredapp.io"),
            new[] { "UNSTRUCTURED_API_KEY" },
            "UNSTRUCTURED_API_URL",
            new Dictionary<string, JobStatus>
            {
                ["SCHEDULED"] = JobStatus.Queued,
                ["IN_PROGRESS"] = JobStatus.Running,
                ["COMPLETED"] = JobStatus.Succeeded,
                ["FAILED"] = JobStatus.Failed,
                ["STOPPED"] = JobStatus.Canceled,
            })
        {
            MaxPageSize = null,
            NewestFirst = false,
            PollingInterval = TimeSpan.FromSeconds(5),
            KindFilter = KindFilterSupport.Client,
            FiltersByWorkflowId = true,
        };

        public void Authorize(HttpRequestMessage request, string apiKey) =>
            request.Headers.Add("unstructured-api-key", apiKey);

        public Uri PageUri(Uri baseUri, ServerQuery query, int pageSize, string? cursor) =>
            new QueryString(baseUri, JobsPath(baseUri) + "/")
                .Add("workflow_id", query.WorkflowId)
                .Add("status", query.Status)
                .ToUri();

        public Uri JobUri(Uri baseUri, string id) => new QueryString(baseUri, JobsPath(baseUri)).Segment(id).ToUri();

        public CancelEndpoint? CancelEndpoint(Uri baseUri, string id) =>
            new(HttpMethod.Post, new Uri(JobUri(baseUri, id).AbsoluteUri + "/cancel"));

        ProviderJob IJobProvider.ReadJob(JsonElement body) => ReadJob(body);

        // UNSTRUCTURED_API_URL is written both with and without its /api/v1; never double it.
        private static string JobsPath(Uri baseUri) =>
            baseUri.AbsolutePath.TrimEnd('/').EndsWith(ApiPath, StringComparison.OrdinalIgnoreCase) ? "/jobs" : ApiPath + "/jobs";

        public JobPage ReadPage(JsonElement body, PageContext context)
        {
            var items = Json.RequireArray(body, "the response");
            var jobs = new List<UnstructuredJob>(items.GetArrayLength());
            foreach (var item in items.EnumerateArray())
            {
                jobs.Add(ReadJob(item));
            }

            return new JobPage(jobs) { Total = jobs.Count };
        }

        public ProviderErrorBody ReadError(JsonElement body)
        {
            // FastAPI style: detail is a string, or a list of {loc, msg, type}.
            if (Json.Property(body, "detail") is { ValueKind: JsonValueKind.Array } details)
            {
                var text = new StringBuilder();
                foreach (var detail in details.EnumerateArray())
                {
                    if (text.Length > 0)
                    {
                        text.Append("; ");
                    }

                    if (Json.Property(detail, "loc") is { ValueKind: JsonValueKind.Array } location)
                    {
                        foreach (var part in location.EnumerateArray())
                        {
                            text.Append(Json.AsString(part)).Append('.');
                        }

                        text.Length--;
                        text.Append(": ");
                    }

                    text.Append(Json.String(detail, "msg"));
                }

                return new ProviderErrorBody(text.ToString(), null);
            }

            return new ProviderErrorBody(Json.String(body, "detail"), null);
        }

        internal UnstructuredJob ReadJob(JsonElement item)
        {
            Json.RequireObject(item, "a job");
            var raw = Json.String(item, "status");
            return new UnstructuredJob(Info.Name, Json.RequireId(item, "id"), raw, Info.MapStatus(raw))
            {
                Kind = Json.String(item, "job_type"),
                CreatedAt = Json.IsoTime(item, "created_at"),
                Duration = Json.IsoDuration(item, "runtime"),
                WorkflowId = Json.String(item, "workflow_id"),
                WorkflowName = Json.String(item, "workflow_name"),
                InputFileIds = Json.List(item, "input_file_ids"),
                OutputNodeFiles = Json.List(item, "output_node_files"),
                ExtraFields = Json.Extras(item, DocumentedFields),
            };
        }
    }
}

namespace JobsModule
{
    /// <summary>An Unstructured job, with its workflow and files.</summary>
    public sealed class UnstructuredJob : ProviderJob
    {
        public UnstructuredJob(string provider, string id, string? providerStatus, JobStatus status)
            : base(provider, id, providerStatus, status)
        {
        }

        public string? WorkflowId { get; internal set; }

        public string? WorkflowName { get; internal set; }

        /// <summary>The run time Unstructured reports (the same value as Duration).</summary>
        public TimeSpan? Runtime => Duration;

        public JobDataList? InputFileIds { get; internal set; }

        /// <summary>Objects with node_id, file_id, node_type and node_subtype.</summary>
        public JobDataList? OutputNodeFiles { get; internal set; }
    }
}
