using static JobsModule.Tests.Support.Bodies;

namespace JobsModule.Tests;

public class CancellationTests
{
    [Fact]
    public async Task Cancelling_while_a_request_is_pending_ends_with_OperationCanceledException()
    {
        var requestToken = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stub = new StubHandler((_, _, token) =>
        {
            requestToken.TrySetResult(token);
            return Respond.NeverAsync(token);
        });
        using var cancellation = new CancellationTokenSource();
        var lister = new JobLister(new HttpClient(stub));

        var listing = Task.Run(() => lister.List(TestListing.Endpoint(new KreaProvider()), new JobQuery(), TestListing.Fast.Call(new CallLog(), cancellation.Token), new ListingCounts()).ToList());
        var token = await requestToken.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(token.IsCancellationRequested);
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listing);
        Assert.True(token.IsCancellationRequested);
        Assert.Equal(1, stub.Count);
    }

    [Fact]
    public async Task Cancelling_during_a_retry_wait_ends_with_OperationCanceledException()
    {
        var stub = new StubHandler((_, _) => Respond.Status(503).WithHeader("Retry-After", "3600"));
        using var cancellation = new CancellationTokenSource();
        var lister = new JobLister(new HttpClient(stub));
        var patient = new TestOptions { FirstPageSize = null, MaximumRetryCount = 5, MaximumRetryDelay = TimeSpan.FromHours(1) };

        var listing = Task.Run(() => lister.List(TestListing.Endpoint(new KreaProvider()), new JobQuery(), patient.Call(new CallLog(), cancellation.Token), new ListingCounts()).ToList());
        Assert.True(await stub.WaitForRequestsAsync(1));
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listing);
        Assert.Equal(1, stub.Count);
    }

    [Fact]
    public void An_already_cancelled_token_sends_nothing_that_is_answered()
    {
        var stub = new StubHandler((_, _) => Respond.Json(KreaPage(null, "a")));
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        var run = TestListing.Run(new KreaProvider(), stub, cancellationToken: cancellation.Token);

        Assert.IsAssignableFrom<OperationCanceledException>(run.Error);
        Assert.Empty(run.Jobs);
    }

    [Fact]
    public void Taking_the_first_job_of_a_page_costs_one_request()
    {
        var stub = new StubHandler(Respond.Json(KreaPage("next", "a", "b", "c", "d")));
        var lister = new JobLister(new HttpClient(stub));

        var first = lister.List(TestListing.Endpoint(new KreaProvider()), new JobQuery(), TestListing.Fast.Call(new CallLog(), default), new ListingCounts()).Take(1).ToList();

        Assert.Equal("a", Assert.Single(first).Id);
        Assert.Equal(1, stub.Count);
    }

    [Fact]
    public async Task The_next_page_is_fetched_once_half_the_page_is_read()
    {
        var stub = new StubHandler(Respond.Json(KreaPage("p2", "a", "b", "c", "d")), Respond.Json(KreaPage(null, "e")));
        var lister = new JobLister(new HttpClient(stub));
        using var jobs = lister.List(TestListing.Endpoint(new KreaProvider()), new JobQuery(), TestListing.Fast.Call(new CallLog(), default), new ListingCounts()).GetEnumerator();

        Assert.True(jobs.MoveNext());
        Assert.True(jobs.MoveNext());
        Assert.Equal(1, stub.Count);

        // Resuming after the second of four jobs starts the next page before it is needed.
        Assert.True(jobs.MoveNext());
        Assert.Equal("c", jobs.Current.Id);
        Assert.True(await stub.WaitForRequestsAsync(2));
        Assert.Equal("/jobs?cursor=p2&limit=1000", stub.Requests[1].Uri.PathAndQuery);

        Assert.True(jobs.MoveNext());
        Assert.True(jobs.MoveNext());
        Assert.Equal("e", jobs.Current.Id);
        Assert.False(jobs.MoveNext());
        Assert.Equal(2, stub.Count);
    }

    [Fact]
    public async Task A_long_page_has_the_next_one_fetched_after_PrefetchAfterJobs_jobs()
    {
        var ids = Enumerable.Range(0, 200).Select(i => "j" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var stub = new StubHandler(Respond.Json(KreaPage("p2", ids)), Respond.Json(KreaPage(null, "last")));
        var lister = new JobLister(new HttpClient(stub));
        var options = new TestOptions { FirstPageSize = null, PrefetchAfterJobs = 16, PrefetchAfter = TimeSpan.FromHours(1) };
        using var jobs = lister.List(TestListing.Endpoint(new KreaProvider()), new JobQuery(), options.Call(new CallLog(), default), new ListingCounts()).GetEnumerator();

        // Taking 16 jobs (Select-Object -First 16) costs one request; asking for the 17th starts the next page.
        for (var i = 0; i < 16; i++)
        {
            Assert.True(jobs.MoveNext());
        }

        Assert.Equal(1, stub.Count);
        Assert.True(jobs.MoveNext());
        Assert.Equal("j16", jobs.Current.Id);
        Assert.True(await stub.WaitForRequestsAsync(2));
        Assert.Equal("/jobs?cursor=p2&limit=1000", stub.Requests[1].Uri.PathAndQuery);
    }

    [Fact]
    public async Task A_page_slow_to_arrive_does_not_count_as_the_consumer_holding_it()
    {
        // Over a real network a page takes longer than PrefetchAfter to arrive; Select-Object -First 3 must
        // still cost one request when the consumer itself is quick.
        var ids = Enumerable.Range(0, 10).Select(i => "j" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var stub = new StubHandler(async (_, index, token) =>
        {
            await Task.Delay(index == 0 ? 400 : 0, token);
            return Respond.Json(KreaPage(index == 0 ? "p2" : null, index == 0 ? ids : new[] { "last" }));
        });
        var lister = new JobLister(new HttpClient(stub));
        var options = new TestOptions { FirstPageSize = null, PrefetchAfterJobs = 16, PrefetchAfter = TimeSpan.FromMilliseconds(200) };
        using var jobs = lister.List(TestListing.Endpoint(new KreaProvider()), new JobQuery(), options.Call(new CallLog(), default), new ListingCounts()).GetEnumerator();

        Assert.True(jobs.MoveNext());
        Thread.Sleep(30); // the rest of the page arrives meanwhile
        Assert.True(jobs.MoveNext());
        Assert.True(jobs.MoveNext());
        Assert.Equal("j2", jobs.Current.Id);
        await Task.Delay(50);
        Assert.Equal(1, stub.Count);
    }

    [Fact]
    public async Task A_consumer_that_holds_a_page_gets_the_next_one_before_PrefetchAfterJobs_jobs()
    {
        var ids = Enumerable.Range(0, 200).Select(i => "j" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var stub = new StubHandler(Respond.Json(KreaPage("p2", ids)), Respond.Json(KreaPage(null, "last")));
        var lister = new JobLister(new HttpClient(stub));
        var options = new TestOptions { FirstPageSize = null, PrefetchAfterJobs = 16, PrefetchAfter = TimeSpan.FromMilliseconds(20) };
        using var jobs = lister.List(TestListing.Endpoint(new KreaProvider()), new JobQuery(), options.Call(new CallLog(), default), new ListingCounts()).GetEnumerator();

        Assert.True(jobs.MoveNext());
        Assert.True(jobs.MoveNext());
        Assert.Equal(1, stub.Count);

        // The consumer spends longer than PrefetchAfter on the second job: asking for the third starts the next page.
        Thread.Sleep(60);
        Assert.True(jobs.MoveNext());
        Assert.Equal("j2", jobs.Current.Id);
        Assert.True(await stub.WaitForRequestsAsync(2));
        Assert.Equal("/jobs?cursor=p2&limit=1000", stub.Requests[1].Uri.PathAndQuery);
    }

    [Fact]
    public async Task Stopping_early_cancels_a_prefetch_in_flight()
    {
        var prefetchToken = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stub = new StubHandler((_, index, token) =>
        {
            if (index == 0)
            {
                return Task.FromResult(Respond.Json(KreaPage("p2", "a", "b", "c", "d")));
            }

            prefetchToken.TrySetResult(token);
            return Respond.NeverAsync(token);
        });
        var lister = new JobLister(new HttpClient(stub));
        var jobs = lister.List(TestListing.Endpoint(new KreaProvider()), new JobQuery(), TestListing.Fast.Call(new CallLog(), default), new ListingCounts()).GetEnumerator();

        Assert.True(jobs.MoveNext());
        Assert.True(jobs.MoveNext());
        Assert.True(jobs.MoveNext());
        var token = await prefetchToken.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(token.IsCancellationRequested);

        jobs.Dispose();

        Assert.True(token.IsCancellationRequested);
        Assert.Equal(2, stub.Count);
    }
}
