using System.Collections.Concurrent;
using System.Management.Automation;

namespace JobsModule;

/// <summary>Adds JobsModule.ProviderJob#&lt;Provider&gt; so users can extend one provider's view with Update-TypeData.</summary>
internal static class JobView
{
    private const string BaseTypeName = "JobsModule.ProviderJob";
    private static readonly ConcurrentDictionary<string, string> TypeNames = new();

    public static PSObject Wrap(ProviderJob job)
    {
        var wrapped = PSObject.AsPSObject(job);
        var typeName = TypeNames.GetOrAdd(job.Provider, provider => BaseTypeName + "#" + provider);
        wrapped.TypeNames.Insert(0, typeName);
        return wrapped;
    }
}
