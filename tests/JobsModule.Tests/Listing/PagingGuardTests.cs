using static JobsModule.Tests.Support.Bodies;

namespace JobsModule.Tests;

/// <summary>
/// What keeps a listing exact and finite when the provider misbehaves: the one-page window of repeated
/// ids, a page that does not advance, a total that drops (the next page goes back), Has-More, and quoted Link parameters.
/// </summary>
public class PagingGuardTests
{
    [Fact]
    public void A_page_of_jobs_already_listed_ends_with_PagingLoop_instead_of_looping()
    {
        var run = TestListing.Run(
            new ConvertlyProvider(),
            new StubHandler(
                Respond.Json(ConvertlyPage(true, 9, "a", "b")),
                Respond.Json(ConvertlyPage(true, 9, "a", "b"))),
            new JobQuery { PageSize = 2 });

        Assert.Equal(new[] { "a", "b" }, run.Ids);
        var error = run.Failure();
        Assert.Equal(ProviderErrorKind.PagingLoop, error.Kind);
        Assert.Equal("Convertly", error.Provider);
        Assert.Equal("https://convertly.sh/api/jobs?limit=2&offset=4", error.RequestUri!.AbsoluteUri);
        Assert.Equal(
            "Convertly sent a page of jobs that were all already listed, so the listing is not advancing; it stops here instead of looping (next page was https://convertly.sh/api/jobs?limit=2&offset=4).",
            error.Message);
        Assert.Equal(2, run.Stub.Count);
    }

    [Fact]
    public void A_page_with_one_new_job_among_repeats_goes_on()
    {
        var run = TestListing.Run(
            new ConvertlyProvider(),
            new StubHandler(
                Respond.Json(ConvertlyPage(true, 9, "a", "b")),
                Respond.Json(ConvertlyPage(true, 9, "b", "c")),
                Respond.Json(ConvertlyPage(false, 9, "d"))),
            new JobQuery { PageSize = 2 }).Succeeded();

        Assert.Equal(new[] { "a", "b", "c", "d" }, run.Ids);
        Assert.Equal(3, run.Stub.Count);
    }

    [Fact]
    public void A_repeated_last_page_with_no_next_page_ends_quietly()
    {
        // Nothing would be asked for next, so there is no loop to stop: the listing just ends.
        var run = TestListing.Run(
            new ConvertlyProvider(),
            new StubHandler(
                Respond.Json(ConvertlyPage(true, 4, "a", "b")),
                Respond.Json(ConvertlyPage(false, 4, "a", "b"))),
            new JobQuery { PageSize = 2 }).Succeeded();

        Assert.Equal(new[] { "a", "b" }, run.Ids);
        Assert.Equal(2, run.Stub.Count);
    }

    [Fact]
    public void The_window_of_repeated_ids_is_one_page_so_memory_stays_flat()
    {
        // Ids are remembered for the page before this one only; an id from two pages back is a job the
        // provider moved a whole page, and it is written again rather than kept in a set of every id.
        var run = TestListing.Run(
            new ConvertlyProvider(),
            new StubHandler(
                Respond.Json(ConvertlyPage(true, 9, "a", "b")),
                Respond.Json(ConvertlyPage(true, 9, "c", "d")),
                Respond.Json(ConvertlyPage(true, 9, "a", "e")),
                Respond.Json(ConvertlyPage(false, 9, "e", "f"))),
            new JobQuery { PageSize = 2 }).Succeeded();

        Assert.Equal(new[] { "a", "b", "c", "d", "a", "e", "f" }, run.Ids);
    }

    /// <summary>pyannoteAI's /v1/jobs over a list that <paramref name="change"/> alters after the page of each request index.</summary>
    private static StubHandler PyannoteV1Over(List<string> jobs, Action<List<string>, int> change) =>
        new((request, index) =>
        {
            var query = TestListing.QueryOf(request.Uri);
            var skip = int.Parse(query["skip"], System.Globalization.CultureInfo.InvariantCulture);
            var take = int.Parse(query["take"], System.Globalization.CultureInfo.InvariantCulture);
            var page = Respond.Json(PyannotePage(jobs.Count, jobs.Skip(skip).Take(take).ToArray()));
            change(jobs, index);
            return page;
        });

