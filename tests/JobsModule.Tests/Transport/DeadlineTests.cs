using System.Diagnostics;
using System.Net;
using static JobsModule.Tests.Support.Bodies;

namespace JobsModule.Tests;

/// <summary>
/// A wait's deadline as the transport keeps it: each attempt cut to the time left, no retry, Retry-After
/// or rate-budget wait that would end after it, and one attempt within -TimeoutSec for a request begun
/// after it. The upper bounds asserted are far below what the same request takes without the deadline
/// (the Retry-After asked for, the hundred retries allowed), so they test the rule, not the machine's speed.
/// </summary>
public class DeadlineTests
{
    private static readonly KreaProvider Krea = new();

    /// <summary>Retries as the provider asks, for as long as it asks (up to two minutes a wait), as by default.</summary>
    private static readonly TestOptions Patient = TestListing.Fast with { MaximumRetryCount = 100, MaximumRetryDelay = TimeSpan.FromMinutes(2) };

    private static TestOptions Until(TimeSpan timeout, TestOptions? options = null) =>
        (options ?? Patient) with { Deadline = new Deadline(new WaitClock(), timeout) };

    /// <summary>A base URL of the test's own, so that no other test's rate budget (kept per base URL and key) is shared.</summary>
    private static ProviderEndpoint Endpoint() => TestListing.Endpoint(Krea, new Uri($"https://{Guid.NewGuid():N}.deadline.test/"));

    private static async Task<(ProviderRequestException Error, TimeSpan Took)> FailingRead(StubHandler stub, TestOptions options, ProviderEndpoint? endpoint = null, CancellationToken token = default)
    {
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<ProviderRequestException>(() => new JobLister(new HttpClient(stub)).GetJobAsync(endpoint ?? Endpoint(), "j", options.Call(new CallLog(), token)));
        return (error, clock.Elapsed);
    }

    [Fact]
    public async Task A_Retry_After_past_the_deadline_is_not_waited_out_and_the_failure_says_why()
    {
        var stub = new StubHandler((_, _) => Respond.Status(429, """{"error":"Too many requests"}""").WithHeader("Retry-After", "60"));

        var (error, took) = await FailingRead(stub, Until(TimeSpan.FromSeconds(3)));

        Assert.Equal(1, stub.Count);
        Assert.Equal(ProviderErrorKind.RateLimited, error.Kind);
        Assert.Equal(429, error.StatusCode);
        Assert.True(error.DeadlineReached);
        Assert.Equal(TimeSpan.FromSeconds(60), error.RetryAfter);
        Assert.StartsWith("Krea answered 429", error.Message, StringComparison.Ordinal);
        Assert.Contains("Not retried: the next try would come in 60.0 s, after the wait's time runs out", error.Message, StringComparison.Ordinal);
        Assert.Contains("of -Timeout 3 s)", error.Message, StringComparison.Ordinal);
        Assert.True(took < TimeSpan.FromSeconds(30), $"the read gave up at once, not after the 60 s asked for (took {took.TotalSeconds} s)");
    }

    [Fact]
    public async Task Retries_that_fit_before_the_deadline_are_made()
    {
        var stub = new StubHandler(
            Respond.Status(503, """{"error":"busy"}""").WithHeader("Retry-After", "0"),
            Respond.Status(503, """{"error":"busy"}""").WithHeader("Retry-After", "0"),
            Respond.Json(KreaJob("j", "processing")));

        var job = await new JobLister(new HttpClient(stub)).GetJobAsync(Endpoint(), "j", Until(TimeSpan.FromMinutes(5)).Call(new CallLog(), CancellationToken.None));

        Assert.Equal("j", job.Id);
        Assert.Equal(3, stub.Count);
    }

    [Fact]
    public async Task A_503_loop_ends_at_the_deadline_not_after_the_hundred_retries_allowed()
    {
        var stub = new StubHandler((_, _) => Respond.Status(503, """{"error":"busy"}""").WithHeader("Retry-After", "1"));

        var (error, took) = await FailingRead(stub, Until(TimeSpan.FromSeconds(2.5)));

        // Tries at 0, 1 and 2 s; the next would come at 3 s, after the deadline.
        Assert.InRange(stub.Count, 2, 3);
        Assert.Equal(ProviderErrorKind.ServerError, error.Kind);
        Assert.True(error.DeadlineReached);
        Assert.Contains("Not retried", error.Message, StringComparison.Ordinal);
        Assert.True(took < TimeSpan.FromSeconds(20), $"the retries stopped at the deadline, not after 100 of them (took {took.TotalSeconds} s)");
    }

