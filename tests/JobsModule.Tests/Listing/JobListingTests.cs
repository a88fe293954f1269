using System.Collections.Concurrent;
using System.Net;
using static JobsModule.Tests.Support.Bodies;

namespace JobsModule.Tests;

/// <summary>
/// Several accounts listed at once through JobListing: merged newest first, failures in place, the
/// -ThrottleLimit gate, and stopping. Each account has its own key; the stub answers by key.
/// </summary>
public class JobListingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void Several_accounts_are_merged_newest_first_across_their_pages()
    {
        var accounts = new Accounts()
            .Add("a", KreaPageOf("a-next", "next_cursor", KreaJob("a1", createdAt: "2026-01-01T10:00:00Z"), KreaJob("a2", createdAt: "2026-01-01T08:00:00Z")),
                      KreaPageOf(null, "next_cursor", KreaJob("a3", createdAt: "2026-01-01T06:00:00Z")))
            .Add("b", KreaPageOf(null, "next_cursor", KreaJob("b1", createdAt: "2026-01-01T09:00:00Z"), KreaJob("b2", createdAt: "2026-01-01T07:00:00Z")))
            .Add("c", KreaPageOf("c-next", "next_cursor", KreaJob("c1", createdAt: "2026-01-01T09:30:00Z")),
                      KreaPageOf(null, "next_cursor", KreaJob("c2", createdAt: "2026-01-01T05:00:00Z")));

        var items = accounts.List(new KreaProvider());

        Assert.All(items, item => Assert.Null(item.Failure));
        Assert.Equal(new[] { "a1", "c1", "b1", "a2", "b2", "a3", "c2" }, items.Select(item => item.Job!.Id));
        Assert.Equal(new[] { "a", "c", "b", "a", "b", "a", "c" }, items.Select(item => item.Job!.Account));
        Assert.Equal(items.Select(item => item.Job!.Account), items.Select(item => item.Source.Endpoint.Account));
        Assert.Equal(5, accounts.Stub.Count);
        Assert.Equal(new[] { "/jobs?limit=1000", "/jobs?cursor=a-next&limit=1000" }, accounts.PathsOf("a"));
    }

    [Fact]
    public void Jobs_created_at_the_same_time_keep_the_order_of_the_accounts()
    {
        var accounts = new Accounts()
            .Add("a", KreaPageOf(null, "next_cursor", KreaJob("a1", createdAt: "2026-01-01T10:00:00Z")))
            .Add("b", KreaPageOf(null, "next_cursor", KreaJob("b1", createdAt: "2026-01-01T10:00:00Z")))
            .Add("c", KreaPageOf(null, "next_cursor", KreaJob("c1", createdAt: "2026-01-01T10:00:00Z")));

        Assert.Equal(new[] { "a1", "b1", "c1" }, accounts.List(new KreaProvider()).Select(item => item.Job!.Id));
    }

    [Fact]
    public void A_job_without_CreatedAt_comes_after_every_dated_job()
    {
        var accounts = new Accounts()
            .Add("a", PyannotePageOf(2, """{"id":"undated","status":"running"}""", PyannoteJob("a-old", createdAt: "2020-01-01T00:00:00Z")))
            .Add("b", PyannotePageOf(1, PyannoteJob("b-new", createdAt: "2026-01-01T00:00:00Z")));

        Assert.Equal(new[] { "b-new", "undated", "a-old" }, accounts.List(new PyannoteAIProvider()).Select(item => item.Job!.Id));
    }

    [Fact]
    public void An_account_of_an_unordered_provider_is_sorted_before_it_joins_the_merge()
    {
        var accounts = new Accounts()
            .Add("a", UnstructuredPageOf(
                UnstructuredJob("a-mid", createdAt: "2026-01-01T08:00:00Z"),
                UnstructuredJob("a-new", createdAt: "2026-01-01T11:00:00Z"),
                UnstructuredJob("a-old", createdAt: "2026-01-01T05:00:00Z")))
            .Add("b", UnstructuredPageOf(
                UnstructuredJob("b-old", createdAt: "2026-01-01T06:00:00Z"),
                UnstructuredJob("b-new", createdAt: "2026-01-01T09:00:00Z")));

        var items = accounts.List(new UnstructuredProvider());

        Assert.Equal(new[] { "a-new", "b-new", "a-mid", "b-old", "a-old" }, items.Select(item => item.Job!.Id));
    }

    [Fact]
    public void An_unordered_account_keeps_only_the_newest_jobs_up_to_the_limit()
    {
        var accounts = new Accounts()
            .Add("a", UnstructuredPageOf(
                UnstructuredJob("a-mid", createdAt: "2026-01-01T08:00:00Z"),
                UnstructuredJob("a-new", createdAt: "2026-01-01T11:00:00Z"),
                UnstructuredJob("a-old", createdAt: "2026-01-01T05:00:00Z")))
            .Add("b", UnstructuredPageOf(UnstructuredJob("b-new", createdAt: "2026-01-01T09:00:00Z")));

        var items = accounts.List(new UnstructuredProvider(), new JobQuery { Limit = 2 });

        // Each account gives its two newest; the merge interleaves them.
        Assert.Equal(new[] { "a-new", "b-new", "a-mid" }, items.Select(item => item.Job!.Id));
    }

    [Fact]
    public void A_failing_account_is_reported_once_in_its_place_and_the_others_go_on()
    {
        var accounts = new Accounts()
            .Add("a", KreaPageOf(null, "next_cursor", KreaJob("a1", createdAt: "2026-01-01T10:00:00Z"), KreaJob("a2", createdAt: "2026-01-01T06:00:00Z")))
            .Add("broken", Respond.Json("""{"error":"Invalid API key"}""", HttpStatusCode.Unauthorized))
            .Add("c", KreaPageOf(null, "next_cursor", KreaJob("c1", createdAt: "2026-01-01T09:00:00Z")));

        var items = accounts.List(new KreaProvider());

        var failure = Assert.Single(items, item => item.Failure is not null);
        Assert.Null(failure.Job);
        Assert.Equal("broken", failure.Source.Endpoint.Account);
        Assert.Equal(ProviderErrorKind.Authentication, failure.Failure!.Kind);
        Assert.Equal(401, failure.Failure.StatusCode);
        Assert.Equal(new[] { "a1", "c1", "a2" }, items.Where(item => item.Job is not null).Select(item => item.Job!.Id));
        // The broken account ends before any job is merged, so its error comes first.
        Assert.Same(failure.Failure, items[0].Failure);
    }

    [Fact]
    public void An_account_that_fails_on_a_later_page_keeps_the_jobs_it_gave()
    {
        var accounts = new Accounts()
            .Add("a", KreaPageOf("more", "next_cursor", KreaJob("a1", createdAt: "2026-01-01T10:00:00Z")), """{"items":"not a list"}""")
            .Add("b", KreaPageOf(null, "next_cursor", KreaJob("b1", createdAt: "2026-01-01T09:00:00Z"), KreaJob("b2", createdAt: "2026-01-01T08:00:00Z")));

        var items = accounts.List(new KreaProvider());

        Assert.Equal(new[] { "a1", null, "b1", "b2" }, items.Select(item => item.Job?.Id));
        Assert.Equal(ProviderErrorKind.InvalidResponse, items[1].Failure!.Kind);
        Assert.Equal("a", items[1].Source.Endpoint.Account);
    }

    [Fact]
    public void An_unexpected_exception_ends_only_its_account_as_an_error()
    {
        var stub = new StubHandler((request, _) => request.Header("Authorization") == "Bearer key-boom"
            ? throw new InvalidOperationException("boom")
            : Respond.Json(KreaPageOf(null, "next_cursor", KreaJob("ok1"))));
        var endpoints = new[] { Endpoint(new KreaProvider(), "ok"), Endpoint(new KreaProvider(), "boom") };

        var items = Merge(stub, endpoints, new JobQuery(), TestListing.Fast);

        var failure = Assert.Single(items, item => item.Failure is not null).Failure!;
        Assert.Equal(ProviderErrorKind.HttpError, failure.Kind);
        Assert.Equal("Krea", failure.Provider);
        Assert.Equal("boom", failure.Message);
        Assert.IsType<InvalidOperationException>(failure.InnerException);
        Assert.Equal("ok1", Assert.Single(items, item => item.Job is not null).Job!.Id);
    }

    [Fact]
    public void No_more_requests_are_in_flight_than_the_gate_allows_and_every_one_gives_its_place_back()
    {
        // Four accounts of two pages each behind a gate of two: eight requests, never more than two at once.
        var inFlight = 0;
        var most = 0;
        var stub = new StubHandler(async (request, _, token) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            try
            {
                await Task.Delay(60, token);
                var account = request.Header("Authorization")!["Bearer key-".Length..];
                return request.Uri.Query.Contains("cursor=", StringComparison.Ordinal)
                    ? Respond.Json(KreaPageOf(null, "next_cursor", KreaJob(account + "-2", createdAt: "2026-01-01T01:00:00Z")))
                    : Respond.Json(KreaPageOf("p2", "next_cursor", KreaJob(account + "-1", createdAt: "2026-01-01T02:00:00Z")));
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        });
        var endpoints = new[] { "a", "b", "c", "d" }.Select(account => Endpoint(new KreaProvider(), account)).ToArray();
        using var gate = new SemaphoreSlim(2);
        var options = new TestOptions
        {
            MaximumRetryCount = 0,
            RequestTimeout = TimeSpan.FromSeconds(60),
            RequestGate = gate,
        };

        var items = Merge(stub, endpoints, new JobQuery(), options);

        Assert.Equal(8, stub.Count);
        Assert.Equal(new[] { "a-1", "b-1", "c-1", "d-1", "a-2", "b-2", "c-2", "d-2" }, items.Select(item => item.Job!.Id));
        Assert.Equal(2, most);
        Assert.Equal(2, gate.CurrentCount);
    }

    [Fact]
    public void Without_a_gate_every_account_asks_at_once()
    {
        var arrived = 0;
        var allThere = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stub = new StubHandler(async (request, _, token) =>
        {
            if (Interlocked.Increment(ref arrived) == 3)
            {
                allThere.SetResult();
            }

            // No account is answered until all three have asked: they cannot be taking turns.
            await allThere.Task.WaitAsync(Patience, token);
            return Respond.Json(KreaPageOf(null, "next_cursor", KreaJob("job-" + request.Header("Authorization"))));
        });
        var endpoints = new[] { "a", "b", "c" }.Select(account => Endpoint(new KreaProvider(), account)).ToArray();

        var items = Merge(stub, endpoints, new JobQuery(), TestListing.Fast);

        Assert.Equal(3, items.Count);
        Assert.All(items, item => Assert.NotNull(item.Job));
    }

    [Fact]
    public async Task Each_account_fetches_its_next_page_itself_and_does_not_prefetch_through_the_lister()
    {
        // A buffer of half a page (PageSize 4: 2 jobs) is the account's look-ahead: with the lister's own
        // prefetch on as well, the account would ask for page 2 before the merge took anything.
        var stub = new StubHandler((request, _) => request.Uri.Query.Contains("cursor=", StringComparison.Ordinal)
            ? Respond.Json(KreaPageOf(null, "next_cursor", KreaJob("x5", createdAt: "2026-01-01T01:00:00Z")))
            : Respond.Json(KreaPageOf("p2", "next_cursor",
                KreaJob("x1", createdAt: "2026-01-01T09:00:00Z"),
                KreaJob("x2", createdAt: "2026-01-01T08:00:00Z"),
                KreaJob("x3", createdAt: "2026-01-01T07:00:00Z"),
                KreaJob("x4", createdAt: "2026-01-01T06:00:00Z"))));
        var endpoints = new[] { Endpoint(new KreaProvider(), "x"), Endpoint(new KreaProvider(), "y") };
        var options = new TestOptions
        {
            MaximumRetryCount = 0,
            RequestTimeout = TimeSpan.FromSeconds(60),
            PrefetchAfterJobs = 1,
            PrefetchAfter = TimeSpan.Zero,
        };
        using var listing = new JobListing(new JobLister(new HttpClient(stub)), endpoints, new JobQuery { PageSize = 4 }, options.Call(new CallLog(), default));

        Assert.True(await stub.WaitForRequestsAsync(2));
        // The producers fill their buffers (2 jobs each, then a third waits) and stop there.
        await Task.Delay(300);

        Assert.Equal(2, stub.Count);
        Assert.All(stub.Requests, request => Assert.Equal("/jobs?limit=4", request.Uri.PathAndQuery));
        Assert.All(listing.Sources, source => Assert.Equal(2, source.Buffer.BoundedCapacity));
    }

    [Theory]
    [InlineData("Krea", null, 500)]
    [InlineData("Krea", 10, 5)]
    [InlineData("Krea", 1, 1)]
    [InlineData("Unstructured", null, 500)]
    [InlineData("PyannoteAI", null, 50)]
    public void Each_account_buffers_half_a_page(string provider, int? pageSize, int capacity)
    {
        var stub = new StubHandler((_, _, token) => Respond.NeverAsync(token));
        var endpoints = new[] { Endpoint(ProviderRegistry.Find(provider)!, "a"), Endpoint(ProviderRegistry.Find(provider)!, "b") };

        using var listing = new JobListing(new JobLister(new HttpClient(stub)), endpoints, new JobQuery { PageSize = pageSize }, TestListing.Fast.Call(new CallLog(), default));

        Assert.All(listing.Sources, source => Assert.Equal(capacity, source.Buffer.BoundedCapacity));
    }

    [Fact]
    public async Task Dispose_cancels_every_account_still_waiting_for_an_answer()
    {
        var cancelled = 0;
        var stub = new StubHandler(async (request, _, token) =>
        {
            if (request.Header("Authorization") == "Bearer key-fast")
            {
                return Respond.Json(KreaPageOf(null, "next_cursor", KreaJob("fast1")));
            }

            try
            {
                return await Respond.NeverAsync(token);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref cancelled);
                throw;
            }
        });
        var endpoints = new[] { Endpoint(new KreaProvider(), "fast"), Endpoint(new KreaProvider(), "slow1"), Endpoint(new KreaProvider(), "slow2") };
        var listing = new JobListing(new JobLister(new HttpClient(stub)), endpoints, new JobQuery(), TestListing.Fast.Call(new CallLog(), default));
        Assert.True(await stub.WaitForRequestsAsync(3));

        listing.Dispose();

        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref cancelled) == 2, Patience), "both waiting requests were cancelled");
        Assert.Equal(3, stub.Count);
    }

    [Fact]
    public async Task The_caller_cancelling_ends_the_merge_with_OperationCanceledException()
    {
        using var cancellation = new CancellationTokenSource();
        var stub = new StubHandler((_, _, token) => Respond.NeverAsync(token));
        var endpoints = new[] { Endpoint(new KreaProvider(), "a"), Endpoint(new KreaProvider(), "b") };
        using var listing = new JobListing(new JobLister(new HttpClient(stub)), endpoints, new JobQuery(), TestListing.Fast.Call(new CallLog(), cancellation.Token));
        Assert.True(await stub.WaitForRequestsAsync(2));

        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.Run(() => listing.Merge(null).ToList()).WaitAsync(Patience));
    }

    [Fact]
    public void The_heartbeat_beats_while_the_merge_waits_for_a_slow_account()
    {
        var stub = new StubHandler(async (_, _, token) =>
        {
            await Task.Delay(700, token);
            return Respond.Json(KreaPageOf(null, "next_cursor", KreaJob("late")));
        });
        var endpoints = new[] { Endpoint(new KreaProvider(), "a"), Endpoint(new KreaProvider(), "b") };
        var beats = 0;

        var items = Merge(stub, endpoints, new JobQuery(), TestListing.Fast, () => Interlocked.Increment(ref beats));

        Assert.Equal(2, items.Count);
        Assert.InRange(beats, 1, 20);
    }

    [Fact]
    public void One_account_is_listed_on_the_calling_thread_with_no_producer()
    {
        var stub = new StubHandler((_, _) => Respond.Json(KreaPageOf(null, "next_cursor", KreaJob("only1"), KreaJob("only2"))));
        var endpoint = Endpoint(new KreaProvider(), "solo");
        using var listing = new JobListing(new JobLister(new HttpClient(stub)), new[] { endpoint }, new JobQuery(), TestListing.Fast.Call(new CallLog(), default));

        // Nothing is asked for until the caller starts enumerating.
        Thread.Sleep(100);
        Assert.Equal(0, stub.Count);

        var items = listing.Merge(null).ToList();

        Assert.Equal(new[] { "only1", "only2" }, items.Select(item => item.Job!.Id));
        Assert.All(items, item => Assert.Same(listing.Sources[0], item.Source));
        Assert.Equal(2, listing.Sources[0].Result.Jobs);
        Assert.Equal(1, stub.Count);
    }

    [Fact]
    public void One_account_that_fails_gives_its_jobs_then_one_error_item()
    {
        var stub = new StubHandler(
            Respond.Json(KreaPageOf("more", "next_cursor", KreaJob("s1"))),
            Respond.Json("""{"error":"down"}""", HttpStatusCode.BadRequest));
        using var listing = new JobListing(new JobLister(new HttpClient(stub)), new[] { Endpoint(new KreaProvider(), "solo") }, new JobQuery(), TestListing.Fast.Call(new CallLog(), default));

        var items = listing.Merge(null).ToList();

        Assert.Equal(2, items.Count);
        Assert.Equal("s1", items[0].Job!.Id);
        Assert.Null(items[1].Job);
        Assert.Equal(ProviderErrorKind.InvalidRequest, items[1].Failure!.Kind);
        Assert.Equal("down", items[1].Failure!.ProviderMessage);
    }

    [Fact]
    public void One_account_passes_the_heartbeat_to_its_listing()
    {
        // The page is answered only once the listing's heartbeat has run while it waits: a slow machine
        // that starts waiting late cannot find the page already there.
        var beat = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stub = new StubHandler(async (_, _, token) =>
        {
            await beat.Task.WaitAsync(TimeSpan.FromSeconds(30), token);
            return Respond.Json(KreaPageOf(null, "next_cursor", KreaJob("late")));
        });
        var beats = 0;
        using var listing = new JobListing(new JobLister(new HttpClient(stub)), new[] { Endpoint(new KreaProvider(), "solo") }, new JobQuery(), TestListing.Fast.Call(new CallLog(), default));

        var items = listing.Merge(() =>
        {
            Interlocked.Increment(ref beats);
            beat.TrySetResult(true);
        }).ToList();

        Assert.Equal("late", Assert.Single(items).Job!.Id);
        Assert.InRange(beats, 1, 20);
    }

    [Theory]
    [InlineData("team-blue", "team-blue (Krea)")]
    [InlineData("Krea", "Krea")]
    [InlineData(null, "Krea")]
    public void A_source_is_labelled_by_provider_and_account(string? account, string label)
    {
        var stub = new StubHandler((_, _, token) => Respond.NeverAsync(token));
        using var listing = new JobListing(new JobLister(new HttpClient(stub)), new[] { TestListing.Endpoint(new KreaProvider(), account: account) }, new JobQuery(), TestListing.Fast.Call(new CallLog(), default));

        Assert.Equal(label, Assert.Single(listing.Sources).Label);
    }

    private static ProviderEndpoint Endpoint(IJobProvider provider, string account) =>
        TestListing.Endpoint(provider, key: "key-" + account, account: account);

    /// <summary>Merges to the end on another thread, and fails the test rather than hang if the merge stalls.</summary>
    private static List<ListingItem> Merge(StubHandler stub, IReadOnlyList<ProviderEndpoint> endpoints, JobQuery query, TestOptions options, Action? heartbeat = null)
    {
        using var listing = new JobListing(new JobLister(new HttpClient(stub)), endpoints, query, options.Call(new CallLog(), default));
        var merge = Task.Run(() => listing.Merge(heartbeat).ToList());
        Assert.True(merge.Wait(Patience), $"The merge did not end within {Patience.TotalSeconds} s: a stalled account ({stub.Count} requests sent).");
        return merge.Result;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    /// <summary>Accounts of one provider, each with its key and its own pages in order.</summary>
    private sealed class Accounts
    {
        private readonly List<string> _names = new();
        private readonly ConcurrentDictionary<string, Queue<Func<HttpResponseMessage>>> _pages = new();

        public Accounts()
        {
            Stub = new StubHandler((request, _) =>
            {
                var account = request.Header("Authorization")?["Bearer key-".Length..] ?? request.Header("unstructured-api-key")!["key-".Length..];
                var queue = _pages[account];
                lock (queue)
                {
                    return queue.Count > 0 ? queue.Dequeue()() : throw new UnexpectedRequestException($"Account {account} asked for more pages than it has: {request.Uri}");
                }
            });
        }

        public StubHandler Stub { get; }

        public Accounts Add(string account, params string[] bodies) =>
            Add(account, bodies.Select(body => (Func<HttpResponseMessage>)(() => Respond.Json(body))).ToArray());

        public Accounts Add(string account, HttpResponseMessage response) => Add(account, new Func<HttpResponseMessage>[] { () => response });

        public IReadOnlyList<string> PathsOf(string account) =>
            Stub.Requests.Where(request => request.Header("Authorization") == "Bearer key-" + account).Select(request => request.Uri.PathAndQuery).ToList();

        public List<ListingItem> List(IJobProvider provider, JobQuery? query = null) =>
            Merge(Stub, _names.Select(name => Endpoint(provider, name)).ToArray(), query ?? new JobQuery(), TestListing.Fast);

        private Accounts Add(string account, Func<HttpResponseMessage>[] responses)
        {
            _names.Add(account);
            _pages[account] = new Queue<Func<HttpResponseMessage>>(responses);
            return this;
        }
    }
}
