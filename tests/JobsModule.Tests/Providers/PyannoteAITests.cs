using static JobsModule.Tests.Support.PageUrls;

namespace JobsModule.Tests;

/// <summary>pyannoteAI's jobs as the module reads them: every documented field, every status, its list URLs.</summary>
public class PyannoteAITests
{
    private readonly PyannoteAIProvider _provider = new();

    [Fact]
    public void Maps_every_documented_field()
    {
        var job = _provider.ReadJob(TestListing.Parse("""
            {"id":"job-1","status":"succeeded","createdAt":"2026-02-03T04:05:06.789Z","updatedAt":"2026-02-03T04:06:00Z"}
            """));

        Assert.Equal("PyannoteAI", job.Provider);
        Assert.Equal("job-1", job.Id);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal("succeeded", job.ProviderStatus);
        Assert.Equal(new DateTime(2026, 2, 3, 4, 5, 6, 789, DateTimeKind.Utc), job.CreatedAt);
        Assert.Equal(TimeSpan.Zero, job.CreatedAt!.Value.Offset);
        Assert.Equal(new DateTime(2026, 2, 3, 4, 6, 0, DateTimeKind.Utc), job.UpdatedAt);
        Assert.Null(job.Kind);
        Assert.Empty(job.ExtraFields);
        Assert.Equal("PyannoteAI/job-1", job.ToString());
    }

    [Fact]
    public void Keeps_undocumented_fields_in_ExtraFields()
    {
        var job = _provider.ReadJob(TestListing.Parse("""
            {"id":"job-1","status":"running","createdAt":"2026-02-03T04:05:06Z","model":"precision-2","confidence":0.5,"tags":["a","b"]}
            """));

        Assert.Equal(3, job.ExtraFields.Count);
        Assert.Equal("precision-2", job.ExtraFields["model"]);
        Assert.Equal(0.5, job.ExtraFields["confidence"]);
        Assert.Equal(new object?[] { "a", "b" }, Assert.IsType<JobDataList>(job.ExtraFields["tags"]));
        Assert.False(job.ExtraFields.ContainsKey("createdAt"));
    }

    [Fact]
    public void Tolerates_nulls_and_missing_fields()
    {
        var job = _provider.ReadJob(TestListing.Parse("""{"id":"job-1","status":null,"createdAt":null}"""));

        Assert.Equal(JobStatus.Unknown, job.Status);
        Assert.Null(job.ProviderStatus);
        Assert.Null(job.CreatedAt);
        Assert.Null(job.UpdatedAt);
        Assert.Null(job.Duration);
    }

    [Fact]
    public void A_timestamp_with_an_offset_becomes_UTC()
    {
        var job = _provider.ReadJob(TestListing.Parse("""{"id":"j","status":"running","createdAt":"2026-02-03T04:05:06+02:00"}"""));

        Assert.Equal(new DateTime(2026, 2, 3, 2, 5, 6, DateTimeKind.Utc), job.CreatedAt);
        Assert.Equal(TimeSpan.Zero, job.CreatedAt!.Value.Offset);
    }

    [Theory]
    [InlineData("""{"status":"running"}""")]
    [InlineData("""{"id":"","status":"running"}""")]
    [InlineData("""{"id":null,"status":"running"}""")]
    [InlineData("""["not","an","object"]""")]
    public void A_job_without_an_id_is_a_shape_error(string json)
    {
        Assert.Throws<ProviderResponseShapeException>(() => _provider.ReadJob(TestListing.Parse(json)));
    }

    [Fact]
    public void ReadPage_requires_items()
    {
        var error = Assert.Throws<ProviderResponseShapeException>(() =>
            TestListing.ReadPage(_provider, """{"total":3}""", TestListing.Context(new Uri("https://api.pyannote.ai/v1/jobs"), 10)));
        Assert.Contains("items", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pending", JobStatus.Queued)]
    [InlineData("created", JobStatus.Queued)]
    [InlineData("running", JobStatus.Running)]
    [InlineData("succeeded", JobStatus.Succeeded)]
    [InlineData("failed", JobStatus.Failed)]
    [InlineData("canceled", JobStatus.Canceled)]
    [InlineData("archived", JobStatus.Unknown)]
    public void Statuses(string raw, JobStatus expected)
    {
        var job = new PyannoteAIProvider().ReadJob(TestListing.Parse(Bodies.PyannoteJob("j", raw)));

        Assert.Equal(expected, job.Status);
        Assert.Equal(raw, job.ProviderStatus);
    }

    [Fact]
    public void First_and_later_pages()
    {
        var provider = new PyannoteAIProvider();
        const string Cursor = "a1b2c3d4-e5f6-7890-abcd-ef1234567890";

        Assert.Equal("https://api.pyannote.ai/v2/jobs?limit=100", Url(provider, new ServerQuery(), 100));
        Assert.Equal($"https://api.pyannote.ai/v2/jobs?limit=25&cursor={Cursor}&status=running", Url(provider, new ServerQuery { Status = "running" }, 25, Cursor));
    }

    [Fact]
    public void Older_route_pages_by_take_and_skip()
    {
        var provider = new PyannoteAIV1();

        Assert.Equal("https://api.pyannote.ai/v1/jobs?take=100&skip=0", Url(provider, new ServerQuery(), 100));
        Assert.Equal("https://api.pyannote.ai/v1/jobs?take=25&skip=50&status=running", Url(provider, new ServerQuery { Status = "running" }, 25, "50"));
    }
}
