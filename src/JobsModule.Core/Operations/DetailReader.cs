using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using JobsModule.Accounts;
using JobsModule.Engine;
using JobsModule.JsonReading;
using JobsModule.Listing;
using JobsModule.Providers;
using JobsModule.Transport;

namespace JobsModule.Operations;

/// <summary>
/// -Detailed: sends the detail reads a provider's adapter declares (<see cref="IJobProvider.DetailReads"/>)
/// for each finished job whose listing is silent, and lets each answer set the job's Outcome, Error and
/// FailedItems. A listing's jobs are read concurrently, up to a limit, and handed on in listing order as
/// their details arrive (<see cref="InOrder"/>); a single job (a wait's, one read by id) is read on its
/// own (<see cref="ReadAsync"/>). Every request goes through the transport, so the provider's budget
/// paces them as it paces the listing. A read that fails leaves the job as the reads before it left it,
/// with one warning naming the job; an account that refuses them (401, 402, 403) is asked no more.
/// </summary>
internal sealed class DetailReader
{
    private readonly ProviderClient _client;
    private readonly CallContext _call;
    private readonly CallLog _log;
    private readonly CancellationToken _token;
    private readonly ListingCounts _requests = new();
    private readonly ConcurrentDictionary<string, ListingCounts> _perProvider = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ProviderEndpoint, bool> _refused = new();
    private long _jobs;
    private long _failed;
    private long _leftAsListed;

    public DetailReader(ProviderClient client, CallContext call)
    {
        _client = client;
        _call = call;
        _log = call.Log;
        _token = call.Token;
    }

    /// <summary>Requests sent for details so far, retries included.</summary>
    public long Requests => _requests.Requests;

