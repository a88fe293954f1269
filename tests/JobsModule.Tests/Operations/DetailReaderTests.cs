using static JobsModule.Tests.Support.Bodies;

namespace JobsModule.Tests;

/// <summary>
/// -Detailed's reads (DetailReader): one per finished job whose listing is silent, none for unfinished
/// jobs, concurrent up to a limit with the listing's order kept, a failed read one warning and the job
/// left as listed, an account that refuses asked no more.
/// </summary>
public class DetailReaderTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static string Details(string id, string processing, int failures = 0) =>
        $$"""{"id":{{Str(id)}},"processing_status":{{Str(processing)}},"node_stats":[{"node_name":"partition","ready":0,"in_progress":0,"success":1,"failure":{{failures}}}],"message":{{(failures > 0 ? Str(failures + " files failed") : "null")}}}""";

    private static string FailedFiles(params string[] documents) =>
        "{\"failed_files\":[" + string.Join(",", documents.Select(document => $$"""{"document":{{Str(document)}},"error":"unsupported"}""")) + "]}";

    /// <summary>Lists one account of <paramref name="provider"/> with -Detailed's reads, up to <paramref name="concurrency"/> at once.</summary>
    private static (List<ProviderJob> Jobs, List<LogMessage> Messages, DetailReader Reader) ListDetailed(
        IJobProvider provider, StubHandler stub, Uri baseUri, int concurrency = 4, TestOptions? options = null)
    {
        var lister = new JobLister(new HttpClient(stub));
        var log = new CallLog();
        var call = (options ?? TestListing.Fast).Call(log);
        var reader = lister.Details(call);
        using var listing = new JobListing(lister, new[] { TestListing.Endpoint(provider, baseUri) }, new JobQuery(), call);
        var jobs = reader.InOrder(listing.Merge(null), 0, concurrency, null).Select(item => item.Job!).ToList();
        reader.Report();
        var messages = new List<LogMessage>();
        while (log.TryTake(out var message))
        {
            messages.Add(message);
        }

        return (jobs, messages, reader);
    }

    private static Uri UniqueBase(string host) => new($"https://{host}-{Guid.NewGuid():N}.example.com/");

    [Fact]
    public void Unstructured_finished_jobs_get_their_details_and_failed_files_and_unfinished_ones_nothing()
    {
        var stub = new StubHandler((request, _) => request.Uri.AbsolutePath switch
        {
            "/api/v1/jobs/" => Respond.Json(UnstructuredPageOf(
                UnstructuredJob("u1", "COMPLETED", "2026-01-05T00:00:00Z"),
                UnstructuredJob("u2", "IN_PROGRESS", "2026-01-04T00:00:00Z"),
                UnstructuredJob("u3", "COMPLETED", "2026-01-03T00:00:00Z"),
                UnstructuredJob("u4", "SCHEDULED", "2026-01-02T00:00:00Z"),
                UnstructuredJob("u5", "STOPPED", "2026-01-01T00:00:00Z"))),
            "/api/v1/jobs/u1/details" => Respond.Json(Details("u1", "SUCCESS")),
            "/api/v1/jobs/u3/details" => Respond.Json(Details("u3", "COMPLETED_WITH_ERRORS", 2)),
            "/api/v1/jobs/u3/failed-files" => Respond.Json(FailedFiles("a.pdf", "b.pdf")),
            _ => throw new UnexpectedRequestException(request.Uri.PathAndQuery),
        });

        var (jobs, messages, reader) = ListDetailed(new UnstructuredProvider(), stub, UniqueBase("u"));

        Assert.Equal(new[] { "u1", "u2", "u3", "u4", "u5" }, jobs.Select(job => job.Id));
        Assert.Equal(
            new[] { JobOutcome.Complete, JobOutcome.Unfinished, JobOutcome.Partial, JobOutcome.Unfinished, JobOutcome.Canceled },
            jobs.Select(job => job.Outcome));
        Assert.Equal(new[] { "a.pdf", "b.pdf" }, jobs[2].FailedItems!.Select(item => item.Name));
        Assert.Equal("2 files failed", jobs[2].Error);
        Assert.Null(jobs[0].FailedItems);
        Assert.Equal(
            new[] { "/api/v1/jobs/", "/api/v1/jobs/u1/details", "/api/v1/jobs/u3/details", "/api/v1/jobs/u3/failed-files" },
            stub.Requests.Select(request => request.Uri.AbsolutePath).OrderBy(path => path, StringComparer.Ordinal));
        Assert.Equal(3, reader.Requests);
        var summary = Assert.Single(messages, message => message.Kind == LogMessageKind.Verbose && message.Text.StartsWith("-Detailed:", StringComparison.Ordinal));
        Assert.Equal("-Detailed: 3 extra requests for the details of 2 finished jobs (Unstructured 3).", summary.Text);
        Assert.DoesNotContain(messages, message => message.Kind == LogMessageKind.Warning);
    }

    [Fact]
    public void Jobs_keep_the_listing_order_while_a_slow_read_holds_back_only_the_jobs_after_it()
    {
        var third = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stub = new StubHandler(async (request, _, token) =>
        {
            switch (request.Uri.AbsolutePath)
            {
                case "/api/v1/jobs/":
                    return Respond.Json(UnstructuredPageOf(
                        UnstructuredJob("u1", "COMPLETED", "2026-01-03T00:00:00Z"),
                        UnstructuredJob("u2", "COMPLETED", "2026-01-02T00:00:00Z"),
                        UnstructuredJob("u3", "COMPLETED", "2026-01-01T00:00:00Z")));
                case "/api/v1/jobs/u1/details":
                    // The first job's details arrive only once the third job's were asked for: the reads run side by side.
                    await third.Task.WaitAsync(Patience, token).ConfigureAwait(false);
                    return Respond.Json(Details("u1", "SUCCESS"));
                case "/api/v1/jobs/u3/details":
                    third.TrySetResult(true);
                    return Respond.Json(Details("u3", "FAILED"));
                default:
                    return Respond.Json(Details("u2", "SUCCESS"));
            }
        });

        var (jobs, _, _) = ListDetailed(new UnstructuredProvider(), stub, UniqueBase("order"), concurrency: 3);

        Assert.Equal(new[] { "u1", "u2", "u3" }, jobs.Select(job => job.Id));
        Assert.Equal(new[] { JobOutcome.Complete, JobOutcome.Complete, JobOutcome.Failed }, jobs.Select(job => job.Outcome));
    }

    [Fact]
    public void No_more_reads_run_at_once_than_the_limit()
    {
        var running = 0;
        var most = 0;
        var stub = new StubHandler(async (request, _, token) =>
        {
            if (request.Uri.AbsolutePath == "/api/v1/jobs/")
            {
                return Respond.Json(UnstructuredPageOf(Enumerable.Range(0, 12).Select(i => UnstructuredJob("u" + i, "COMPLETED", $"2026-01-01T00:00:{59 - i:00}Z")).ToArray()));
            }

            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            await Task.Delay(20, token).ConfigureAwait(false);
            Interlocked.Decrement(ref running);
            var id = request.Uri.AbsolutePath.Split('/')[4];
            return Respond.Json(Details(id, "SUCCESS"));
        });

        var (jobs, _, reader) = ListDetailed(new UnstructuredProvider(), stub, UniqueBase("limit"), concurrency: 3);

        Assert.Equal(Enumerable.Range(0, 12).Select(i => "u" + i), jobs.Select(job => job.Id));
        Assert.All(jobs, job => Assert.Equal(JobOutcome.Complete, job.Outcome));
        Assert.Equal(12, reader.Requests);
        Assert.InRange(most, 1, 3);
    }

    [Theory]
    [InlineData(404, 1)]
    [InlineData(429, 4)]
    [InlineData(503, 4)]
    public void A_read_that_fails_leaves_its_job_Unverified_with_one_warning_and_the_rest_unchanged(int status, int attempts)
    {
        var stub = new StubHandler((request, _) => request.Uri.AbsolutePath switch
        {
            "/api/v1/jobs/" => Respond.Json(UnstructuredPageOf(
                UnstructuredJob("u1", "COMPLETED", "2026-01-03T00:00:00Z"),
                UnstructuredJob("u2", "COMPLETED", "2026-01-02T00:00:00Z"),
                UnstructuredJob("u3", "COMPLETED", "2026-01-01T00:00:00Z"))),
            "/api/v1/jobs/u2/details" => Respond.Status(status, """{"detail":"nope"}""").WithHeader("Retry-After", "0"),
            var path => Respond.Json(Details(path.Split('/')[4], "SUCCESS")),
        });

        var (jobs, messages, _) = ListDetailed(new UnstructuredProvider(), stub, UniqueBase("fail" + status));

        Assert.Equal(new[] { "u1", "u2", "u3" }, jobs.Select(job => job.Id));
        Assert.Equal(new[] { JobOutcome.Complete, JobOutcome.Unverified, JobOutcome.Complete }, jobs.Select(job => job.Outcome));
        var warning = Assert.Single(messages, message => message.Kind == LogMessageKind.Warning);
        Assert.StartsWith("Unstructured job 'u2': reading its details for -Detailed failed, so it is written with Outcome Unverified", warning.Text, StringComparison.Ordinal);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), warning.Text, StringComparison.Ordinal);
        Assert.Equal(attempts, stub.Requests.Count(request => request.Uri.AbsolutePath == "/api/v1/jobs/u2/details"));
        Assert.Contains(messages, message => message.Text.EndsWith("; 1 could not be read (warned about).", StringComparison.Ordinal));
    }

    [Fact]
    public void A_402_is_not_retried_and_its_account_is_asked_no_more()
    {
        var stub = new StubHandler((request, _) => request.Uri.AbsolutePath switch
        {
            "/api/v1/jobs/" => Respond.Json(UnstructuredPageOf(
                UnstructuredJob("u1", "COMPLETED", "2026-01-03T00:00:00Z"),
                UnstructuredJob("u2", "COMPLETED", "2026-01-02T00:00:00Z"),
                UnstructuredJob("u3", "FAILED", "2026-01-01T00:00:00Z"))),
            _ => Respond.Status(402, """{"detail":"Payment required"}"""),
        });

        // One read at a time, so the refusal is known before the next job's read would go.
        var (jobs, messages, reader) = ListDetailed(new UnstructuredProvider(), stub, UniqueBase("quota"), concurrency: 1);

        Assert.Equal(new[] { JobOutcome.Unverified, JobOutcome.Unverified, JobOutcome.Failed }, jobs.Select(job => job.Outcome));
        Assert.Equal(2, stub.Requests.Count);
        Assert.Equal(1, reader.Requests);
        var warning = Assert.Single(messages, message => message.Kind == LogMessageKind.Warning);
        Assert.Contains("402", warning.Text, StringComparison.Ordinal);
        Assert.EndsWith("No more details are asked of this account in this call; its other jobs are written as listed.", warning.Text, StringComparison.Ordinal);
        Assert.Contains(messages, message => message.Text.EndsWith("; 2 left as listed after their account refused.", StringComparison.Ordinal));
    }

    [Fact]
    public void PyannoteAI_finished_jobs_are_read_alone_for_their_error_and_warning()
    {
        var stub = new StubHandler((request, _) => request.Uri.AbsolutePath switch
        {
            "/v2/jobs" => Respond.Json(PyannoteV2PageOf(
                null,
                PyannoteJob("p1", "failed", "2026-01-04T00:00:00Z"),
                PyannoteJob("p2", "running", "2026-01-03T00:00:00Z"),
                PyannoteJob("p3", "succeeded", "2026-01-02T00:00:00Z"),
                PyannoteJob("p4", "canceled", "2026-01-01T00:00:00Z"))),
            "/v1/jobs/p1" => Respond.Json("""{"jobId":"p1","status":"failed","createdAt":"2026-01-04T00:00:00Z","output":{"error":"Media could not be decoded"}}"""),
            "/v1/jobs/p3" => Respond.Json("""{"jobId":"p3","status":"succeeded","createdAt":"2026-01-02T00:00:00Z","output":{"diarization":[],"warning":"short audio"}}"""),
            _ => throw new UnexpectedRequestException(request.Uri.PathAndQuery),
        });

        var (jobs, _, reader) = ListDetailed(new PyannoteAIProvider(), stub, UniqueBase("p"));

        Assert.Equal(new[] { "p1", "p2", "p3", "p4" }, jobs.Select(job => job.Id));
        Assert.Equal(new[] { JobOutcome.Failed, JobOutcome.Unfinished, JobOutcome.Complete, JobOutcome.Canceled }, jobs.Select(job => job.Outcome));
        Assert.Equal("Media could not be decoded", jobs[0].Error);
        Assert.Equal("Media could not be decoded", Assert.Single(jobs[0].FailedItems!).Error);
        Assert.Equal("short audio", ((PyannoteAIJob)jobs[2]).Warning);
        Assert.Equal(2, reader.Requests);
    }

    [Fact]
    public void Ittybit_only_a_cancelled_job_is_read_alone_for_its_tasks()
    {
        var stub = new StubHandler((request, _) => request.Uri.AbsolutePath switch
        {
            "/jobs" => Respond.Json("[" + string.Join(",", IttybitJob("j1", "cancelled"), IttybitJob("j2", "succeeded"), IttybitJob("j3", "failed"), IttybitJob("j4", "finishing")) + "]"),
            "/jobs/j1" => Respond.Json("""{"id":"j1","object":"job","kind":"video","status":"cancelled","created_at":1711900000000,"tasks":[{"id":"t1","kind":"video","status":"succeeded"},{"id":"t2","kind":"thumbnails","status":"failed","error":"bad frame"}]}"""),
            _ => throw new UnexpectedRequestException(request.Uri.PathAndQuery),
        });

        var (jobs, _, reader) = ListDetailed(new IttybitProvider(), stub, UniqueBase("i"));

        Assert.Equal(new[] { JobOutcome.Failed, JobOutcome.Complete, JobOutcome.Failed, JobOutcome.Unfinished }, jobs.Select(job => job.Outcome));
        Assert.Equal("thumbnails t2: bad frame", Assert.Single(jobs[0].FailedItems!).ToString());
        Assert.Equal(1, reader.Requests);
    }

    [Fact]
    public void Convertly_and_Krea_listings_say_all_there_is()
    {
        Assert.Empty(new ConvertlyProvider().DetailReads);
        Assert.Empty(new KreaProvider().DetailReads);
    }

    [Fact]
    public void A_details_answer_about_another_job_is_refused()
    {
        var stub = new StubHandler((request, _) => request.Uri.AbsolutePath switch
        {
            "/api/v1/jobs/" => Respond.Json(UnstructuredPageOf(UnstructuredJob("u1", "COMPLETED"))),
            _ => Respond.Json(Details("someone-else", "SUCCESS")),
        });

        var (jobs, messages, _) = ListDetailed(new UnstructuredProvider(), stub, UniqueBase("other"));

        Assert.Equal(JobOutcome.Unverified, Assert.Single(jobs).Outcome);
        Assert.Contains("someone-else", Assert.Single(messages, message => message.Kind == LogMessageKind.Warning).Text, StringComparison.Ordinal);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
