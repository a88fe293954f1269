using System.Net;
using static JobsModule.Tests.Support.Bodies;

namespace JobsModule.Tests;

/// <summary>Wait-ProviderJob's engine: when each job is read, through which account, and what the caller is told.</summary>
public class JobWaiterTests
{
    private static readonly KreaProvider Krea = new();
    private static readonly PyannoteAIProvider Pyannote = new();

    /// <summary>
    /// Krea and pyannoteAI answering each job's reads with the next of its statuses (the last one
    /// repeats), recording when each read came by the wait's own clock; an unknown id is a 404.
    /// </summary>
    private sealed class Script
    {
        private readonly Dictionary<string, Queue<string>> _statuses = new(StringComparer.Ordinal);

        /// <param name="clock">The wait's clock, by which each read is recorded.</param>
        /// <param name="remaining">X-RateLimit-Remaining on every pyannoteAI answer (null: none), as pyannoteAI sends it without a reset.</param>
        /// <param name="limit">X-RateLimit-Limit on every pyannoteAI answer (null: none).</param>
        public Script(ManualClock clock, string? remaining = null, string? limit = null)
        {
            Stub = new StubHandler((request, _) =>
            {
                var id = Uri.UnescapeDataString(request.Uri.Segments[^1]);
                Reads.Add((clock.Elapsed, id));
                if (!_statuses.TryGetValue(id, out var statuses))
                {
                    return Respond.Status(404, """{"error":"not found"}""");
                }

                var status = statuses.Count > 1 ? statuses.Dequeue() : statuses.Peek();
                var pyannote = request.Uri.AbsolutePath.StartsWith("/v1/jobs/", StringComparison.Ordinal);
                var answer = Respond.Json(pyannote ? PyannoteJob(id, status) : KreaJob(id, status));
                if (pyannote && remaining is not null)
                {
                    answer.WithHeader("X-RateLimit-Remaining", remaining);
                }

                if (pyannote && limit is not null)
                {
                    answer.WithHeader("X-RateLimit-Limit", limit);
                }

                return answer;
            });
        }

        public StubHandler Stub { get; }

        public List<(TimeSpan At, string Id)> Reads { get; } = new();

        public Script Job(string id, params string[] statuses)
        {
            _statuses[id] = new Queue<string>(statuses);
            return this;
        }

        public IReadOnlyList<TimeSpan> ReadsOf(string id) => Reads.Where(read => read.Id == id).Select(read => read.At).ToList();
    }

    private static WaitTarget Target(IJobProvider provider, string id, ProviderJob? known = null, Uri? baseUri = null) =>
        new(new[] { TestListing.Endpoint(provider, baseUri) }, id, known);

    // A request budget is the key's at a base URL for the whole process: a test whose answers spend it has a base URL of its own.
    private static Uri OwnBudget() => new($"https://budget-{Guid.NewGuid():N}.example.com");

    private static RecordingEvents Wait(ManualClock clock, StubHandler stub, WaitSettings settings, params WaitTarget[] targets)
    {
        var events = new RecordingEvents();
        new JobWaiter(new JobLister(new HttpClient(stub)), TestListing.Fast.Call(new CallLog(), CancellationToken.None), clock).Wait(targets, settings, events);
        return events;
    }

    private static void AssertSpacedAtLeast(IReadOnlyList<TimeSpan> times, TimeSpan spacing)
    {
        for (var i = 1; i < times.Count; i++)
        {
            Assert.True(times[i] - times[i - 1] >= spacing, $"reads {i} and {i + 1} came {(times[i] - times[i - 1]).TotalMilliseconds} ms apart, less than {spacing.TotalMilliseconds} ms");
        }
    }

