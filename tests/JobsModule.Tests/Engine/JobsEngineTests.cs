using System.Net;
using System.Security;
using static JobsModule.Tests.Support.Bodies;

namespace JobsModule.Tests;

/// <summary>
/// The door the cmdlets go through, as a cmdlet uses it: accounts from the environment, listing across
/// providers, reads by id, stop and delete with a confirmation, connecting an account, and every key the
/// engine knows taken out of what it reports.
/// </summary>
public class JobsEngineTests
{
    private const string KreaKey = "krea-key-0123456789-SECRET";
    private const string ConvertlyKey = "convertly-key-0123456789-SECRET";

    private static readonly RequestPolicy NoRetries = RequestPolicy.Default with { MaximumRetryCount = 0 };

    private static readonly Dictionary<string, string> BothProviders = new()
    {
        ["KREA_API_KEY"] = KreaKey,
        ["KREA_BASE_URL"] = "https://krea.example.com",
        ["CONVERTLY_API_KEY"] = ConvertlyKey,
        ["CONVERTLY_BASE_URL"] = "https://convertly.example.com",
    };

    private static JobsEngine Engine(StubHandler handler, RecordingEvents events, IReadOnlyDictionary<string, string>? environment = null, IReadOnlyList<ProviderAccount>? connected = null, params SecureString?[] keysGiven) =>
        new(
            connected ?? Array.Empty<ProviderAccount>(),
            name => (environment ?? BothProviders).TryGetValue(name, out var value) ? value : null,
            (name, pattern) => string.Equals(name, pattern, StringComparison.OrdinalIgnoreCase) || pattern == "*",
            keysGiven,
            NoRetries,
            events,
            CancellationToken.None,
            new HttpClient(handler));

    private static HttpResponseMessage Answer(RecordedRequest request) => request.Uri.Host switch
    {
        "krea.example.com" => Respond.Json(KreaPageOf(null, "next_cursor", KreaJob("k-new", createdAt: "2026-03-03T00:00:00Z"), KreaJob("k-old", createdAt: "2026-01-01T00:00:00Z"))),
        "convertly.example.com" => Respond.Json(ConvertlyPageOf(false, 1, ConvertlyJob("c-mid", createdAt: "2026-02-02T00:00:00Z"))),
        _ => throw new UnexpectedRequestException(request.Uri.AbsoluteUri),
    };

    [Fact]
    public void Accounts_are_the_environment_s_for_the_providers_asked_for()
    {
        var events = new RecordingEvents();
        var engine = Engine(new StubHandler((request, _) => Answer(request)), events);

        Assert.Equal(new[] { "Convertly", "Krea" }, engine.Accounts(null).Select(account => account.Provider).OrderBy(name => name));
        Assert.Equal(new[] { "Krea" }, engine.Accounts(new[] { "krea" }).Select(account => account.Provider));
        Assert.Empty(events.Problems);
    }

    [Fact]
    public void An_environment_account_whose_variable_cannot_be_used_is_a_problem_and_the_others_are_listed()
    {
        var events = new RecordingEvents();
        var environment = new Dictionary<string, string>(BothProviders) { ["KREA_BASE_URL"] = "ftp://krea.example.com" };
        var engine = Engine(new StubHandler((request, _) => Answer(request)), events, environment);

        var accounts = engine.Accounts(null).ToList();

        Assert.Equal("Convertly", Assert.Single(accounts).Provider);
        var problem = Assert.Single(events.Problems);
        Assert.Equal(ProblemKind.Setting, problem.Kind);
        Assert.Equal("Krea", problem.Provider);
        Assert.False(problem.StopsCall);
    }

    [Fact]
    public void A_listing_across_providers_is_merged_newest_first_with_one_request_each()
    {
        var handler = new StubHandler((request, _) => Answer(request));
        var events = new RecordingEvents();

        var problem = Engine(handler, events).List(new AccountRequest(), 0, ulong.MaxValue, false, 4, false, out var total);

        Assert.Null(problem);
        Assert.Null(total);
        Assert.Equal(new[] { "k-new", "c-mid", "k-old" }, events.OutputIds);
        // A first page of 32 brings the first jobs quickly; both pages said they were the last.
        Assert.Equal(new[] { "/api/jobs?limit=32&offset=0", "/jobs?limit=32" }, handler.PathsAndQueries.OrderBy(path => path));
        Assert.Empty(events.Problems);
    }

    [Fact]
    public void Skip_and_First_count_the_merged_jobs()
    {
        var events = new RecordingEvents();

        Engine(new StubHandler((request, _) => Answer(request)), events).List(new AccountRequest(), 1, 1, false, 4, false, out _);

        Assert.Equal(new[] { "c-mid" }, events.OutputIds);
    }

