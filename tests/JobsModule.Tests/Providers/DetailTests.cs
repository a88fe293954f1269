using Xunit;

namespace JobsModule.Tests;

/// <summary>The single-job and cancel endpoints each adapter describes.</summary>
public class DetailTests
{
    private static readonly Uri Base = new("https://gw.example.com/prefix");

    [Theory]
    [InlineData(typeof(PyannoteAIProvider), "https://gw.example.com/prefix/v1/jobs/a%2Fb%20c%3F")]
    [InlineData(typeof(IttybitProvider), "https://gw.example.com/prefix/jobs/a%2Fb%20c%3F")]
    [InlineData(typeof(ConvertlyProvider), "https://gw.example.com/prefix/api/jobs/a%2Fb%20c%3F")]
    [InlineData(typeof(UnstructuredProvider), "https://gw.example.com/prefix/api/v1/jobs/a%2Fb%20c%3F")]
    [InlineData(typeof(KreaProvider), "https://gw.example.com/prefix/jobs/a%2Fb%20c%3F")]
    public void The_job_url_keeps_the_prefix_and_escapes_the_id(Type providerType, string expected)
    {
        var provider = (IJobProvider)Activator.CreateInstance(providerType)!;
        Assert.Equal(expected, provider.JobUri(Base, "a/b c?").AbsoluteUri);
    }

    [Fact]
    public void Unstructured_job_url_does_not_double_api_v1()
    {
        var provider = new UnstructuredProvider();
        Assert.Equal("https://u.example.com/api/v1/jobs/j1", provider.JobUri(new Uri("https://u.example.com/api/v1"), "j1").AbsoluteUri);
        Assert.Equal("https://u.example.com/api/v1/jobs/j1/cancel", provider.CancelRequest(new Uri("https://u.example.com/api/v1/"), "j1")!.Uri.AbsoluteUri);
    }

    [Theory]
    [InlineData(typeof(ConvertlyProvider), "DELETE", "https://gw.example.com/prefix/api/jobs/j1", false)]
    [InlineData(typeof(UnstructuredProvider), "POST", "https://gw.example.com/prefix/api/v1/jobs/j1/cancel", false)]
    [InlineData(typeof(KreaProvider), "DELETE", "https://gw.example.com/prefix/jobs/j1", true)]
    public void Cancel_requests_are_as_documented(Type providerType, string method, string uri, bool deletes)
    {
        var cancel = ((IJobProvider)Activator.CreateInstance(providerType)!).CancelRequest(Base, "j1");
        Assert.NotNull(cancel);
        Assert.Equal(new HttpMethod(method), cancel!.Method);
        Assert.Equal(uri, cancel.Uri.AbsoluteUri);
        Assert.Equal(deletes, cancel.DeletesJob);
    }

    [Theory]
    [InlineData(typeof(PyannoteAIProvider))]
    [InlineData(typeof(IttybitProvider))]
    public void Providers_without_a_cancel_endpoint_say_so(Type providerType) =>
        Assert.Null(((IJobProvider)Activator.CreateInstance(providerType)!).CancelRequest(Base, "j1"));

    [Fact]
    public void Only_Krea_documents_a_delete()
    {
        var delete = new KreaProvider().DeleteRequest(Base, "j1");
        Assert.NotNull(delete);
        Assert.Equal(HttpMethod.Delete, delete!.Method);
        Assert.Equal("https://gw.example.com/prefix/jobs/j1", delete.Uri.AbsoluteUri);
        Assert.True(delete.DeletesJob);
        foreach (var provider in ProviderRegistry.All.Where(provider => provider is not KreaProvider))
        {
            Assert.Null(provider.DeleteRequest(Base, "j1"));
        }
    }

    [Fact]
    public void PyannoteAI_single_job_has_jobId_and_output()
    {
        var job = Assert.IsType<PyannoteAIJob>(new PyannoteAIProvider().ReadJob(TestListing.Parse(
            """{"jobId":"p1","status":"succeeded","createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:01:00Z","output":{"diarization":[{"speaker":"S0"}]}}""")));
        Assert.Equal("p1", job.Id);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal(new DateTime(2026, 1, 1, 0, 1, 0, DateTimeKind.Utc), job.UpdatedAt);
        var output = Assert.IsType<JobDataObject>(job.Output);
        Assert.Equal("S0", Assert.IsType<JobDataObject>(Assert.Single(Assert.IsType<JobDataList>(output["diarization"])))["speaker"]);
        Assert.Empty(job.ExtraFields);
    }

    [Fact]
    public void Convertly_single_job_reads_camelCase()
    {
        var job = Assert.IsType<ConvertlyJob>(new ConvertlyProvider().ReadJob(TestListing.Parse(
            """{"jobId":"c1","jobType":"compress","status":"failed","totalFiles":3,"completedFiles":1,"failedFiles":2,"errorMessage":"bad, \"file\"","createdAt":"2026-01-01T00:00:00Z","completedAt":"2026-01-01T00:00:30Z"}""")));
        Assert.Equal("c1", job.Id);
        Assert.Equal("compress", job.Kind);
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal(3, job.TotalFiles);
        Assert.Equal(1, job.CompletedFiles);
        Assert.Equal(2, job.FailedFiles);
        Assert.Equal("bad, \"file\"", job.Error);
        Assert.Equal(TimeSpan.FromSeconds(30), job.Duration);
        Assert.Empty(job.ExtraFields);
    }

    [Fact]
    public void A_single_job_without_any_id_is_a_shape_error() =>
        Assert.Throws<ProviderResponseShapeException>(() => new ConvertlyProvider().ReadJob(TestListing.Parse("""{"jobId":"","status":"pending"}""")));
}
