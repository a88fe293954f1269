using JobsModule.Providers;
using JobsModule.Tests.Support;

namespace JobsModule.Tests;

/// <summary>Every raw status in the status table of about_JobsModule, through each adapter's job reader.</summary>
public class StatusMappingTests
{
    [Theory]
    [InlineData("pending", JobStatus.Queued)]
    [InlineData("created", JobStatus.Queued)]
    [InlineData("running", JobStatus.Running)]
    [InlineData("succeeded", JobStatus.Succeeded)]
    [InlineData("failed", JobStatus.Failed)]
    [InlineData("canceled", JobStatus.Canceled)]
    [InlineData("archived", JobStatus.Unknown)]
    public void PyannoteAI(string raw, JobStatus expected)
    {
        var job = new PyannoteAIProvider().ReadJob(TestListing.Parse(Bodies.PyannoteJob("j", raw)));

        Assert.Equal(expected, job.Status);
        Assert.Equal(raw, job.ProviderStatus);
    }

    [Theory]
    [InlineData("waiting", JobStatus.Queued)]
    [InlineData("validating", JobStatus.Queued)]
    [InlineData("queued", JobStatus.Queued)]
    [InlineData("processing", JobStatus.Running)]
    [InlineData("finishing", JobStatus.Running)]
    [InlineData("succeeded", JobStatus.Succeeded)]
    [InlineData("failed", JobStatus.Failed)]
    [InlineData("cancelled", JobStatus.Canceled)]
    [InlineData("canceled", JobStatus.Unknown)]
    public void Ittybit(string raw, JobStatus expected)
    {
        var job = new IttybitProvider().ReadJob(TestListing.Parse(Bodies.IttybitJob("j", raw)));

        Assert.Equal(expected, job.Status);
        Assert.Equal(raw, job.ProviderStatus);
    }

    [Theory]
    [InlineData("pending", JobStatus.Queued)]
    [InlineData("processing", JobStatus.Running)]
    [InlineData("completed", JobStatus.Succeeded)]
    [InlineData("failed", JobStatus.Failed)]
    [InlineData("cancelled", JobStatus.Unknown)]
    public void Convertly(string raw, JobStatus expected)
    {
        var job = new ConvertlyProvider().ReadJob(TestListing.Parse(Bodies.ConvertlyJob("j", raw)));

        Assert.Equal(expected, job.Status);
        Assert.Equal(raw, job.ProviderStatus);
    }

    [Theory]
    [InlineData("SCHEDULED", JobStatus.Queued)]
    [InlineData("IN_PROGRESS", JobStatus.Running)]
    [InlineData("COMPLETED", JobStatus.Succeeded)]
    [InlineData("FAILED", JobStatus.Failed)]
    [InlineData("STOPPED", JobStatus.Canceled)]
    [InlineData("PAUSED", JobStatus.Unknown)]
    public void Unstructured(string raw, JobStatus expected)
    {
        var job = new UnstructuredProvider().ReadJob(TestListing.Parse(Bodies.UnstructuredJob("j", raw)));

        Assert.Equal(expected, job.Status);
        Assert.Equal(raw, job.ProviderStatus);
    }

    [Theory]
    [InlineData("backlogged", JobStatus.Queued)]
    [InlineData("queued", JobStatus.Queued)]
    [InlineData("scheduled", JobStatus.Queued)]
    [InlineData("processing", JobStatus.Running)]
    [InlineData("sampling", JobStatus.Running)]
    [InlineData("intermediate-complete", JobStatus.Running)]
    [InlineData("completed", JobStatus.Succeeded)]
    [InlineData("failed", JobStatus.Failed)]
    [InlineData("cancelled", JobStatus.Canceled)]
    [InlineData("moderated", JobStatus.Unknown)]
    public void Krea(string raw, JobStatus expected)
    {
        var job = new KreaProvider().ReadJob(TestListing.Parse(Bodies.KreaJob("j", raw)));

        Assert.Equal(expected, job.Status);
        Assert.Equal(raw, job.ProviderStatus);
    }

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
