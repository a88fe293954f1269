using JobsModule.Listing;
using JobsModule.Providers;
using JobsModule.Tests.Support;

namespace JobsModule.Tests;

/// <summary>Each adapter's list URLs, as exact strings.</summary>
public class PageUriTests
{
    private const string Tricky = "a&b=c d#é+/?";
    private const string TrickyEscaped = "a%26b%3Dc%20d%23%C3%A9%2B%2F%3F";

    private static string Url(IJobProvider provider, ServerQuery query, int pageSize, string? cursor = null, string? baseUri = null) =>
        provider.PageUri(new Uri(baseUri ?? provider.Info.DefaultBaseUri.AbsoluteUri), query, pageSize, cursor).AbsoluteUri;

    [Fact]
    public void PyannoteAI_first_and_later_pages()
    {
        var provider = new PyannoteAIProvider();
        const string Cursor = "a1b2c3d4-e5f6-7890-abcd-ef1234567890";

        Assert.Equal("https://api.pyannote.ai/v2/jobs?limit=100", Url(provider, new ServerQuery(), 100));
        Assert.Equal($"https://api.pyannote.ai/v2/jobs?limit=25&cursor={Cursor}&status=running", Url(provider, new ServerQuery { Status = "running" }, 25, Cursor));
    }

    [Fact]
    public void PyannoteAI_older_route_pages_by_take_and_skip()
    {
        var provider = new PyannoteAIV1();

        Assert.Equal("https://api.pyannote.ai/v1/jobs?take=100&skip=0", Url(provider, new ServerQuery(), 100));
        Assert.Equal("https://api.pyannote.ai/v1/jobs?take=25&skip=50&status=running", Url(provider, new ServerQuery { Status = "running" }, 25, "50"));
    }

    [Fact]
    public void Ittybit_first_and_later_pages()
    {
        var provider = new IttybitProvider();
        var query = new ServerQuery { Status = "failed", Kinds = new[] { "video" }, InputUri = "https://example.com/in.mp4" };

        Assert.Equal("https://api.ittybit.com/jobs?limit=100", Url(provider, new ServerQuery(), 100));
        Assert.Equal(
            "https://api.ittybit.com/jobs?limit=20&after=job_abc&kind=video&status=failed&input=https%3A%2F%2Fexample.com%2Fin.mp4",
            Url(provider, query, 20, "job_abc"));
    }

    [Fact]
    public void Ittybit_sends_no_kind_for_several_kinds()
    {
        var url = Url(new IttybitProvider(), new ServerQuery { Kinds = new[] { "video", "audio" } }, 10);

        Assert.Equal("https://api.ittybit.com/jobs?limit=10", url);
    }

    [Fact]
    public void Convertly_first_and_later_pages()
    {
        var provider = new ConvertlyProvider();

        Assert.Equal("https://convertly.sh/api/jobs?limit=100&offset=0", Url(provider, new ServerQuery(), 100));
        Assert.Equal("https://convertly.sh/api/jobs?limit=10&offset=30&status=processing", Url(provider, new ServerQuery { Status = "processing" }, 10, "30"));
    }

    [Fact]
    public void Unstructured_has_no_paging_parameters()
    {
        var provider = new UnstructuredProvider();

        Assert.Equal("https://platform.unstructuredapp.io/api/v1/jobs/", Url(provider, new ServerQuery(), 0));
        Assert.Equal(
            "https://platform.unstructuredapp.io/api/v1/jobs/?workflow_id=wf-1&status=IN_PROGRESS",
            Url(provider, new ServerQuery { WorkflowId = "wf-1", Status = "IN_PROGRESS" }, 0));
    }

    [Theory]
    [InlineData("https://platform.unstructuredapp.io", "https://platform.unstructuredapp.io/api/v1/jobs/")]
    [InlineData("https://platform.unstructuredapp.io/", "https://platform.unstructuredapp.io/api/v1/jobs/")]
    [InlineData("https://platform.unstructuredapp.io/api/v1", "https://platform.unstructuredapp.io/api/v1/jobs/")]
    [InlineData("https://platform.unstructuredapp.io/api/v1/", "https://platform.unstructuredapp.io/api/v1/jobs/")]
    [InlineData("https://platform.unstructuredapp.io/API/V1", "https://platform.unstructuredapp.io/API/V1/jobs/")]
    [InlineData("https://acme.unstructuredapp.io/gw/api/v1", "https://acme.unstructuredapp.io/gw/api/v1/jobs/")]
    [InlineData("https://gw.example.com/unstructured", "https://gw.example.com/unstructured/api/v1/jobs/")]
    [InlineData("http://localhost:8080", "http://localhost:8080/api/v1/jobs/")]
    public void Unstructured_never_doubles_api_v1(string baseUri, string expected)
    {
        Assert.Equal(expected, Url(new UnstructuredProvider(), new ServerQuery(), 0, baseUri: baseUri));
    }

    [Fact]
    public void Krea_first_and_later_pages()
    {
        var provider = new KreaProvider();

        Assert.Equal("https://api.krea.ai/jobs?limit=1000", Url(provider, new ServerQuery(), 1000));
        Assert.Equal(
            "https://api.krea.ai/jobs?cursor=2026-01-01T00%3A00%3A00.000Z&limit=50&types=flux%2Ck1&status=completed",
            Url(provider, new ServerQuery { Kinds = new[] { "flux", "k1" }, Status = "completed" }, 50, "2026-01-01T00:00:00.000Z"));
    }

