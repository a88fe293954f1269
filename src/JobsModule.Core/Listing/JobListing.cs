using JobsModule.Accounts;
using JobsModule.Engine;
using JobsModule.Operations;

namespace JobsModule.Listing;

/// <summary>
/// One call's listing across one or more accounts. A single account is listed on the caller's
/// thread, page by page. Several are listed at once and merged newest first by CreatedAt: each
/// account streams on its own thread into a buffer of about one page and the caller's thread takes
/// the newest head each time, so memory stays at a page or so per account, never a whole listing.
/// Accounts whose order the provider does not promise are sorted before they join the merge.
/// </summary>
internal sealed class JobListing : IDisposable
{
    private readonly CancellationTokenSource _cancellation;
    private readonly List<ListingSource> _sources;
    private readonly JobLister _lister;
    private readonly JobQuery _query;
    private readonly CallContext _call;

    public JobListing(JobLister lister, IReadOnlyList<ProviderEndpoint> endpoints, JobQuery query, CallContext call)
    {
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(call.Token);
        // Room for half a page: the next page is asked for once the merge has used half of this one,
        // so Select-Object -First n below half a page costs each account a single request.
        _sources = endpoints.Select(endpoint => new ListingSource(endpoint, Math.Max(1, (query.PageSize ?? endpoint.Provider.Info.MaxPageSize ?? 1000) / 2))).ToList();
        _lister = lister;
        _query = query;
        var token = _cancellation.Token;
        _call = call with { Token = token };
        if (_sources.Count == 1)
        {
            return;
        }

        foreach (var source in _sources)
        {
            // A thread of its own per account: each one mostly waits on HTTP, and must not starve the pool.
            // Its own thread has nothing to write: only the caller's thread may, so no heartbeat runs there.
            var producer = _call with { ReadAhead = _call.ReadAhead with { PrefetchNextPage = false }, AwaitConsumer = source.AwaitDealtWith, Heartbeat = null };
            Task.Factory.StartNew(() => Produce(source, producer), token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    public IReadOnlyList<ListingSource> Sources => _sources;

    /// <summary>Jobs newest first across every account; an account's failure comes as an item in its place.</summary>
    public IEnumerable<ListingItem> Merge(Action? heartbeat)
    {
        var token = _cancellation.Token;
        if (_sources.Count == 1)
        {
            return Single(_sources[0], heartbeat, token);
        }

        return Merged(heartbeat, token);
    }

    public void Dispose()
    {
        // Stops every account's requests at once (Select-Object -First, Ctrl+C, the end of -First).
        _cancellation.Cancel();
        _cancellation.Dispose();
    }

    private IEnumerable<ListingItem> Single(ListingSource source, Action? heartbeat, CancellationToken token)
    {
        // One account: no thread, no buffer; the caller's thread drives the pages directly.
        using var jobs = Jobs(source, _call with { Heartbeat = heartbeat }).GetEnumerator();
        while (true)
        {
            ProviderRequestException? failure = null;
            try
            {
                if (!jobs.MoveNext())
                {
                    yield break;
                }
            }
            catch (ProviderRequestException ex)
            {
                failure = ex;
            }

            if (failure is not null)
            {
                yield return new ListingItem(source, null, failure);
                yield break;
            }

            yield return new ListingItem(source, jobs.Current, null);
        }
    }

    private IEnumerable<ListingItem> Merged(Action? heartbeat, CancellationToken token)
    {
        var heads = new Dictionary<ListingSource, ProviderJob>();
        var open = new List<ListingSource>(_sources);
        foreach (var source in _sources)
        {
            if (Take(source, heartbeat, token) is { } job)
            {
                heads[source] = job;
            }
        }

        while (true)
        {
            // Accounts that ended: report a failure once, in place, and let the others go on.
            for (var i = open.Count - 1; i >= 0; i--)
            {
                var source = open[i];
                if (!heads.ContainsKey(source))
                {
                    open.RemoveAt(i);
                    if (source.Failure is { } failure)
                    {
                        yield return new ListingItem(source, null, failure);
                    }
                }
            }

            if (open.Count == 0)
            {
                yield break;
            }

            var newest = open[0];
            for (var i = 1; i < open.Count; i++)
            {
                if (Newer(heads[open[i]], heads[newest]))
                {
                    newest = open[i];
                }
            }

            var next = heads[newest];
            heads.Remove(newest);
            yield return new ListingItem(newest, next, null);
            newest.DealtWith();
            if (Take(newest, heartbeat, token) is { } refill)
            {
                heads[newest] = refill;
            }
        }
    }

    private static bool Newer(ProviderJob candidate, ProviderJob current) =>
        (candidate.CreatedUtc ?? DateTime.MinValue) > (current.CreatedUtc ?? DateTime.MinValue);

    private static ProviderJob? Take(ListingSource source, Action? heartbeat, CancellationToken token) =>
        WaitPump.Take(source.Buffer, heartbeat, token);

    /// <summary>
    /// One account's jobs, newest first: as listed where the provider promises that order, else
    /// all of them sorted (such a provider is unpaged, so the sort costs no extra request).
    /// </summary>
    private IEnumerable<ProviderJob> Jobs(ListingSource source, CallContext call)
    {
        if (source.Endpoint.Provider.Info.NewestFirst)
        {
            return _lister.List(source.Endpoint, _query, call, source.Result);
        }

        var all = _lister.List(source.Endpoint, _query with { Limit = long.MaxValue }, call, source.Result);
        return all.OrderByDescending(job => job.CreatedUtc ?? DateTime.MinValue).Take((int)Math.Min(int.MaxValue, _query.Limit));
    }

    private void Produce(ListingSource source, CallContext call)
    {
        var token = call.Token;
        try
        {
            foreach (var job in Jobs(source, call))
            {
                source.HandingOn();
                source.Buffer.Add(job, token);
            }
        }
        catch (ProviderRequestException ex)
        {
            source.Failure = ex;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The merge was stopped; nothing to report.
        }
        catch (Exception ex)
        {
            // Anything else still ends only this account, with an error the caller can show.
            source.Failure = new ProviderRequestException(source.Endpoint.Provider.Info.Name, ProviderErrorKind.HttpError, ex.Message, ex);
        }
        finally
        {
            source.Buffer.CompleteAdding();
        }
    }
}
