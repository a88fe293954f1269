using System.Management.Automation;

namespace JobsModule.Commands;

/// <summary>
/// Stop-ProviderJob: reads each job, then sends its provider's stop request only while the job is
/// still queued or running, so that a provider whose only stop is a delete (Krea) never loses a
/// finished job.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "ProviderJob", DefaultParameterSetName = JobSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ProviderJob))]
public sealed class StopProviderJobCommand : JobReferenceCommandBase
{
    /// <summary>Writes each job as the provider describes it after the stop.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var reference in References())
        {
            Stop(reference);
        }
    }

    private void Stop(JobReference reference)
    {
        var endpoints = EndpointsFor(reference.Provider, reference.Account);
        if (endpoints.Count == 0)
        {
            return;
        }

        var id = reference.Id;
        if (endpoints[0].Provider.CancelRequest(endpoints[0].BaseUri, id) is null)
        {
            WriteError(ErrorRecords.CancelNotSupported(endpoints[0].Provider.Info.Name, id));
            return;
        }

        // Look before acting: the job as it is now (a piped one may be stale), through whichever account has it.
        var lister = new JobLister();
        if (FirstAccountWithJob(endpoints, id, endpoint => lister.GetJobAsync(endpoint, id, ListingOptions.Default, Log, Cancellation.Token)) is not { } found)
        {
            return;
        }

        var (endpoint, job) = found;
        var stop = endpoint.Provider.CancelRequest(endpoint.BaseUri, id)!;
        if (StopRule.Check(job, stop) is { } refusal)
        {
            WriteError(ErrorRecords.StopRefused(refusal, id));
            return;
        }

        if (!ShouldProcess(Strings.JobTarget(job), Strings.StopAction(job.Provider, stop.DeletesJob)))
        {
            return;
        }

        try
        {
            Await(lister.SendJobRequestAsync(endpoint, stop, ListingOptions.Default, Log, Cancellation.Token));
        }
        catch (ProviderRequestException ex)
        {
            WriteError(JobError(ex, id, endpoint.Account));
            return;
        }

        if (PassThru)
        {
            WriteAfterStop(lister, endpoint, job);
        }
    }

    private void WriteAfterStop(JobLister lister, ProviderEndpoint endpoint, ProviderJob before)
    {
        try
        {
            WriteObject(Await(lister.GetJobAsync(endpoint, before.Id, ListingOptions.Default, Log, Cancellation.Token)));
        }
        catch (ProviderRequestException ex) when (ex.Kind == ProviderErrorKind.NotFound)
        {
            // The provider removed the job it stopped (Convertly, Krea): the job as last seen, stopped, is all there is.
            WriteObject(before.AsCanceled());
        }
        catch (ProviderRequestException ex)
        {
            WriteError(JobError(ex, before.Id, endpoint.Account));
        }
    }
}
