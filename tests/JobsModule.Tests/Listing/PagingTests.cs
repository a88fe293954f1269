using static JobsModule.Tests.Support.Bodies;

namespace JobsModule.Tests;

/// <summary>Whole listings through JobLister over the stub: which requests are sent, and which jobs come out.</summary>
public class PagingTests
{
    [Fact]
    public void PyannoteAI_walks_take_and_skip_until_a_short_page()
    {
        var run = TestListing.Run(
            new PyannoteAIV1(),
            new StubHandler(
                Respond.Json(PyannotePage(5, "a", "b")),
                Respond.Json(PyannotePage(5, "c", "d")),
                Respond.Json(PyannotePage(5, "e"))),
            new JobQuery { PageSize = 2 }).Succeeded();

        Assert.Equal(new[] { "a", "b", "c", "d", "e" }, run.Ids);
        Assert.Equal(new[] { "/v1/jobs?take=2&skip=0", "/v1/jobs?take=2&skip=2", "/v1/jobs?take=2&skip=4" }, run.PathsAndQueries);
        Assert.Equal(5, run.Result.Total);
        Assert.Equal(3, run.Result.Pages);
        Assert.Equal(3, run.Stub.Requests.Count);
    }

    [Fact]
    public void PyannoteAI_stops_when_the_total_is_reached()
    {
        var run = TestListing.Run(
            new PyannoteAIV1(),
            new StubHandler(Respond.Json(PyannotePage(4, "a", "b")), Respond.Json(PyannotePage(4, "c", "d"))),
            new JobQuery { PageSize = 2 }).Succeeded();

        Assert.Equal(new[] { "a", "b", "c", "d" }, run.Ids);
        Assert.Equal(2, run.Stub.Count);
    }

    [Fact]
    public void PyannoteAI_stops_at_an_empty_page()
    {
        var run = TestListing.Run(
            new PyannoteAIV1(),
            new StubHandler(Respond.Json(PyannotePage(10, "a", "b")), Respond.Json(PyannotePage(10))),
            new JobQuery { PageSize = 2 }).Succeeded();

        Assert.Equal(new[] { "a", "b" }, run.Ids);
        Assert.Equal(2, run.Stub.Count);
    }

    [Fact]
    public void PyannoteAI_uses_the_maximum_page_size_by_default()
    {
        var run = TestListing.Run(new PyannoteAIV1(), new StubHandler(Respond.Json(PyannotePage(1, "a")))).Succeeded();

        Assert.Equal("https://api.pyannote.ai/v1/jobs?take=100&skip=0", Assert.Single(run.Stub.Requests).Uri.AbsoluteUri);
        Assert.Equal(new[] { "a" }, run.Ids);
    }

    [Fact]
    public void Ittybit_walks_after_the_last_id_until_an_empty_page()
    {
        var run = TestListing.Run(
            new IttybitProvider(),
            new StubHandler(Respond.Json(IttybitPage("a", "b")), Respond.Json(IttybitPage("c", "d")), Respond.Json("[]")),
            new JobQuery { PageSize = 2 }).Succeeded();

        Assert.Equal(new[] { "a", "b", "c", "d" }, run.Ids);
        Assert.Equal(new[] { "/jobs?limit=2", "/jobs?limit=2&after=b", "/jobs?limit=2&after=d" }, run.PathsAndQueries);
        Assert.Null(run.Result.Total);
    }

    [Fact]
    public void Ittybit_stops_at_a_short_page()
    {
        var run = TestListing.Run(
            new IttybitProvider(),
            new StubHandler(Respond.Json(IttybitPage("a", "b")), Respond.Json(IttybitPage("c"))),
            new JobQuery { PageSize = 2 }).Succeeded();

        Assert.Equal(new[] { "a", "b", "c" }, run.Ids);
        Assert.Equal(2, run.Stub.Count);
    }

    [Fact]
    public void Ittybit_stops_when_Has_More_is_false()
    {
        var run = TestListing.Run(
            new IttybitProvider(),
            new StubHandler(Respond.Json(IttybitPage("a", "b")).WithHeader("Has-More", "false")),
            new JobQuery { PageSize = 2 }).Succeeded();

        Assert.Equal(new[] { "a", "b" }, run.Ids);
        Assert.Equal(1, run.Stub.Count);
    }

