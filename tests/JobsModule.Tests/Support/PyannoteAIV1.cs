using System.Text.Json;

namespace JobsModule.Tests.Support;

/// <summary>
/// pyannoteAI listed through its older GET /v1/jobs route alone (take/skip offsets and a total), so that
/// offset paging can be tested without first answering 404 to /v2/jobs.
/// </summary>
internal sealed class PyannoteAIV1 : IJobProvider
{
    private readonly PyannoteAIProvider _provider = new();

    public ProviderInfo Info => _provider.Info;

    public IJobListRoute? FallbackListRoute => null;

    public void Authorize(HttpRequestMessage request, ProviderEndpoint endpoint) => _provider.Authorize(request, endpoint);

    public Uri PageUri(Uri baseUri, ServerQuery query, int pageSize, string? cursor) => _provider.FallbackListRoute!.PageUri(baseUri, query, pageSize, cursor);

    public bool ReportsTotal => _provider.FallbackListRoute!.ReportsTotal;

    public string? ItemsProperty => _provider.FallbackListRoute!.ItemsProperty;

    public ProviderJob ReadItem(JsonElement item) => _provider.FallbackListRoute!.ReadItem(item);

    public PageEnd EndPage(PageEnvelope page, PageContext context) => _provider.FallbackListRoute!.EndPage(page, context);

    public ProviderErrorBody ReadError(JsonElement body) => _provider.ReadError(body);

    public Uri JobUri(Uri baseUri, string id) => _provider.JobUri(baseUri, id);

    public ProviderJob ReadJob(JsonElement body) => _provider.ReadJob(body);

    public JobRequest? CancelRequest(Uri baseUri, string id) => _provider.CancelRequest(baseUri, id);

    public JobRequest? DeleteRequest(Uri baseUri, string id) => _provider.DeleteRequest(baseUri, id);

    public bool OutputsNeedJobRead => _provider.OutputsNeedJobRead;

    public IReadOnlyList<JobOutput> Outputs(ProviderJob job, JsonElement? detail, Uri baseUri) => _provider.Outputs(job, detail, baseUri);

    public IReadOnlyList<DetailRead> DetailReads => _provider.DetailReads;
}