    [Fact]
    public void A_total_that_drops_mid_listing_has_the_next_page_go_back_for_the_jobs_it_may_have_skipped()
    {
        // a and b are deleted after page 1, so page 2 (skip=2) starts two jobs late, at e: the next page
        // goes back to the head of the list for c and d, and the listing goes on from there.
        var stub = PyannoteV1Over(new List<string> { "a", "b", "c", "d", "e", "f", "g" }, (jobs, index) =>
        {
            if (index == 0)
            {
                jobs.RemoveRange(0, 2);
            }
        });

        var run = TestListing.Run(new PyannoteAIV1(), stub, new JobQuery { PageSize = 2 }).Succeeded();

        Assert.Equal(new[] { "a", "b", "e", "f", "c", "d", "g" }, run.Ids);
        Assert.Equal(
            new[] { "/v1/jobs?take=2&skip=0", "/v1/jobs?take=2&skip=2", "/v1/jobs?take=2&skip=0", "/v1/jobs?take=2&skip=1", "/v1/jobs?take=2&skip=2", "/v1/jobs?take=2&skip=3" },
            run.PathsAndQueries);
        Assert.DoesNotContain(run.Messages, message => message.Kind == LogMessageKind.Warning);
        // The total reported is the first page's.
        Assert.Equal(7, run.Result.Total);
    }

    [Fact]
    public void A_total_that_grows_or_holds_gives_no_warning()
    {
        var run = TestListing.Run(
            new PyannoteAIV1(),
            new StubHandler(
                Respond.Json(PyannotePage(5, "a", "b")),
                Respond.Json(PyannotePage(5, "c", "d")),
                Respond.Json(PyannotePage(6, "e"))),
            new JobQuery { PageSize = 2 }).Succeeded();

        Assert.Equal(new[] { "a", "b", "c", "d", "e" }, run.Ids);
        Assert.DoesNotContain(run.Messages, message => message.Kind == LogMessageKind.Warning);
    }

    [Fact]
    public void Convertly_goes_back_for_the_jobs_a_drop_may_have_skipped_and_a_total_that_holds_proves_it()
    {
        // One job of page 2 (d) goes before page 3 is served: page 3 (offset 4) starts one job late, at f.
        // Page 2 has one job left (c), so the next page goes back one place, for e; the total holds
        // while it is served, so nothing else moved. The pages after reach back one job (an anchor) each.
        var jobs = new List<string> { "a", "b", "c", "d", "e", "f", "g", "h" };
        var stub = new StubHandler((request, index) =>
        {
            var query = TestListing.QueryOf(request.Uri);
            var offset = int.Parse(query["offset"], System.Globalization.CultureInfo.InvariantCulture);
            var limit = int.Parse(query["limit"], System.Globalization.CultureInfo.InvariantCulture);
            var page = Respond.Json(ConvertlyPage(offset + limit < jobs.Count, jobs.Count, jobs.Skip(offset).Take(limit).ToArray()));
            if (index == 1)
            {
                jobs.Remove("d");
            }

            return page;
        });

        var run = TestListing.Run(new ConvertlyProvider(), stub, new JobQuery { PageSize = 2 }).Succeeded();

        Assert.Equal(new[] { "a", "b", "c", "d", "f", "g", "e", "h" }, run.Ids);
        Assert.Equal(
            new[] { "/api/jobs?limit=2&offset=0", "/api/jobs?limit=2&offset=2", "/api/jobs?limit=2&offset=4", "/api/jobs?limit=2&offset=3", "/api/jobs?limit=2&offset=4", "/api/jobs?limit=2&offset=5" },
            run.PathsAndQueries);
        Assert.DoesNotContain(run.Messages, message => message.Kind == LogMessageKind.Warning);
    }

