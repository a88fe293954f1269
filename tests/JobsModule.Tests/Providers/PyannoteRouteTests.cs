using System.Net;
using static JobsModule.Tests.Support.Bodies;

namespace JobsModule.Tests;

/// <summary>pyannoteAI's published /v2/jobs route, and the /v1/jobs route it falls back to where a base URL has only that.</summary>
public class PyannoteRouteTests
{
    private const string Cursor1 = "0b5e8a3c-1f0e-4c4e-9d55-0a1b2c3d4e01";
    private const string Cursor2 = "0b5e8a3c-1f0e-4c4e-9d55-0a1b2c3d4e02";

    // The fallback is remembered per base URL for the life of the process: each test that may trigger it uses its own.
    private static Uri UniqueBase() => new($"https://pyannote-{Guid.NewGuid():N}.example.com/gw");

    [Fact]
    public void V2_passes_nextCursor_back_verbatim_until_it_is_null()
    {
        var run = TestListing.Run(
            new PyannoteAIProvider(),
            new StubHandler(
                Respond.Json(PyannoteV2Page(Cursor1, "a", "b")),
                Respond.Json(PyannoteV2Page(Cursor2, "c", "d")),
                Respond.Json(PyannoteV2Page(null, "e"))),
            new JobQuery { PageSize = 2 }).Succeeded();

        Assert.Equal(new[] { "a", "b", "c", "d", "e" }, run.Ids);
        Assert.Equal(new[] { "/v2/jobs?limit=2", $"/v2/jobs?limit=2&cursor={Cursor1}", $"/v2/jobs?limit=2&cursor={Cursor2}" }, run.PathsAndQueries);
        Assert.Null(run.Result.Total);
        Assert.Equal(3, run.Stub.Requests.Count);
    }

    [Fact]
    public void V2_asks_for_the_maximum_and_sends_the_status_to_the_server()
    {
        var run = TestListing.Run(
            new PyannoteAIProvider(),
            new StubHandler(Respond.Json(PyannoteV2Page(null, "a"))),
            new JobQuery { Statuses = new[] { JobStatus.Running } }).Succeeded();

        Assert.Equal("https://api.pyannote.ai/v2/jobs?limit=100&status=running", Assert.Single(run.Stub.Requests).Uri.AbsoluteUri);
    }

    [Fact]
    public void V2_First_5_is_one_request_for_5()
    {
        var run = TestListing.Run(
            new PyannoteAIProvider(),
            new StubHandler(Respond.Json(PyannoteV2Page(Cursor1, "a", "b", "c", "d", "e"))),
            new JobQuery { Limit = 5 }).Succeeded();

        Assert.Equal(5, run.Jobs.Count);
        Assert.Equal("/v2/jobs?limit=5", Assert.Single(run.PathsAndQueries));
    }

    [Fact]
    public void V2_stops_at_the_first_job_older_than_CreatedAfter()
    {
        var run = TestListing.Run(
            new PyannoteAIProvider(),
            new StubHandler(Respond.Json(PyannoteV2PageOf(
                Cursor1,
                PyannoteJob("new", createdAt: "2026-01-01T12:00:00Z"),
                PyannoteJob("old", createdAt: "2026-01-01T10:00:00Z")))),
            new JobQuery { CreatedAfter = new DateTime(2026, 1, 1, 11, 0, 0, DateTimeKind.Utc) }).Succeeded();

        Assert.Equal(new[] { "new" }, run.Ids);
        Assert.Equal(1, run.Stub.Count);
    }

    [Fact]
    public void An_empty_string_cursor_ends_the_listing_like_null()
    {
        var run = TestListing.Run(new PyannoteAIProvider(), new StubHandler(Respond.Json(PyannoteV2Page(string.Empty, "a")))).Succeeded();

        Assert.Equal(new[] { "a" }, run.Ids);
        Assert.Equal(1, run.Stub.Count);
    }

    [Fact]
    public void An_empty_page_ends_the_listing_whatever_its_cursor()
    {
        var run = TestListing.Run(new PyannoteAIProvider(), new StubHandler(Respond.Json(PyannoteV2Page("a", "x")), Respond.Json(PyannoteV2Page("b")))).Succeeded();

        Assert.Equal(new[] { "x" }, run.Ids);
        Assert.Equal(2, run.Stub.Count);
    }

