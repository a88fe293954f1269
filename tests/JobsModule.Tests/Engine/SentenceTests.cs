using static JobsModule.Tests.Support.Bodies;

namespace JobsModule.Tests;

/// <summary>The sentences users read (verbose lines, progress, warnings, errors), word for word.</summary>
public class SentenceTests
{
    private static readonly Uri Page = new("https://api.krea.ai/jobs?limit=1000");

    [Fact]
    public void A_request_line_names_status_jobs_time_and_retry()
    {
        Assert.Equal("Krea GET https://api.krea.ai/jobs?limit=1000 -> 200, 25 jobs, 12 ms", Strings.RequestLine("Krea", HttpMethod.Get, Page, 200, 25, 12, 0));
        Assert.Equal("Krea GET https://api.krea.ai/jobs?limit=1000 -> 503, 7 ms, retry 2", Strings.RequestLine("Krea", HttpMethod.Get, Page, 503, null, 7, 2));
        Assert.Equal("Krea DELETE https://api.krea.ai/jobs/k1 -> 200, 0 jobs, 3 ms, retry 1", Strings.RequestLine("Krea", HttpMethod.Delete, new Uri("https://api.krea.ai/jobs/k1"), 200, 0, 3, 1));
    }

    [Fact]
    public void A_retry_wait_says_what_it_waits_for()
    {
        Assert.Equal("waiting 1.5 s after 503", Strings.Waiting("503", TimeSpan.FromMilliseconds(1500)));
        Assert.Equal("waiting 0.0 s after network", Strings.Waiting("network", TimeSpan.FromMilliseconds(20)));
    }

    [Fact]
    public void A_listing_shows_what_a_retry_waits_for_while_it_waits()
    {
        var result = new ListingCounts();
        var seen = new List<string?>();
        var stub = new StubHandler((_, index) => index == 0
            ? Respond.Status(503).WithHeader("Retry-After", "1")
            : Respond.Json(KreaPage(null, "a")));
        var lister = new JobLister(new HttpClient(stub));
        var options = new TestOptions { MaximumRetryCount = 1, MaximumRetryDelay = TimeSpan.FromSeconds(5), RequestTimeout = TimeSpan.FromSeconds(30) };

        var call = options.Call(new CallLog(), default) with { Heartbeat = () => seen.Add(result.Waiting) };

        var jobs = lister.List(TestListing.Endpoint(new KreaProvider()), new JobQuery(), call, result).ToList();

        Assert.Equal("a", Assert.Single(jobs).Id);
        Assert.Contains("waiting 1.0 s after 503", seen);
        Assert.Null(result.Waiting);
    }

    [Fact]
    public void A_URL_is_shown_without_user_info_and_a_relative_one_as_given()
    {
        Assert.Equal("https://api.krea.ai/jobs?limit=3", Strings.Describe(new Uri("https://user:secret@api.krea.ai/jobs?limit=3")));
        Assert.Equal("jobs?cursor=x", Strings.Describe(new Uri("jobs?cursor=x", UriKind.Relative)));
    }

    [Fact]
    public void A_filter_a_provider_cannot_apply_names_the_parameter_in_its_message()
    {
        var problems = new JobQuery { WorkflowId = "wf", InputUri = "https://example.com/a" }.ProblemsWith(new KreaProvider().Info);

        Assert.Equal(
            new[]
            {
                "Krea cannot filter by -WorkflowId. Leave -WorkflowId out, or choose providers that support it with -Provider.",
                "Krea cannot filter by -InputUri. Leave -InputUri out, or choose providers that support it with -Provider.",
            },
            problems.Select(problem => problem.Message));
    }

