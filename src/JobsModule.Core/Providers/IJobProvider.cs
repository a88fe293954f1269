using System.Text.Json;
using JobsModule.Accounts;
using JobsModule.Outputs;
using JobsModule.Transport;

namespace JobsModule.Providers;

/// <summary>
/// What one provider adapter knows: its facts, its auth header, its URLs and its JSON. It is its own
/// preferred list route. The engine (<see cref="JobLister"/>) does everything else, so a new provider
/// is one new class.
/// </summary>
internal interface IJobProvider : IJobListRoute
{
    ProviderInfo Info { get; }

    /// <summary>Adds the provider's auth header (and any other header every request needs).</summary>
    void Authorize(HttpRequestMessage request, ProviderEndpoint endpoint);

    /// <summary>
    /// An older list route, used when the provider's own answers 404 to a first page (an older
    /// deployment, or a gateway that exposes only the old route); null when there is none.
    /// </summary>
    IJobListRoute? FallbackListRoute { get; }

    /// <summary>The provider's own message (and request id, where it gives one) from an error body.</summary>
    ProviderErrorBody ReadError(JsonElement body);

    /// <summary>The URL of one job; the id is one escaped path segment.</summary>
    Uri JobUri(Uri baseUri, string id);

    /// <summary>Reads the body of the single-job endpoint, which may differ from a list item.</summary>
    ProviderJob ReadJob(JsonElement body);

    /// <summary>The request that stops a job, or null when the provider documents none.</summary>
    JobRequest? CancelRequest(Uri baseUri, string id);

    /// <summary>The request that deletes a job, or null when the provider documents none.</summary>
    JobRequest? DeleteRequest(Uri baseUri, string id);

    /// <summary>
    /// True when a job's outputs are known only from its single-job answer (a list item lacks some or
    /// all of them), so that a listed job is read once before its outputs are saved.
    /// </summary>
    bool OutputsNeedJobRead { get; }

    /// <summary>
    /// Where a finished job's outputs are (Save-ProviderJobOutput): URLs from its own fields, requests under
    /// <paramref name="baseUri"/> that answer with the content or with a URL, or bytes its answer holds,
    /// each with the name the provider suggests. <paramref name="detail"/> is the job's single-job answer
    /// when it was read, else null. Empty when the job has none.
    /// </summary>
    IReadOnlyList<JobOutput> Outputs(ProviderJob job, System.Text.Json.JsonElement? detail, Uri baseUri);

    /// <summary>
    /// The requests -Detailed sends for a finished job whose listing is silent about its result, in order
    /// (see <see cref="DetailRead"/>); empty when the listing already says all the provider says.
    /// </summary>
    IReadOnlyList<DetailRead> DetailReads { get; }
}
