using JobsModule.Engine;
using JobsModule.Operations;

namespace JobsModule.Commands;

/// <summary>
/// Wait-ProviderJob: polls jobs until each is Succeeded, Failed or Canceled, within each provider's
/// rate limit, and writes them as they finish; with -Timeout, the ones still running are written as
/// they were last seen, with a warning. The waiting is the engine's (<see cref="JobsEngine.Wait"/>).
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

    /// <summary>
    /// Seconds the whole wait may take, its requests, retries and Retry-After waits included; -1 (the
    /// default) waits as long as it takes. Each request's own limit is -TimeoutSec, cut to what is left.
    /// </summary>
    [Parameter]
    [ValidateRange(-1, int.MaxValue)]
    public int Timeout { get; set; } = -1;

    /// <summary>Return as soon as one job has finished.</summary>
    [Parameter]
    public SwitchParameter Any { get; set; }

    /// <summary>Read each finished job's details before it is written, as Get-ProviderJob -Detailed does.</summary>
    [Parameter]
    public SwitchParameter Detailed { get; set; }

    protected override void ProcessRecord() => _references.AddRange(References());

    protected override void EndProcessing() =>
        Engine.Wait(_references, new WaitSettings
        {
            PollingInterval = PollingIntervalSec > 0 ? TimeSpan.FromSeconds(PollingIntervalSec) : null,
            Timeout = Timeout < 0 ? null : TimeSpan.FromSeconds(Timeout),
            Any = Any,
            Detailed = Detailed,
        });
}
