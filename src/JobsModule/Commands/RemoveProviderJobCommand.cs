namespace JobsModule.Commands;

/// <summary>
/// Remove-ProviderJob: deletes jobs, with their results, where the provider documents a delete.
/// Each job is read first, so that the confirmation names its status and a missing job sends nothing.
/// The workflow is the engine's <see cref="JobsEngine.Remove"/>.
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
            Engine.Remove(reference, PassThru);
        }
    }
}