    [Fact]
    public void Ittybit_prefers_the_Link_header_to_after()
    {
        var run = TestListing.Run(
            new IttybitProvider(),
            new StubHandler(
                Respond.Json(IttybitPage("a", "b"))
                    .WithHeader("Link", "<https://api.ittybit.com/jobs?limit=2&page_token=t%2B2>; rel=\"next\"")
                    .WithHeader("Has-More", "true"),
                Respond.Json(IttybitPage("c"))),
            new JobQuery { PageSize = 2 }).Succeeded();

        Assert.Equal(new[] { "a", "b", "c" }, run.Ids);
        Assert.Equal(new[] { "/jobs?limit=2", "/jobs?limit=2&page_token=t%2B2" }, run.PathsAndQueries);
    }

    [Fact]
    public void Ittybit_follows_a_relative_Link_under_a_path_prefix()
    {
        var run = TestListing.Run(
            new IttybitProvider(),
            new StubHandler(
                Respond.Json(IttybitPage("a", "b")).WithHeader("Link", "<https://gw.example.com/ittybit/jobs?first=1>; rel=\"first\", <jobs?cursor=xyz>; rel=\"next\""),
                Respond.Json("[]")),
            new JobQuery { PageSize = 2 },
            baseUri: new Uri("https://gw.example.com/ittybit")).Succeeded();

        Assert.Equal(
            new[] { "https://gw.example.com/ittybit/jobs?limit=2", "https://gw.example.com/ittybit/jobs?cursor=xyz" },
            run.Stub.Requests.Select(request => request.Uri.AbsoluteUri));
    }

    [Theory]
    [InlineData("<https://api.ittybit.com/jobs?cursor=a,b>; rel=\"next\"", "https://api.ittybit.com/jobs?cursor=a,b")]
    [InlineData("<https://api.ittybit.com/jobs?p=1>; rel=\"prev\"; title=\"older, then <newer>\", <jobs?p=3>; rel=next", "https://api.ittybit.com/jobs?p=3")]
    [InlineData("<https://api.ittybit.com/jobs?p=9>; rel=\"next last\"", "https://api.ittybit.com/jobs?p=9")]
    [InlineData("<https://api.ittybit.com/jobs?p=1>; rel=\"nextish\"", null)]
    [InlineData("<https://api.ittybit.com/jobs?p=1>; title=\"rel=next\"", null)]
    [InlineData("garbage without brackets", null)]
    public void The_Link_header_is_read_link_by_link(string header, string? expected)
    {
        using var response = new System.Net.Http.HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Link", header);

        var next = LinkHeader.Next(response.Headers, new Uri("https://api.ittybit.com/jobs?limit=2"));

        Assert.Equal(expected, next?.OriginalString);
    }

    [Fact]
    public void Ittybit_sends_a_single_status_and_kind_to_the_server()
    {
        var run = TestListing.Run(
            new IttybitProvider(),
            new StubHandler(Respond.Json(IttybitPage("a"))),
            new JobQuery { Statuses = new[] { JobStatus.Failed }, Kinds = new[] { "audio" }, PageSize = 10 }).Succeeded();

        Assert.Equal("/jobs?limit=10&kind=audio&status=failed", Assert.Single(run.PathsAndQueries));
    }

    [Fact]
    public void Convertly_walks_offsets_while_hasMore()
    {
        var run = TestListing.Run(
            new ConvertlyProvider(),
            new StubHandler(
                Respond.Json(ConvertlyPage(true, 5, "a", "b")),
                Respond.Json(ConvertlyPage(true, 5, "c", "d")),
                Respond.Json(ConvertlyPage(false, 5, "e"))),
            new JobQuery { PageSize = 2 }).Succeeded();

        Assert.Equal(new[] { "a", "b", "c", "d", "e" }, run.Ids);
        Assert.Equal(new[] { "/api/jobs?limit=2&offset=0", "/api/jobs?limit=2&offset=2", "/api/jobs?limit=2&offset=4" }, run.PathsAndQueries);
        Assert.Equal(5, run.Result.Total);
    }

    [Fact]
    public void Convertly_stops_when_hasMore_is_false_even_on_a_full_page()
    {
        var run = TestListing.Run(
            new ConvertlyProvider(),
            new StubHandler(Respond.Json(ConvertlyPage(false, 2, "a", "b"))),
            new JobQuery { PageSize = 2 }).Succeeded();

        Assert.Equal(new[] { "a", "b" }, run.Ids);
        Assert.Equal(1, run.Stub.Count);
    }