    [Fact]
    public void Each_job_is_read_at_once_then_once_per_polling_interval_until_it_finishes()
    {
        var clock = new ManualClock();
        var script = new Script(clock).Job("a", "processing", "processing", "completed");

        var events = Wait(clock, script.Stub, new WaitSettings { PollingInterval = TimeSpan.FromSeconds(1) }, Target(Krea, "a"));

        var reads = script.ReadsOf("a");
        Assert.Equal(3, reads.Count);
        Assert.Equal(TimeSpan.Zero, reads[0]);
        AssertSpacedAtLeast(reads, TimeSpan.FromSeconds(1));
        Assert.True(reads[2] < TimeSpan.FromSeconds(2.5), "each read comes soon after its interval");
        var job = Assert.Single(events.Outputs);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Empty(events.Warnings);
        Assert.Empty(events.Problems);
        Assert.Equal("1 of 1 jobs finished", events.ProgressReports[^1].Status);
    }

    [Fact]
    public void Without_an_interval_each_provider_polls_at_its_own()
    {
        var clock = new ManualClock();
        var script = new Script(clock).Job("a", "processing", "completed");

        Wait(clock, script.Stub, new WaitSettings(), Target(Krea, "a"));

        var reads = script.ReadsOf("a");
        Assert.Equal(2, reads.Count);
        Assert.True(reads[1] - reads[0] >= Krea.Info.PollingInterval);
    }

    [Fact]
    public void The_jobs_of_one_provider_share_its_spent_budget_and_other_providers_are_not_held_back()
    {
        // pyannoteAI reports its budget spent without saying when the window ends: the polls of all its jobs
        // are spread over its documented 100 requests a minute, one every 0.6 s, by the budget the listing uses too.
        var clock = new ManualClock();
        var script = new Script(clock, remaining: "0").Job("p1", "running", "running", "succeeded").Job("p2", "running", "succeeded").Job("p3", "succeeded").Job("k1", "processing", "completed");
        var spent = OwnBudget();

        var events = Wait(
            clock,
            script.Stub,
            new WaitSettings { PollingInterval = TimeSpan.FromMilliseconds(100) },
            Target(Pyannote, "p1", baseUri: spent),
            Target(Pyannote, "p2", baseUri: spent),
            Target(Pyannote, "p3", baseUri: spent),
            Target(Krea, "k1"));

        var pyannoteReads = script.Reads.Where(read => read.Id.StartsWith('p')).Select(read => read.At).ToList();
        Assert.Equal(6, pyannoteReads.Count);
        AssertSpacedAtLeast(pyannoteReads, TimeSpan.FromMinutes(1.0 / 100));
        Assert.Equal(TimeSpan.Zero, script.ReadsOf("k1")[0]);
        Assert.True(script.ReadsOf("k1")[1] < TimeSpan.FromMilliseconds(600), "Krea's jobs are polled at their interval, whatever pyannoteAI's budget");

        // Each pyannoteAI job gets its turn: the one read longest ago is read next.
        Assert.Equal(new[] { "p1", "p2", "p3", "p1", "p2", "p1" }, script.Reads.Where(read => read.Id.StartsWith('p')).Select(read => read.Id).ToArray());
        Assert.Equal(new[] { "k1", "p3", "p2", "p1" }, events.OutputIds);
    }

    [Fact]
    public void A_budget_with_places_left_holds_no_poll_back_and_no_fixed_rate_applies()
    {
        // The answers say places are left: the polls go at the interval asked for, faster than 100 a minute.
        var clock = new ManualClock();
        var script = new Script(clock, remaining: "250", limit: "300").Job("p1", "running", "running", "running", "succeeded").Job("p2", "running", "running", "succeeded");
        var budget = OwnBudget();

        var events = Wait(clock, script.Stub, new WaitSettings { PollingInterval = TimeSpan.FromMilliseconds(100) }, Target(Pyannote, "p1", baseUri: budget), Target(Pyannote, "p2", baseUri: budget));

        Assert.Equal(Milliseconds(0, 100, 200, 300), script.ReadsOf("p1"));
        Assert.Equal(Milliseconds(0, 100, 200), script.ReadsOf("p2"));
        Assert.Equal(new[] { "p2", "p1" }, events.OutputIds);
    }

