using static JobsModule.Tests.Support.PageUrls;

namespace JobsModule.Tests;

/// <summary>ittybit's jobs as the module reads them: every documented field, every status, its list URLs.</summary>
public class IttybitTests
{
    private readonly IttybitProvider _provider = new();

    private const string DocumentedExample = """
        {
          "id": "job_abc123",
          "object": "job",
          "kind": "video",
          "input": "https://example.com/video.mp4",
          "output": "https://store.ittybit.net/org_123/video.mp4",
          "options": { "format": "mp4", "quality": "high", "width": 1280 },
          "metadata": {},
          "status": "succeeded",
          "error": null,
          "created_at": 1711900000000,
          "started_at": 1711900001000,
          "finished_at": 1711900045000,
          "updated_at": 1711900045000
        }
        """;

    [Fact]
    public void Maps_every_documented_field()
    {
        var job = _provider.ReadJob(TestListing.Parse(DocumentedExample));

        Assert.IsType<IttybitJob>(job);
        Assert.Equal("Ittybit", job.Provider);
        Assert.Equal("job_abc123", job.Id);
        Assert.Equal("video", job.Kind);
        Assert.Equal("https://example.com/video.mp4", job.Input);
        Assert.Equal("https://store.ittybit.net/org_123/video.mp4", job.Output);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal("succeeded", job.ProviderStatus);
        Assert.Null(job.Error);

        Assert.NotNull(job.Options);
        Assert.Equal("mp4", job.Options!["format"]);
        Assert.Equal("high", job.Options["QUALITY"]);
        Assert.Equal(1280L, job.Options["width"]);
        Assert.NotNull(job.Metadata);
        Assert.Empty(job.Metadata!);

        // "object" is documented: it is not an extra field.
        Assert.Empty(job.ExtraFields);
    }

    [Fact]
    public void Epoch_milliseconds_become_UTC_times_and_a_duration()
    {
        var job = _provider.ReadJob(TestListing.Parse(DocumentedExample));

        Assert.Equal(new DateTime(2024, 3, 31, 15, 46, 40, DateTimeKind.Utc), job.CreatedAt);
        Assert.Equal(new DateTime(2024, 3, 31, 15, 46, 41, DateTimeKind.Utc), job.StartedAt);
        Assert.Equal(new DateTime(2024, 3, 31, 15, 47, 25, DateTimeKind.Utc), job.CompletedAt);
        Assert.Equal(new DateTime(2024, 3, 31, 15, 47, 25, DateTimeKind.Utc), job.UpdatedAt);
        Assert.Equal(TimeSpan.Zero, job.CreatedAt!.Value.Offset);
        Assert.Equal(TimeSpan.Zero, job.CompletedAt!.Value.Offset);

        // From started_at, not created_at.
        Assert.Equal(TimeSpan.FromSeconds(44), job.Duration);
    }

    [Fact]
    public void Epoch_milliseconds_keep_their_milliseconds_and_accept_numeric_strings()
    {
        var job = _provider.ReadJob(TestListing.Parse("""{"id":"j","status":"queued","created_at":1711900000123,"updated_at":"1711900000456"}"""));

        Assert.Equal(new DateTime(2024, 3, 31, 15, 46, 40, 123, DateTimeKind.Utc), job.CreatedAt);
        Assert.Equal(new DateTime(2024, 3, 31, 15, 46, 40, 456, DateTimeKind.Utc), job.UpdatedAt);
    }

    [Fact]
    public void Error_as_an_object_or_a_string()
    {
        var fromObject = _provider.ReadJob(TestListing.Parse("""{"id":"j","status":"failed","error":{"code":"decode","message":"Could not decode input"}}"""));
        var fromString = _provider.ReadJob(TestListing.Parse("""{"id":"j","status":"failed","error":"Input not found"}"""));

        Assert.Equal("Could not decode input", fromObject.Error);
        Assert.Equal("Input not found", fromString.Error);
        Assert.Equal(JobStatus.Failed, fromString.Status);
    }

