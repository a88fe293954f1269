using static JobsModule.Tests.Support.Bodies;

namespace JobsModule.Tests;

/// <summary>Stop- and Remove-ProviderJob's engine: which requests go out for a job in each state, and what the caller is told.</summary>
public class JobActionsTests
{
    private static readonly KreaProvider Krea = new();
    private static readonly UnstructuredProvider Unstructured = new();
    private static readonly ConvertlyProvider Convertly = new();

    private static string Requests(StubHandler stub) =>
        string.Join(", ", stub.Requests.Select(request => request.Method.Method + " " + request.Uri.AbsolutePath));

    private static JobActions Actions(StubHandler stub) => new(new JobLister(new HttpClient(stub)), TestListing.Fast.Call(new CallLog(), CancellationToken.None));

    private static IReadOnlyList<ProviderEndpoint> Endpoints(IJobProvider provider) => new[] { TestListing.Endpoint(provider) };

    /// <summary>Answers GETs with the job's statuses in turn (then 404: gone), and every other request with <paramref name="change"/>.</summary>
    private static StubHandler Provider(Func<string, string> body, string[] statuses, Func<HttpResponseMessage>? change = null)
    {
        var reads = new Queue<string>(statuses);
        return new StubHandler((request, _) =>
            request.Method != HttpMethod.Get ? (change ?? (() => Respond.Json("{}")))()
            : reads.Count > 0 ? Respond.Json(body(reads.Dequeue()))
            : Respond.Status(404, """{"detail":"gone"}"""));
    }

    [Theory]
    [InlineData("completed")]
    [InlineData("failed")]
    [InlineData("cancelled")]
    public void A_finished_job_is_read_and_sent_nothing(string status)
    {
        var stub = Provider(s => KreaJob("j", s), new[] { status });
        var events = new RecordingEvents();

        Actions(stub).Stop(Endpoints(Krea), "j", passThru: true, events);

        Assert.Equal("GET /jobs/j", Requests(stub));
        var problem = Assert.Single(events.Problems);
        Assert.Equal(ProblemKind.JobAlreadyFinished, problem.Kind);
        Assert.Equal(ProblemKind.JobAlreadyFinished, problem.Kind);
        Assert.Empty(events.Confirmations);
        Assert.Empty(events.Outputs);
    }

    [Fact]
    public void A_Krea_job_in_a_status_the_module_does_not_know_is_not_risked_a_deleting_stop()
    {
        var stub = Provider(s => KreaJob("j", s), new[] { "expired" });
        var events = new RecordingEvents();

        Actions(stub).Stop(Endpoints(Krea), "j", passThru: false, events);

        Assert.Equal("GET /jobs/j", Requests(stub));
        Assert.Equal(ProblemKind.JobStatusUnknown, Assert.Single(events.Problems).Kind);
    }

    [Fact]
    public void A_running_job_is_read_stopped_once_and_read_again_for_PassThru()
    {
        var stub = Provider(s => UnstructuredJob("j", s), new[] { "IN_PROGRESS", "STOPPED" });
        var events = new RecordingEvents();

        Actions(stub).Stop(Endpoints(Unstructured), "j", passThru: true, events);

        Assert.Equal("GET /api/v1/jobs/j, POST /api/v1/jobs/j/cancel, GET /api/v1/jobs/j", Requests(stub));
        var (target, action) = Assert.Single(events.Confirmations);
        Assert.Equal("Unstructured job 'j' (IN_PROGRESS)", target);
        Assert.Equal("Stop", action);
        var job = Assert.Single(events.Outputs);
        Assert.Equal(JobStatus.Canceled, job.Status);
        Assert.Equal("STOPPED", job.ProviderStatus);
        Assert.Empty(events.Problems);
    }

    [Fact]
    public void Without_PassThru_the_job_is_not_read_again()
    {
        var stub = Provider(s => UnstructuredJob("j", s), new[] { "SCHEDULED" });
        var events = new RecordingEvents();

        Actions(stub).Stop(Endpoints(Unstructured), "j", passThru: false, events);

        Assert.Equal("GET /api/v1/jobs/j, POST /api/v1/jobs/j/cancel", Requests(stub));
        Assert.Empty(events.Outputs);
    }

    [Fact]
    public void A_job_the_provider_removed_when_it_stopped_it_is_handed_on_as_last_seen_canceled_and_deleted()
    {
        var stub = Provider(s => KreaJob("j", s), new[] { "processing" });
        var events = new RecordingEvents();

        Actions(stub).Stop(Endpoints(Krea), "j", passThru: true, events);

        Assert.Equal("GET /jobs/j, DELETE /jobs/j, GET /jobs/j", Requests(stub));
        Assert.Contains("deleting the job and its results", Assert.Single(events.Confirmations).Action, StringComparison.Ordinal);
        var job = Assert.Single(events.Outputs);
        Assert.Equal(JobStatus.Canceled, job.Status);
        Assert.Equal(ProviderJob.DeletedStatus, job.ProviderStatus);
        Assert.Empty(events.Problems);
    }