    [Fact]
    public void A_base_url_without_v2_falls_back_to_v1_says_so_once_and_remembers_it()
    {
        var baseUri = UniqueBase();
        var stub = new StubHandler((request, _) => request.Uri.AbsolutePath.EndsWith("/v2/jobs", StringComparison.Ordinal)
            ? Respond.Json("""{"requestId":"r1","message":"Cannot GET /v2/jobs"}""", HttpStatusCode.NotFound)
            : Respond.Json(PyannotePage(3, "a", "b", "c")));

        var first = TestListing.Run(new PyannoteAIProvider(), stub, baseUri: baseUri).Succeeded();

        Assert.Equal(new[] { "a", "b", "c" }, first.Ids);
        Assert.Equal(new[] { "/gw/v2/jobs?limit=100", "/gw/v1/jobs?take=100&skip=0" }, first.PathsAndQueries);
        Assert.Equal(3, first.Result.Total);
        var note = Assert.Single(first.Messages, message => message.Text.Contains("instead", StringComparison.Ordinal));
        Assert.Equal(LogMessageKind.Verbose, note.Kind);
        Assert.Contains("404", note.Text, StringComparison.Ordinal);
        Assert.Contains("/gw/v2/jobs", note.Text, StringComparison.Ordinal);

        // The next listing at the same base URL goes straight to /v1/jobs, and says nothing more.
        var second = TestListing.Run(new PyannoteAIProvider(), stub, baseUri: baseUri).Succeeded();
        Assert.Equal(new[] { "/gw/v2/jobs?limit=100", "/gw/v1/jobs?take=100&skip=0", "/gw/v1/jobs?take=100&skip=0" }, stub.PathsAndQueries);
        Assert.DoesNotContain(second.Messages, message => message.Text.Contains("instead", StringComparison.Ordinal));

        // Another base URL still tries /v2/jobs first.
        var elsewhere = TestListing.Run(new PyannoteAIProvider(), new StubHandler(Respond.Json(PyannoteV2Page(null, "z"))), baseUri: UniqueBase()).Succeeded();
        Assert.Equal(new[] { "z" }, elsewhere.Ids);
    }

    [Fact]
    public void A_remembered_v1_that_answers_404_is_followed_by_v2_once_and_forgotten()
    {
        var baseUri = UniqueBase();
        var v2Live = false;
        var stub = new StubHandler((request, _) =>
        {
            var v2 = request.Uri.AbsolutePath.EndsWith("/v2/jobs", StringComparison.Ordinal);
            return v2 == v2Live
                ? Respond.Json(v2 ? PyannoteV2Page(null, "n1", "n2") : PyannotePage(1, "o1"))
                : Respond.Json("""{"requestId":"r1","message":"Cannot GET"}""", HttpStatusCode.NotFound);
        });
        TestListing.Run(new PyannoteAIProvider(), stub, baseUri: baseUri).Succeeded();

        // The deployment moves on to v2 only.
        v2Live = true;
        var moved = TestListing.Run(new PyannoteAIProvider(), stub, baseUri: baseUri).Succeeded();

        Assert.Equal(new[] { "n1", "n2" }, moved.Ids);
        Assert.Equal(new[] { "/gw/v2/jobs?limit=100", "/gw/v1/jobs?take=100&skip=0", "/gw/v1/jobs?take=100&skip=0", "/gw/v2/jobs?limit=100" }, stub.PathsAndQueries);
        var note = Assert.Single(moved.Messages, message => message.Text.Contains("trying", StringComparison.Ordinal));
        Assert.Equal(LogMessageKind.Verbose, note.Kind);
        Assert.Equal(
            "PyannoteAI answered 404 to /gw/v1/jobs, the older route this session had remembered for this base URL (the deployment may have moved on); trying /gw/v2/jobs again, and listing with it from now on if it answers.",
            note.Text);

        // Forgotten: the next listing starts with v2 and says nothing.
        var next = TestListing.Run(new PyannoteAIProvider(), stub, baseUri: baseUri).Succeeded();
        Assert.Equal("/gw/v2/jobs?limit=100", stub.PathsAndQueries[4]);
        Assert.Equal(5, stub.Count);
        Assert.DoesNotContain(next.Messages, message => message.Text.Contains("trying", StringComparison.Ordinal));
    }

    [Fact]
    public void When_both_routes_answer_404_after_the_fallback_the_listing_fails_after_one_retry_of_v2()
    {
        var baseUri = UniqueBase();
        var gone = false;
        var stub = new StubHandler((request, _) => !gone && request.Uri.AbsolutePath.EndsWith("/v1/jobs", StringComparison.Ordinal)
            ? Respond.Json(PyannotePage(1, "o1"))
            : Respond.Json("""{"requestId":"r1","message":"Cannot GET"}""", HttpStatusCode.NotFound));
        TestListing.Run(new PyannoteAIProvider(), stub, baseUri: baseUri).Succeeded();

        gone = true;
        var run = TestListing.Run(new PyannoteAIProvider(), stub, baseUri: baseUri);

        Assert.Equal(ProviderErrorKind.NotFound, run.Failure().Kind);
        Assert.Equal(new[] { "/gw/v1/jobs?take=100&skip=0", "/gw/v2/jobs?limit=100" }, stub.PathsAndQueries.Skip(2));
    }