    [Fact]
    public async Task An_attempt_is_cut_to_the_time_left_and_is_not_retried()
    {
        var tokens = new List<CancellationToken>();
        var stub = new StubHandler((_, _, token) =>
        {
            tokens.Add(token);
            return Respond.NeverAsync(token);
        });

        var (error, took) = await FailingRead(stub, Until(TimeSpan.FromSeconds(1), Patient with { RequestTimeout = TimeSpan.FromSeconds(60) }));

        Assert.Equal(1, stub.Count);
        Assert.Equal(ProviderErrorKind.Timeout, error.Kind);
        Assert.True(error.DeadlineReached);
        Assert.Equal("Krea did not answer GET https://" + stub.Requests[0].Uri.Authority + "/jobs/j before the wait's time ran out (-Timeout 1 s).", error.Message);
        Assert.True(took < TimeSpan.FromSeconds(30), $"the attempt ended at the deadline, not after -TimeoutSec's 60 s (took {took.TotalSeconds} s)");
        Assert.True(tokens[0].IsCancellationRequested);
    }

    [Fact]
    public async Task Begun_after_the_deadline_a_request_has_one_attempt_and_no_retry()
    {
        var stub = new StubHandler((_, _) => Respond.Status(503, """{"error":"busy"}""").WithHeader("Retry-After", "0"));

        var (error, _) = await FailingRead(stub, Until(TimeSpan.Zero));

        Assert.Equal(1, stub.Count);
        Assert.Equal(ProviderErrorKind.ServerError, error.Kind);
        Assert.False(error.DeadlineReached, "the one attempt failed on its own; the deadline cut nothing short");
        Assert.DoesNotContain("Not retried", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Begun_after_the_deadline_the_one_attempt_has_the_whole_TimeoutSec_to_answer()
    {
        var stub = new StubHandler(async (_, _, token) =>
        {
            await Task.Delay(300, token);
            return Respond.Json(KreaJob("j", "processing"));
        });

        var job = await new JobLister(new HttpClient(stub)).GetJobAsync(Endpoint(), "j", Until(TimeSpan.Zero, Patient with { RequestTimeout = TimeSpan.FromSeconds(60) }).Call(new CallLog(), CancellationToken.None));

        Assert.Equal("j", job.Id);
        Assert.Equal(1, stub.Count);
    }

    [Fact]
    public async Task Begun_after_the_deadline_the_one_attempt_still_ends_at_TimeoutSec()
    {
        var stub = new StubHandler((_, _, token) => Respond.NeverAsync(token));

        var (error, _) = await FailingRead(stub, Until(TimeSpan.Zero, Patient with { RequestTimeout = TimeSpan.FromMilliseconds(200) }));

        Assert.Equal(1, stub.Count);
        Assert.Equal(ProviderErrorKind.Timeout, error.Kind);
        Assert.False(error.DeadlineReached);
        Assert.Contains("within 0.2 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rate_budget_wait_past_the_deadline_is_not_begun_and_nothing_is_sent()
    {
        var reset = DateTimeOffset.UtcNow.AddSeconds(60).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var stub = new StubHandler((_, _) => Respond.Json(KreaJob("j", "processing")).WithHeader("X-RateLimit-Remaining", "0").WithHeader("X-RateLimit-Reset", reset));
        var endpoint = Endpoint();
        var lister = new JobLister(new HttpClient(stub));
        await lister.GetJobAsync(endpoint, "j", Patient.Call(new CallLog(), CancellationToken.None));

        var (error, took) = await FailingRead(stub, Until(TimeSpan.FromSeconds(2)), endpoint);

        Assert.Equal(1, stub.Count);
        Assert.Equal(ProviderErrorKind.RateLimited, error.Kind);
        Assert.Null(error.StatusCode);
        Assert.True(error.DeadlineReached);
        Assert.Contains("request budget for this key is used up for another", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("/jobs/j was not sent.", error.Message, StringComparison.Ordinal);
        Assert.True(took < TimeSpan.FromSeconds(30), $"the read did not wait for the budget's window (took {took.TotalSeconds} s)");
    }

    [Fact]
    public async Task Stopping_ends_a_retry_wait_at_once_whatever_the_deadline()
    {
        var stub = new StubHandler((_, _) => Respond.Status(503, """{"error":"busy"}""").WithHeader("Retry-After", "100"));
        using var cancellation = new CancellationTokenSource();
        var read = new JobLister(new HttpClient(stub)).GetJobAsync(Endpoint(), "j", Until(TimeSpan.FromHours(1)).Call(new CallLog(), cancellation.Token));
        Assert.True(await stub.WaitForRequestsAsync(1));

        var clock = Stopwatch.StartNew();
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "Ctrl+C does not wait for the 100 s the provider asked for");
        Assert.Equal(1, stub.Count);
    }
}