    [Fact]
    public void The_sentences_of_the_cmdlets_read_as_written()
    {
        var job = new KreaJob("Krea", "k1", "mystery", JobStatus.Unknown);

        Assert.Equal("No provider has an API key. Set one of A_KEY, B_KEY, or pass -Provider and -ApiKey.", Strings.NoProviderHasKey(new[] { "A_KEY", "B_KEY" }));
        Assert.Equal("No API key for Krea: set KREA_API_KEY or KREA_API_TOKEN, run Connect-ProviderAccount -Provider Krea, or pass -ApiKey to Get-ProviderJob.", Strings.NoKey("Krea", new[] { "KREA_API_KEY", "KREA_API_TOKEN" }));
        Assert.Equal("Krea has no job with id 'k9'.", Strings.JobNotFound("Krea", "k9"));
        Assert.Equal("Krea job 'k1' has status 'mystery', which the module does not know; still waiting for Succeeded, Failed or Canceled.", Strings.UnknownStatusWhileWaiting(job));
        Assert.Equal("3 job(s) had not finished after 2.5 s; they are written as they were last seen.", Strings.StillRunning(3, TimeSpan.FromSeconds(2.5)));
        Assert.Equal("Krea is left out of this listing: it has no key", Strings.SkippedProvider("Krea", "it has no key"));
        Assert.Equal("PyannoteAI job 'j-1' cannot be stopped: PyannoteAI has no endpoint to cancel a job. Nothing was sent.", Strings.CannotCancel("PyannoteAI", "j-1"));
        Assert.Equal("Ittybit job 'j-2' cannot be removed: Ittybit documents no way to delete a job. Nothing was sent.", Strings.CannotDelete("Ittybit", "j-2"));
        var uri = new Uri("https://api.krea.ai/jobs/asked");
        Assert.Equal("Krea did not answer GET https://api.krea.ai/jobs/asked before the wait's time ran out (-Timeout 6 s).", Strings.TimedOutAtDeadline("Krea", HttpMethod.Get, uri, TimeSpan.FromSeconds(6)));
        Assert.Equal(" Not retried: the next try would come in 60.0 s, after the wait's time runs out (2.5 s left of -Timeout 3 s).", Strings.NotRetriedPastDeadline(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(3)));
        Assert.Equal(
            "Krea answered GET https://api.krea.ai/jobs/asked with job 'other' instead of job 'asked' (a gateway or cache in between may be mixing up answers); the answer is not used, and nothing was done to either job.",
            Strings.OtherJobAnswered("Krea", uri, "asked", "other"));
        Assert.Equal(
            "Krea accepted the stop of job 'k1', but reading the job again afterwards failed, so -PassThru writes it as it was read before the stop: it timed out",
            Strings.FollowUpReadFailed("Krea", "k1", "it timed out"));
    }
}

/// <summary>Small parts of the job model: cell text, a cancelled copy, kinds as documented, durations.</summary>
public class ModelTests
{
    private sealed class Nameless
    {
        public override string? ToString() => null;
    }

    [Fact]
    public void A_cell_shows_text_numbers_invariantly_and_anything_else_by_ToString()
    {
        Assert.Equal(string.Empty, JobData.Format(null));
        Assert.Equal("text", JobData.Format("text"));
        Assert.Equal("1.5", JobData.Format(1.5));
        Assert.Equal("True", JobData.Format(true));
        Assert.Equal("Krea/k1", JobData.Format(new KreaJob("Krea", "k1", null, JobStatus.Unknown)));
        Assert.Equal(string.Empty, JobData.Format(new Nameless()));
    }

    [Fact]
    public void A_cancelled_copy_changes_only_status_and_raw_status()
    {
        var job = new ConvertlyProvider().ReadJob(TestListing.Parse(ConvertlyJob("c1", "pending")));
        job.Account = "ops";

        var cancelled = Assert.IsType<ConvertlyJob>(job.AsCanceled());

        Assert.Equal(JobStatus.Canceled, cancelled.Status);
        Assert.Equal("deleted", cancelled.ProviderStatus);
        Assert.Equal("c1", cancelled.Id);
        Assert.Equal("ops", cancelled.Account);
        Assert.Equal("convert", cancelled.Kind);
        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Equal("pending", job.ProviderStatus);
    }

    [Fact]
    public void A_kind_is_sent_as_the_provider_documents_it_whatever_its_case()
    {
        var run = TestListing.Run(new IttybitProvider(), new StubHandler(Respond.Json("[]")), new JobQuery { Kinds = new[] { "VIDEO" }, PageSize = 5 }).Succeeded();

        Assert.Equal("/jobs?limit=5&kind=video", Assert.Single(run.PathsAndQueries));
    }

    [Fact]
    public void A_kind_of_a_provider_without_a_closed_list_is_sent_as_given()
    {
        var run = TestListing.Run(new KreaProvider(), new StubHandler(Respond.Json(KreaPage(null))), new JobQuery { Kinds = new[] { "New-Model" }, PageSize = 5 }).Succeeded();

        Assert.Equal("/jobs?limit=5&types=New-Model", Assert.Single(run.PathsAndQueries));
    }

    [Theory]
    [InlineData("""{"d":"PT2M30S"}""", 150.0)]
    [InlineData("""{"d":"P1DT1H"}""", 90000.0)]
    [InlineData("""{"d":"2 minutes"}""", null)]
    [InlineData("""{"d":""}""", null)]
    [InlineData("""{"e":"PT1S"}""", null)]
    public void An_ISO_8601_duration_is_read_and_anything_else_is_none(string json, double? seconds)
    {
        var root = TestListing.Parse(json);
        TimeSpan? duration = root.TryGetProperty("d", out var value) && Json.TryIsoDuration(value, out var read) ? read : null;

        Assert.Equal(seconds, duration?.TotalSeconds);
    }
}