    [Fact]
    public void Convertly_stops_at_an_empty_page_whatever_hasMore_says()
    {
        var run = TestListing.Run(
            new ConvertlyProvider(),
            new StubHandler(Respond.Json(ConvertlyPage(true, 9, "a", "b")), Respond.Json(ConvertlyPage(true, 9))),
            new JobQuery { PageSize = 2 }).Succeeded();

        Assert.Equal(new[] { "a", "b" }, run.Ids);
        Assert.Equal(2, run.Stub.Count);
    }

    [Fact]
    public void Convertly_filters_kinds_here()
    {
        var run = TestListing.Run(
            new ConvertlyProvider(),
            new StubHandler(Respond.Json(ConvertlyPageOf(false, 3, ConvertlyJob("a", jobType: "convert"), ConvertlyJob("b", jobType: "transfer"), ConvertlyJob("c", jobType: "Convert")))),
            new JobQuery { Kinds = new[] { "convert" } }).Succeeded();

        Assert.Equal(new[] { "a", "c" }, run.Ids);
        Assert.Equal("/api/jobs?limit=100&offset=0", Assert.Single(run.PathsAndQueries));

        // Some jobs were filtered out here, so the provider's total is not the listing's.
        Assert.Null(run.Result.Total);
    }

    [Fact]
    public void Unstructured_is_one_request_with_no_paging()
    {
        var run = TestListing.Run(
            new UnstructuredProvider(),
            new StubHandler(Respond.Json(UnstructuredPageOf(UnstructuredJob("a", "IN_PROGRESS"), UnstructuredJob("b", "IN_PROGRESS"), UnstructuredJob("c", "IN_PROGRESS")))),
            new JobQuery { WorkflowId = "wf 1", Statuses = new[] { JobStatus.Running } },
            baseUri: new Uri("https://platform.unstructuredapp.io/api/v1")).Succeeded();

        Assert.Equal(new[] { "a", "b", "c" }, run.Ids);
        Assert.Equal("https://platform.unstructuredapp.io/api/v1/jobs/?workflow_id=wf%201&status=IN_PROGRESS", Assert.Single(run.Stub.Requests).Uri.AbsoluteUri);
        Assert.Equal(3, run.Result.Total);
    }

    [Fact]
    public void Krea_passes_next_cursor_and_nextCursor_back_verbatim()
    {
        const string offsetCursor = "2026-01-01T10:00:00.000+01:00";
        var run = TestListing.Run(
            new KreaProvider(),
            new StubHandler(
                Respond.Json(KreaPageOf(offsetCursor, "next_cursor", KreaJob("a"), KreaJob("b"))),
                Respond.Json(KreaPageOf("2025-12-31T23:59:59.999Z", "nextCursor", KreaJob("c"))),
                Respond.Json(KreaPage(null, "d")))).Succeeded();

        Assert.Equal(new[] { "a", "b", "c", "d" }, run.Ids);
        Assert.Equal(
            new[]
            {
                "/jobs?limit=1000",
                "/jobs?cursor=2026-01-01T10%3A00%3A00.000%2B01%3A00&limit=1000",
                "/jobs?cursor=2025-12-31T23%3A59%3A59.999Z&limit=1000",
            },
            run.PathsAndQueries);
        Assert.Equal(offsetCursor, TestListing.QueryOf(run.Stub.Requests[1].Uri)["cursor"]);
    }

    [Fact]
    public void Krea_stops_at_an_empty_page_even_with_a_cursor()
    {
        var run = TestListing.Run(
            new KreaProvider(),
            new StubHandler(Respond.Json(KreaPage("c1", "a")), Respond.Json(KreaPage("c2")))).Succeeded();

        Assert.Equal(new[] { "a" }, run.Ids);
        Assert.Equal(2, run.Stub.Count);
    }

