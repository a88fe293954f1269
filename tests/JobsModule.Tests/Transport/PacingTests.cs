using System.Diagnostics;
using System.Globalization;
using System.Net;
using static JobsModule.Tests.Support.Bodies;

namespace JobsModule.Tests;

/// <summary>A listing paces itself by the budget the provider reports, instead of running into 429s.</summary>
public class PacingTests
{
    // The budget belongs to a key at a base URL for the whole process: each test uses a base URL of its own.
    private static Uri UniqueBase() => new($"https://budget-{Guid.NewGuid():N}.example.com");

    private static string EpochSeconds(DateTimeOffset time) => (time.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);

    [Fact]
    public void A_spent_budget_holds_the_next_request_until_the_window_ends_and_no_429_is_met()
    {
        var windowEnd = DateTimeOffset.UtcNow.AddMilliseconds(700);
        var sent = new List<DateTimeOffset>();
        var stub = new StubHandler((request, index) =>
        {
            sent.Add(DateTimeOffset.UtcNow);
            var last = index == 2;
            return Respond.Json(KreaPage(last ? null : "c" + index, "j" + index))
                .WithHeader("X-RateLimit-Limit", "2")
                .WithHeader("X-RateLimit-Remaining", index == 0 ? "1" : "0")
                .WithHeader("X-RateLimit-Reset", EpochSeconds(index < 2 ? windowEnd : windowEnd.AddSeconds(60)));
        });

        var run = TestListing.Run(new KreaProvider(), stub, new JobQuery { PageSize = 1 }, baseUri: UniqueBase()).Succeeded();

        Assert.Equal(new[] { "j0", "j1", "j2" }, run.Ids);
        Assert.Equal(3, stub.Count);
        Assert.True(sent[2] >= windowEnd.AddMilliseconds(-20), $"the third request went at {sent[2]:O}, before the window's end {windowEnd:O}");
        Assert.True(sent[1] < windowEnd, "the second request had the budget's last place and went at once");
        Assert.Contains(run.Messages, message => message.Kind == LogMessageKind.Verbose && message.Text.Contains("request budget", StringComparison.Ordinal));
    }

    [Fact]
    public void A_budget_with_places_left_holds_nothing()
    {
        var stub = new StubHandler((_, index) => Respond.Json(KreaPage(index == 3 ? null : "c" + index, "j" + index))
            .WithHeader("X-RateLimit-Remaining", "50")
            .WithHeader("X-RateLimit-Reset", EpochSeconds(DateTimeOffset.UtcNow.AddMinutes(5))));
        var clock = Stopwatch.StartNew();

        var run = TestListing.Run(new KreaProvider(), stub, new JobQuery { PageSize = 1 }, baseUri: UniqueBase()).Succeeded();

        Assert.Equal(4, run.Jobs.Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20));
        Assert.DoesNotContain(run.Messages, message => message.Text.Contains("request budget", StringComparison.Ordinal));
    }

    [Fact]
    public void A_request_that_got_no_answer_gives_its_place_in_the_budget_back_for_its_retry()
    {
        // One place is left in a window that ends in 20 s; the request that takes it fails on the
        // network, and its retry must find the place free again instead of waiting for the window.
        var stub = new StubHandler((_, index) => index switch
        {
            0 => Respond.Json(KreaPage("c0", "j0"))
                .WithHeader("X-RateLimit-Remaining", "1")
                .WithHeader("X-RateLimit-Reset", EpochSeconds(DateTimeOffset.UtcNow.AddSeconds(20))),
            1 => throw new HttpRequestException("Connection reset by peer"),
            _ => Respond.Json(KreaPage(null, "j1")),
        });

        var run = TestListing.Run(new KreaProvider(), stub, new JobQuery { PageSize = 1 }, baseUri: UniqueBase()).Succeeded();

        Assert.Equal(new[] { "j0", "j1" }, run.Ids);
        Assert.Equal(3, stub.Count);
        Assert.DoesNotContain(run.Messages, message => message.Text.Contains("request budget", StringComparison.Ordinal));
    }

    [Fact]
    public void A_429_is_retried_as_it_says_and_does_not_spend_the_budget_until_its_window_ends()
    {
        var stub = new StubHandler((_, index) => index == 0
            ? Respond.Json("""{"error":"slow down"}""", HttpStatusCode.TooManyRequests)
                .WithHeader("Retry-After", "0")
                .WithHeader("X-RateLimit-Remaining", "0")
                .WithHeader("X-RateLimit-Reset", EpochSeconds(DateTimeOffset.UtcNow.AddHours(1)))
            : Respond.Json(KreaPage(index == 2 ? null : "c", "j" + index)));
        var clock = Stopwatch.StartNew();

        var run = TestListing.Run(new KreaProvider(), stub, new JobQuery { PageSize = 1 }, baseUri: UniqueBase()).Succeeded();

        Assert.Equal(new[] { "j1", "j2" }, run.Ids);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "a 429's window does not hold the listing");
    }

    [Fact]
    public void Without_a_reset_a_spent_budget_is_spread_over_the_documented_rate()
    {
        // pyannoteAI documents 100 a minute and sends no reset until it answers 429: 0.6 s a request once spent.
        var sent = new List<DateTimeOffset>();
        var stub = new StubHandler((_, index) =>
        {
            sent.Add(DateTimeOffset.UtcNow);
            return Respond.Json(PyannoteV2Page(index == 2 ? null : "0b5e8a3c-1f0e-4c4e-9d55-0a1b2c3d4e0" + index, "j" + index)).WithHeader("X-RateLimit-Remaining", "0");
        });

        var run = TestListing.Run(new PyannoteAIProvider(), stub, new JobQuery { PageSize = 1 }, baseUri: UniqueBase()).Succeeded();

        Assert.Equal(3, run.Jobs.Count);
        Assert.True(sent[2] - sent[1] >= TimeSpan.FromMilliseconds(550), $"{(sent[2] - sent[1]).TotalMilliseconds} ms between requests");
    }

    [Theory]
    [InlineData("1796320912.500", 1796320912500L)]
    [InlineData("1796320912", 1796320912000L)]
    public void The_reset_is_read_as_epoch_seconds_with_fractions(string header, long expectedMs) =>
        Assert.Equal(expectedMs, RateBudget.ResetTime(header, DateTimeOffset.UtcNow)!.Value.ToUnixTimeMilliseconds());

    [Theory]
    [InlineData("30", 30.0)]
    [InlineData("0.25", 0.25)]
    public void A_small_reset_is_seconds_from_now(string header, double seconds)
    {
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(now.AddSeconds(seconds), RateBudget.ResetTime(header, now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("NaN")]
    [InlineData("99999999999999")]
    public void A_reset_that_is_no_time_is_ignored(string? header) => Assert.Null(RateBudget.ResetTime(header, DateTimeOffset.UtcNow));
}
