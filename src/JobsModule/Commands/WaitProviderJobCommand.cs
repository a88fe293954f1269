using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;

namespace JobsModule.Commands;

/// <summary>
/// Wait-ProviderJob: polls jobs until each is Succeeded, Failed or Canceled, within each provider's
/// rate limit, and writes them as they finish; with -Timeout, the ones still running are written as
/// they were last seen, with a warning.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "ProviderJob", DefaultParameterSetName = JobSet)]
[OutputType(typeof(ProviderJob))]
public sealed class WaitProviderJobCommand : JobReferenceCommandBase
{
    private readonly List<JobReference> _references = new();

    /// <summary>Seconds between polls of one job; default: each provider's own interval.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int PollingIntervalSec { get; set; }

    /// <summary>Seconds to wait in all; -1 (the default) waits as long as it takes.</summary>
    [Parameter]
    [Alias("TimeoutSec")]
    [ValidateRange(-1, int.MaxValue)]
    public int Timeout { get; set; } = -1;

    /// <summary>Return as soon as one job has finished.</summary>
    [Parameter]
    public SwitchParameter Any { get; set; }

    protected override void ProcessRecord() => _references.AddRange(References());

    protected override void EndProcessing()
    {
        var waiting = new List<Waiter>();
        foreach (var reference in _references)
        {
            if (EndpointsFor(reference.Provider, reference.Account) is { Count: > 0 } endpoints)
            {
                waiting.Add(new Waiter(endpoints, reference.Id, reference.Job));
            }
        }

        try
        {
            Wait(waiting);
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
            // Stopped: PowerShell ends the pipeline.
        }
    }

    private void Wait(List<Waiter> waiting)
    {
        try
        {
            Poll(waiting);
        }
        finally
        {
            // Also when -Any or -Timeout returns early, or the pipeline is stopped.
            WriteProgress(new ProgressRecord(1, "Wait-ProviderJob", "Done") { RecordType = ProgressRecordType.Completed });
        }
    }

    private void Poll(List<Waiter> waiting)
    {
        var total = waiting.Count;
        var lister = new JobLister();
        var clock = Stopwatch.StartNew();
        var deadline = Timeout < 0 ? TimeSpan.MaxValue : TimeSpan.FromSeconds(Timeout);
        var gates = new Dictionary<IJobProvider, RateGate>();
        var options = ListingOptions.Default;

        // A job already final needs no request.
        foreach (var waiter in waiting.Where(waiter => waiter.Last is { } job && IsFinal(job.Status)).ToList())
        {
            waiting.Remove(waiter);
            WriteObject(waiter.Last!);
            if (Any)
            {
                return;
            }
        }

        while (waiting.Count > 0)
        {
            var now = clock.Elapsed;
            foreach (var waiter in waiting.Where(waiter => waiter.NextPoll <= now).ToList())
            {
                var provider = waiter.Endpoints[0].Provider;
                if (!gates.TryGetValue(provider, out var gate))
                {
                    gate = gates[provider] = new RateGate(provider.Info.RequestsPerMinute);
                }

                if (!gate.TryTake(clock.Elapsed))
                {
                    continue;
                }

                // The first poll finds the account that has the job (when more than one may); the
                // later ones ask that account alone.
                if (FirstAccountWithJob(waiter.Endpoints, waiter.Id, endpoint => lister.GetJobAsync(endpoint, waiter.Id, options, Log, Cancellation.Token)) is not { } found)
                {
                    waiting.Remove(waiter);
                    continue;
                }

                var job = found.Value;
                waiter.Endpoints = new[] { found.Endpoint };
                waiter.Last = job;
                waiter.NextPoll = clock.Elapsed + (PollingIntervalSec > 0 ? TimeSpan.FromSeconds(PollingIntervalSec) : provider.Info.PollingInterval);
                if (job.Status == JobStatus.Unknown && !waiter.WarnedUnknown)
                {
                    waiter.WarnedUnknown = true;
                    WriteWarning(Strings.UnknownStatusWhileWaiting(job));
                }

                if (IsFinal(job.Status))
                {
                    waiting.Remove(waiter);
                    WriteObject(job);
                    if (Any)
                    {
                        return;
                    }
                }
            }

            // Checked after a round of polls, so that even -Timeout 0 reads each job once and writes it.
            if (waiting.Count > 0 && clock.Elapsed >= deadline)
            {
                WriteWarning(Strings.StillRunning(waiting.Count, deadline));
                waiting.Where(waiter => waiter.Last is not null).ToList().ForEach(waiter => WriteObject(waiter.Last!));
                return;
            }

            WriteProgress(new ProgressRecord(1, "Wait-ProviderJob", $"{total - waiting.Count} of {total} jobs finished")
            {
                PercentComplete = total == 0 ? 100 : 100 * (total - waiting.Count) / total,
            });
            if (waiting.Count > 0)
            {
                var next = waiting.Min(waiter => waiter.NextPoll) - clock.Elapsed;
                var nap = TimeSpan.FromMilliseconds(Math.Max(20, Math.Min(next.TotalMilliseconds, 250)));
                Await(Task.Delay(nap, Cancellation.Token).ContinueWith(_ => true, TaskScheduler.Default));
                Cancellation.Token.ThrowIfCancellationRequested();
            }
        }
    }

    private static bool IsFinal(JobStatus status) => status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Canceled;

    private sealed class Waiter
    {
        public Waiter(IReadOnlyList<ProviderEndpoint> endpoints, string id, ProviderJob? last)
        {
            Endpoints = endpoints;
            Id = id;
            Last = last;
        }

        /// <summary>The accounts the job may be on; one, once a poll has found it.</summary>
        public IReadOnlyList<ProviderEndpoint> Endpoints { get; set; }

        public string Id { get; }

        public ProviderJob? Last { get; set; }

        public TimeSpan NextPoll { get; set; }

        public bool WarnedUnknown { get; set; }
    }

    /// <summary>Keeps polls of one provider under its documented requests per minute.</summary>
    private sealed class RateGate
    {
        private readonly TimeSpan _spacing;
        private TimeSpan _next;

        public RateGate(int? requestsPerMinute)
        {
            _spacing = requestsPerMinute is { } perMinute && perMinute > 0 ? TimeSpan.FromMinutes(1.0 / perMinute) : TimeSpan.Zero;
        }

        public bool TryTake(TimeSpan now)
        {
            if (now < _next)
            {
                return false;
            }

            _next = now + _spacing;
            return true;
        }
    }
}
