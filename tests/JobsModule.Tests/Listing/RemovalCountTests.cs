using System.Net;
using static JobsModule.Tests.Support.Bodies;

namespace JobsModule.Tests;

/// <summary>
/// What tells a listing that its jobs left its list: Stop- and Remove-ProviderJob's engine counts a job
/// it took out on the page the job was listed on, the ids of the last pages that catch the repeats, and
/// the wait of an account listed on its own thread for the caller to deal with its jobs.
/// </summary>
public class RemovalCountTests
{
    private static JobActions Actions(StubHandler stub) => new(new JobLister(new HttpClient(stub)), TestListing.Fast.Call(new CallLog(), CancellationToken.None));

    private static IReadOnlyList<ProviderEndpoint> Endpoints(IJobProvider provider) => new[] { TestListing.Endpoint(provider) };

    /// <summary>A job as a listing wrote it: on a page of a listing that filtered by status on the server or not.</summary>
    private static (ProviderJob Job, ListedPage Page) Listed(string provider, string status, bool statusFilteredOnServer = false)
    {
        var page = new ListedPage(new ListingRemovals(statusFilteredOnServer));
        return (new ProviderJob(provider, "j", status, JobStatus.Queued) { ListedOn = page }, page);
    }

    private static StubHandler Answering(string job, HttpResponseMessage change) =>
        new((request, _) => request.Method == HttpMethod.Get ? Respond.Json(job) : change);

    [Fact]
    public void A_Convertly_stop_accepted_takes_the_job_out_of_its_listing()
    {
        var (job, page) = Listed("Convertly", "pending");

        Actions(Answering(ConvertlyJob("j", "pending"), Respond.Json("""{"success":true}"""))).Stop(Endpoints(new ConvertlyProvider()), "j", false, new RecordingEvents(), job);

        Assert.Equal(1, page.Removed);
        Assert.Equal((1L, 1L, 1L), (page.Listing.Started, page.Listing.Settled, page.Listing.Removed));
    }