    [Fact]
    public void Krea_starts_at_CreatedBefore_and_sends_types_and_status()
    {
        var run = TestListing.Run(
            new KreaProvider(),
            new StubHandler(Respond.Json(KreaPage(null, "a"))),
            new JobQuery
            {
                CreatedBefore = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
                Kinds = new[] { "flux", "k1" },
                Statuses = new[] { JobStatus.Failed },
                PageSize = 50,
            }).Succeeded();

        Assert.Equal("/jobs?cursor=2026-01-02T03%3A04%3A05.000Z&limit=50&types=flux%2Ck1&status=failed", Assert.Single(run.PathsAndQueries));
    }

    [Fact]
    public void Krea_filters_a_status_with_several_raw_values_here()
    {
        var run = TestListing.Run(
            new KreaProvider(),
            new StubHandler(Respond.Json(KreaPageOf(null, "next_cursor",
                KreaJob("a", "queued"), KreaJob("b", "completed"), KreaJob("c", "backlogged"), KreaJob("d", "scheduled"), KreaJob("e", "sampling")))),
            new JobQuery { Statuses = new[] { JobStatus.Queued } }).Succeeded();

        Assert.Equal(new[] { "a", "c", "d" }, run.Ids);
        Assert.Equal("/jobs?limit=1000", Assert.Single(run.PathsAndQueries));
    }

    [Fact]
    public void Limit_3_on_Krea_is_one_request_for_3_jobs()
    {
        var run = TestListing.Run(
            new KreaProvider(),
            new StubHandler(Respond.Json(KreaPage("next", "a", "b", "c"))),
            new JobQuery { Limit = 3 }).Succeeded();

        Assert.Equal(new[] { "a", "b", "c" }, run.Ids);
        Assert.Equal("/jobs?limit=3", Assert.Single(run.PathsAndQueries));
    }

    [Fact]
    public void Limit_stops_even_when_the_server_sends_more_than_asked()
    {
        var run = TestListing.Run(
            new KreaProvider(),
            new StubHandler(Respond.Json(KreaPage("next", "a", "b", "c", "d", "e"))),
            new JobQuery { Limit = 2 }).Succeeded();

        Assert.Equal(new[] { "a", "b" }, run.Ids);
        Assert.Equal(1, run.Stub.Count);
    }

    [Fact]
    public void Limit_shrinks_the_last_page()
    {
        var run = TestListing.Run(
            new PyannoteAIV1(),
            new StubHandler(
                Respond.Json(PyannotePage(100, "a", "b")),
                Respond.Json(PyannotePage(100, "c", "d")),
                Respond.Json(PyannotePage(100, "e"))),
            new JobQuery { PageSize = 2, Limit = 5 }).Succeeded();

        Assert.Equal(new[] { "a", "b", "c", "d", "e" }, run.Ids);
        Assert.Equal(new[] { "/v1/jobs?take=2&skip=0", "/v1/jobs?take=2&skip=2", "/v1/jobs?take=1&skip=4" }, run.PathsAndQueries);
    }

    [Fact]
    public void Limit_shrinks_the_ittybit_page_after_a_full_one()
    {
        var run = TestListing.Run(
            new IttybitProvider(),
            new StubHandler(Respond.Json(IttybitPage("a", "b", "c")), Respond.Json(IttybitPage("d"))),
            new JobQuery { PageSize = 3, Limit = 4 }).Succeeded();

        Assert.Equal(new[] { "a", "b", "c", "d" }, run.Ids);
        Assert.Equal(new[] { "/jobs?limit=3", "/jobs?limit=1&after=c" }, run.PathsAndQueries);
    }

    [Fact]
    public void Limit_keeps_full_pages_when_jobs_are_filtered_here()
    {
        var run = TestListing.Run(
            new KreaProvider(),
            new StubHandler(Respond.Json(KreaPageOf("next", "next_cursor",
                KreaJob("a", "queued"), KreaJob("b", "queued"), KreaJob("c", "queued"), KreaJob("d", "completed"), KreaJob("e", "queued"), KreaJob("f", "queued")))),
            new JobQuery { Statuses = new[] { JobStatus.Queued }, Limit = 2 }).Succeeded();

        Assert.Equal(new[] { "a", "b" }, run.Ids);
        Assert.Equal("/jobs?limit=1000", Assert.Single(run.PathsAndQueries));
    }

