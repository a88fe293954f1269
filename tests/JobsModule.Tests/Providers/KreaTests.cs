using static JobsModule.Tests.Support.PageUrls;

namespace JobsModule.Tests;

/// <summary>Krea's jobs as the module reads them: every documented field, every status, its list URLs.</summary>
public class KreaTests
{
    private readonly KreaProvider _provider = new();

    [Fact]
    public void Maps_every_documented_field()
    {
        var job = _provider.ReadJob(TestListing.Parse("""
            {"job_id":"5f0e9d0a-1111-2222-3333-444455556666","status":"completed","created_at":"2026-04-01T12:00:00.000Z",
             "completed_at":"2026-04-01T12:00:07.250Z","type":"flux",
             "result":{"urls":["https://gen.krea.ai/a.png","https://gen.krea.ai/b.png"],"style_id":"style-42"}}
            """));

        Assert.IsType<KreaJob>(job);
        Assert.Equal("Krea", job.Provider);
        Assert.Equal("5f0e9d0a-1111-2222-3333-444455556666", job.Id);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal("flux", job.Kind);
        Assert.Equal(new DateTime(2026, 4, 1, 12, 0, 0, DateTimeKind.Utc), job.CreatedAt);
        Assert.Equal(new DateTime(2026, 4, 1, 12, 0, 7, 250, DateTimeKind.Utc), job.CompletedAt);
        Assert.Equal(TimeSpan.FromMilliseconds(7250), job.Duration);
        Assert.Equal(new object?[] { "https://gen.krea.ai/a.png", "https://gen.krea.ai/b.png" }, job.ResultUrls!);
        Assert.Equal("style-42", job.StyleId);
        Assert.Null(job.Error);
        Assert.Null(job.ErrorCode);
        Assert.Empty(job.ExtraFields);
    }

    [Fact]
    public void Error_and_code_from_error()
    {
        var job = _provider.ReadJob(TestListing.Parse("""
            {"job_id":"j","status":"failed","created_at":"2026-04-01T12:00:00Z","error":{"code":"nsfw","message":"Content was flagged"}}
            """));

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal("Content was flagged", job.Error);
        Assert.Equal("nsfw", job.ErrorCode);
    }

    [Fact]
    public void Error_and_code_from_result_error()
    {
        var job = _provider.ReadJob(TestListing.Parse("""
            {"job_id":"j","status":"failed","created_at":"2026-04-01T12:00:00Z","result":{"error":{"code":"timeout","message":"Generation timed out"}}}
            """));

        Assert.Equal("Generation timed out", job.Error);
        Assert.Equal("timeout", job.ErrorCode);
        Assert.Null(job.ResultUrls);
        Assert.Null(job.StyleId);
    }

    [Fact]
    public void An_error_with_only_a_code_shows_the_code()
    {
        var job = _provider.ReadJob(TestListing.Parse("""{"job_id":"j","status":"failed","error":{"code":"quota_exceeded"}}"""));

        Assert.Equal("quota_exceeded", job.Error);
        Assert.Equal("quota_exceeded", job.ErrorCode);
    }

    [Fact]
    public void A_string_error_has_no_code()
    {
        var job = _provider.ReadJob(TestListing.Parse("""{"job_id":"j","status":"failed","error":"Something broke"}"""));

        Assert.Equal("Something broke", job.Error);
        Assert.Null(job.ErrorCode);
    }

    [Fact]
    public void Tolerates_nulls_and_missing_fields()
    {
        var job = _provider.ReadJob(TestListing.Parse("""{"job_id":"j","status":"queued","created_at":"2026-04-01T12:00:00Z","completed_at":null,"result":null,"error":null}"""));

        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Null(job.CompletedAt);
        Assert.Null(job.ResultUrls);
        Assert.Null(job.StyleId);
        Assert.Null(job.Error);
        Assert.Null(job.ErrorCode);
        Assert.Null(job.Kind);
        Assert.Null(job.Duration);
    }

    [Fact]
    public void Keeps_undocumented_fields_in_ExtraFields()
    {
        var job = _provider.ReadJob(TestListing.Parse("""{"job_id":"j","status":"queued","prompt":"a cat","cost":{"units":3}}"""));

        Assert.Equal(2, job.ExtraFields.Count);
        Assert.Equal("a cat", job.ExtraFields["prompt"]);
        Assert.Equal("""{"units":3}""", job.ExtraFields["cost"]!.ToString());
    }

    [Fact]
    public void The_id_is_job_id()
    {
        Assert.Throws<ProviderResponseShapeException>(() => _provider.ReadJob(TestListing.Parse("""{"id":"j","status":"queued"}""")));
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
    public void Statuses(string raw, JobStatus expected)
    {
        var job = new KreaProvider().ReadJob(TestListing.Parse(Bodies.KreaJob("j", raw)));

        Assert.Equal(expected, job.Status);
        Assert.Equal(raw, job.ProviderStatus);
    }

    [Fact]
    public void First_and_later_pages()
    {
        var provider = new KreaProvider();

        Assert.Equal("https://api.krea.ai/jobs?limit=1000", Url(provider, new ServerQuery(), 1000));
        Assert.Equal(
            "https://api.krea.ai/jobs?cursor=2026-01-01T00%3A00%3A00.000Z&limit=50&types=flux%2Ck1&status=completed",
            Url(provider, new ServerQuery { Kinds = new[] { "flux", "k1" }, Status = "completed" }, 50, "2026-01-01T00:00:00.000Z"));
    }

    [Fact]
    public void Passes_a_cursor_with_an_offset_back_verbatim()
    {
        var uri = new KreaProvider().PageUri(new Uri("https://api.krea.ai"), new ServerQuery(), 100, "2026-01-01T10:00:00.123456+01:00");

        Assert.Equal("https://api.krea.ai/jobs?cursor=2026-01-01T10%3A00%3A00.123456%2B01%3A00&limit=100", uri.AbsoluteUri);

        // A server that decodes the query gets the cursor back exactly, '+' included (not a space).
        Assert.Equal("2026-01-01T10:00:00.123456+01:00", TestListing.QueryOf(uri)["cursor"]);
    }

    [Fact]
    public void Starts_at_CreatedBefore_as_a_UTC_millisecond_cursor()
    {
        var query = new ServerQuery { CreatedBefore = new DateTime(2026, 5, 6, 7, 8, 9, 120, DateTimeKind.Utc) };

        Assert.Equal("https://api.krea.ai/jobs?cursor=2026-05-06T07%3A08%3A09.120Z&limit=10", Url(new KreaProvider(), query, 10));
    }

    [Fact]
    public void Prefers_the_cursor_to_CreatedBefore()
    {
        var query = new ServerQuery { CreatedBefore = new DateTime(2026, 5, 6, 7, 8, 9, DateTimeKind.Utc) };

        Assert.Equal("https://api.krea.ai/jobs?cursor=next-one&limit=10", Url(new KreaProvider(), query, 10, "next-one"));
    }

    [Fact]
    public void Escapes_cursor_and_types()
    {
        var uri = new KreaProvider().PageUri(new Uri("https://api.krea.ai"), new ServerQuery { Kinds = new[] { "a&b", "c d" } }, 10, Tricky);

        var parameters = TestListing.QueryOf(uri);
        Assert.Equal(new[] { "cursor", "limit", "types" }, parameters.Keys);
        Assert.Equal(Tricky, parameters["cursor"]);
        Assert.Equal("a&b,c d", parameters["types"]);
        Assert.Equal(string.Empty, uri.Fragment);
    }
}