    [Fact]
    public void A_stop_the_provider_accepted_is_done_when_the_read_after_it_fails_with_a_warning_and_the_job_as_read_before()
    {
        var stub = new StubHandler((request, index) =>
            request.Method != HttpMethod.Get ? Respond.Json(UnstructuredJob("j", "STOPPED"))
            : index == 0 ? Respond.Json(UnstructuredJob("j", "IN_PROGRESS"))
            : Respond.Status(503, """{"detail":"Service temporarily unavailable"}"""));
        var events = new RecordingEvents();

        Actions(stub).Stop(Endpoints(Unstructured), "j", passThru: true, events);

        // The read after the stop is retried as any read (TestListing.Fast: 3 retries), then given up.
        Assert.Equal("GET /api/v1/jobs/j, POST /api/v1/jobs/j/cancel, GET /api/v1/jobs/j, GET /api/v1/jobs/j, GET /api/v1/jobs/j, GET /api/v1/jobs/j", Requests(stub));
        Assert.Empty(events.Problems);
        var job = Assert.Single(events.Outputs);
        Assert.Equal("IN_PROGRESS", job.ProviderStatus);
        var warning = Assert.Single(events.Warnings);
        Assert.StartsWith("Unstructured accepted the stop of job 'j', but reading the job again afterwards failed, so -PassThru writes it as it was read before the stop: Unstructured answered 503", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_PassThru_a_stop_the_provider_accepted_needs_no_read_after_it_and_warns_of_nothing()
    {
        var stub = new StubHandler((request, index) => request.Method != HttpMethod.Get || index == 0 ? Respond.Json(UnstructuredJob("j", "IN_PROGRESS")) : Respond.Status(503));
        var events = new RecordingEvents();

        Actions(stub).Stop(Endpoints(Unstructured), "j", passThru: false, events);

        Assert.Equal("GET /api/v1/jobs/j, POST /api/v1/jobs/j/cancel", Requests(stub));
        Assert.Empty(events.Problems);
        Assert.Empty(events.Warnings);
        Assert.Empty(events.Outputs);
    }

    [Theory]
    [InlineData("stop")]
    [InlineData("delete")]
    public void A_read_answered_with_another_job_is_a_problem_and_nothing_is_sent(string action)
    {
        // The job asked for has finished; the answer is a running job: judged on it, a stop would delete the finished one.
        var stub = new StubHandler((request, _) => request.Method == HttpMethod.Get ? Respond.Json(KreaJob("other", "processing")) : Respond.Json("{}"));
        var events = new RecordingEvents();

        if (action == "stop")
        {
            Actions(stub).Stop(Endpoints(Krea), "asked", passThru: true, events);
        }
        else
        {
            Actions(stub).Delete(Endpoints(Krea), "asked", passThru: true, events);
        }

        Assert.Equal("GET /jobs/asked", Requests(stub));
        var problem = Assert.Single(events.Problems);
        Assert.Equal(ProblemKind.RequestFailed, problem.Kind);
        Assert.Equal("asked", problem.JobId);
        Assert.Equal(ProviderErrorKind.InvalidResponse, problem.Failure!.Kind);
        Assert.Contains("with job 'other' instead of job 'asked'", problem.Failure.Message, StringComparison.Ordinal);
        Assert.Empty(events.Confirmations);
        Assert.Empty(events.Outputs);
    }

    [Fact]
    public void Declined_confirmation_sends_nothing_after_the_read()
    {
        var stub = Provider(s => KreaJob("j", s), new[] { "queued" });
        var events = new RecordingEvents(confirm: false);

        Actions(stub).Stop(Endpoints(Krea), "j", passThru: true, events);

        Assert.Equal("GET /jobs/j", Requests(stub));
        Assert.Single(events.Confirmations);
        Assert.Empty(events.Outputs);
        Assert.Empty(events.Problems);
    }

    [Theory]
    [InlineData(typeof(PyannoteAIProvider))]
    [InlineData(typeof(IttybitProvider))]
    public void A_provider_without_a_cancel_is_sent_nothing(Type providerType)
    {
        var provider = (IJobProvider)Activator.CreateInstance(providerType)!;
        var stub = new StubHandler();
        var events = new RecordingEvents();

        Actions(stub).Stop(Endpoints(provider), "j", passThru: true, events);

        Assert.Equal(0, stub.Count);
        var problem = Assert.Single(events.Problems);
        Assert.Equal(ProblemKind.CancelNotSupported, problem.Kind);
        Assert.Equal(provider.Info.Name, problem.Provider);
    }

    [Fact]
    public void A_stop_the_provider_refuses_is_a_problem_and_is_not_retried()
    {
        var stub = Provider(s => ConvertlyJob("j", s), new[] { "processing" }, () => Respond.Status(409, """{"error":"Job cannot be cancelled in status processing"}"""));
        var events = new RecordingEvents();

        Actions(stub).Stop(Endpoints(Convertly), "j", passThru: true, events);

        Assert.Equal("GET /api/jobs/j, DELETE /api/jobs/j", Requests(stub));
        var problem = Assert.Single(events.Problems);
        Assert.Equal(ProblemKind.RequestFailed, problem.Kind);
        Assert.Equal(ProviderErrorKind.Conflict, problem.Failure!.Kind);
        Assert.Empty(events.Outputs);
    }

    [Fact]
    public void The_job_is_stopped_through_the_account_that_has_it()
    {
        var stub = new StubHandler((request, _) => request.Header("Authorization") != "Bearer key-b" ? Respond.Status(404, "{}")
            : request.Method == HttpMethod.Get ? Respond.Json(KreaJob("j", "queued"))
            : Respond.Json("{}"));
        var endpoints = new[] { TestListing.Endpoint(Krea, key: "key-a", account: "a"), TestListing.Endpoint(Krea, key: "key-b", account: "b") };
        var events = new RecordingEvents();

        Actions(stub).Stop(endpoints, "j", passThru: false, events);

        var sent = stub.Requests.Select(request => request.Method.Method + " " + request.Header("Authorization")).ToArray();
        Assert.Equal(new[] { "GET Bearer key-a", "GET Bearer key-b", "DELETE Bearer key-b" }, sent);
        Assert.Empty(events.Problems);
    }

    [Fact]
    public void A_job_no_account_has_is_the_first_failure_other_than_not_found()
    {
        var stub = new StubHandler((request, _) => request.Header("Authorization") == "Bearer key-b" ? Respond.Status(401, """{"error":"bad key"}""") : Respond.Status(404, "{}"));
        var endpoints = new[] { TestListing.Endpoint(Krea, key: "key-a", account: "a"), TestListing.Endpoint(Krea, key: "key-b", account: "b"), TestListing.Endpoint(Krea, key: "key-c", account: "c") };
        var events = new RecordingEvents();

        Actions(stub).Stop(endpoints, "j", passThru: false, events);

        Assert.Equal(3, stub.Count);
        var problem = Assert.Single(events.Problems);
        Assert.Equal(ProviderErrorKind.Authentication, problem.Failure!.Kind);
        Assert.Equal("b", problem.Account);
    }

    [Fact]
    public void A_job_every_account_answers_404_for_is_not_found()
    {
        var stub = new StubHandler((_, _) => Respond.Status(404, "{}"));
        var events = new RecordingEvents();

        Actions(stub).Delete(new[] { TestListing.Endpoint(Krea, account: "a"), TestListing.Endpoint(Krea, account: "b") }, "j", passThru: true, events);

        Assert.Equal("GET /jobs/j, GET /jobs/j", Requests(stub));
        var problem = Assert.Single(events.Problems);
        Assert.Equal(ProviderErrorKind.NotFound, problem.Failure!.Kind);
        Assert.Equal("a", problem.Account);
        Assert.Empty(events.Confirmations);
    }

    [Fact]
    public void A_delete_reads_the_job_deletes_it_once_and_hands_it_on_as_it_was()
    {
        var stub = Provider(s => KreaJob("j", s), new[] { "completed" });
        var events = new RecordingEvents();

        Actions(stub).Delete(Endpoints(Krea), "j", passThru: true, events);

        Assert.Equal("GET /jobs/j, DELETE /jobs/j", Requests(stub));
        Assert.Equal(("Krea job 'j' (completed)", Strings.DeleteAction), Assert.Single(events.Confirmations));
        var job = Assert.Single(events.Outputs);
        Assert.Equal("completed", job.ProviderStatus);
        Assert.Empty(events.Problems);
    }

    [Theory]
    [InlineData(typeof(UnstructuredProvider))]
    [InlineData(typeof(ConvertlyProvider))]
    [InlineData(typeof(PyannoteAIProvider))]
    [InlineData(typeof(IttybitProvider))]
    public void A_provider_without_a_delete_is_sent_nothing(Type providerType)
    {
        var provider = (IJobProvider)Activator.CreateInstance(providerType)!;
        var stub = new StubHandler();
        var events = new RecordingEvents();

        Actions(stub).Delete(Endpoints(provider), "j", passThru: true, events);

        Assert.Equal(0, stub.Count);
        Assert.Equal(ProblemKind.DeleteNotSupported, Assert.Single(events.Problems).Kind);
    }
}
