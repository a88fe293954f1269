using System.Security;
using JobsModule.Accounts;
using JobsModule.Listing;
using JobsModule.Operations;
using JobsModule.Outputs;
using JobsModule.Transport;
using JobsModule.Watching;

namespace JobsModule.Engine;

/// <summary>
/// The one door the cmdlets go through: which accounts a call uses, listing, getting, waiting for,
/// stopping and removing jobs, saving their outputs, and connecting an account. A cmdlet makes one when it has bound its
/// parameters, hands it this runspace's accounts, the keys it was given and how hard to try, and gets
/// everything back through <see cref="IJobEvents"/> on its own thread: jobs, warnings, verbose and
/// debug lines, progress, and <see cref="Problem"/>s, with every key the module knows taken out. A
/// method that returns a Problem ends the call with it before anything is sent.
/// </summary>
internal sealed class JobsEngine : IDisposable
{
    private readonly IReadOnlyList<ProviderAccount> _connected;
    private readonly Func<string, string?> _environment;
    private readonly AccountSelector _selector;
    private readonly Redactor _secrets;
    private readonly RedactingEvents _events;
    private readonly CallContext _call;
    private readonly JobLister _lister;
    private readonly Dictionary<string, IReadOnlyList<ProviderEndpoint>> _endpoints = new(StringComparer.OrdinalIgnoreCase);
    private OutputSaver? _saver;

    /// <param name="connected">The accounts connected in the caller's runspace.</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="matches">Whether a name matches a wildcard pattern (PowerShell's own rule).</param>
    /// <param name="keysGiven">Keys given on the command line, known besides the accounts' and the environment's.</param>
    /// <param name="policy">How hard each request tries.</param>
    /// <param name="events">Where everything the engine has to say goes.</param>
    /// <param name="token">Cancelled when the caller is stopped (Ctrl+C).</param>
    /// <param name="http">The HTTP client; tests give one, the module shares one.</param>
    public JobsEngine(
        IReadOnlyList<ProviderAccount> connected,
        Func<string, string?> environment,
        Func<string, string, bool> matches,
        IEnumerable<SecureString?> keysGiven,
        RequestPolicy policy,
        IJobEvents events,
        CancellationToken token,
        HttpClient? http = null)
    {
        _connected = connected;
        _environment = environment;
        _selector = new AccountSelector(connected, environment, matches);
        _secrets = new Redactor(KnownKeys(keysGiven));
        _events = new RedactingEvents(events, _secrets);
        _call = new CallContext(new CallLog(_secrets), token) { Policy = policy, Heartbeat = Drain };
        _lister = new JobLister(http);
    }

    private CancellationToken Token => _call.Token;

    /// <summary>Every key the module knows taken out of <paramref name="text"/>, for what a cmdlet says itself.</summary>
    public string Redact(string text) => _secrets.Redact(text);