    [Fact]
    public void Duplicate_ids_across_adjacent_pages_are_dropped()
    {
        // A job created mid-listing shifts offset pages by one: "c" comes again at the top of page 2.
        var run = TestListing.Run(
            new ConvertlyProvider(),
            new StubHandler(
                Respond.Json(ConvertlyPage(true, 7, "a", "b", "c")),
                Respond.Json(ConvertlyPage(true, 7, "c", "d", "e")),
                Respond.Json(ConvertlyPage(false, 7, "f"))),
            new JobQuery { PageSize = 3 }).Succeeded();

        Assert.Equal(new[] { "a", "b", "c", "d", "e", "f" }, run.Ids);
        Assert.Equal(new[] { "/api/jobs?limit=3&offset=0", "/api/jobs?limit=3&offset=3", "/api/jobs?limit=3&offset=6" }, run.PathsAndQueries);
    }

    [Fact]
    public void Duplicate_ids_within_a_page_are_dropped()
    {
        var run = TestListing.Run(
            new UnstructuredProvider(),
            new StubHandler(Respond.Json(UnstructuredPageOf(UnstructuredJob("a"), UnstructuredJob("b"), UnstructuredJob("a"))))).Succeeded();

        Assert.Equal(new[] { "a", "b" }, run.Ids);
    }

    [Fact]
    public void Limit_still_counts_to_the_end_when_a_page_repeats_ids()
    {
        var run = TestListing.Run(
            new ConvertlyProvider(),
            new StubHandler(
                Respond.Json(ConvertlyPage(true, 9, "a", "b")),
                Respond.Json(ConvertlyPage(true, 9, "b", "c")),
                Respond.Json(ConvertlyPage(true, 9, "d"))),
            new JobQuery { PageSize = 2, Limit = 4 }).Succeeded();

        Assert.Equal(new[] { "a", "b", "c", "d" }, run.Ids);
        Assert.Equal(new[] { "/api/jobs?limit=2&offset=0", "/api/jobs?limit=2&offset=2", "/api/jobs?limit=1&offset=4" }, run.PathsAndQueries);
    }

    [Fact]
    public void CreatedAfter_stops_paging_on_a_newest_first_provider()
    {
        var run = TestListing.Run(
            new PyannoteAIV1(),
            new StubHandler(
                Respond.Json(PyannotePageOf(9,
                    PyannoteJob("a", createdAt: "2026-01-01T15:00:00Z"),
                    PyannoteJob("b", createdAt: "2026-01-01T14:00:00Z"),
                    PyannoteJob("c", createdAt: "2026-01-01T13:00:00Z"))),
                Respond.Json(PyannotePageOf(9,
                    PyannoteJob("d", createdAt: "2026-01-01T12:00:00Z"),
                    PyannoteJob("e", createdAt: "2026-01-01T11:59:59Z"),
                    PyannoteJob("f", createdAt: "2026-01-01T11:00:00Z")))),
            new JobQuery { PageSize = 3, CreatedAfter = new DateTime(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc) }).Succeeded();

        // CreatedAfter is inclusive; the first older job ends the listing, and page 3 is never asked for.
        Assert.Equal(new[] { "a", "b", "c", "d" }, run.Ids);
        Assert.Equal(2, run.Stub.Count);
    }

    [Fact]
    public void CreatedAfter_stops_ittybit_at_the_first_older_job()
    {
        var run = TestListing.Run(
            new IttybitProvider(),
            new StubHandler(Respond.Json("[" + IttybitJob("new", createdAt: 1711900002000) + "," + IttybitJob("old", createdAt: 1711899999999) + "," + IttybitJob("newer-again", createdAt: 1711900003000) + "]")),
            new JobQuery { CreatedAfter = new DateTime(2024, 3, 31, 15, 46, 40, DateTimeKind.Utc) }).Succeeded();

        Assert.Equal(new[] { "new" }, run.Ids);
    }

    [Fact]
    public void A_page_that_reaches_past_CreatedAfter_is_the_last_one_requested()
    {
        var run = TestListing.Run(
            new KreaProvider(),
            new StubHandler(Respond.Json(KreaPageOf("more", "next_cursor",
                KreaJob("new", createdAt: "2026-03-01T00:00:00Z"),
                KreaJob("old", createdAt: "2026-01-01T00:00:00Z")))),
            new JobQuery { CreatedAfter = new DateTime(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc) }).Succeeded();

        Assert.Equal(new[] { "new" }, run.Ids);
        Assert.Equal(1, run.Stub.Count);
    }

