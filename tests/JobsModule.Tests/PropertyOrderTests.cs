using System.Reflection;

namespace JobsModule.Tests;

/// <summary>
/// PowerShell lists a job's properties (Select-Object *, Export-Csv, Format-List *) in reflection order:
/// every job type must list the common properties first, in ProviderJob's order, then its own.
/// </summary>
public class PropertyOrderTests
{
    private static readonly string[] Common = typeof(ProviderJob).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(property => property.Name).ToArray();

    private static Type[] Subclasses => typeof(ProviderJob).Assembly.GetTypes().Where(type => type.IsSubclassOf(typeof(ProviderJob))).ToArray();

    public static TheoryData<Type> JobTypes() => new(Subclasses);

    [Fact]
    public void ProviderJob_lists_the_identity_columns_first()
    {
        Assert.Equal(new[] { "Provider", "Account", "Id", "Status", "ProviderStatus", "Kind", "CreatedAt" }, Common.Take(7));
    }

    [Theory]
    [MemberData(nameof(JobTypes))]
    public void A_job_type_lists_the_common_properties_first_then_its_own(Type type)
    {
        var names = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(property => property.Name).ToArray();

        Assert.Equal(Common, names.Take(Common.Length));
        Assert.True(names.Length > Common.Length, $"{type.Name} has no properties of its own");
        Assert.Equal(names.Length, names.Distinct().Count());
    }

    [Fact]
    public void Every_provider_has_a_job_type()
    {
        Assert.Equal(ProviderRegistry.All.Count, Subclasses.Length);
    }
}
