using static JobsModule.Tests.Support.PageUrls;

namespace JobsModule.Tests;

/// <summary>Convertly's jobs as the module reads them: every documented field, every status, its list URLs.</summary>
public class ConvertlyTests
{
    private readonly ConvertlyProvider _provider = new();

    [Fact]
    public void Maps_every_documented_field()
    {
        var job = _provider.ReadJob(TestListing.Parse("""
            {"id":"8c0f5a52-6d4e-4a8e-9b8f-0e8a8f2f6f11","job_type":"compress","status":"failed","total_files":10,"completed_files":7,
             "failed_files":3,"progress":100,"error_message":"3 files could not be read","results":{"archive":"https://cdn.example/x.zip"},
             "created_at":"2026-03-01T10:00:00Z","completed_at":"2026-03-01T10:01:30.500Z"}
            """));

        Assert.IsType<ConvertlyJob>(job);
        Assert.Equal("Convertly", job.Provider);
        Assert.Equal("8c0f5a52-6d4e-4a8e-9b8f-0e8a8f2f6f11", job.Id);
        Assert.Equal("compress", job.Kind);
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal(10, job.TotalFiles);
        Assert.Equal(7, job.CompletedFiles);
        Assert.Equal(3, job.FailedFiles);
        Assert.Equal(100, job.Progress);
        Assert.Equal("3 files could not be read", job.Error);
        Assert.Equal(new DateTime(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc), job.CreatedAt);
        Assert.Equal(new DateTime(2026, 3, 1, 10, 1, 30, 500, DateTimeKind.Utc), job.CompletedAt);
        Assert.Equal(TimeSpan.FromSeconds(90.5), job.Duration);
        var results = Assert.IsType<JobDataObject>(job.Results);
        Assert.Equal("https://cdn.example/x.zip", results["archive"]);
        Assert.Empty(job.ExtraFields);
    }

    [Fact]
    public void Results_can_be_an_array()
    {
        var job = _provider.ReadJob(TestListing.Parse("""{"id":"j","status":"completed","results":[{"url":"a"},{"url":"b"}]}"""));

        var results = Assert.IsType<JobDataList>(job.Results);
        Assert.Equal(2, results.Count);
        Assert.Equal("b", Assert.IsType<JobDataObject>(results[1])["url"]);
        Assert.Equal("""[{"url":"a"},{"url":"b"}]""", results.ToString());
    }

    [Fact]
    public void Results_can_be_null_and_other_fields_missing()
    {
        var job = _provider.ReadJob(TestListing.Parse("""{"id":"j","status":"pending","results":null,"error_message":null,"completed_at":null}"""));

        Assert.Null(job.Results);
        Assert.Null(job.Error);
        Assert.Null(job.CompletedAt);
        Assert.Null(job.TotalFiles);
        Assert.Null(job.Progress);
        Assert.Null(job.Duration);
        Assert.Equal(JobStatus.Queued, job.Status);
    }

    [Fact]
    public void Keeps_undocumented_fields_in_ExtraFields()
    {
        var job = _provider.ReadJob(TestListing.Parse("""{"id":"j","status":"completed","upgradeUrl":"https://convertly.sh/pricing","webhook":null}"""));

        Assert.Equal("https://convertly.sh/pricing", job.ExtraFields["upgradeUrl"]);
        Assert.True(job.ExtraFields.ContainsKey("webhook"));
        Assert.Null(job.ExtraFields["webhook"]);
    }

    [Fact]
    public void ReadPage_requires_jobs_and_pagination()
    {
        var uri = new Uri("https://convertly.sh/api/jobs?limit=10&offset=0");
        Assert.Throws<ProviderResponseShapeException>(() => TestListing.ReadPage(_provider, """{"jobs":[]}""", TestListing.Context(uri, 10)));
        Assert.Throws<ProviderResponseShapeException>(() => TestListing.ReadPage(_provider, """{"pagination":{"hasMore":false}}""", TestListing.Context(uri, 10)));
    }

    [Theory]
    [InlineData("pending", JobStatus.Queued)]
    [InlineData("processing", JobStatus.Running)]
    [InlineData("completed", JobStatus.Succeeded)]
    [InlineData("failed", JobStatus.Failed)]
    [InlineData("cancelled", JobStatus.Unknown)]
    public void Statuses(string raw, JobStatus expected)
    {
        var job = new ConvertlyProvider().ReadJob(TestListing.Parse(Bodies.ConvertlyJob("j", raw)));

        Assert.Equal(expected, job.Status);
        Assert.Equal(raw, job.ProviderStatus);
    }

    [Fact]
    public void First_and_later_pages()
    {
        var provider = new ConvertlyProvider();

        Assert.Equal("https://convertly.sh/api/jobs?limit=100&offset=0", Url(provider, new ServerQuery(), 100));
        Assert.Equal("https://convertly.sh/api/jobs?limit=10&offset=30&status=processing", Url(provider, new ServerQuery { Status = "processing" }, 10, "30"));
    }
}
