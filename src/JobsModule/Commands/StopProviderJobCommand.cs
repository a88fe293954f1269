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
        if (EndpointFor(reference.Provider, reference.Account) is not { } endpoint)
        {
            return;
        }

        var name = endpoint.Provider.Info.Name;
        if (endpoint.Provider.CancelEndpoint(endpoint.BaseUri, id) is null)
        {
            WriteError(ErrorRecords.CancelNotSupported(name, id));
            return;
        }

        if (!ShouldProcess($"{name} job '{id}'", "Cancel"))
        {
            return;
        }

        var lister = new JobLister();
        try
        {
            Await(lister.CancelJobAsync(endpoint, id, ListingOptions.Default, Log, Cancellation.Token));
        }
        catch (ProviderRequestException ex)
        {
            WriteError(JobError(ex, id, endpoint.Account));
            return;
        }

        if (!PassThru)
        {
            return;
        }

        try
        {
            WriteObject(JobView.Wrap(Await(lister.GetJobAsync(endpoint, id, ListingOptions.Default, Log, Cancellation.Token))));
        }
        catch (ProviderRequestException ex) when (ex.Kind == ProviderErrorKind.NotFound && job is not null)
        {
            // Some providers delete a cancelled job (Convertly); the job as it was is all there is.
            WriteObject(JobView.Wrap(job));
        }
        catch (ProviderRequestException ex)
        {
            WriteError(JobError(ex, id, endpoint.Account));
        }
    }
}
