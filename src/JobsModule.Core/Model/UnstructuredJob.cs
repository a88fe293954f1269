namespace JobsModule;

/// <summary>An Unstructured job, with its workflow and files.</summary>
[CommonColumnsFirst]
public sealed partial class UnstructuredJob : ProviderJob
{
    [ProviderColumn]
    private string? _workflowId;

    [ProviderColumn]
    private string? _workflowName;

    /// <summary>The run time Unstructured reports (the same value as Duration).</summary>
    [ProviderColumn]
    private TimeSpan? _runtime;

    [ProviderColumn]
    private JobDataList? _inputFileIds;

    /// <summary>Objects with node_id, file_id, node_type and node_subtype.</summary>
    [ProviderColumn]
    private JobDataList? _outputNodeFiles;
}
