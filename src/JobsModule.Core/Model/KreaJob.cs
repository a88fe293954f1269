namespace JobsModule;

/// <summary>A Krea job, with its result URLs, style and error code.</summary>
[CommonColumnsFirst]
public sealed partial class KreaJob : ProviderJob
{
    [ProviderColumn]
    private JobDataList? _resultUrls;

    [ProviderColumn]
    private string? _styleId;

    [ProviderColumn]
    private string? _errorCode;
}