    [Fact]
    public void A_Krea_delete_takes_the_job_out_of_its_listing()
    {
        var (job, page) = Listed("Krea", "completed");

        Actions(Answering(KreaJob("j", "completed"), Respond.Text(string.Empty, "text/plain"))).Delete(Endpoints(new KreaProvider()), "j", false, new RecordingEvents(), job);

        Assert.Equal(1, page.Removed);
        Assert.Equal(1, page.Listing.Removed);
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public void An_Unstructured_stop_takes_the_job_out_only_of_a_listing_filtered_by_status_on_the_server(bool filtered, int removed)
    {
        var (job, page) = Listed("Unstructured", "SCHEDULED", filtered);

        Actions(Answering(UnstructuredJob("j", "SCHEDULED"), Respond.Json(UnstructuredJob("j", "STOPPED")))).Stop(Endpoints(new UnstructuredProvider()), "j", false, new RecordingEvents(), job);

        Assert.Equal(removed, page.Removed);
        Assert.Equal(removed, page.Listing.Started);
    }

    [Fact]
    public void A_stop_the_provider_refuses_leaves_the_job_in_its_listing()
    {
        var (job, page) = Listed("Convertly", "pending");
        var events = new RecordingEvents();

        Actions(Answering(ConvertlyJob("j", "pending"), Respond.Status(409, """{"error":"Job cannot be cancelled","code":"conflict"}"""))).Stop(Endpoints(new ConvertlyProvider()), "j", false, events, job);

        Assert.Equal(ProviderErrorKind.Conflict, Assert.Single(events.Problems).Failure!.Kind);
        Assert.Equal(0, page.Removed);
        Assert.Equal((1L, 1L, 0L), (page.Listing.Started, page.Listing.Settled, page.Listing.Removed));
    }

    [Fact]
    public void A_stop_that_got_no_answer_may_have_been_carried_out_and_counts_as_taken_out()
    {
        var (job, page) = Listed("Convertly", "pending");
        var stub = new StubHandler((request, _, _) => request.Method == HttpMethod.Get
            ? Task.FromResult(Respond.Json(ConvertlyJob("j", "pending")))
            : throw new HttpRequestException("connection reset"));
        var events = new RecordingEvents();

        Actions(stub).Stop(Endpoints(new ConvertlyProvider()), "j", false, events, job);

        Assert.Null(Assert.Single(events.Problems).Failure!.StatusCode);
        Assert.Equal(1, page.Removed);
    }

    [Fact]
    public void A_job_not_from_a_listing_tells_no_listing_and_a_finished_one_is_sent_nothing()
    {
        var stub = Answering(ConvertlyJob("j", "pending"), Respond.Json("""{"success":true}"""));
        Actions(stub).Stop(Endpoints(new ConvertlyProvider()), "j", false, new RecordingEvents());
        Assert.Equal(2, stub.Count);

        var (job, page) = Listed("Convertly", "completed");
        Actions(Answering(ConvertlyJob("j", "completed"), Respond.Json("{}"))).Stop(Endpoints(new ConvertlyProvider()), "j", false, new RecordingEvents(), job);
        Assert.Equal(0, page.Listing.Started);
    }

    [Fact]
    public void The_ids_of_the_pages_asked_for_are_remembered_and_a_page_asked_for_again_starts_afresh()
    {
        var ids = new RecentIds();
        ids.Start(1);
        Assert.False(ids.IsRepeat("a", 1));
        Assert.True(ids.IsRepeat("a", 1));
        ids.Start(2);
        Assert.True(ids.IsRepeat("a", 1));
        Assert.False(ids.IsRepeat("b", 1));
        ids.Start(3);
        ids.Start(4);

        // Page 1 is three pages back: only a window that deep still has it.
        Assert.False(ids.IsRepeat("a", 1));
        ids.Start(4);
        Assert.True(ids.IsRepeat("a", OffsetSteps.MaxWindowPages));
        Assert.True(ids.WasOn(1, "a"));
        Assert.True(ids.WasOn(2, "b"));
        Assert.False(ids.WasOn(4, "a"));
        Assert.False(ids.WasOn(0, "a"));

        // Page 5 takes page 1's place; page 2 is still three pages back, and gone from page 6 on.
        ids.Start(5);
        Assert.False(ids.WasOn(1, "a"));
        Assert.True(ids.WasOn(2, "b"));
        ids.Start(6);
        Assert.False(ids.WasOn(2, "b"));
        Assert.False(ids.IsRepeat("b", OffsetSteps.MaxWindowPages));
    }

    [Fact]
    public async Task An_account_on_its_own_thread_waits_until_the_caller_has_dealt_with_every_job_handed_on()
    {
        var source = new ListingSource(TestListing.Endpoint(new ConvertlyProvider()), 10);
        source.HandingOn();
        source.HandingOn();
        source.DealtWith();
        var waited = Task.Run(() => source.AwaitDealtWith(CancellationToken.None));

        Assert.NotSame(waited, await Task.WhenAny(waited, Task.Delay(300)));
        source.DealtWith();
        Assert.Same(waited, await Task.WhenAny(waited, Task.Delay(TimeSpan.FromSeconds(30))));
        await waited;
    }

    [Fact]
    public async Task The_wait_for_the_caller_ends_when_the_listing_is_stopped()
    {
        var source = new ListingSource(TestListing.Endpoint(new ConvertlyProvider()), 10);
        source.HandingOn();
        using var stop = new CancellationTokenSource();
        var waited = Task.Run(() => source.AwaitDealtWith(stop.Token));

        stop.Cancel();

        Assert.Same(waited, await Task.WhenAny(waited, Task.Delay(TimeSpan.FromSeconds(30))));
        await Assert.ThrowsAsync<OperationCanceledException>(() => waited);
    }
}
