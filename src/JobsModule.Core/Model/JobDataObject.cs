using JobsModule.JsonReading;

namespace JobsModule;

/// <summary>
/// A JSON object from a provider, as a dictionary PowerShell can dot into ($job.Options.format).
/// ToString gives compact JSON so Export-Csv and Format-Table show data, not a .NET type name.
/// </summary>
public sealed class JobDataObject : Dictionary<string, object?>
{
    public JobDataObject()
        : base(StringComparer.OrdinalIgnoreCase)
    {
    }

    public override string ToString() => JobData.ToJson(this);
}
