using System.Text.Json;
using JobsModule.Accounts;
using JobsModule.Engine;
using JobsModule.Listing;
using JobsModule.Transport;

namespace JobsModule.Operations;

/// <summary>
/// What the cmdlets call: one account's jobs (the <see cref="JobPager"/> follows the pages), one job
/// by id, and the requests that change a job (the <see cref="ProviderClient"/> sends them all).
/// </summary>
internal sealed class JobLister
{
    private readonly ProviderClient _client;
    private readonly JobPager _pager;

    public JobLister(HttpClient? http = null)
    {
        _client = new ProviderClient(http);
        _pager = new JobPager(_client);
    }

    /// <summary>The transport every request of this lister goes through (and -Detailed's reads: <see cref="Details"/>).</summary>
    internal ProviderClient Client => _client;

    /// <summary>-Detailed's reads, through this lister's transport.</summary>
    public DetailReader Details(CallContext call) => new(_client, call);

    /// <summary>The jobs of <paramref name="endpoint"/> that match <paramref name="query"/>, newest first where the provider promises it, one at a time as they arrive.</summary>
    public IEnumerable<ProviderJob> List(ProviderEndpoint endpoint, JobQuery query, CallContext call, ListingCounts counts) =>
        _pager.List(endpoint, query, call, counts);

    /// <summary>
    /// The total of each account for -IncludeTotalCount -First 0, asked of all at once (within the
    /// options' request gate): a total, null where it is unknown, or the failure that left it unknown.
    /// </summary>
    public async Task<IReadOnlyList<(ProviderEndpoint Endpoint, long? Total, ProviderRequestException? Failure)>> TotalsAsync(
        IReadOnlyList<ProviderEndpoint> endpoints, JobQuery query, CallContext call)
    {
        var totals = await Task.WhenAll(endpoints.Select(async endpoint =>
        {
            try
            {
                return (endpoint, await _pager.TotalAsync(endpoint, query, call, new ListingCounts()).ConfigureAwait(false), (ProviderRequestException?)null);
            }
            catch (ProviderRequestException ex)
            {
                return (endpoint, (long?)null, ex);
            }
        })).ConfigureAwait(false);
        return totals;
    }

    /// <summary>One job by id, as the single-job endpoint describes it.</summary>
    public Task<ProviderJob> GetJobAsync(ProviderEndpoint endpoint, string id, CallContext call) =>
        _client.GetJobAsync(endpoint, id, call);

    /// <summary>
    /// Job <paramref name="id"/> through each endpoint in turn until one has it, so that a job is found
    /// whichever account it belongs to. When none has it, the first failure other than "not found" (a
    /// rejected key, say) explains best, else the first "not found". <paramref name="inspect"/> also reads the
    /// answer that found it (see <see cref="ProviderClient.GetJobAsync"/>).
    /// </summary>
    internal async Task<JobLookup> FindJobAsync(IReadOnlyList<ProviderEndpoint> endpoints, string id, CallContext call, Action<ProviderJob, JsonElement>? inspect = null)
    {
        JobLookup? failed = null;
        foreach (var endpoint in endpoints)
        {
            try
            {
                return new JobLookup(endpoint, await _client.GetJobAsync(endpoint, id, call, inspect: inspect).ConfigureAwait(false), null);
            }
            catch (ProviderRequestException ex)
            {
                if (failed is null || (failed.Failure!.Kind == ProviderErrorKind.NotFound && ex.Kind != ProviderErrorKind.NotFound))
                {
                    failed = new JobLookup(endpoint, null, ex);
                }
            }
        }

        return failed ?? throw new ArgumentException("A job is looked for through at least one account.", nameof(endpoints));
    }

    /// <summary>Sends a request that changes a job (a cancel, a delete) once: it is not idempotent everywhere, so it is never retried.</summary>
    public Task<bool> SendJobRequestAsync(ProviderEndpoint endpoint, JobRequest jobRequest, CallContext call) =>
        _client.SendOnceAsync(endpoint, jobRequest, call);
}
