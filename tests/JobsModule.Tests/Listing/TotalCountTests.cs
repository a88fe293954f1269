using static JobsModule.Tests.Support.Bodies;

namespace JobsModule.Tests;

/// <summary>-IncludeTotalCount: the count alone (-First 0) with as few requests as it takes, and the totals of several accounts added up.</summary>
public class TotalCountTests
{
    private static IReadOnlyList<(ProviderEndpoint Endpoint, long? Total, ProviderRequestException? Failure)> Totals(
        StubHandler stub, JobQuery query, params ProviderEndpoint[] endpoints) =>
        new JobLister(new HttpClient(stub)).TotalsAsync(endpoints, query, TestListing.Fast.Call(new CallLog(), CancellationToken.None)).GetAwaiter().GetResult();

    [Fact]
    public void Convertly_is_asked_for_a_page_of_one_and_its_total_is_read()
    {
        var stub = new StubHandler(Respond.Json(ConvertlyPage(true, 235, "a")));

        var total = Assert.Single(Totals(stub, new JobQuery { Statuses = new[] { JobStatus.Queued } }, TestListing.Endpoint(new ConvertlyProvider())));

        Assert.Equal(235, total.Total);
        Assert.Null(total.Failure);
        Assert.Equal("/api/jobs?limit=1&offset=0&status=pending", Assert.Single(stub.PathsAndQueries));
    }

    [Fact]
    public void Unstructured_is_asked_for_its_one_list_whose_length_is_the_total()
    {
        var stub = new StubHandler(Respond.Json(UnstructuredPageOf(UnstructuredJob("a"), UnstructuredJob("b"))));

        Assert.Equal(2, Assert.Single(Totals(stub, new JobQuery(), TestListing.Endpoint(new UnstructuredProvider()))).Total);
        Assert.Equal(1, stub.Count);
    }

    [Theory]
    [InlineData("Krea")]
    [InlineData("Ittybit")]
    [InlineData("PyannoteAI")]
    public void A_provider_that_gives_no_total_is_sent_nothing(string name)
    {
        var stub = new StubHandler();

        var total = Assert.Single(Totals(stub, new JobQuery(), TestListing.Endpoint(ProviderRegistry.Find(name)!)));

        Assert.Null(total.Total);
        Assert.Null(total.Failure);
        Assert.Equal(0, stub.Count);
    }

    [Fact]
    public void PyannoteAIs_older_route_gives_a_total()
    {
        var stub = new StubHandler(Respond.Json(PyannotePage(41, "a")));

        Assert.Equal(41, Assert.Single(Totals(stub, new JobQuery(), TestListing.Endpoint(new PyannoteAIV1()))).Total);
        Assert.Equal("/v1/jobs?take=1&skip=0", Assert.Single(stub.PathsAndQueries));
    }

    [Fact]
    public void A_filter_the_module_applies_itself_leaves_the_total_unknown_and_sends_nothing()
    {
        var stub = new StubHandler();

        var total = Assert.Single(Totals(stub, new JobQuery { Kinds = new[] { "convert" } }, TestListing.Endpoint(new ConvertlyProvider())));

        Assert.Null(total.Total);
        Assert.Equal(0, stub.Count);
    }

    [Fact]
    public void An_account_that_fails_gives_its_failure_and_the_others_their_totals()
    {
        var stub = new StubHandler((request, _) => request.Headers["Authorization"].EndsWith("bad", StringComparison.Ordinal)
            ? Respond.Status(401, """{"error":"Invalid API key"}""")
            : Respond.Json(ConvertlyPage(false, 7, "a")));
        var convertly = new ConvertlyProvider();

        var totals = Totals(stub, new JobQuery(), TestListing.Endpoint(convertly, key: "good", account: "a"), TestListing.Endpoint(convertly, key: "bad", account: "b"));

        Assert.Equal(new long?[] { 7, null }, totals.Select(total => total.Total));
        Assert.Null(totals[0].Failure);
        Assert.Equal(ProviderErrorKind.Authentication, totals[1].Failure!.Kind);
        Assert.Equal(2, stub.Count);
    }

    [Fact]
    public void Totals_add_up_and_are_exact_only_when_every_one_is_known()
    {
        var known = ListingTotal.Of(new long?[] { 235, 40 });
        Assert.Equal((275UL, true, 1.0), (known.Count, known.Known, known.Accuracy));

        var unknown = ListingTotal.Of(new long?[] { 235, null, 40 });
        Assert.Equal((275UL, false, 0.0), (unknown.Count, unknown.Known, unknown.Accuracy));

        var none = ListingTotal.Of(Array.Empty<long?>());
        Assert.Equal((0UL, true), (none.Count, none.Known));
    }
}