    [Fact]
    public void The_fallback_keeps_the_page_size_and_the_status()
    {
        var baseUri = UniqueBase();
        var stub = new StubHandler(
            Respond.Json("""{"requestId":"r1","message":"Cannot GET /v2/jobs"}""", HttpStatusCode.NotFound),
            Respond.Json(PyannotePageOf(10, PyannoteJob("a", "failed"), PyannoteJob("b", "failed"), PyannoteJob("c", "failed"))),
            Respond.Json(PyannotePageOf(10, PyannoteJob("d", "failed"))));

        var run = TestListing.Run(new PyannoteAIProvider(), stub, new JobQuery { Limit = 4, PageSize = 3, Statuses = new[] { JobStatus.Failed } }, baseUri: baseUri).Succeeded();

        Assert.Equal(new[] { "a", "b", "c", "d" }, run.Ids);
        Assert.Equal(new[] { "/gw/v2/jobs?limit=3&status=failed", "/gw/v1/jobs?take=3&skip=0&status=failed", "/gw/v1/jobs?take=1&skip=3&status=failed" }, run.PathsAndQueries);
    }

    [Fact]
    public void When_v1_is_missing_too_the_error_is_the_404_and_nothing_is_remembered()
    {
        var baseUri = UniqueBase();
        var stub = new StubHandler((_, _) => Respond.Json("""{"requestId":"r1","message":"Cannot GET"}""", HttpStatusCode.NotFound));

        var run = TestListing.Run(new PyannoteAIProvider(), stub, baseUri: baseUri, options: TestListing.Fast);

        Assert.Equal(ProviderErrorKind.NotFound, run.Failure().Kind);
        Assert.Equal(new[] { "/gw/v2/jobs?limit=100", "/gw/v1/jobs?take=100&skip=0" }, run.PathsAndQueries);

        TestListing.Run(new PyannoteAIProvider(), stub, baseUri: baseUri);
        Assert.Equal("/gw/v2/jobs?limit=100", stub.PathsAndQueries[2]);
    }

    [Fact]
    public void Other_failures_on_v2_do_not_fall_back()
    {
        var run = TestListing.Run(
            new PyannoteAIProvider(),
            new StubHandler(Respond.Json("""{"requestId":"r1","message":"Invalid API key"}""", HttpStatusCode.Unauthorized)),
            baseUri: UniqueBase());

        Assert.Equal(ProviderErrorKind.Authentication, run.Failure().Kind);
        Assert.Equal(1, run.Stub.Count);
    }

    [Fact]
    public void A_404_on_a_later_v2_page_is_an_error_not_a_fallback()
    {
        var run = TestListing.Run(
            new PyannoteAIProvider(),
            new StubHandler(
                Respond.Json(PyannoteV2Page(Cursor1, "a", "b")),
                Respond.Json("""{"requestId":"r1","message":"Cursor not found"}""", HttpStatusCode.NotFound)),
            new JobQuery { PageSize = 2 },
            baseUri: UniqueBase());

        Assert.Equal(new[] { "a", "b" }, run.Ids);
        Assert.Equal(ProviderErrorKind.NotFound, run.Failure().Kind);
        Assert.Equal(2, run.Stub.Count);
    }

    [Fact]
    public void The_single_job_reads_output_error_and_warning()
    {
        var provider = new PyannoteAIProvider();
        var failed = Assert.IsType<PyannoteAIJob>(provider.ReadJob(TestListing.Parse(
            """{"jobId":"p1","status":"failed","createdAt":"2026-01-01T00:00:00Z","output":{"diarization":[],"error":"Audio could not be decoded"}}""")));
        var warned = Assert.IsType<PyannoteAIJob>(provider.ReadJob(TestListing.Parse(
            """{"jobId":"p2","status":"succeeded","createdAt":"2026-01-01T00:00:00Z","output":{"diarization":[],"warning":"Audio is mostly silence"}}""")));

        Assert.Equal("Audio could not be decoded", failed.Error);
        Assert.Null(failed.Warning);
        Assert.Equal("Audio is mostly silence", warned.Warning);
        Assert.Null(warned.Error);
        Assert.Null(warned.UnreadableFields);
    }
}