    [Fact]
    public void First_0_sends_nothing_and_with_IncludeTotalCount_asks_only_for_the_total()
    {
        var handler = new StubHandler((request, _) => Answer(request));
        var events = new RecordingEvents();
        var convertly = new AccountRequest { Providers = new[] { "Convertly" } };

        Engine(handler, events).List(convertly, 0, 0, false, 4, false, out var none);
        Assert.Null(none);
        Assert.Equal(0, handler.Count);

        Engine(handler, events).List(convertly, 0, 0, true, 4, false, out var total);
        Assert.Equal((1UL, 1.0), total);
        Assert.Equal(new[] { "/api/jobs?limit=1&offset=0" }, handler.PathsAndQueries);
        Assert.Empty(events.Outputs);
    }

    [Fact]
    public void An_unknown_provider_ends_the_call_before_anything_is_sent()
    {
        var handler = new StubHandler((request, _) => Answer(request));
        var events = new RecordingEvents();

        var problem = Engine(handler, events).List(new AccountRequest { Providers = new[] { "Nope" } }, 0, ulong.MaxValue, false, 4, false, out _);

        Assert.NotNull(problem);
        Assert.Equal(ProblemKind.UnknownProvider, problem!.Kind);
        Assert.True(problem.StopsCall);
        Assert.Equal("Nope", problem.Target);
        Assert.Equal(0, handler.Count);
    }

    [Fact]
    public void A_failed_provider_is_a_problem_with_every_key_taken_out_and_the_others_are_written()
    {
        var handler = new StubHandler((request, _) => request.Uri.Host == "krea.example.com"
            ? Respond.Json($$"""{"error":"key {{KreaKey}} and {{ConvertlyKey}} refused"}""", HttpStatusCode.Unauthorized)
            : Answer(request));
        var events = new RecordingEvents();

        var problem = Engine(handler, events).List(new AccountRequest(), 0, ulong.MaxValue, false, 4, false, out _);

        Assert.Null(problem);
        Assert.Equal(new[] { "c-mid" }, events.OutputIds);
        var failed = Assert.Single(events.Problems);
        Assert.Equal(ProblemKind.RequestFailed, failed.Kind);
        Assert.Equal("Krea", failed.Provider);
        Assert.DoesNotContain(KreaKey, failed.Message);
        Assert.DoesNotContain(ConvertlyKey, failed.Message);
        Assert.DoesNotContain(KreaKey, failed.Failure!.ProviderMessage);
    }

    [Fact]
    public void A_key_given_on_the_call_is_taken_out_of_what_the_engine_says()
    {
        const string Given = "given-key-0123456789-SECRET";
        var events = new RecordingEvents();
        var engine = Engine(new StubHandler((request, _) => Answer(request)), events, keysGiven: SecureKey.FromPlain(Given));

        Assert.Equal("a (redacted) b", engine.Redact($"a {Given} b"));
        Assert.Equal("(redacted)", engine.Redact(KreaKey));
    }

    [Fact]
    public void Jobs_by_id_are_written_and_a_missing_one_is_a_problem_that_leaves_the_rest()
    {
        var handler = new StubHandler((request, _) => request.Uri.AbsolutePath.EndsWith("/jobs/k1", StringComparison.Ordinal)
            ? Respond.Json(KreaJob("k1"))
            : Respond.Json("""{"error":"not found"}""", HttpStatusCode.NotFound));
        var events = new RecordingEvents();

        var problem = Engine(handler, events).Get(new AccountRequest { Providers = new[] { "Krea" } }, new[] { "k1", "k2" }, detailed: false);

        Assert.Null(problem);
        Assert.Equal(new[] { "k1" }, events.OutputIds);
        var missing = Assert.Single(events.Problems);
        Assert.Equal(ProblemKind.RequestFailed, missing.Kind);
        Assert.Equal("k2", missing.JobId);
        Assert.Equal(new[] { "/jobs/k1", "/jobs/k2" }, handler.PathsAndQueries);
    }

    [Fact]
    public void An_id_that_cannot_be_sent_is_a_problem_and_nothing_is_sent_for_it()
    {
        var handler = new StubHandler((request, _) => Respond.Json(KreaJob("k1")));
        var events = new RecordingEvents();

        Engine(handler, events).Get(new AccountRequest { Providers = new[] { "Krea" } }, new[] { " ", "k1" }, detailed: false);

        Assert.Equal(ProblemKind.InvalidJobId, Assert.Single(events.Problems).Kind);
        Assert.Equal(new[] { "/jobs/k1" }, handler.PathsAndQueries);
    }

