using JobsModule.Accounts;
using JobsModule.Engine;
using JobsModule.Listing;
using JobsModule.Operations;
using JobsModule.Transport;

namespace JobsModule.Watching;

/// <summary>
/// Watch-ProviderJob's passes. Each pass lists every account newest first down to the newest job it
/// already knows (one page, as a rule), and reads by id each known unfinished job that listing did not
/// show, in turns spaced under the provider's rate (<see cref="RateBudget.TakeTurn"/>); the accounts go
/// at once, within the call's request gate, on worker threads, and their changes are written on the
/// caller's thread, account by account.
/// The state moves on with each change written, so whatever stops the watch (-Count, Ctrl+C, -Timeout,
/// a stopped pipeline) leaves exactly the unwritten changes for the next pass. A listing or read that
/// fails is a warning: what it would have told waits for the next pass, nothing is lost or repeated.
/// </summary>
internal sealed class JobWatcher
{
    private readonly JobLister _lister;
    private readonly CallContext _call;
    private readonly WaitClock _clock;

    public JobWatcher(JobLister lister, CallContext call, WaitClock? clock = null)
    {
        _lister = lister;
        _call = call;
        _clock = clock ?? new WaitClock();
    }

    /// <summary>
    /// Runs passes over <paramref name="endpoints"/> until the settings say to end, writing each change
    /// through <paramref name="events"/>; <paramref name="state"/> is saved to <paramref name="file"/>
    /// (when there is one) after each pass, and once more when the watch is stopped in the middle of one.
    /// </summary>
    public void Watch(IReadOnlyList<ProviderEndpoint> endpoints, JobQuery filters, WatchSettings settings, WatchState state, WatchStateFile? file, IJobEvents events)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_call.Token);
        if (settings.Timeout is { } limit)
        {
            timeout.CancelAfter(limit);
        }

        var call = _call with { Token = timeout.Token };
        var interval = settings.Interval ?? endpoints.Min(endpoint => endpoint.Provider.Info.PollingInterval);
        var written = 0;
        var pass = 0;
        var saved = true;
        try
        {
            while (true)
            {
                var started = _clock.Elapsed;
                pass++;
                saved = false;
                var before = written;
                var ended = Pass(endpoints, filters, settings, state, events, call, ref written);
                events.Verbose(Strings.WatchPass(pass, endpoints.Count, written - before, state.Accounts.Values.Sum(account => account.Unfinished.Count)));
                if (file?.Save(state) is { } problem)
                {
                    events.Problem(problem);
                }

                saved = true;
                if (settings.Once || ended)
                {
                    return;
                }

                var nap = started + interval - _clock.Elapsed;
                if (nap > TimeSpan.Zero)
                {
                    _clock.Sleep(nap, call.Heartbeat, call.Token);
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !_call.Token.IsCancellationRequested)
        {
            events.Verbose(Strings.WatchTimedOut(settings.Timeout!.Value));
        }
        finally
        {
            // Stopped in the middle of a pass: the changes written so far are kept. No event when the
            // pipeline is stopped (nothing may be written then), so a failed save goes unreported there.
            if (!saved && file is not null)
            {
                var problem = file.Save(state);
                if (problem is not null && !_call.Token.IsCancellationRequested)
                {
                    events.Problem(problem);
                }
            }
        }
    }

    /// <summary>One pass; true once -Count changes have been written.</summary>
    private bool Pass(IReadOnlyList<ProviderEndpoint> endpoints, JobQuery filters, WatchSettings settings, WatchState state, IJobEvents events, CallContext call, ref int written)
    {
        var detectedAt = DateTimeOffset.UtcNow;
        using var passEnd = CancellationTokenSource.CreateLinkedTokenSource(call.Token);
        var worker = call with { Token = passEnd.Token, Heartbeat = null };
        var details = settings.Detailed ? _lister.Details(worker) : null;
        var passes = endpoints.Select(endpoint =>
        {
            var key = WatchState.KeyOf(endpoint.Provider.Info.Name, endpoint.Account, endpoint.BaseUri, settings.Filters, call.Log.Redactor.With(endpoint.ApiKey));
            if (state.Accounts.TryGetValue(key, out var known) && details is null)
            {
                // Followed after they finished only for a -Detailed watch's details: without -Detailed they are done.
                known.ForgetFinished();
            }

            return Task.Run(() => AccountPassAsync(endpoint, key, known, settings.IncludeExisting, filters, details, worker, detectedAt), passEnd.Token);
        }).ToList();
        try
        {
            foreach (var task in passes)
            {
                var result = WaitPump.Await(task, call.Heartbeat);
                result.Warnings.ForEach(events.Warning);
                if (result.Start is null)
                {
                    continue;
                }

                if (result.IsBaseline)
                {
                    state.Accounts[result.Key] = result.Start;
                    events.Verbose(Strings.WatchBaseline(Label(result.Endpoint), result.Start.Unfinished.Count));
                    continue;
                }

                var watch = state.Accounts[result.Key] = result.Start;
                result.Gone.ForEach(watch.Forget);
                foreach (var change in result.Changes)
                {
                    // Known before it is handed on: a downstream Select-Object -First stops the pipeline
                    // from inside Output, after taking the change.
                    watch.Apply(change, followUnverified: details is not null);
                    events.Output(change);
                    written++;
                    if (settings.Count is { } count && written >= count)
                    {
                        return true;
                    }
                }
            }

            if (details is { Requests: > 0 })
            {
                details.Report();
            }

            return false;
        }
        finally
        {
            // Ended early (-Count, a stop): the other accounts' requests end with it.
            passEnd.Cancel();
        }
    }

    private async Task<AccountPass> AccountPassAsync(ProviderEndpoint endpoint, string key, AccountWatch? known, bool includeExisting, JobQuery filters, DetailReader? details, CallContext call, DateTimeOffset detectedAt)
    {
        var pass = new AccountPass(endpoint, key);
        if (known is null)
        {
            try
            {
                if (includeExisting)
                {
                    pass.Start = new AccountWatch();
                    var all = List(endpoint, filters, call).ToList();
                    var none = new Dictionary<string, ProviderJob>();
                    await ReadDetailsAsync(details, endpoint, pass.Start, all, none, detectedAt).ConfigureAwait(false);
                    pass.Changes.AddRange(ChangeDetector.Detect(pass.Start, all, none, detectedAt));
                }
                else
                {
                    pass.Start = AccountWatch.Baseline(List(endpoint, filters, call), detectedAt);
                    pass.IsBaseline = true;
                }
            }
            catch (ProviderRequestException ex)
            {
                // A baseline must see every unfinished job: a partial one is no baseline.
                pass.Start = null;
                pass.IsBaseline = false;
                pass.Changes.Clear();
                pass.Warnings.Add(Strings.WatchBaselineFailed(Label(endpoint), ex.Message));
            }

            return pass;
        }

        pass.Start = known;
        List<ProviderJob>? listed;
        try
        {
            // A newest-first provider's listing stops at the newest job known. One that does not list newest
            // first (Unstructured) is read whole whatever is asked, so nothing is filtered out of it: its
            // known unfinished jobs are then in the listing, not read one by one. Only the jobs a change can
            // come from are kept (new ones and known unfinished ones), so memory does not grow with the history.
            var after = endpoint.Provider.Info.NewestFirst ? known.NewestUtc : null;
            listed = List(endpoint, filters with { CreatedAfter = after }, call)
                .Where(job => known.Unfinished.ContainsKey(job.Id) || known.IsNew(job, detectedAt))
                .ToList();
        }
        catch (ProviderRequestException ex)
        {
            listed = null;
            pass.Warnings.Add(Strings.WatchListingFailed(Label(endpoint), ex.Message));
        }

        var toRead = ChangeDetector.ToRead(known, listed);
        var read = new Dictionary<string, ProviderJob>(StringComparer.Ordinal);
        var budget = RateBudget.For(endpoint);
        for (var i = 0; i < toRead.Count; i++)
        {
            // Spaced under the provider's rate across its accounts; the transport keeps to what its answers report as well.
            var turn = budget.TakeTurn(call.Now());
            if (turn > TimeSpan.Zero)
            {
                await Task.Delay(turn, call.Token).ConfigureAwait(false);
            }

            try
            {
                read[toRead[i]] = await _lister.GetJobAsync(endpoint, toRead[i], call).ConfigureAwait(false);
            }
            catch (ProviderRequestException ex) when (ex.Kind == ProviderErrorKind.NotFound)
            {
                pass.Gone.Add(toRead[i]);
                pass.Warnings.Add(Strings.WatchJobGone(Label(endpoint), toRead[i]));
            }
            catch (ProviderRequestException ex)
            {
                // The provider is refusing or failing now: the rest wait for the next pass rather than add to it.
                pass.Warnings.Add(Strings.WatchReadFailed(Label(endpoint), toRead.Count - i, ex.Message));
                break;
            }
        }

        await ReadDetailsAsync(details, endpoint, known, listed, read, detectedAt).ConfigureAwait(false);
        pass.Changes.AddRange(ChangeDetector.Detect(known, listed, read, detectedAt));
        return pass;
    }

    /// <summary>
    /// -Detailed: reads the details of each finished job whose change this pass may write (a new one, or a
    /// known one now finished or still followed for its outcome) before the change is found, so that the
    /// change carries the detailed Outcome and FailedItems. The reads go at once within the call's request
    /// gate; one that fails is a warning and leaves the job as listed (see <see cref="DetailReader"/>).
    /// </summary>
    private static Task ReadDetailsAsync(DetailReader? details, ProviderEndpoint endpoint, AccountWatch known, IReadOnlyList<ProviderJob>? listed, IReadOnlyDictionary<string, ProviderJob> read, DateTimeOffset readAt)
    {
        if (details is null)
        {
            return Task.CompletedTask;
        }

        var reads = new List<Task>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in (listed ?? Array.Empty<ProviderJob>()).Concat(read.Values))
        {
            if (seen.Add(job.Id) && (known.Unfinished.ContainsKey(job.Id) || known.IsNew(job, readAt)) && DetailReader.Needs(endpoint, job))
            {
                reads.Add(details.ReadAsync(endpoint, job));
            }
        }

        return Task.WhenAll(reads);
    }

    private IEnumerable<ProviderJob> List(ProviderEndpoint endpoint, JobQuery query, CallContext call) =>
        _lister.List(endpoint, query, call, new ListingCounts());

    private static string Label(ProviderEndpoint endpoint) => ProviderAccount.Label(endpoint.Provider.Info.Name, endpoint.Account);
}