    [Fact]
    public void Tolerates_nulls_and_missing_fields()
    {
        var job = _provider.ReadJob(TestListing.Parse("""
            {"id":"j","kind":null,"input":null,"output":null,"options":null,"metadata":null,"status":"processing","error":null,
             "created_at":null,"started_at":null,"finished_at":null,"updated_at":null}
            """));

        Assert.Equal(JobStatus.Running, job.Status);
        Assert.Null(job.Kind);
        Assert.Null(job.Input);
        Assert.Null(job.Output);
        Assert.Null(job.Options);
        Assert.Null(job.Metadata);
        Assert.Null(job.Error);
        Assert.Null(job.CreatedAt);
        Assert.Null(job.CompletedAt);
        Assert.Null(job.Duration);
        Assert.Empty(job.ExtraFields);
    }

    [Fact]
    public void Keeps_undocumented_fields_in_ExtraFields()
    {
        var job = _provider.ReadJob(TestListing.Parse("""{"id":"j","status":"queued","tasks":[{"id":"t1"}],"priority":5}"""));

        // tasks[] is documented for the single-job endpoint, so it is a typed property, not an extra.
        Assert.Equal(5L, Assert.Single(job.ExtraFields).Value);
        Assert.Equal("priority", Assert.Single(job.ExtraFields).Key);
        Assert.Equal("t1", Assert.IsType<JobDataObject>(Assert.Single(job.Tasks!))["id"]);
    }

    [Fact]
    public void ReadPage_requires_a_bare_array()
    {
        Assert.Throws<ProviderResponseShapeException>(() =>
            TestListing.ReadPage(_provider, """{"data":[]}""", TestListing.Context(new Uri("https://api.ittybit.com/jobs?limit=10"), 10)));
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
    public void Statuses(string raw, JobStatus expected)
    {
        var job = new IttybitProvider().ReadJob(TestListing.Parse(Bodies.IttybitJob("j", raw)));

        Assert.Equal(expected, job.Status);
        Assert.Equal(raw, job.ProviderStatus);
    }

    [Fact]
    public void First_and_later_pages()
    {
        var provider = new IttybitProvider();
        var query = new ServerQuery { Status = "failed", Kinds = new[] { "video" }, InputUri = "https://example.com/in.mp4" };

        Assert.Equal("https://api.ittybit.com/jobs?limit=100", Url(provider, new ServerQuery(), 100));
        Assert.Equal(
            "https://api.ittybit.com/jobs?limit=20&after=job_abc&kind=video&status=failed&input=https%3A%2F%2Fexample.com%2Fin.mp4",
            Url(provider, query, 20, "job_abc"));
    }

    [Fact]
    public void Sends_no_kind_for_several_kinds()
    {
        var url = Url(new IttybitProvider(), new ServerQuery { Kinds = new[] { "video", "audio" } }, 10);

        Assert.Equal("https://api.ittybit.com/jobs?limit=10", url);
    }

    [Theory]
    [InlineData("https://gw.example.com/ittybit", "https://gw.example.com/ittybit/jobs?limit=5")]
    [InlineData("https://gw.example.com/ittybit/", "https://gw.example.com/ittybit/jobs?limit=5")]
    [InlineData("https://gw.example.com/a/b/", "https://gw.example.com/a/b/jobs?limit=5")]
    [InlineData("http://127.0.0.1:5055", "http://127.0.0.1:5055/jobs?limit=5")]
    public void Keeps_a_path_prefix(string baseUri, string expected)
    {
        Assert.Equal(expected, Url(new IttybitProvider(), new ServerQuery(), 5, baseUri: baseUri));
    }

    [Fact]
    public void Escapes_query_values()
    {
        var uri = new IttybitProvider().PageUri(new Uri("https://api.ittybit.com"), new ServerQuery { InputUri = Tricky, Status = "queued" }, 10, null);

        Assert.Equal($"https://api.ittybit.com/jobs?limit=10&status=queued&input={TrickyEscaped}", uri.AbsoluteUri);
        var parameters = TestListing.QueryOf(uri);
        Assert.Equal(new[] { "limit", "status", "input" }, parameters.Keys);
        Assert.Equal(Tricky, parameters["input"]);
        Assert.Equal(string.Empty, uri.Fragment);
    }
}