    /// <summary>
    /// The accounts the module would use for <paramref name="providers"/> (all when null): the connected
    /// ones, and for each provider without one, the account its environment gives. An environment
    /// account whose variable cannot be used is a problem instead, and the others are listed.
    /// </summary>
    public IEnumerable<ProviderAccount> Accounts(IReadOnlyCollection<string>? providers)
    {
        foreach (var account in Available(_connected, _environment))
        {
            if (providers is not null && !providers.Any(provider => string.Equals(provider, account.Provider, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            if (account.Problem is { } problem)
            {
                _events.Problem(Problem.From(problem, account));
                continue;
            }

            yield return account;
        }
    }

    /// <summary>
    /// The accounts the module uses: the <paramref name="connected"/> ones, and for each provider without
    /// one, the account its <paramref name="environment"/> gives (one whose variable cannot be used carries
    /// that problem). For tab completion, which has no engine of its own.
    /// </summary>
    public static IReadOnlyList<ProviderAccount> Available(IReadOnlyList<ProviderAccount> connected, Func<string, string?> environment) =>
        AccountSelector.Available(connected, environment);

    /// <summary>
    /// Lists the jobs <paramref name="request"/> asks for, merged newest first across its accounts, and
    /// writes each as it comes: <paramref name="skip"/> and <paramref name="first"/> count the merged
    /// jobs, and with <paramref name="includeTotalCount"/> the providers' own total comes back in
    /// <paramref name="total"/> (accuracy 0 where one is unknown). <paramref name="throttleLimit"/> caps
    /// the requests in flight across accounts, and -Detailed's reads (<paramref name="detailed"/>: one per
    /// finished job whose listing is silent, see <see cref="DetailReader"/>) run up to that many at once. A
    /// failed account is a problem; the others go on.
    /// </summary>
    public Problem? List(AccountRequest request, ulong skip, ulong first, bool includeTotalCount, int throttleLimit, bool detailed, out (ulong Count, double Accuracy)? total)
    {
        total = null;
        if (!TrySelect(request, out var endpoints, out var stop))
        {
            return stop;
        }

        if (endpoints.Count == 0)
        {
            return null;
        }

        using var gate = new SemaphoreSlim(throttleLimit);
        var call = _call with { Gate = endpoints.Count > 1 ? gate : null };
        try
        {
            // -First 0 wants no job: nothing is sent, unless -IncludeTotalCount asks for the count alone.
            total = first == 0
                ? (includeTotalCount ? TotalOnly(endpoints, request.Query, call) : null)
                : ListJobs(endpoints, request.Query, skip, first, includeTotalCount, detailed ? throttleLimit : 0, call);
        }
        catch (OperationCanceledException) when (Token.IsCancellationRequested)
        {
            // Stopped: PowerShell ends the pipeline.
        }

        return null;
    }

    /// <summary>
    /// Jobs by id, through each account <paramref name="request"/> names in turn until one has the job; a
    /// missing job is a problem and the others go on. With <paramref name="detailed"/>, a finished job's
    /// details are read before it is written.
    /// </summary>
    public Problem? Get(AccountRequest request, IEnumerable<string> ids, bool detailed)
    {
        if (!TrySelect(request, out var endpoints, out var stop))
        {
            return stop;
        }

        var details = detailed ? _lister.Details(_call) : null;
        foreach (var id in ids)
        {
            if (!IsSendable(id) || endpoints.Count == 0)
            {
                continue;
            }

            var lookup = WaitPump.Await(_lister.FindJobAsync(endpoints, id, _call), Drain);
            if (lookup.Job is { } job)
            {
                if (details is not null && DetailReader.Needs(lookup.Endpoint, job))
                {
                    WaitPump.Await(details.ReadAsync(lookup.Endpoint, job), Drain);
                }

                Drain();
                _events.Output(job);
            }
            else
            {
                _events.Problem(Problem.NotFound(lookup, id));
            }
        }

        details?.Report();
        Drain();
        return null;
    }

    /// <summary>Waits for <paramref name="jobs"/> to finish, writing each as it does (see <see cref="JobWaiter"/>).</summary>
    public void Wait(IEnumerable<JobReference> jobs, WaitSettings settings)
    {
        var targets = new List<WaitTarget>();
        foreach (var job in jobs)
        {
            if (IsSendable(job.Id) && EndpointsFor(job) is { Count: > 0 } endpoints)
            {
                targets.Add(new WaitTarget(endpoints, job.Id, job.Job));
            }
        }

        try
        {
            new JobWaiter(_lister, _call).Wait(targets, settings, _events);
        }
        catch (OperationCanceledException) when (Token.IsCancellationRequested)
        {
            // Stopped: PowerShell ends the pipeline.
        }
        finally
        {
            // Also when -Any or -Timeout returns early, or the pipeline is stopped.
            _events.Progress(1, null, null, "Done", 100, completed: true);
        }
    }

    /// <summary>
    /// Watches the accounts <paramref name="request"/> selects and writes each change once (see
    /// <see cref="JobWatcher"/>): with <paramref name="statePath"/>, from the state a previous run left
    /// there, held for this run and saved after each pass; without, from a baseline kept in memory.
    /// <paramref name="throttleLimit"/> caps the requests in flight across accounts. With
    /// <paramref name="detailed"/>, a finished job's details are read before its change is written.
    /// </summary>
    public Problem? Watch(AccountRequest request, string? statePath, bool once, bool includeExisting, TimeSpan? interval, TimeSpan? timeout, int? count, int throttleLimit, bool detailed)
    {
        if (!TrySelect(request, out var endpoints, out var stop))
        {
            return stop;
        }

        WatchStateFile? file = null;
        var state = new WatchState();
        if (statePath is not null)
        {
            file = WatchStateFile.Open(statePath, out var loaded, out var problem);
            if (file is null)
            {
                return problem;
            }

            state = loaded ?? state;
        }

        using (file)
        {
            if (endpoints.Count == 0)
            {
                return null;
            }

            var settings = new WatchSettings
            {
                Once = once,
                IncludeExisting = includeExisting,
                Interval = interval,
                Timeout = timeout,
                Count = count,
                Detailed = detailed,
                Filters = WatchSettings.FiltersOf(request.Query),
            };
            using var gate = new SemaphoreSlim(throttleLimit);
            try
            {
                new JobWatcher(_lister, _call with { Gate = gate }).Watch(endpoints, request.Query, settings, state, file, _events);
            }
            catch (OperationCanceledException) when (Token.IsCancellationRequested)
            {
                // Stopped: PowerShell ends the pipeline.
            }
            finally
            {
                Drain();
            }
        }

        return null;
    }

    /// <summary>Stops <paramref name="job"/> while it is queued or running, after reading it (see <see cref="JobActions.Stop"/>).</summary>
    public void Stop(JobReference job, bool passThru) =>
        Act(job, (actions, endpoints) => actions.Stop(endpoints, job.Id, passThru, _events, job.Job));

    /// <summary>Deletes <paramref name="job"/> with its results, after reading it (see <see cref="JobActions.Delete"/>).</summary>
    public void Remove(JobReference job, bool passThru) =>
        Act(job, (actions, endpoints) => actions.Delete(endpoints, job.Id, passThru, _events, job.Job));

    /// <summary>
    /// Saves the outputs of finished <paramref name="job"/> into &lt;<paramref name="folder"/>&gt;/&lt;Provider&gt;/&lt;job id&gt;/
    /// (<paramref name="folder"/> a full path), replacing files already there only with <paramref name="force"/>,
    /// downloading at most <paramref name="throttleLimit"/> files at once, and handing on each file saved with
    /// <paramref name="passThru"/> (<see cref="IJobEvents.Saved"/>). The job's downloads go on after this
    /// returns, while the next jobs arrive; <see cref="FinishSaving"/> waits for them. The folder, -Force,
    /// the limit and -PassThru of the first call hold for the whole call (see <see cref="OutputSaver"/>).
    /// </summary>
    public void Save(JobReference job, string folder, bool force, int throttleLimit, bool passThru)
    {
        if (!IsSendable(job.Id) || EndpointsFor(job) is not { Count: > 0 } endpoints)
        {
            return;
        }

        _saver ??= new OutputSaver(_lister, new OutputClient(), new SaveSettings(folder, force, throttleLimit, passThru), _call, _events, Drain);
        try
        {
            _saver.Save(endpoints, job.Id, job.Job);
        }
        catch (OperationCanceledException) when (Token.IsCancellationRequested)
        {
            // Stopped: the saver has taken its partial files away; PowerShell ends the pipeline.
        }
    }

    /// <summary>Waits for every download <see cref="Save"/> started, writing each file and problem as it ends.</summary>
    public void FinishSaving()
    {
        if (_saver is not { } saver)
        {
            return;
        }

        _saver = null;
        try
        {
            saver.Finish();
        }
        catch (OperationCanceledException) when (Token.IsCancellationRequested)
        {
            // Stopped: the saver has taken its partial files away; PowerShell ends the pipeline.
        }
        finally
        {
            saver.Dispose();
            _events.Progress(1, null, null, "Done", 100, completed: true);
        }
    }

    /// <summary>
    /// Ends what a call left running when its pipeline ended before <see cref="FinishSaving"/> (stopped, or
    /// failed upstream): downloads are cancelled and their partial files taken away.
    /// </summary>
    public void Dispose()
    {
        var saver = _saver;
        _saver = null;
        saver?.Dispose();
    }

    /// <summary>
    /// An account for <paramref name="provider"/> named <paramref name="name"/> (else the credential's
    /// <paramref name="userName"/>, else the provider's name), with <paramref name="key"/> from
    /// <paramref name="keySource"/> (null: the provider's environment variables), checked as every key,
    /// base URL and API version is; with <paramref name="validate"/>, one job is listed with it first.
    /// Null in <paramref name="account"/> after a problem that is not the call's end (a failed check).
    /// </summary>
    public Problem? Connect(string provider, string? name, string? userName, SecureString? key, string? keySource, Uri? baseUri, string? apiVersion, bool validate, out ProviderAccount? account)
    {
        account = null;
        var adapter = ProviderRegistry.Find(provider)!;
        var info = adapter.Info;

        // The name first, wherever it comes from: nothing is checked, sent or kept for an account that could not be selected again.
        var fromCredential = name is null && !string.IsNullOrWhiteSpace(userName) ? userName : null;
        var accountName = name ?? fromCredential ?? info.Name;
        if (AccountNames.Problem(accountName, fromCredential is null ? "-Name" : "-Credential's user name") is { } nameProblem)
        {
            return new Problem(ProblemKind.InvalidAccountName, nameProblem) { Target = Strings.Shorten(accountName, 200), StopsCall = true };
        }

        try
        {
            if (key is null)
            {
                if (ProviderEndpoint.KeyFromEnvironment(info, _environment) is not { } found)
                {
                    return Problem.MissingKey(info) with { StopsCall = true };
                }

                key = SecureKey.FromPlain(found.Key);
                keySource = found.Source;
            }
            else
            {
                ApiKeys.Check(SecureKey.Reveal(key), keySource!);
            }

            var resolvedBaseUri = ProviderEndpoint.ResolveBaseUri(info, baseUri, _environment);
            var version = ProviderEndpoint.ResolveApiVersion(info, apiVersion, "-ApiVersion", _environment);
            account = ProviderAccount.Connected(adapter, accountName, resolvedBaseUri, keySource!, key, version);
        }
        catch (InvalidSettingException ex)
        {
            return Redacted(Problem.From(ex, baseUri) with
            {
                Target = ex.Problem switch
                {
                    SettingProblem.ApiVersion => apiVersion,
                    SettingProblem.BaseUri or SettingProblem.InsecureBaseUri when baseUri is not null => ProviderEndpoint.Shown(baseUri.OriginalString),
                    _ => null,
                },
            });
        }

        if (validate && !Validate(account))
        {
            account = null;
        }

        return null;
    }

    /// <summary>Lists one job with <paramref name="account"/>; false after reporting why that failed.</summary>
    private bool Validate(ProviderAccount account)
    {
        try
        {
            foreach (var _ in _lister.List(account.ToEndpoint(_environment), new JobQuery { Limit = 1 }, _call, new ListingCounts()))
            {
                break;
            }

            return true;
        }
        catch (ProviderRequestException ex)
        {
            _events.Problem(Problem.ListingFailed(ex, account.Name));
            return false;
        }
        finally
        {
            Drain();
        }
    }

    /// <summary>
    /// The endpoints <paramref name="request"/> selects, after writing why providers were left out (verbose)
    /// and the problems that leave the rest going; false with the problem that ends the call instead.
    /// </summary>
    private bool TrySelect(AccountRequest request, out IReadOnlyList<ProviderEndpoint> endpoints, out Problem? stop)
    {
        var selection = _selector.Select(request);
        endpoints = selection.Endpoints;
        stop = selection.Stop is { } problem ? Redacted(problem) : null;
        if (stop is not null)
        {
            return false;
        }

        selection.Notes.ForEach(_events.Verbose);
        selection.Problems.ForEach(_events.Problem);
        return true;
    }

    /// <summary>The endpoints a job may be on (its account's, or every account of its provider); empty after writing why.</summary>
    private IReadOnlyList<ProviderEndpoint> EndpointsFor(JobReference job)
    {
        var cacheKey = job.Provider + "\u0000" + job.Account;
        if (_endpoints.TryGetValue(cacheKey, out var known))
        {
            return known;
        }

        var selection = _selector.Select(new AccountRequest { Providers = new[] { job.Provider }, AccountPatterns = job.Account is null ? null : new[] { job.Account } });
        selection.Problems.ForEach(_events.Problem);
        return _endpoints[cacheKey] = selection.Endpoints;
    }

    private void Act(JobReference job, Action<JobActions, IReadOnlyList<ProviderEndpoint>> act)
    {
        if (!IsSendable(job.Id) || EndpointsFor(job) is not { Count: > 0 } endpoints)
        {
            return;
        }

        try
        {
            act(new JobActions(_lister, _call), endpoints);
        }
        catch (OperationCanceledException) when (Token.IsCancellationRequested)
        {
            // Stopped: PowerShell ends the pipeline.
        }
    }

    /// <summary>False after writing InvalidJobId when <paramref name="id"/> cannot be sent; nothing is sent for it.</summary>
    private bool IsSendable(string? id)
    {
        if (JobIds.Problem(id) is not { } problem)
        {
            return true;
        }

        _events.Problem(Problem.InvalidJobId(id, problem));
        return false;
    }

    /// <summary>The listing's jobs written in its order; with <paramref name="detailedReads"/> above 0, each finished job that needs details after they are read, that many at once.</summary>
    private (ulong Count, double Accuracy)? ListJobs(IReadOnlyList<ProviderEndpoint> endpoints, JobQuery query, ulong skip, ulong first, bool includeTotalCount, int detailedReads, CallContext call)
    {
        using var listing = new JobListing(_lister, endpoints, query with { Limit = Saturate(first, skip) }, call);
        var progress = new ListingProgress(_events, listing.Sources);
        Action heartbeat = () => { Drain(); progress.Tick(); };
        var details = detailedReads > 0 ? _lister.Details(call) : null;
        var items = details is null ? listing.Merge(heartbeat) : details.InOrder(listing.Merge(heartbeat), skip, detailedReads, heartbeat);
        ulong written = 0;
        try
        {
            foreach (var item in items)
            {
                Drain();
                progress.Tick();
                if (item.Failure is { } failure)
                {
                    _events.Problem(Problem.ListingFailed(failure, item.Source.Endpoint.Account));
                    continue;
                }

                if (skip > 0)
                {
                    skip--;
                    continue;
                }

                _events.Output(item.Job!);
                if (++written >= first)
                {
                    break;
                }
            }
        }
        finally
        {
            progress.Complete();
        }

        details?.Report();
        Drain();
        return includeTotalCount ? Pair(ListingTotal.Of(listing.Sources.Select(source => source.Result.Total))) : null;
    }

    /// <summary>-IncludeTotalCount -First 0: each account's total, with as few requests as it takes, and no job.</summary>
    private (ulong Count, double Accuracy) TotalOnly(IReadOnlyList<ProviderEndpoint> endpoints, JobQuery query, CallContext call)
    {
        var totals = WaitPump.Await(_lister.TotalsAsync(endpoints, query, call), Drain);
        foreach (var (endpoint, _, failure) in totals)
        {
            if (failure is not null)
            {
                _events.Problem(Problem.ListingFailed(failure, endpoint.Account));
            }
        }

        return Pair(ListingTotal.Of(totals.Select(account => account.Total)));
    }

    private static (ulong Count, double Accuracy) Pair(ListingTotal total) => (total.Count, total.Accuracy);

    /// <summary>Hands on what the requests logged so far, on the caller's thread.</summary>
    private void Drain()
    {
        while (_call.Log.TryTake(out var message))
        {
            switch (message.Kind)
            {
                case LogMessageKind.Warning:
                    _events.Warning(message.Text);
                    break;
                case LogMessageKind.Error:
                    _events.Problem(Problem.ListingFailed(message.Error!, message.Account));
                    break;
                case LogMessageKind.Debug:
                    _events.Debug(message.Text);
                    break;
                default:
                    _events.Verbose(message.Text);
                    break;
            }
        }
    }

    private Problem Redacted(Problem problem) => RedactingEvents.Redacted(problem, _secrets);

    private static long Saturate(ulong first, ulong skip)
    {
        var sum = first + skip;
        return sum < first || sum > long.MaxValue ? long.MaxValue : (long)sum;
    }

    /// <summary>Every key the module knows in this runspace: those given, the connected accounts' and the environment's.</summary>
    private IEnumerable<string?> KnownKeys(IEnumerable<SecureString?> given)
    {
        foreach (var secure in given.Concat(_connected.Select(account => account.Key)))
        {
            if (secure is not null)
            {
                yield return SecureKey.Reveal(secure);
            }
        }

        foreach (var variable in ProviderRegistry.All.SelectMany(provider => provider.Info.KeyVariables))
        {
            yield return _environment(variable)?.Trim();
        }
    }
}
