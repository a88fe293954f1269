namespace JobsModule;

/// <summary>An ittybit job, with the fields only ittybit documents.</summary>
[CommonColumnsFirst]
public sealed partial class IttybitJob : ProviderJob
{
    /// <summary>The input file's URL.</summary>
    [ProviderColumn]
    private string? _input;

    /// <summary>The output file's URL, once there is one.</summary>
    [ProviderColumn]
    private string? _output;

    [ProviderColumn]
    private JobDataObject? _options;

    [ProviderColumn]
    private JobDataObject? _metadata;

    /// <summary>The job's tasks, from the single-job endpoint.</summary>
    [ProviderColumn]
    private JobDataList? _tasks;
}