    /// <summary>True when <paramref name="job"/> is finished and a read its provider declares is wanted for it.</summary>
    public static bool Needs(ProviderEndpoint endpoint, ProviderJob job)
    {
        foreach (var read in endpoint.Provider.DetailReads)
        {
            if (read.IsWanted(job))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Sends the reads <paramref name="job"/> needs, in the adapter's order, each only when the ones
    /// before left it wanted, and applies their answers to the job. Never throws for a failed request:
    /// that is a warning, and the job stays as it was. Ends quietly when the call is stopped.
    /// </summary>
    public Task ReadAsync(ProviderEndpoint endpoint, ProviderJob job) => ReadAsync(endpoint, job, _token);

    private async Task ReadAsync(ProviderEndpoint endpoint, ProviderJob job, CancellationToken token)
    {
        var counted = false;
        foreach (var read in endpoint.Provider.DetailReads)
        {
            if (!read.IsWanted(job))
            {
                continue;
            }

            if (_refused.ContainsKey(endpoint))
            {
                Interlocked.Increment(ref _leftAsListed);
                return;
            }

            if (!counted)
            {
                counted = true;
                Interlocked.Increment(ref _jobs);
            }

            try
            {
                await SendAsync(endpoint, job, read, token).ConfigureAwait(false);
            }
            catch (ProviderRequestException ex)
            {
                // An account that refuses the key or has run out of quota would refuse every other read too.
                var refused = ex.Kind is ProviderErrorKind.Authentication or ProviderErrorKind.QuotaExceeded && _refused.TryAdd(endpoint, true);
                Interlocked.Increment(ref _failed);
                _log.Warning(Strings.DetailReadFailed(job, endpoint.Account, read.What, ex.Message, job.Outcome, refused));
                return;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
        }

        if (counted)
        {
            Unreadable.WarnOfFields(job, endpoint, _log);
        }
    }

    /// <summary>
    /// The items of a listing, in their order, each finished job that needs details handed on once they
    /// are read: up to <paramref name="concurrency"/> reads at once, and a window of jobs held meanwhile
    /// (a few times that), so that a slow read holds back the jobs after it and never the reads. The first
    /// <paramref name="skip"/> jobs (-Skip) are handed on unread. Stopping the enumeration (Select-Object
    /// -First) cancels the reads still in flight.
    /// </summary>
    public IEnumerable<ListingItem> InOrder(IEnumerable<ListingItem> items, ulong skip, int concurrency, Action? heartbeat)
    {
        var limit = Math.Max(1, concurrency);
        var windowSize = Math.Max(64, limit * 4);
        var window = new Queue<(ListingItem Item, Task? Reading)>();
        var finished = new SemaphoreSlim(0);
        var running = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_token);
        using var source = items.GetEnumerator();
        var more = true;
        try
        {
        while (true)
        {
            while (window.Count > 0 && window.Peek().Reading is not { IsCompleted: false })
            {
                var (item, reading) = window.Dequeue();

                // Rethrows only a stop of the whole call; a failed read was a warning already.
                reading?.GetAwaiter().GetResult();
                yield return item;
            }

            if (more && Volatile.Read(ref running) < limit && window.Count < windowSize)
            {
                more = source.MoveNext();
                if (more)
                {
                    var item = source.Current;
                    Task? reading = null;
                    if (item.Job is { } job)
                    {
                        if (skip > 0)
                        {
                            skip--;
                        }
                        else if (Needs(item.Source.Endpoint, job))
                        {
                            Interlocked.Increment(ref running);
                            reading = Track(ReadAsync(item.Source.Endpoint, job, stop.Token), () => Interlocked.Decrement(ref running));

                            // Signalled once the read's task has completed, not from inside it: a wake-up the loop
                            // takes while the task still looks unfinished would be its last, and it would wait forever.
                            reading.ContinueWith(_ => finished.Release(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                        }
                    }

                    window.Enqueue((item, reading));
                }

                continue;
            }

            if (window.Count == 0)
            {
                yield break;
            }

            // The first job waits for its details, or every place is taken: until a read ends.
            WaitPump.Until(wait => finished.Wait(wait, _token), heartbeat);
        }
        }
        finally
        {
            // Stopped early (Select-Object -First, an error, Ctrl+C): the reads still in flight end now, and
            // nothing of this call goes on in the background.
            stop.Cancel();
            var open = window.Select(entry => entry.Reading).Where(reading => reading is { IsCompleted: false }).Cast<Task>().ToArray();
            if (open.Length > 0)
            {
                try
                {
                    Task.WaitAll(open);
                }
                catch (AggregateException)
                {
                    // Stopped: what a read ran into no longer matters.
                }
            }

            // The semaphore is not disposed: a read's signal may still come after its task has completed.
        }
    }

    /// <summary>The one verbose line of -Detailed: how many extra requests it sent, per provider.</summary>
    public void Report() =>
        _log.Verbose(Strings.DetailSummary(
            Interlocked.Read(ref _jobs),
            Requests,
            _perProvider.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => new KeyValuePair<string, long>(pair.Key, pair.Value.Requests)),
            Interlocked.Read(ref _failed),
            Interlocked.Read(ref _leftAsListed)));

    private static async Task Track(Task reading, Action done)
    {
        try
        {
            await reading.ConfigureAwait(false);
        }
        finally
        {
            done();
        }
    }

    private async Task SendAsync(ProviderEndpoint endpoint, ProviderJob job, DetailRead read, CancellationToken token)
    {
        var counter = new ListingCounts();
        var call = _call with { Token = token };
        try
        {
            if (read.ApplyJob is { } applyJob)
            {
                var alone = await _client.GetJobAsync(endpoint, job.Id, call, counter).ConfigureAwait(false);
                applyJob(job, alone);
                job.KeepUnreadable(alone.UnreadableFields);
                return;
            }

            var uri = read.DocumentUri!(endpoint.BaseUri, job.Id);
            await _client.SendAsync(
                new ProviderRequest<bool>(endpoint, HttpMethod.Get, uri, (response, timeoutToken) => ProviderClient.ReadBodyAsync(endpoint, response, uri, _log.Redactor.With(endpoint.ApiKey), (body, tooDeep) =>
                {
                    if (read.IdProperty is { } idName && Json.Property(body, idName) is { } answered && Json.AsString(answered) is { } other && !string.Equals(other, job.Id, StringComparison.Ordinal))
                    {
                        throw ProviderClient.OtherJob(endpoint, response, uri, job.Id, other);
                    }

                    read.ApplyDocument!(job, body);
                    job.KeepUnreadable(Prefixed(tooDeep, read.What));
                    return true;
                }, timeoutToken), _ => null),
                call,
                counter).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Add(ref _requests.RequestCount, counter.Requests);
            Interlocked.Add(ref _perProvider.GetOrAdd(endpoint.Provider.Info.Name, _ => new ListingCounts()).RequestCount, counter.Requests);
        }
    }

    // Fields of a detail answer too deep to parse, named after the read as its other unreadable values are.
    private static JobDataObject? Prefixed(JobDataObject? tooDeep, string what)
    {
        if (tooDeep is null)
        {
            return null;
        }

        var named = new JobDataObject();
        foreach (var field in tooDeep)
        {
            named[what.Replace(' ', '-') + "." + field.Key] = field.Value;
        }

        return named;
    }
}
