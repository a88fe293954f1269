namespace JobsModule;

/// <summary>A pyannoteAI job; Output is filled by Get-ProviderJob -Id once the job is done.</summary>
[CommonColumnsFirst]
public sealed partial class PyannoteAIJob : ProviderJob
{
    /// <summary>The job's result (for example the diarization), from the single-job endpoint.</summary>
    [ProviderColumn]
    private object? _output;

    /// <summary>The warning pyannoteAI gave with the output, if any (its output.warning).</summary>
    [ProviderColumn]
    private string? _warning;
}