    [Fact]
    public void A_declined_delete_reads_the_job_and_sends_nothing_else()
    {
        var handler = new StubHandler((request, _) => Respond.Json(KreaJob("k1")));
        var events = new RecordingEvents(confirm: false);

        Engine(handler, events).Remove(new JobReference("Krea", "k1", null, null), passThru: true);

        var asked = Assert.Single(events.Confirmations);
        Assert.Contains("k1", asked.Target);
        Assert.Equal(new[] { HttpMethod.Get }, handler.Requests.Select(request => request.Method));
        Assert.Empty(events.Outputs);
    }

    [Fact]
    public void A_confirmed_delete_is_sent_once_and_hands_the_job_on()
    {
        var handler = new StubHandler((request, _) => request.Method == HttpMethod.Delete ? Respond.Status(204) : Respond.Json(KreaJob("k1")));
        var events = new RecordingEvents();

        Engine(handler, events).Remove(new JobReference("Krea", "k1", null, null), passThru: true);

        Assert.Equal(new[] { HttpMethod.Get, HttpMethod.Delete }, handler.Requests.Select(request => request.Method));
        Assert.Equal(new[] { "k1" }, events.OutputIds);
        Assert.Empty(events.Problems);
    }

    [Fact]
    public void A_stop_where_the_provider_documents_none_is_a_problem_and_nothing_is_sent()
    {
        var handler = new StubHandler((request, _) => throw new UnexpectedRequestException(request.Uri.AbsoluteUri));
        var events = new RecordingEvents();
        var environment = new Dictionary<string, string> { ["PYANNOTEAI_API_KEY"] = "pyannote-key-0123456789" };

        Engine(handler, events, environment).Stop(new JobReference("PyannoteAI", "p1", null, null), passThru: false);

        var problem = Assert.Single(events.Problems);
        Assert.Equal(ProblemKind.CancelNotSupported, problem.Kind);
        Assert.Equal("p1", problem.JobId);
        Assert.Equal(0, handler.Count);
    }

    [Fact]
    public void A_wait_ends_its_progress_bar_even_with_nothing_to_wait_for()
    {
        var events = new RecordingEvents();

        Engine(new StubHandler((request, _) => Answer(request)), events).Wait(Array.Empty<JobReference>(), new Operations.WaitSettings());

        Assert.Equal((1, (int?)null, (string?)null, "Done", 100, true), events.ProgressReports.Last());
    }

    [Fact]
    public void Connect_makes_an_account_from_the_environment_s_key_named_after_the_provider()
    {
        var events = new RecordingEvents();

        var problem = Engine(new StubHandler((request, _) => Answer(request)), events).Connect("Krea", null, null, null, null, null, null, validate: false, out var account);

        Assert.Null(problem);
        Assert.Equal("Krea", account!.Name);
        Assert.Equal("env:KREA_API_KEY", account.KeySource);
        Assert.Equal("https://krea.example.com/", account.BaseUri.AbsoluteUri);
    }

    [Fact]
    public void Connect_names_the_account_after_the_credential_s_user_when_no_name_is_given()
    {
        var events = new RecordingEvents();

        Engine(new StubHandler((request, _) => Answer(request)), events)
            .Connect("Krea", null, "team-blue", SecureKey.FromPlain("another-key-0123456789"), "-Credential", null, null, validate: false, out var account);

        Assert.Equal("team-blue", account!.Name);
        Assert.Equal("-Credential", account.KeySource);
    }

    [Fact]
    public void Connect_without_a_key_anywhere_ends_the_call()
    {
        var events = new RecordingEvents();

        var problem = Engine(new StubHandler((request, _) => Answer(request)), events, new Dictionary<string, string>())
            .Connect("Krea", null, null, null, null, null, null, validate: false, out var account);

        Assert.Null(account);
        Assert.Equal(ProblemKind.MissingKey, problem!.Kind);
        Assert.True(problem.StopsCall);
    }

    [Fact]
    public void Connect_refuses_a_bad_name_and_a_bad_base_url_before_anything_is_sent()
    {
        var handler = new StubHandler((request, _) => Answer(request));
        var events = new RecordingEvents();
        var engine = Engine(handler, events);

        var badName = engine.Connect("Krea", "a\u001bb", null, null, null, null, null, validate: true, out var none);
        var badUrl = engine.Connect("Krea", "blue", null, null, null, new Uri("http://krea.example.com"), null, validate: true, out var alsoNone);

        Assert.Equal(ProblemKind.InvalidAccountName, badName!.Kind);
        Assert.True(badName.StopsCall);
        Assert.Equal(ProblemKind.Setting, badUrl!.Kind);
        Assert.Equal("http://krea.example.com", badUrl.Target);
        Assert.Null(none);
        Assert.Null(alsoNone);
        Assert.Equal(0, handler.Count);
    }