    [Theory]
    [InlineData("false")]
    [InlineData("False")]
    [InlineData(" FALSE ")]
    public void Ittybit_stops_at_a_full_page_when_Has_More_says_false(string value)
    {
        var run = TestListing.Run(
            new IttybitProvider(),
            new StubHandler(Respond.Json(IttybitPage("a", "b")).WithHeader("Has-More", value).WithHeader("Link", "<https://api.ittybit.com/jobs?after=b>; rel=\"next\"")),
            new JobQuery { PageSize = 2 }).Succeeded();

        Assert.Equal(new[] { "a", "b" }, run.Ids);
        Assert.Equal(1, run.Stub.Count);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("no")]
    public void Ittybit_goes_on_when_Has_More_is_anything_but_false(string value)
    {
        var run = TestListing.Run(
            new IttybitProvider(),
            new StubHandler(Respond.Json(IttybitPage("a", "b")).WithHeader("Has-More", value), Respond.Json("[]")),
            new JobQuery { PageSize = 2 }).Succeeded();

        Assert.Equal(new[] { "/jobs?limit=2", "/jobs?limit=2&after=b" }, run.PathsAndQueries);
    }

    [Theory]
    // A comma inside a quoted parameter does not end the link, so the <...> inside the title is no link.
    [InlineData("<https://api.ittybit.com/jobs?p=1>; rel=\"prev\"; title=\"older, <https://api.ittybit.com/jobs?p=9> rel=next\", <https://api.ittybit.com/jobs?p=3>; rel=\"next\"", "https://api.ittybit.com/jobs?p=3")]
    // An escaped quote does not close the quoted string.
    [InlineData("<https://api.ittybit.com/jobs?p=1>; title=\"say \\\", <https://api.ittybit.com/jobs?p=9> rel=next\", <https://api.ittybit.com/jobs?p=3>; rel=next", "https://api.ittybit.com/jobs?p=3")]
    // Outside quotes a backslash is an ordinary character.
    [InlineData("<https://api.ittybit.com/jobs?p=1>; title=a\\, <https://api.ittybit.com/jobs?p=3>; rel=next", "https://api.ittybit.com/jobs?p=3")]
    // A quoted string that closes lets the next comma end the link.
    [InlineData("<https://api.ittybit.com/jobs?p=1>; title=\"x\"; rel=\"next\", <https://api.ittybit.com/jobs?p=3>; rel=next", "https://api.ittybit.com/jobs?p=1")]
    // An unclosed bracket ends the header.
    [InlineData("<https://api.ittybit.com/jobs?p=1; rel=next", null)]
    // A link whose parameters run to the end of the header.
    [InlineData("<https://api.ittybit.com/jobs?p=1>; rel=prev, <https://api.ittybit.com/jobs?p=4>;rel=next", "https://api.ittybit.com/jobs?p=4")]
    // Several Link headers: the first rel=next in any of them.
    [InlineData("<https://api.ittybit.com/jobs?p=1>; rel=prev|<https://api.ittybit.com/jobs?p=5>; REL=Next", "https://api.ittybit.com/jobs?p=5")]
    // Spaces around the target are trimmed.
    [InlineData("< jobs?p=6 >; rel=next", "https://api.ittybit.com/jobs?p=6")]
    // The parameters start after the target's closing bracket, so a quote inside the target opens nothing.
    [InlineData("<https://api.ittybit.com/jobs?p=\"1\">; rel=prev, <https://api.ittybit.com/jobs?p=3>; rel=next", "https://api.ittybit.com/jobs?p=3")]
    // The next link is looked for after the comma, not in the parameters before it.
    [InlineData("<https://api.ittybit.com/jobs?p=1>; title=<, <https://api.ittybit.com/jobs?p=3>; rel=next", "https://api.ittybit.com/jobs?p=3")]
    // A parameter without "=", or another parameter whose value is "next", is no rel.
    [InlineData("<https://api.ittybit.com/jobs?p=1>; next", null)]
    [InlineData("<https://api.ittybit.com/jobs?p=1>; title=\"next\"", null)]
    public void Quoted_and_escaped_Link_parameters_are_read_as_RFC_8288_says(string header, string? expected)
    {
        using var response = new HttpResponseMessage();
        foreach (var value in header.Split('|'))
        {
            response.Headers.TryAddWithoutValidation("Link", value);
        }

        var next = LinkHeader.Next(response.Headers, new Uri("https://api.ittybit.com/jobs?limit=2"));

        Assert.Equal(expected, next?.AbsoluteUri);
    }

    [Fact]
    public void No_Link_header_is_no_next_link()
    {
        using var response = new HttpResponseMessage();

        Assert.Null(LinkHeader.Next(response.Headers, new Uri("https://api.ittybit.com/jobs")));
    }
}
