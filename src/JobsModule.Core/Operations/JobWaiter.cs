using JobsModule.Accounts;
using JobsModule.Engine;
using JobsModule.Providers;
using JobsModule.Transport;

namespace JobsModule.Operations;

/// <summary>
/// Waits for jobs to finish (Wait-ProviderJob). Each job is read at once, then again after its
/// provider's polling interval (or the one given); the polls of all the jobs of one account share its
/// request budget, the one the listing and -Detailed's reads keep to as well (<see cref="RateBudget"/>,
/// learnt from the provider's answers): a job whose budget is spent waits its turn, and the other
/// providers' jobs are not held back. The first poll finds the account that has the job, and the later
/// ones ask that account alone. With -Detailed, a finished job's details are read before it is written
/// (<see cref="DetailReader"/>). Runs on the caller's thread and tells it everything through
/// <see cref="IJobEvents"/>.
/// </summary>
internal sealed class JobWaiter
{
    private static readonly TimeSpan ShortestNap = TimeSpan.FromMilliseconds(20);

    // The longest nap between two rounds: progress and the deadline are looked at this often.
    private static readonly TimeSpan LongestNap = TimeSpan.FromMilliseconds(250);

    private readonly JobLister _lister;
    private readonly CallContext _call;
    private readonly WaitClock _clock;

    public JobWaiter(JobLister lister, CallContext call, WaitClock? clock = null)
    {
        _lister = lister;
        _call = call;
        _clock = clock ?? new WaitClock();
    }

    /// <summary>
    /// Writes each job as it finishes, in that order; a job given twice is waited for and written once.
    /// A job that cannot be read is a problem and is left out; a status the module does not know is
    /// warned about once per job. The timeout bounds the whole wait, requests included (see
    /// <see cref="Deadline"/>): when it runs out, a warning says how many had not finished and those
    /// are written as they were last seen, also when their last read was cut short by it.
    /// </summary>
    public void Wait(IReadOnlyList<WaitTarget> targets, WaitSettings settings, IJobEvents events)
    {
        var start = _clock.Elapsed;
        TimeSpan Now() => _clock.Elapsed - start;

        // The budget is kept by the wait's own clock, so that what it says here and when the poll is sent agree.
        var origin = _call.Now() - start;
        DateTimeOffset At() => origin + _clock.Elapsed;
        var deadline = settings.Timeout is { } timeout ? new Deadline(_clock, timeout) : null;
        var call = _call with { Deadline = deadline ?? _call.Deadline, Now = At };
        var details = settings.Detailed ? new DetailReader(_lister.Client, call) : null;
        var waiting = targets.GroupBy(WaitTarget.SameJob).Select(same => new Waiter(same.First())).ToList();
        var total = waiting.Count;

        // When the account budgets of a job's poll have a place again (zero: now).
        TimeSpan BudgetFree(Waiter waiter) => waiter.Endpoints.Select(endpoint => RateBudget.For(endpoint).Delay(At()) ?? TimeSpan.Zero).Max() + Now();

        void Finished(Waiter waiter, ProviderJob job, ProviderEndpoint? endpoint)
        {
            if (details is not null && (endpoint ?? waiter.AccountOf(job)) is { } account && DetailReader.Needs(account, job))
            {
                WaitPump.Await(details.ReadAsync(account, job), call.Heartbeat);
            }

            events.Output(job);
        }

        // A job already final needs no request (but its details, with -Detailed).
        foreach (var waiter in waiting.Where(waiter => waiter.Last is not null && waiter.Last.Status.IsFinished()).ToList())
        {
            waiting.Remove(waiter);
            Finished(waiter, waiter.Last!, null);
            if (settings.Any)
            {
                details?.Report();
                return;
            }
        }

        while (waiting.Count > 0)
        {
            // The longest overdue first, so that the jobs of one provider take turns with its rate budget.
            // Once the time is up, only the jobs not read yet are (each job is read at least once).
            foreach (var waiter in waiting.Where(waiter => waiter.NextPoll <= Now() && (deadline?.HasPassed != true || !waiter.HasBeenRead)).OrderBy(waiter => waiter.NextPoll).ToList())
            {
                if (BudgetFree(waiter) > Now())
                {
                    continue;
                }

                var lookup = WaitPump.Await(_lister.FindJobAsync(waiter.Endpoints, waiter.Id, call), call.Heartbeat);
                var job = lookup.Job;
                if (job is null)
                {
                    if (lookup.Failure!.DeadlineReached && waiter.HasBeenRead)
                    {
                        // Cut short by the deadline, not failed: the job is written as last read when the time is up.
                        waiter.ReadNoMore();
                        continue;
                    }

                    waiting.Remove(waiter);
                    events.Problem(Problem.NotFound(lookup, waiter.Id));
                    continue;
                }

                waiter.Read(lookup.Endpoint, job, Now() + (settings.PollingInterval ?? waiter.Provider.Info.PollingInterval));
                if (job.Status == JobStatus.Unknown && !waiter.WarnedUnknown)
                {
                    waiter.WarnedUnknown = true;
                    events.Warning(Strings.UnknownStatusWhileWaiting(job));
                }

                if (job.Status.IsFinished())
                {
                    waiting.Remove(waiter);
                    Finished(waiter, job, lookup.Endpoint);
                    if (settings.Any)
                    {
                        details?.Report();
                        return;
                    }
                }
            }

            // Looked at after a round of polls, once every job has been read, so that even a timeout
            // of 0 reads each job once (a provider's rate budget may hold some back for a while).
            if (waiting.Count > 0 && deadline is { HasPassed: true } && waiting.All(waiter => waiter.HasBeenRead))
            {
                events.Warning(Strings.StillRunning(waiting.Count, deadline.Duration));
                foreach (var waiter in waiting.Where(waiter => waiter.Last is not null))
                {
                    events.Output(waiter.Last!);
                }

                details?.Report();
                return;
            }

            var finished = total - waiting.Count;
            events.Progress(1, null, null, Strings.JobsFinished(finished, total), total == 0 ? 100 : 100 * finished / total, completed: false);
            if (waiting.Count > 0)
            {
                var next = waiting.Min(waiter => Later(waiter.NextPoll, BudgetFree(waiter)));
                var nap = next - Now();
                if (deadline is { HasPassed: false } && deadline.Left < nap)
                {
                    nap = deadline.Left;
                }

                _clock.Sleep(nap < ShortestNap ? ShortestNap : nap > LongestNap ? LongestNap : nap, call.Heartbeat, call.Token);
            }
        }

        details?.Report();
    }

