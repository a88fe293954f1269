namespace JobsModule;

/// <summary>A Convertly job, with its file counts and results.</summary>
[CommonColumnsFirst]
public sealed partial class ConvertlyJob : ProviderJob
{
    [ProviderColumn]
    private int? _totalFiles;

    [ProviderColumn]
    private int? _completedFiles;

    [ProviderColumn]
    private int? _failedFiles;

    /// <summary>An object, a list or null, as Convertly sends it.</summary>
    [ProviderColumn]
    private object? _results;
}