    [Fact]
    public void Connect_with_Validate_lists_one_job_and_a_refused_key_leaves_no_account()
    {
        var handler = new StubHandler((request, _) => Respond.Json("""{"error":"bad key"}""", HttpStatusCode.Unauthorized));
        var events = new RecordingEvents();

        var problem = Engine(handler, events).Connect("Krea", null, null, null, null, null, null, validate: true, out var account);

        Assert.Null(problem);
        Assert.Null(account);
        Assert.Equal(new[] { "/jobs?limit=1" }, handler.PathsAndQueries);
        Assert.Equal(ProblemKind.RequestFailed, Assert.Single(events.Problems).Kind);
    }

    private static readonly Dictionary<string, string> UnstructuredOnly = new()
    {
        ["UNSTRUCTURED_API_KEY"] = "unstructured-key-0123456789-SECRET",
        ["UNSTRUCTURED_API_URL"] = "https://unstructured.example.com",
    };

    private static HttpResponseMessage UnstructuredAnswer(RecordedRequest request) => request.Uri.AbsolutePath switch
    {
        "/api/v1/jobs/" => Respond.Json(UnstructuredPageOf(
            UnstructuredJob("u1", "COMPLETED", "2026-01-03T00:00:00Z"),
            UnstructuredJob("u2", "IN_PROGRESS", "2026-01-02T00:00:00Z"),
            UnstructuredJob("u3", "COMPLETED", "2026-01-01T00:00:00Z"))),
        "/api/v1/jobs/u1" => Respond.Json(UnstructuredJob("u1", "COMPLETED", "2026-01-03T00:00:00Z")),
        "/api/v1/jobs/u1/details" => Respond.Json("""{"id":"u1","processing_status":"SUCCESS","node_stats":[],"message":null}"""),
        "/api/v1/jobs/u3/details" => Respond.Json("""{"id":"u3","processing_status":"COMPLETED_WITH_ERRORS","node_stats":[],"message":"1 of 2 files failed"}"""),
        "/api/v1/jobs/u3/failed-files" => Respond.Json("""{"failed_files":[{"document":"a.pdf","error":"unsupported"}]}"""),
        _ => throw new UnexpectedRequestException(request.Uri.AbsoluteUri),
    };

    [Fact]
    public void A_detailed_listing_writes_the_jobs_in_order_with_their_details_and_one_verbose_line()
    {
        var handler = new StubHandler((request, _) => UnstructuredAnswer(request));
        var events = new RecordingEvents();

        var problem = Engine(handler, events, UnstructuredOnly).List(new AccountRequest(), 0, ulong.MaxValue, false, 4, true, out _);

        Assert.Null(problem);
        Assert.Equal(new[] { "u1", "u2", "u3" }, events.OutputIds);
        Assert.Equal(new[] { JobOutcome.Complete, JobOutcome.Unfinished, JobOutcome.Partial }, events.Outputs.Select(job => job.Outcome));
        Assert.Equal("a.pdf: unsupported", Assert.Single(events.Outputs[2].FailedItems!).ToString());
        Assert.Equal(4, handler.Count);
        Assert.Equal("-Detailed: 3 extra requests for the details of 2 finished jobs (Unstructured 3).", Assert.Single(events.Verboses, line => line.StartsWith("-Detailed:", StringComparison.Ordinal)));
        Assert.Empty(events.Problems);
    }

    [Fact]
    public void Without_detailed_a_listing_sends_nothing_more_and_says_nothing_of_it()
    {
        var handler = new StubHandler((request, _) => UnstructuredAnswer(request));
        var events = new RecordingEvents();

        Engine(handler, events, UnstructuredOnly).List(new AccountRequest(), 0, ulong.MaxValue, false, 4, false, out _);

        Assert.Equal(new[] { JobOutcome.Unverified, JobOutcome.Unfinished, JobOutcome.Unverified }, events.Outputs.Select(job => job.Outcome));
        Assert.Equal(new[] { "/api/v1/jobs/" }, handler.Requests.Select(request => request.Uri.AbsolutePath));
        Assert.DoesNotContain(events.Verboses, line => line.StartsWith("-Detailed:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_job_read_by_id_with_detailed_is_read_then_its_details()
    {
        var handler = new StubHandler((request, _) => UnstructuredAnswer(request));
        var events = new RecordingEvents();

        Engine(handler, events, UnstructuredOnly).Get(new AccountRequest { Providers = new[] { "Unstructured" } }, new[] { "u1" }, detailed: true);

        Assert.Equal(JobOutcome.Complete, Assert.Single(events.Outputs).Outcome);
        Assert.Equal(new[] { "/api/v1/jobs/u1", "/api/v1/jobs/u1/details" }, handler.Requests.Select(request => request.Uri.AbsolutePath));
    }
}
