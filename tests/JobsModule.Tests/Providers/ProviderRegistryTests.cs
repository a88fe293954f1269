namespace JobsModule.Tests;

/// <summary>What holds for every provider the registry has.</summary>
public class ProviderRegistryTests
{
    [Fact]
    public void Every_provider_maps_null_to_Unknown()
    {
        foreach (var provider in ProviderRegistry.All)
        {
            Assert.Equal(JobStatus.Unknown, provider.Info.MapStatus(null));
            Assert.Equal(JobStatus.Unknown, provider.Info.MapStatus(""));
        }
    }

    [Fact]
    public void The_registry_finds_all_five_providers()
    {
        Assert.Equal(new[] { "Convertly", "Ittybit", "Krea", "PyannoteAI", "Unstructured" }, ProviderRegistry.Names);
        Assert.IsType<KreaProvider>(ProviderRegistry.Find("krea"));
        Assert.Null(ProviderRegistry.Find("nope"));
    }
}
