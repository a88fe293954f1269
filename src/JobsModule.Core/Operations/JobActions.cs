using JobsModule.Accounts;
using JobsModule.Engine;
using JobsModule.Listing;
using JobsModule.Transport;

namespace JobsModule.Operations;

/// <summary>
/// Stops and deletes jobs (Stop- and Remove-ProviderJob), looking before acting: each job is read
/// through whichever account has it, a stop is sent only where <see cref="StopRule"/> allows, the
/// caller confirms, and the request that changes the job goes once, never retried. Runs on the
/// caller's thread and tells it everything through <see cref="IJobEvents"/>.
/// </summary>
internal sealed class JobActions
{
    private readonly JobLister _lister;
    private readonly CallContext _call;

    public JobActions(JobLister lister, CallContext call)
    {
        _lister = lister;
        _call = call;
    }

    /// <summary>
    /// Stops job <paramref name="id"/> while it is queued or running. With <paramref name="passThru"/>
    /// the job is read again and handed on; a job the provider removed when it stopped it (Convertly,
    /// Krea) is handed on as last seen, Canceled, with the ProviderStatus 'deleted'. A stop the provider
    /// accepted is done whatever the read after it says: when that read fails, a warning says so and the
    /// job is handed on as it was read before the stop. <paramref name="piped"/> is the job as a listing
    /// wrote it, if it came from one: that listing is told when the stop takes the job out of its list.
    /// </summary>
    public void Stop(IReadOnlyList<ProviderEndpoint> endpoints, string id, bool passThru, IJobEvents events, ProviderJob? piped = null)
    {
        if (Look(endpoints, id, endpoint => endpoint.Provider.CancelRequest(endpoint.BaseUri, id), Problem.CancelNotSupported, events) is not var (endpoint, job, stop))
        {
            return;
        }

        if (StopRule.Check(job, stop) is { } refusal)
        {
            events.Problem(refusal);
            return;
        }

        if (!events.Confirm(Strings.JobTarget(job), Strings.StopAction(job.Provider, stop.DeletesJob)) || !Send(endpoint, stop, id, ListingToTell(piped, stop), events) || !passThru)
        {
            return;
        }

        try
        {
            events.Output(WaitPump.Await(_lister.GetJobAsync(endpoint, id, _call), _call.Heartbeat));
        }
        catch (ProviderRequestException ex) when (ex.Kind == ProviderErrorKind.NotFound)
        {
            // The provider removed the job it stopped: the job as last seen, stopped, is all there is.
            events.Output(job.AsCanceled());
        }
        catch (ProviderRequestException ex)
        {
            events.Warning(Strings.FollowUpReadFailed(job.Provider, id, ex.Message));
            events.Output(job);
        }
    }

    /// <summary>
    /// Deletes job <paramref name="id"/> with its results; with <paramref name="passThru"/> the job is handed
    /// on as it was just before. <paramref name="piped"/> is the job as a listing wrote it, if it came from one.
    /// </summary>
    public void Delete(IReadOnlyList<ProviderEndpoint> endpoints, string id, bool passThru, IJobEvents events, ProviderJob? piped = null)
    {
        if (Look(endpoints, id, endpoint => endpoint.Provider.DeleteRequest(endpoint.BaseUri, id), Problem.DeleteNotSupported, events) is not var (endpoint, job, delete))
        {
            return;
        }

        if (events.Confirm(Strings.JobTarget(job), Strings.DeleteAction) && Send(endpoint, delete, id, ListingToTell(piped, delete), events) && passThru)
        {
            events.Output(job);
        }
    }

    /// <summary>The job as it is now (a piped one may be stale) and the account that has it; null after reporting why not.</summary>
    /// <summary>
    /// The job and the request that would change it, when the provider documents one (else
    /// <paramref name="unsupported"/>, with nothing sent). The job is read first, so that the
    /// confirmation names its status and a missing job sends nothing.
    /// </summary>
    private (ProviderEndpoint Endpoint, ProviderJob Job, JobRequest Request)? Look(
        IReadOnlyList<ProviderEndpoint> endpoints, string id, Func<ProviderEndpoint, JobRequest?> request, Func<string, string, Problem> unsupported, IJobEvents events)
    {
        if (request(endpoints[0]) is null)
        {
            events.Problem(unsupported(endpoints[0].Provider.Info.Name, id));
            return null;
        }

        if (Find(endpoints, id, events) is not var (endpoint, job))
        {
            return null;
        }

        return (endpoint, job, request(endpoint)!);
    }

    private (ProviderEndpoint Endpoint, ProviderJob Job)? Find(IReadOnlyList<ProviderEndpoint> endpoints, string id, IJobEvents events)
    {
        var lookup = WaitPump.Await(_lister.FindJobAsync(endpoints, id, _call), _call.Heartbeat);
        if (lookup.Job is { } job)
        {
            return (lookup.Endpoint, job);
        }

        events.Problem(Problem.NotFound(lookup, id));
        return null;
    }

    /// <summary>
    /// The page of the listing that wrote <paramref name="piped"/>, when <paramref name="request"/> takes the
    /// job out of that listing's list: it removes the job, or the listing filtered by status on the server
    /// (a stopped job no longer has the status it was listed with).
    /// </summary>
    private static ListedPage? ListingToTell(ProviderJob? piped, JobRequest request) =>
        piped?.ListedOn is { } page && (request.RemovesFromList || page.Listing.StatusFilteredOnServer) ? page : null;

    /// <summary>
    /// Sends the request that changes the job, once; false after reporting its failure. The listing the
    /// job came from (<paramref name="listedOn"/>) counts it as taken out unless the provider answered
    /// with a refusal: a request that got no answer may have been carried out.
    /// </summary>
    private bool Send(ProviderEndpoint endpoint, JobRequest request, string id, ListedPage? listedOn, IJobEvents events)
    {
        var removed = true;
        listedOn?.Listing.Begin();
        try
        {
            WaitPump.Await(_lister.SendJobRequestAsync(endpoint, request, _call), _call.Heartbeat);
            return true;
        }
        catch (ProviderRequestException ex)
        {
            removed = ex.StatusCode is null;
            events.Problem(Problem.RequestFailed(ex, endpoint, id));
            return false;
        }
        finally
        {
            listedOn?.Listing.End(listedOn, removed);
        }
    }
}