    private static TimeSpan Later(TimeSpan one, TimeSpan other) => one > other ? one : other;

    private sealed class Waiter
    {
        public Waiter(WaitTarget target)
        {
            Endpoints = target.Endpoints;
            Id = target.Id;
            Last = target.Known;
        }

        /// <summary>The accounts the job may be on; one, once a poll has found it.</summary>
        public IReadOnlyList<ProviderEndpoint> Endpoints { get; private set; }

        public IJobProvider Provider => Endpoints[0].Provider;

        public string Id { get; }

        public ProviderJob? Last { get; private set; }

        public TimeSpan NextPoll { get; private set; }

        /// <summary>True once this wait has read the job (a piped job is not yet).</summary>
        public bool HasBeenRead { get; private set; }

        public bool WarnedUnknown { get; set; }

        public void Read(ProviderEndpoint endpoint, ProviderJob job, TimeSpan nextPoll)
        {
            Endpoints = new[] { endpoint };
            Last = job;
            NextPoll = nextPoll;
            HasBeenRead = true;
        }

        /// <summary>Leaves the job as last read: no poll is due again.</summary>
        public void ReadNoMore() => NextPoll = TimeSpan.MaxValue;

        /// <summary>The account a job piped in was listed with, among those it is looked for through.</summary>
        public ProviderEndpoint? AccountOf(ProviderJob job) =>
            Endpoints.FirstOrDefault(endpoint => string.Equals(endpoint.Account, job.Account, StringComparison.Ordinal)) ?? (Endpoints.Count == 1 ? Endpoints[0] : null);
    }
}
