using System.Net;

namespace JobsModule.Tests;

/// <summary>The request budget on its own, with the time handed in: requests in flight, the window's end, the documented rate.</summary>
public class RateBudgetTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    // Budgets live for the process, keyed by provider, base URL and key: each test takes a base URL of its own.
    private static RateBudget Fresh(IJobProvider provider, string key = TestListing.Key) =>
        RateBudget.For(TestListing.Endpoint(provider, new Uri($"https://budget-{Guid.NewGuid():N}.example.com"), key));

    private static HttpResponseMessage Answer(string? remaining, DateTimeOffset? reset = null, HttpStatusCode status = HttpStatusCode.OK)
    {
        var response = new HttpResponseMessage(status);
        if (remaining is not null)
        {
            response.Headers.Add("X-RateLimit-Remaining", remaining);
        }

        if (reset is { } time)
        {
            response.Headers.Add("X-RateLimit-Reset", (time.ToUnixTimeMilliseconds() / 1000.0).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return response;
    }

    [Fact]
    public void Requests_in_flight_count_against_the_places_left()
    {
        var budget = Fresh(new KreaProvider());
        using var first = Answer("2", Now.AddSeconds(10));
        budget.Report(first, Now);

        Assert.Null(budget.TryTake(Now));
        Assert.Null(budget.TryTake(Now));
        Assert.Equal(TimeSpan.FromSeconds(10), budget.TryTake(Now));
    }

    [Fact]
    public void An_answer_or_an_abandoned_request_frees_one_place_in_flight_not_all()
    {
        var budget = Fresh(new KreaProvider());
        Assert.Null(budget.TryTake(Now));
        Assert.Null(budget.TryTake(Now));
        Assert.Null(budget.TryTake(Now));

        // Three in flight; the first answer says one place is left, which the two still in flight use up.
        using var answer = Answer("1", Now.AddSeconds(5));
        budget.Report(answer, Now);
        Assert.Equal(TimeSpan.FromSeconds(5), budget.TryTake(Now));

        // A request that got no answer frees its place too, one at a time.
        budget.Abandon();
        Assert.Equal(TimeSpan.FromSeconds(5), budget.TryTake(Now));
        budget.Abandon();
        Assert.Null(budget.TryTake(Now));
    }

    [Fact]
    public void A_window_that_ends_now_is_over()
    {
        var budget = Fresh(new KreaProvider());
        using var spent = Answer("0", Now);
        budget.Report(spent, Now.AddSeconds(-1));

        Assert.Null(budget.TryTake(Now));
    }

    [Fact]
    public void A_failed_answer_does_not_set_the_budget()
    {
        var budget = Fresh(new KreaProvider());
        using var tooMany = Answer("0", Now.AddHours(1), HttpStatusCode.TooManyRequests);
        budget.Report(tooMany, Now);

        Assert.Null(budget.TryTake(Now));
    }

    [Fact]
    public void Without_a_reset_a_spent_budget_is_spread_over_the_documented_rate()
    {
        // pyannoteAI documents 100 requests a minute: one every 0.6 s once the budget is spent.
        var budget = Fresh(new PyannoteAIProvider());
        using var spent = Answer("0");
        budget.Report(spent, Now);
        Assert.Null(budget.TryTake(Now));
        using var again = Answer("0");
        budget.Report(again, Now);

        Assert.Equal(TimeSpan.FromMilliseconds(300), budget.TryTake(Now.AddMilliseconds(300)));
        Assert.Null(budget.TryTake(Now.AddMilliseconds(600)));
    }

    [Fact]
    public void Each_key_at_each_base_url_has_a_budget_of_its_own()
    {
        var baseUri = new Uri($"https://budget-{Guid.NewGuid():N}.example.com");
        var provider = new KreaProvider();
        var one = RateBudget.For(TestListing.Endpoint(provider, baseUri, "key-number-one"));

        Assert.Same(one, RateBudget.For(TestListing.Endpoint(provider, baseUri, "key-number-one")));
        Assert.NotSame(one, RateBudget.For(TestListing.Endpoint(provider, baseUri, "key-number-two")));
        Assert.NotSame(one, RateBudget.For(TestListing.Endpoint(provider, new Uri(baseUri, "/other/"), "key-number-one")));
    }

    [Theory]
    [InlineData("1000", 1000.0)]
    [InlineData("31535999", 31_535_999.0)]
    [InlineData("31536000", null)]
    [InlineData("-1", null)]
    [InlineData("NaN", null)]
    [InlineData("soon", null)]
    public void A_reset_in_seconds_from_now_is_believed_up_to_a_year(string header, double? seconds)
    {
        Assert.Equal(seconds is { } s ? Now.AddSeconds(s) : null, RateBudget.ResetTime(header, Now));
    }

    [Theory]
    [InlineData("1764763200.5", 1_764_763_200_500L)]
    [InlineData("253402300798", 253_402_300_798_000L)]
    [InlineData("253402300799", null)]
    public void A_reset_in_epoch_seconds_is_believed_while_a_date_can_hold_it(string header, long? epochMilliseconds)
    {
        Assert.Equal(epochMilliseconds is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null, RateBudget.ResetTime(header, Now));
    }

    [Fact]
    public void Turns_are_spaced_at_the_providers_rate_across_its_accounts_and_follow_the_limit_its_answers_report()
    {
        // pyannoteAI documents 100 requests a minute: a turn every 0.6 s, for both accounts at one base URL.
        var baseUri = new Uri($"https://turns-{Guid.NewGuid():N}.example.com");
        var first = RateBudget.For(TestListing.Endpoint(new PyannoteAIProvider(), baseUri, "key-one"));
        var second = RateBudget.For(TestListing.Endpoint(new PyannoteAIProvider(), baseUri, "key-two"));
        var spacing = TimeSpan.FromMinutes(1.0 / 100);

        Assert.Equal(TimeSpan.Zero, first.TakeTurn(Now));
        Assert.Equal(spacing, second.TakeTurn(Now));
        Assert.Equal(spacing + spacing, first.TakeTurn(Now));

        // Later than the turns taken: free at once again.
        Assert.Equal(TimeSpan.Zero, second.TakeTurn(Now.AddMinutes(1)));

        // An answer reports the account's own limit (300 a minute): its turns come at that pace.
        using var answer = new HttpResponseMessage(HttpStatusCode.OK);
        answer.Headers.Add("X-RateLimit-Limit", "300");
        first.Report(answer, Now);
        Assert.Equal(TimeSpan.FromMinutes(1.0 / 100), first.TakeTurn(Now.AddMinutes(1)));
        Assert.Equal(TimeSpan.FromMinutes(1.0 / 100) + TimeSpan.FromMinutes(1.0 / 300), first.TakeTurn(Now.AddMinutes(1)));

        // A provider without a documented rate is never held up here.
        var krea = Fresh(new KreaProvider());
        Assert.Equal(TimeSpan.Zero, krea.TakeTurn(Now));
        Assert.Equal(TimeSpan.Zero, krea.TakeTurn(Now));
    }
}