    [Fact]
    public void Krea_passes_a_cursor_with_an_offset_back_verbatim()
    {
        var uri = new KreaProvider().PageUri(new Uri("https://api.krea.ai"), new ServerQuery(), 100, "2026-01-01T10:00:00.123456+01:00");

        Assert.Equal("https://api.krea.ai/jobs?cursor=2026-01-01T10%3A00%3A00.123456%2B01%3A00&limit=100", uri.AbsoluteUri);

        // A server that decodes the query gets the cursor back exactly, '+' included (not a space).
        Assert.Equal("2026-01-01T10:00:00.123456+01:00", TestListing.QueryOf(uri)["cursor"]);
    }

    [Fact]
    public void Krea_starts_at_CreatedBefore_as_a_UTC_millisecond_cursor()
    {
        var query = new ServerQuery { CreatedBefore = new DateTime(2026, 5, 6, 7, 8, 9, 120, DateTimeKind.Utc) };

        Assert.Equal("https://api.krea.ai/jobs?cursor=2026-05-06T07%3A08%3A09.120Z&limit=10", Url(new KreaProvider(), query, 10));
    }

    [Fact]
    public void Krea_prefers_the_cursor_to_CreatedBefore()
    {
        var query = new ServerQuery { CreatedBefore = new DateTime(2026, 5, 6, 7, 8, 9, DateTimeKind.Utc) };

        Assert.Equal("https://api.krea.ai/jobs?cursor=next-one&limit=10", Url(new KreaProvider(), query, 10, "next-one"));
    }

    [Theory]
    [InlineData("https://gw.example.com/ittybit", "https://gw.example.com/ittybit/jobs?limit=5")]
    [InlineData("https://gw.example.com/ittybit/", "https://gw.example.com/ittybit/jobs?limit=5")]
    [InlineData("https://gw.example.com/a/b/", "https://gw.example.com/a/b/jobs?limit=5")]
    [InlineData("http://127.0.0.1:5055", "http://127.0.0.1:5055/jobs?limit=5")]
    public void Ittybit_keeps_a_path_prefix(string baseUri, string expected)
    {
        Assert.Equal(expected, Url(new IttybitProvider(), new ServerQuery(), 5, baseUri: baseUri));
    }

    [Fact]
    public void Every_provider_keeps_a_path_prefix()
    {
        Assert.Equal("https://gw.example.com/p/v2/jobs?limit=5", Url(new PyannoteAIProvider(), new ServerQuery(), 5, baseUri: "https://gw.example.com/p"));
        Assert.Equal("https://gw.example.com/p/v1/jobs?take=5&skip=0", Url(new PyannoteAIV1(), new ServerQuery(), 5, baseUri: "https://gw.example.com/p"));
        Assert.Equal("https://gw.example.com/c/api/jobs?limit=5&offset=0", Url(new ConvertlyProvider(), new ServerQuery(), 5, baseUri: "https://gw.example.com/c/"));
        Assert.Equal("https://gw.example.com/k/jobs?limit=5", Url(new KreaProvider(), new ServerQuery(), 5, baseUri: "https://gw.example.com/k"));
    }

    [Fact]
    public void Ittybit_escapes_query_values()
    {
        var uri = new IttybitProvider().PageUri(new Uri("https://api.ittybit.com"), new ServerQuery { InputUri = Tricky, Status = "queued" }, 10, null);

        Assert.Equal($"https://api.ittybit.com/jobs?limit=10&status=queued&input={TrickyEscaped}", uri.AbsoluteUri);
        var parameters = TestListing.QueryOf(uri);
        Assert.Equal(new[] { "limit", "status", "input" }, parameters.Keys);
        Assert.Equal(Tricky, parameters["input"]);
        Assert.Equal(string.Empty, uri.Fragment);
    }

    [Fact]
    public void Unstructured_escapes_query_values()
    {
        var uri = new UnstructuredProvider().PageUri(new Uri("https://platform.unstructuredapp.io/api/v1"), new ServerQuery { WorkflowId = Tricky }, 0, null);

        Assert.Equal($"https://platform.unstructuredapp.io/api/v1/jobs/?workflow_id={TrickyEscaped}", uri.AbsoluteUri);
        Assert.Equal(Tricky, Assert.Single(TestListing.QueryOf(uri)).Value);
    }

    [Fact]
    public void Krea_escapes_cursor_and_types()
    {
        var uri = new KreaProvider().PageUri(new Uri("https://api.krea.ai"), new ServerQuery { Kinds = new[] { "a&b", "c d" } }, 10, Tricky);

        var parameters = TestListing.QueryOf(uri);
        Assert.Equal(new[] { "cursor", "limit", "types" }, parameters.Keys);
        Assert.Equal(Tricky, parameters["cursor"]);
        Assert.Equal("a&b,c d", parameters["types"]);
        Assert.Equal(string.Empty, uri.Fragment);
    }

    [Fact]
    public void Cursors_from_offset_providers_are_escaped_too()
    {
        var uri = new ConvertlyProvider().PageUri(new Uri("https://convertly.sh"), new ServerQuery(), 10, "1&limit=1000");

        Assert.Equal("https://convertly.sh/api/jobs?limit=10&offset=1%26limit%3D1000", uri.AbsoluteUri);
    }
}