    [Fact]
    public void Limit_on_an_unpaged_provider_cuts_the_one_page()
    {
        var run = TestListing.Run(
            new UnstructuredProvider(),
            new StubHandler(Respond.Json(UnstructuredPageOf(UnstructuredJob("a"), UnstructuredJob("b"), UnstructuredJob("c")))),
            new JobQuery { Limit = 2, PageSize = 1 }).Succeeded();

        Assert.Equal(new[] { "a", "b" }, run.Ids);
        Assert.Equal("/api/v1/jobs/", Assert.Single(run.PathsAndQueries));
    }

    [Fact]
    public void CreatedAfter_only_filters_an_unordered_provider()
    {
        var run = TestListing.Run(
            new UnstructuredProvider(),
            new StubHandler(Respond.Json(UnstructuredPageOf(
                UnstructuredJob("old", createdAt: "2025-06-01T00:00:00Z"),
                UnstructuredJob("new", createdAt: "2026-06-01T00:00:00Z"),
                UnstructuredJob("older", createdAt: "2024-06-01T00:00:00Z"),
                UnstructuredJob("newest", createdAt: "2026-07-01T00:00:00Z")))),
            new JobQuery { CreatedAfter = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) }).Succeeded();

        Assert.Equal(new[] { "new", "newest" }, run.Ids);
    }

    [Fact]
    public void CreatedBefore_is_filtered_here_where_the_server_cannot()
    {
        var run = TestListing.Run(
            new ConvertlyProvider(),
            new StubHandler(Respond.Json(ConvertlyPageOf(false, 3,
                ConvertlyJob("too-new", createdAt: "2026-01-01T00:00:00Z"),
                ConvertlyJob("edge", createdAt: "2025-12-31T23:59:59.999Z"),
                ConvertlyJob("old", createdAt: "2025-06-01T00:00:00Z")))),
            new JobQuery { CreatedBefore = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) }).Succeeded();

        Assert.Equal(new[] { "edge", "old" }, run.Ids);
        Assert.Equal("/api/jobs?limit=100&offset=0", Assert.Single(run.PathsAndQueries));
    }

    [Fact]
    public void Every_job_carries_the_endpoint_account()
    {
        var run = TestListing.Run(new KreaProvider(), new StubHandler(Respond.Json(KreaPage(null, "a", "b"))), account: "team-blue").Succeeded();

        Assert.All(run.Jobs, job => Assert.Equal("team-blue", job.Account));
        Assert.Equal(2, run.Jobs.Count);
    }

    [Fact]
    public void Every_request_asks_for_JSON_with_a_GET()
    {
        var run = TestListing.Run(
            new PyannoteAIV1(),
            new StubHandler(Respond.Json(PyannotePage(3, "a", "b")), Respond.Json(PyannotePage(3, "c"))),
            new JobQuery { PageSize = 2 }).Succeeded();

        Assert.Equal(2, run.Stub.Count);
        Assert.All(run.Stub.Requests, request =>
        {
            Assert.Equal(HttpMethod.Get, request.Method);
            Assert.Equal("application/json", request.Header("Accept"));
        });
    }

    [Fact]
    public void Each_request_is_logged_without_its_key()
    {
        var run = TestListing.Run(
            new PyannoteAIV1(),
            new StubHandler(Respond.Json(PyannotePage(3, "a", "b")), Respond.Json(PyannotePage(3, "c"))),
            new JobQuery { PageSize = 2 }).Succeeded();

        var verbose = run.Messages.Where(message => message.Kind == LogMessageKind.Verbose).ToList();
        Assert.Equal(2, verbose.Count);
        Assert.StartsWith("PyannoteAI GET https://api.pyannote.ai/v1/jobs?take=2&skip=0 -> 200, 2 jobs, ", verbose[0].Text, StringComparison.Ordinal);
        Assert.StartsWith("PyannoteAI GET https://api.pyannote.ai/v1/jobs?take=2&skip=2 -> 200, 1 jobs, ", verbose[1].Text, StringComparison.Ordinal);
        Assert.All(run.Messages, message => Assert.DoesNotContain(TestListing.Key, message.Text, StringComparison.Ordinal));
    }
}

