using System.Reflection;

namespace JobsModule.Tests;

/// <summary>
/// PowerShell lists a job's properties (Select-Object *, Export-Csv, Format-List *) in reflection order:
/// every job type must list the common properties first, in ProviderJob's order, then its own, and the
/// DateTimeOffset times last (files read the ISO text ones among the common properties).
/// </summary>
public class PropertyOrderTests
{
    private static readonly PropertyInfo[] All = typeof(ProviderJob).GetProperties(BindingFlags.Public | BindingFlags.Instance);

    // The properties each job type overrides to keep them first; the times as DateTimeOffset are not virtual.
    private static readonly string[] Common = All.Where(property => property.GetMethod!.IsVirtual).Select(property => property.Name).ToArray();

    private static readonly string[] Times = { "CreatedAt", "StartedAt", "CompletedAt", "UpdatedAt" };

    private static Type[] Subclasses => typeof(ProviderJob).Assembly.GetTypes().Where(type => type.IsSubclassOf(typeof(ProviderJob))).ToArray();

    public static TheoryData<Type> JobTypes() => new(Subclasses);

    [Fact]
    public void ProviderJob_lists_the_identity_columns_first_and_the_DateTimeOffset_times_last()
    {
        Assert.Equal(new[] { "Provider", "Account", "Id", "Status", "ProviderStatus", "Outcome", "Kind", "CreatedAtIso", "StartedAtIso", "CompletedAtIso", "UpdatedAtIso" }, Common.Take(11));
        Assert.Equal(new[] { "Progress", "Error", "FailedItems", "ExtraFields", "UnreadableFields" }, Common.Skip(Common.Length - 5));
        Assert.Equal(Common.Concat(Times), All.Select(property => property.Name));
        Assert.All(All.Where(property => Times.Contains(property.Name)), property => Assert.Equal(typeof(DateTimeOffset?), property.PropertyType));
    }

    [Theory]
    [MemberData(nameof(JobTypes))]
    public void A_job_type_lists_the_common_properties_first_then_its_own_then_the_times(Type type)
    {
        var names = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(property => property.Name).ToArray();

        Assert.Equal(Common, names.Take(Common.Length));
        Assert.Equal(Times, names.Skip(names.Length - Times.Length));
        Assert.True(names.Length > Common.Length + Times.Length, $"{type.Name} has no properties of its own");
        Assert.Equal(names.Length, names.Distinct().Count());
    }

    [Fact]
    public void Every_provider_has_a_job_type()
    {
        Assert.Equal(ProviderRegistry.All.Count, Subclasses.Length);
    }
}
