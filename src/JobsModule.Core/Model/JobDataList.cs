using JobsModule.JsonReading;

namespace JobsModule;

/// <summary>A JSON array from a provider; ToString gives compact JSON for the same reason as <see cref="JobDataObject"/>.</summary>
public sealed class JobDataList : List<object?>
{
    public JobDataList()
    {
    }

    public JobDataList(int capacity)
        : base(capacity)
    {
    }

    public override string ToString() => JobData.ToJson(this);
}
