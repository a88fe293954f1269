using System.Management.Automation;

namespace JobsModule.Commands;

/// <summary>
/// Remove-ProviderJob: deletes jobs, with their results, where the provider documents a delete.
/// Each job is read first, so that the confirmation names its status and a missing job sends nothing.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ProviderJob", DefaultParameterSetName = JobSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ProviderJob))]
public sealed class RemoveProviderJobCommand : JobReferenceCommandBase
{
    /// <summary>Writes each deleted job as it was just before the delete.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var reference in References())
        {
            Remove(reference);
        }
    }

    private void Remove(JobReference reference)
    {
        var endpoints = EndpointsFor(reference.Provider, reference.Account);
        if (endpoints.Count == 0)
        {
            return;
        }

        var id = reference.Id;
        if (endpoints[0].Provider.DeleteRequest(endpoints[0].BaseUri, id) is null)
        {
            WriteError(ErrorRecords.DeleteNotSupported(endpoints[0].Provider.Info.Name, id));
            return;
        }

        var lister = new JobLister();
        if (FirstAccountWithJob(endpoints, id, endpoint => lister.GetJobAsync(endpoint, id, ListingOptions.Default, Log, Cancellation.Token)) is not { } found)
        {
            return;
        }

        var (endpoint, job) = found;
        if (!ShouldProcess(Strings.JobTarget(job), Strings.DeleteAction))
        {
            return;
        }

        try
        {
            Await(lister.SendJobRequestAsync(endpoint, endpoint.Provider.DeleteRequest(endpoint.BaseUri, id)!, ListingOptions.Default, Log, Cancellation.Token));
        }
        catch (ProviderRequestException ex)
        {
            WriteError(JobError(ex, id, endpoint.Account));
            return;
        }

        if (PassThru)
        {
            WriteObject(job);
        }
    }
}