    [Fact]
    public void The_limit_the_answers_report_replaces_the_documented_rate()
    {
        // Spent without a reset, at a limit of 300 a minute (pyannoteAI's newer figure for job reads): one poll every 0.2 s, not 0.6 s.
        var clock = new ManualClock();
        var script = new Script(clock, remaining: "0", limit: "300").Job("p1", "running", "running", "succeeded").Job("p2", "running", "succeeded");
        var spent = OwnBudget();

        Wait(clock, script.Stub, new WaitSettings { PollingInterval = TimeSpan.FromMilliseconds(100) }, Target(Pyannote, "p1", baseUri: spent), Target(Pyannote, "p2", baseUri: spent));

        var reads = script.Reads.Select(read => read.At).ToList();
        Assert.Equal(5, reads.Count);
        AssertSpacedAtLeast(reads, TimeSpan.FromMilliseconds(200));
        Assert.True(reads[^1] < TimeSpan.FromMilliseconds(1200), $"the last read came at {reads[^1].TotalMilliseconds} ms: 0.6 s apart would put it at 2.4 s");
        Assert.Equal(300, RateBudget.For(TestListing.Endpoint(Pyannote, spent)).RequestsPerMinute);
    }

    [Fact]
    public void Any_ends_the_wait_with_the_first_job_to_finish()
    {
        var clock = new ManualClock();
        var script = new Script(clock).Job("slow", "processing").Job("quick", "processing", "completed");

        var events = Wait(clock, script.Stub, new WaitSettings { PollingInterval = TimeSpan.FromSeconds(1), Any = true }, Target(Krea, "slow"), Target(Krea, "quick"));

        Assert.Equal(new[] { "quick" }, events.OutputIds);
        Assert.Equal(2, script.ReadsOf("quick").Count);
        Assert.Empty(events.Warnings);
    }

    [Fact]
    public void A_piped_job_that_has_finished_is_handed_on_without_a_request_and_satisfies_Any()
    {
        var clock = new ManualClock();
        var script = new Script(clock).Job("open", "processing");
        var done = new ProviderJob("Krea", "done", "completed", JobStatus.Succeeded);

        var events = Wait(clock, script.Stub, new WaitSettings { Any = true }, Target(Krea, "open"), Target(Krea, "done", done));

        Assert.Same(done, Assert.Single(events.Outputs));
        Assert.Equal(0, script.Stub.Count);
    }

    [Fact]
    public void When_the_time_runs_out_the_open_jobs_are_handed_on_as_last_seen_after_one_warning()
    {
        var clock = new ManualClock();
        var script = new Script(clock).Job("endless", "processing").Job("done", "processing", "completed");

        var events = Wait(
            clock,
            script.Stub,
            new WaitSettings { PollingInterval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(2) },
            Target(Krea, "endless"),
            Target(Krea, "done"));

        Assert.Equal(new[] { "done", "endless" }, events.OutputIds);
        Assert.Equal(JobStatus.Running, events.Outputs[1].Status);
        var warning = Assert.Single(events.Warnings);
        Assert.Contains("1 job(s) had not finished after 2 s", warning, StringComparison.Ordinal);

        // A poll due at the deadline is not begun: it would have no time left to be answered in.
        Assert.Equal(Milliseconds(0, 1000), script.ReadsOf("endless"));
        Assert.Equal(TimeSpan.FromSeconds(2), clock.Elapsed);
    }

    [Fact]
    public void A_timeout_of_zero_reads_each_job_once_and_hands_each_on_as_it_is()
    {
        var clock = new ManualClock();
        var script = new Script(clock).Job("busy", "processing").Job("done", "completed");

        var events = Wait(clock, script.Stub, new WaitSettings { Timeout = TimeSpan.Zero }, Target(Krea, "busy"), Target(Krea, "done"));

        Assert.Equal(new[] { "busy", "done" }, script.Reads.Select(read => read.Id).ToArray());
        Assert.Equal(new[] { "done", "busy" }, events.OutputIds);
        Assert.Contains("1 job(s) had not finished after 0 s", Assert.Single(events.Warnings), StringComparison.Ordinal);
        Assert.Empty(clock.Naps);
    }

