using System;
using System.Management.Automation;

namespace JobsModule.Commands;

/// <summary>Stop-ProviderJob: cancels jobs where the provider has a cancel endpoint.</summary>
[Cmdlet(VerbsLifecycle.Stop, "ProviderJob", DefaultParameterSetName = JobSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ProviderJob))]
public sealed class StopProviderJobCommand : JobReferenceCommandBase
{
    /// <summary>Writes each job as the provider describes it after the cancel.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var reference in References())
        {
            Stop(reference);
        }
    }

    protected override void EndProcessing() => Cancellation.Dispose();

    private void Stop(JobReference reference)
    {
        var (id, job) = (reference.Id, reference.Job);
        var endpoints = EndpointsFor(reference.Provider, reference.Account);
        if (endpoints.Count == 0)
        {
            return;
        }

        var name = endpoints[0].Provider.Info.Name;
        if (endpoints[0].Provider.CancelEndpoint(endpoints[0].BaseUri, id) is null)
        {
            WriteError(ErrorRecords.CancelNotSupported(name, id));
            return;
        }

        if (!ShouldProcess($"{name} job '{id}'", "Cancel"))
        {
            return;
        }

        var lister = new JobLister();
        if (PassThru && job is null)
        {
            // A provider may delete what it cancels (Convertly): read the job first, so that there is
            // something to write after the cancel. This also finds the account that has it.
            if (FirstAccountWithJob(endpoints, id, endpoint => lister.GetJobAsync(endpoint, id, ListingOptions.Default, Log, Cancellation.Token)) is not { } found)
            {
                return;
            }

            (endpoints, job) = (new[] { found.Endpoint }, found.Value);
        }

        if (FirstAccountWithJob(endpoints, id, endpoint => lister.CancelJobAsync(endpoint, id, ListingOptions.Default, Log, Cancellation.Token)) is not { } cancelled)
        {
            return;
        }

        if (!PassThru)
        {
            return;
        }

        try
        {
            WriteObject(JobView.Wrap(Await(lister.GetJobAsync(cancelled.Endpoint, id, ListingOptions.Default, Log, Cancellation.Token))));
        }
        catch (ProviderRequestException ex) when (ex.Kind == ProviderErrorKind.NotFound && job is not null)
        {
            // The provider deleted the job it cancelled; the job as last seen, cancelled, is all there is.
            WriteObject(JobView.Wrap(job.AsCanceled()));
        }
        catch (ProviderRequestException ex)
        {
            WriteError(JobError(ex, id, cancelled.Endpoint.Account));
        }
    }
}
