namespace JobsModule.Commands;

/// <summary>
/// Stop-ProviderJob: reads each job, then sends its provider's stop request only while the job is
/// still queued or running, so that a provider whose only stop is a delete (Krea) never loses a
/// finished job. The workflow is the engine's <see cref="JobsEngine.Stop"/>.
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
            Engine.Stop(reference, PassThru);
        }
    }
}