    [Fact]
    public void A_timeout_of_zero_still_reads_every_job_a_rate_budget_holds_back()
    {
        var clock = new ManualClock();
        var script = new Script(clock, remaining: "0").Job("p1", "running").Job("p2", "running").Job("p3", "running");
        var spent = OwnBudget();

        var events = Wait(clock, script.Stub, new WaitSettings { Timeout = TimeSpan.Zero }, Target(Pyannote, "p1", baseUri: spent), Target(Pyannote, "p2", baseUri: spent), Target(Pyannote, "p3", baseUri: spent));

        Assert.Equal(new[] { "p1", "p2", "p3" }, script.Reads.Select(read => read.Id).ToArray());
        AssertSpacedAtLeast(script.Reads.Select(read => read.At).ToList(), TimeSpan.FromMinutes(1.0 / 100));
        Assert.Equal(new[] { "p1", "p2", "p3" }, events.OutputIds);
        Assert.Contains("3 job(s) had not finished", Assert.Single(events.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void A_status_the_module_does_not_know_is_warned_about_once_and_the_job_is_polled_on()
    {
        var clock = new ManualClock();
        var script = new Script(clock).Job("odd", "mystery", "mystery", "mystery", "completed");

        var events = Wait(clock, script.Stub, new WaitSettings { PollingInterval = TimeSpan.FromSeconds(1) }, Target(Krea, "odd"));

        var warning = Assert.Single(events.Warnings);
        Assert.Contains("status 'mystery'", warning, StringComparison.Ordinal);
        Assert.Equal(4, script.ReadsOf("odd").Count);
        Assert.Equal(JobStatus.Succeeded, Assert.Single(events.Outputs).Status);
    }

    [Fact]
    public void The_first_poll_finds_the_account_that_has_the_job_and_the_later_ones_ask_it_alone()
    {
        var clock = new ManualClock();
        var statuses = new Queue<string>(new[] { "processing", "processing", "completed" });
        var stub = new StubHandler((request, _) => request.Header("Authorization") == "Bearer key-b"
            ? Respond.Json(KreaJob("j", statuses.Count > 1 ? statuses.Dequeue() : statuses.Peek()))
            : Respond.Status(404, """{"error":"not found"}"""));
        var target = new WaitTarget(
            new[] { TestListing.Endpoint(Krea, key: "key-a", account: "a"), TestListing.Endpoint(Krea, key: "key-b", account: "b"), TestListing.Endpoint(Krea, key: "key-c", account: "c") },
            "j");

        var events = Wait(clock, stub, new WaitSettings { PollingInterval = TimeSpan.FromSeconds(1) }, target);

        var keys = stub.Requests.Select(request => request.Header("Authorization")).ToArray();
        Assert.Equal(new[] { "Bearer key-a", "Bearer key-b", "Bearer key-b", "Bearer key-b" }, keys);
        Assert.Equal("b", Assert.Single(events.Outputs).Account);
    }

    [Fact]
    public void A_job_no_account_has_is_a_problem_and_the_other_jobs_are_still_waited_for()
    {
        var clock = new ManualClock();
        var script = new Script(clock).Job("real", "processing", "completed");

        var events = Wait(clock, script.Stub, new WaitSettings { PollingInterval = TimeSpan.FromSeconds(1) }, Target(Krea, "ghost"), Target(Krea, "real"));

        var problem = Assert.Single(events.Problems);
        Assert.Equal(ProblemKind.RequestFailed, problem.Kind);
        Assert.Equal("ghost", problem.JobId);
        Assert.Equal(ProviderErrorKind.NotFound, problem.Failure!.Kind);
        Assert.Single(script.ReadsOf("ghost"));
        Assert.Equal(new[] { "real" }, events.OutputIds);
    }

    [Fact]
    public void Progress_counts_the_finished_jobs()
    {
        var clock = new ManualClock();
        var script = new Script(clock).Job("a", "completed").Job("b", "processing", "completed");

        var heartbeats = 0;
        var events = new RecordingEvents();
        var call = TestListing.Fast.Call() with { Heartbeat = () => heartbeats++ };

        new JobWaiter(new JobLister(new HttpClient(script.Stub)), call, clock).Wait(new[] { Target(Krea, "a"), Target(Krea, "b") }, new WaitSettings { PollingInterval = TimeSpan.FromSeconds(1) }, events);

        Assert.Equal(("1 of 2 jobs finished", 50), (events.ProgressReports[0].Status, events.ProgressReports[0].Percent));
        Assert.Equal(("2 of 2 jobs finished", 100), (events.ProgressReports[^1].Status, events.ProgressReports[^1].Percent));
        Assert.True(heartbeats > 0, "the caller gets to write what the requests logged");
    }

    [Fact]
    public void A_piped_job_that_has_finished_is_handed_on_once_without_a_request_and_the_others_are_still_waited_for()
    {
        var clock = new ManualClock();
        var script = new Script(clock).Job("open", "processing", "completed").Job("done", "completed");
        var done = new ProviderJob("Krea", "done", "completed", JobStatus.Succeeded);

        var events = Wait(clock, script.Stub, new WaitSettings { PollingInterval = TimeSpan.FromSeconds(1) }, Target(Krea, "open"), Target(Krea, "done", done));

        Assert.Equal(new[] { "done", "open" }, events.OutputIds);
        Assert.Same(done, events.Outputs[0]);
        Assert.Empty(script.ReadsOf("done"));
        Assert.Equal(2, script.ReadsOf("open").Count);
    }

    [Fact]
    public void A_timeout_of_zero_warns_of_nothing_when_every_job_has_finished_at_its_first_read()
    {
        var clock = new ManualClock();
        var script = new Script(clock).Job("done", "completed");

        var events = Wait(clock, script.Stub, new WaitSettings { Timeout = TimeSpan.Zero }, Target(Krea, "done"));

        Assert.Equal(new[] { "done" }, events.OutputIds);
        Assert.Empty(events.Warnings);
    }

    [Theory]
    [InlineData(1100, 100, 1100)] // the last nap ends when the poll is due
    [InlineData(1010, 20, 1020)] // a nap is never shorter than 20 ms, even when the poll is due sooner
    public void Between_polls_the_wait_naps_from_20_ms_to_a_quarter_second_and_wakes_when_the_next_poll_is_due(int intervalMs, int lastNapMs, int secondReadMs)
    {
        var clock = new ManualClock();
        var script = new Script(clock).Job("a", "processing", "completed");

        Wait(clock, script.Stub, new WaitSettings { PollingInterval = TimeSpan.FromMilliseconds(intervalMs) }, Target(Krea, "a"));

        Assert.Equal(Milliseconds(250, 250, 250, 250, lastNapMs), clock.Naps);
        Assert.Equal(Milliseconds(0, secondReadMs), script.ReadsOf("a"));
    }

    [Fact]
    public void The_wait_wakes_when_a_job_is_due_and_its_provider_has_a_place_in_its_rate_whichever_is_later()
    {
        // pyannoteAI's answers say its budget is spent, with no reset: 100 requests a minute, one every 600 ms across its jobs.
        var clock = new ManualClock();
        var script = new Script(clock, remaining: "0").Job("p1", "running", "succeeded").Job("p2", "running", "succeeded");
        var spent = OwnBudget();

        var events = Wait(clock, script.Stub, new WaitSettings { PollingInterval = TimeSpan.FromSeconds(1) }, Target(Pyannote, "p1", baseUri: spent), Target(Pyannote, "p2", baseUri: spent));

        // p2 waits for the rate (0.6 s), p1 for the rate after p2 (1.2 s, later than its own 1 s), p2 for the rate again (1.8 s).
        Assert.Equal(Milliseconds(0, 1200), script.ReadsOf("p1"));
        Assert.Equal(Milliseconds(600, 1800), script.ReadsOf("p2"));
        Assert.Equal(Milliseconds(250, 250, 100, 250, 250, 100, 250, 250, 100), clock.Naps);
        Assert.Equal(new[] { "p1", "p2" }, events.OutputIds);
    }

    [Fact]
    public void A_wait_begun_late_on_the_clock_still_waits_its_whole_timeout()
    {
        var start = TimeSpan.FromMinutes(10);
        var clock = new ManualClock(start);
        var script = new Script(clock).Job("endless", "processing");

        var events = Wait(clock, script.Stub, new WaitSettings { PollingInterval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(2) }, Target(Krea, "endless"));

        Assert.Equal(new[] { start, start + TimeSpan.FromSeconds(1) }, script.ReadsOf("endless"));
        Assert.Equal(start + TimeSpan.FromSeconds(2), clock.Elapsed);
        Assert.Contains("1 job(s) had not finished after 2 s", Assert.Single(events.Warnings), StringComparison.Ordinal);
    }

    private static TimeSpan[] Milliseconds(params int[] values) => values.Select(value => TimeSpan.FromMilliseconds(value)).ToArray();

    /// <summary>Retries as the provider asks (up to two minutes a wait, as by default), so that a long Retry-After is a long wait.</summary>
    private static readonly TestOptions Patient = TestListing.Fast with { MaximumRetryDelay = TimeSpan.FromMinutes(2) };

    private static RecordingEvents WaitPatiently(ManualClock clock, StubHandler stub, WaitSettings settings, params WaitTarget[] targets)
    {
        var events = new RecordingEvents();
        new JobWaiter(new JobLister(new HttpClient(stub)), Patient.Call(new CallLog(), CancellationToken.None), clock).Wait(targets, settings, events);
        return events;
    }

    [Fact]
    public void A_job_whose_read_is_answered_429_with_a_Retry_After_past_the_deadline_is_a_problem_at_once()
    {
        var clock = new ManualClock();
        var stub = new StubHandler((_, _) => Respond.Status(429, """{"error":"Too many requests"}""").WithHeader("Retry-After", "60"));

        var events = WaitPatiently(clock, stub, new WaitSettings { Timeout = TimeSpan.FromSeconds(3) }, Target(Krea, "a"));

        Assert.Equal(1, stub.Count);
        var problem = Assert.Single(events.Problems);
        Assert.Equal("a", problem.JobId);
        Assert.Equal(ProviderErrorKind.RateLimited, problem.Failure!.Kind);
        Assert.True(problem.Failure.DeadlineReached);
        Assert.Empty(events.Outputs);
        Assert.Empty(events.Warnings);
        Assert.Equal(TimeSpan.Zero, clock.Elapsed);
    }

    [Fact]
    public void A_job_read_before_whose_poll_the_deadline_cut_short_is_written_as_last_read_without_an_error()
    {
        var clock = new ManualClock();
        var stub = new StubHandler((_, index) => index == 0
            ? Respond.Json(KreaJob("a", "processing"))
            : Respond.Status(503, """{"error":"busy"}""").WithHeader("Retry-After", "60"));

        var events = WaitPatiently(clock, stub, new WaitSettings { PollingInterval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(3) }, Target(Krea, "a"));

        // Read at 0 s; the poll at 1 s is answered 503 and its retry would come after the deadline: no more polls.
        Assert.Equal(2, stub.Count);
        Assert.Empty(events.Problems);
        var job = Assert.Single(events.Outputs);
        Assert.Equal("processing", job.ProviderStatus);
        Assert.Contains("1 job(s) had not finished after 3 s", Assert.Single(events.Warnings), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(3), clock.Elapsed);
    }

    [Fact]
    public void The_wait_wakes_at_the_deadline_when_it_comes_between_two_polls()
    {
        var clock = new ManualClock();
        var script = new Script(clock).Job("a", "processing");

        var events = Wait(clock, script.Stub, new WaitSettings { PollingInterval = TimeSpan.FromSeconds(10), Timeout = TimeSpan.FromSeconds(1.1) }, Target(Krea, "a"));

        Assert.Equal(Milliseconds(250, 250, 250, 250, 100), clock.Naps);
        Assert.Single(script.ReadsOf("a"));
        Assert.Equal(new[] { "a" }, events.OutputIds);
    }

    [Fact]
    public void A_timeout_of_zero_reads_each_job_with_one_attempt_and_no_retry()
    {
        var clock = new ManualClock();
        var stub = new StubHandler((_, _) => Respond.Status(503, """{"error":"busy"}"""));

        var events = Wait(clock, stub, new WaitSettings { Timeout = TimeSpan.Zero }, Target(Krea, "a"));

        Assert.Equal(1, stub.Count);
        Assert.Equal(ProviderErrorKind.ServerError, Assert.Single(events.Problems).Failure!.Kind);
        Assert.Empty(events.Outputs);
    }

    [Fact]
    public void A_job_given_twice_is_waited_for_and_written_once()
    {
        var clock = new ManualClock();
        var script = new Script(clock).Job("a", "processing", "completed").Job("b", "processing", "completed");
        var piped = new ProviderJob("Krea", "a", "processing", JobStatus.Running);

        var events = Wait(clock, script.Stub, new WaitSettings { PollingInterval = TimeSpan.FromSeconds(1) }, Target(Krea, "a", piped), Target(Krea, "b"), Target(Krea, "a", piped), Target(Krea, "a"));

        Assert.Equal(new[] { "a", "b" }, events.OutputIds);
        Assert.Equal(2, script.ReadsOf("a").Count);
        Assert.Equal("2 of 2 jobs finished", events.ProgressReports[^1].Status);
    }

    [Fact]
    public void The_same_id_on_two_accounts_is_two_jobs()
    {
        var clock = new ManualClock();
        var stub = new StubHandler((_, _) => Respond.Json(KreaJob("a", "completed")));
        var one = new WaitTarget(new[] { TestListing.Endpoint(Krea, key: "key-a", account: "a") }, "a");
        var other = new WaitTarget(new[] { TestListing.Endpoint(Krea, key: "key-b", account: "b") }, "a");

        var events = Wait(clock, stub, new WaitSettings(), one, other);

        Assert.Equal(new[] { "a", "b" }, events.Outputs.Select(job => job.Account).ToArray());
        Assert.Equal(2, stub.Count);
    }

    [Fact]
    public void A_job_whose_read_answers_with_another_job_is_a_problem_and_is_not_written()
    {
        var clock = new ManualClock();
        var stub = new StubHandler((_, _) => Respond.Json(KreaJob("other", "completed")));

        var events = Wait(clock, stub, new WaitSettings { Timeout = TimeSpan.FromSeconds(5) }, Target(Krea, "asked"));

        Assert.Equal(1, stub.Count);
        var problem = Assert.Single(events.Problems);
        Assert.Equal("asked", problem.JobId);
        Assert.Equal(ProviderErrorKind.InvalidResponse, problem.Failure!.Kind);
        Assert.Empty(events.Outputs);
    }

    [Fact]
    public void Stopping_ends_the_wait_with_OperationCanceledException()
    {
        var clock = new ManualClock();
        var script = new Script(clock).Job("a", "processing");
        using var cancellation = new CancellationTokenSource();
        var events = new RecordingEvents();
        var waiter = new JobWaiter(new JobLister(new HttpClient(script.Stub)), TestListing.Fast.Call(new CallLog(), cancellation.Token), clock);
        cancellation.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => waiter.Wait(new[] { Target(Krea, "a") }, new WaitSettings(), events));
        Assert.Empty(events.Outputs);
    }
}