/// <summary>Next pages that would loop or leave the provider's host.</summary>
public class PagingSafetyTests
{
    [Fact]
    public void A_repeated_Krea_cursor_ends_with_PagingLoop_after_the_page_is_out()
    {
        var run = TestListing.Run(
            new KreaProvider(),
            new StubHandler(Respond.Json(KreaPage("same", "a", "b")), Respond.Json(KreaPage("same", "c", "d"))));

        Assert.Equal(new[] { "a", "b", "c", "d" }, run.Ids);
        var error = run.Failure();
        Assert.Equal(ProviderErrorKind.PagingLoop, error.Kind);
        Assert.Equal("Krea", error.Provider);
        Assert.Equal("https://api.krea.ai/jobs?cursor=same&limit=1000", error.RequestUri!.AbsoluteUri);
        Assert.Contains("Krea", error.Message, StringComparison.Ordinal);
        Assert.Contains("cursor=same", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, run.Stub.Count);
    }

    [Fact]
    public void A_Link_back_to_the_same_page_ends_with_PagingLoop()
    {
        var run = TestListing.Run(
            new IttybitProvider(),
            new StubHandler(Respond.Json(IttybitPage("a", "b")).WithHeader("Link", "<https://api.ittybit.com/jobs?limit=2>; rel=\"next\"")),
            new JobQuery { PageSize = 2 });

        Assert.Equal(new[] { "a", "b" }, run.Ids);
        Assert.Equal(ProviderErrorKind.PagingLoop, run.Failure().Kind);
        Assert.Equal(1, run.Stub.Count);
    }

    [Fact]
    public void A_loop_is_not_reported_when_the_consumer_stopped_first()
    {
        var stub = new StubHandler(Respond.Json(KreaPage("same", "a", "b", "c", "d")), Respond.Json(KreaPage("same", "e", "f", "g", "h")));
        var lister = new JobLister(new HttpClient(stub));

        var first = lister.List(TestListing.Endpoint(new KreaProvider()), new JobQuery(), TestListing.Fast.Call(new CallLog(), default), new ListingCounts()).Take(5).ToList();

        Assert.Equal(new[] { "a", "b", "c", "d", "e" }, first.Select(job => job.Id));
    }

    [Theory]
    [InlineData("https://evil.example.net/jobs?after=b")]
    [InlineData("http://api.ittybit.com/jobs?after=b")]
    [InlineData("https://api.ittybit.com:8443/jobs?after=b")]
    [InlineData("https://api.ittybit.com.evil.example.net/jobs?after=b")]
    public void A_Link_to_another_origin_ends_with_UnsafeRedirect_and_no_request_there(string next)
    {
        var run = TestListing.Run(
            new IttybitProvider(),
            new StubHandler(Respond.Json(IttybitPage("a", "b")).WithHeader("Link", $"<{next}>; rel=\"next\"")),
            new JobQuery { PageSize = 2 });

        Assert.Equal(new[] { "a", "b" }, run.Ids);
        var error = run.Failure();
        Assert.Equal(ProviderErrorKind.UnsafeRedirect, error.Kind);
        Assert.Equal(next, error.RequestUri!.AbsoluteUri);
        Assert.Contains("https://api.ittybit.com", error.Message, StringComparison.Ordinal);
        var request = Assert.Single(run.Stub.Requests);
        Assert.Equal("https://api.ittybit.com/jobs?limit=2", request.Uri.AbsoluteUri);
    }

    [Fact]
    public void A_Link_elsewhere_on_the_same_host_is_followed()
    {
        var run = TestListing.Run(
            new IttybitProvider(),
            new StubHandler(Respond.Json(IttybitPage("a", "b")).WithHeader("Link", "<https://api.ittybit.com/v2/jobs?after=b>; rel=\"next\""), Respond.Json("[]")),
            new JobQuery { PageSize = 2 }).Succeeded();

        Assert.Equal("/v2/jobs?after=b", run.Stub.Requests[1].Uri.PathAndQuery);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public void A_redirect_response_is_not_followed(int status)
    {
        var run = TestListing.Run(
            new KreaProvider(),
            new StubHandler(Respond.Status(status).WithHeader("Location", "https://elsewhere.example.net/jobs")));

        var error = run.Failure();
        Assert.Equal(ProviderErrorKind.UnsafeRedirect, error.Kind);
        Assert.Equal(status, error.StatusCode);
        Assert.Contains("redirects are not followed", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, run.Stub.Count);
    }
}
