using System;
using System.Management.Automation;

namespace JobsModule.Commands;

/// <summary>Stop-ProviderJob: cancels jobs where the provider has a cancel endpoint.</summary>
[Cmdlet(VerbsLifecycle.Stop, "ProviderJob", DefaultParameterSetName = JobSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ProviderJob))]
public sealed class StopProviderJobCommand : ProviderCommandBase
{
    private const string JobSet = "Job";
    private const string IdSet = "Id";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = JobSet)]
    [ValidateNotNull]
    public ProviderJob[] InputObject { get; set; } = Array.Empty<ProviderJob>();

    [Parameter(Mandatory = true, ParameterSetName = IdSet)]
    [ValidateProviderName]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    public string? Provider { get; set; }

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet)]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = Array.Empty<string>();

    [Parameter(ParameterSetName = IdSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AccountNameCompleter))]
    public string? Account { get; set; }

    /// <summary>Writes each job as the provider describes it after the cancel.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == IdSet)
        {
            foreach (var id in Id)
            {
                Stop(Provider!, id, Account, null);
            }

            return;
        }

        foreach (var job in InputObject)
        {
            Stop(job.Provider, job.Id, job.Account, job);
        }
    }

    protected override void EndProcessing() => Cancellation.Dispose();

    private void Stop(string provider, string id, string? account, ProviderJob? job)
    {
        if (EndpointFor(provider, account) is not { } endpoint)
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
