using System.Net;
using System.Net.Http.Headers;
using static JobsModule.Tests.Support.Bodies;

namespace JobsModule.Tests;

public class RetryTests
{
    [Fact]
    public void A_429_with_Retry_After_then_200_succeeds_on_the_second_request()
    {
        var run = TestListing.Run(
            new PyannoteAIV1(),
            new StubHandler(
                Respond.Json("""{"requestId":"r-1","message":"Too many requests"}""", HttpStatusCode.TooManyRequests).WithHeader("Retry-After", "120"),
                Respond.Json(PyannotePage(1, "a")))).Succeeded();

        Assert.Equal(new[] { "a" }, run.Ids);
        Assert.Equal(2, run.Stub.Count);
        Assert.Equal(run.Stub.Requests[0].Uri, run.Stub.Requests[1].Uri);

        // The wait is what the provider asked for, capped by MaximumRetryDelay (5 ms here).
        var wait = Assert.Single(run.Messages, message => message.Text.Contains("retry 1 of 3", StringComparison.Ordinal));
        Assert.Contains("-> 429;", wait.Text, StringComparison.Ordinal);
        Assert.Contains("as the provider asked", wait.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_Retry_After_the_wait_is_a_backoff()
    {
        var run = TestListing.Run(
            new ConvertlyProvider(),
            new StubHandler(Respond.Json("""{"error":"busy"}""", HttpStatusCode.ServiceUnavailable), Respond.Json(ConvertlyPage(false, 1, "a")))).Succeeded();

        Assert.Equal(new[] { "a" }, run.Ids);
        Assert.Contains(run.Messages, message => message.Text.Contains("-> 503; retry 1 of 3", StringComparison.Ordinal) && message.Text.Contains("(backoff)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public void Retryable_statuses_are_retried(int status)
    {
        var run = TestListing.Run(
            new KreaProvider(),
            new StubHandler(Respond.Status(status, """{"error":"try again"}"""), Respond.Status(status, """{"error":"try again"}"""), Respond.Json(KreaPage(null, "a")))).Succeeded();

        Assert.Equal(new[] { "a" }, run.Ids);
        Assert.Equal(3, run.Stub.Count);
    }

    [Fact]
    public void A_503_beyond_MaximumRetryCount_is_a_ServerError_with_the_providers_message()
    {
        var stub = new StubHandler((_, _) => Respond.Json("""{"error":"Service temporarily unavailable"}""", HttpStatusCode.ServiceUnavailable));
        var run = TestListing.Run(new ConvertlyProvider(), stub, options: new TestOptions
        {
            FirstPageSize = null,
            MaximumRetryCount = 2,
            RetryInterval = TimeSpan.FromMilliseconds(1),
            MaximumRetryDelay = TimeSpan.FromMilliseconds(5),
        });

        var error = run.Failure();
        Assert.Equal(ProviderErrorKind.ServerError, error.Kind);
        Assert.Equal(503, error.StatusCode);
        Assert.Equal("Service temporarily unavailable", error.ProviderMessage);
        Assert.Equal("Convertly", error.Provider);
        Assert.Equal("application/json", error.ContentType);
        Assert.Equal("https://convertly.sh/api/jobs?limit=100&offset=0", error.RequestUri!.AbsoluteUri);
        Assert.Equal(
            "Convertly answered 503 Service Unavailable to GET https://convertly.sh/api/jobs?limit=100&offset=0: Service temporarily unavailable",
            error.Message);
        Assert.Equal(3, stub.Count);
        Assert.Empty(run.Jobs);
    }

    [Fact]
    public void A_bare_429_from_Krea_waits_the_10_to_30_seconds_its_docs_ask_for()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var run = TestListing.Run(
            new KreaProvider(),
            new StubHandler((_, _) => Respond.Json("""{"error":"Too many concurrent jobs"}""", HttpStatusCode.TooManyRequests)),
            options: new TestOptions { FirstPageSize = null, MaximumRetryCount = 3 },
            cancellationToken: stop.Token);

        Assert.IsAssignableFrom<OperationCanceledException>(run.Error);
        Assert.Equal(1, run.Stub.Count);
        var wait = Assert.Single(run.Messages, message => message.Text.Contains("-> 429; retry 1 of 3", StringComparison.Ordinal));
        Assert.Matches(@" in 1[0-2]\.\d s \(backoff\)\.$", wait.Text);
    }

    [Theory]
    [InlineData(0, 10, 12.5)]
    [InlineData(1, 15, 25)]
    [InlineData(2, 30, 30)]
    [InlineData(6, 30, 30)]
    public void RetryDelay_after_a_bare_429_keeps_to_the_providers_range(int attempt, double fromSeconds, double toSeconds)
    {
        for (var i = 0; i < 50; i++)
        {
            var delay = ProviderClient.RetryDelay(null, attempt, new TestOptions().Policy, rateLimitBackoff: TimeSpan.FromSeconds(10));
            Assert.InRange(delay.TotalSeconds, fromSeconds, toSeconds);
        }
    }

    [Fact]
    public void A_RetryInterval_the_user_gave_applies_to_Kreas_429_too()
    {
        var run = TestListing.Run(
            new KreaProvider(),
            new StubHandler(Respond.Json("""{"error":"Too many concurrent jobs"}""", HttpStatusCode.TooManyRequests), Respond.Json(KreaPage(null, "a"))),
            options: new TestOptions { FirstPageSize = null, RetryInterval = TimeSpan.FromMilliseconds(1), RetryIntervalGiven = true }).Succeeded();

        Assert.Equal(new[] { "a" }, run.Ids);
        Assert.Contains(run.Messages, message => message.Text.Contains("-> 429; retry 1 of 4 in 0.0 s (backoff)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_429_beyond_MaximumRetryCount_keeps_what_the_provider_asked()
    {
        var stub = new StubHandler((_, _) => Respond.Json("""{"kind":"rate_limit","message":"Slow down"}""", HttpStatusCode.TooManyRequests).WithHeader("Retry-After", "30"));
        var run = TestListing.Run(new IttybitProvider(), stub, options: new TestOptions
        {
            FirstPageSize = null,
            MaximumRetryCount = 1,
            RetryInterval = TimeSpan.FromMilliseconds(1),
            MaximumRetryDelay = TimeSpan.FromMilliseconds(5),
        });

        var error = run.Failure();
        Assert.Equal(ProviderErrorKind.RateLimited, error.Kind);
        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
        Assert.Equal("Slow down", error.ProviderMessage);
        Assert.Equal(2, stub.Count);
    }

    [Fact]
    public void MaximumRetryCount_zero_sends_one_request()
    {
        var stub = new StubHandler((_, _) => Respond.Status(500));
        var run = TestListing.Run(new KreaProvider(), stub, options: new TestOptions { FirstPageSize = null, MaximumRetryCount = 0 });

        Assert.Equal(ProviderErrorKind.ServerError, run.Failure().Kind);
        Assert.Equal(1, stub.Count);
    }

    [Theory]
    [InlineData(400, ProviderErrorKind.InvalidRequest)]
    [InlineData(401, ProviderErrorKind.Authentication)]
    [InlineData(402, ProviderErrorKind.QuotaExceeded)]
    [InlineData(403, ProviderErrorKind.Authentication)]
    [InlineData(404, ProviderErrorKind.NotFound)]
    [InlineData(409, ProviderErrorKind.Conflict)]
    [InlineData(410, ProviderErrorKind.HttpError)]
    [InlineData(422, ProviderErrorKind.InvalidRequest)]
    public void Client_errors_are_never_retried(int status, ProviderErrorKind kind)
    {
        var stub = new StubHandler((_, _) => Respond.Status(status, """{"error":"nope","upgradeUrl":"https://convertly.sh/pricing"}"""));
        var run = TestListing.Run(new ConvertlyProvider(), stub);

        var error = run.Failure();
        Assert.Equal(kind, error.Kind);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal("nope", error.ProviderMessage);
        Assert.Null(error.RetryAfter);
        Assert.Equal(1, stub.Count);
    }

    [Fact]
    public void A_401_from_a_later_page_ends_the_listing_after_the_first_page()
    {
        var run = TestListing.Run(
            new IttybitProvider(),
            new StubHandler(Respond.Json(IttybitPage("a", "b")), Respond.Json("""{"kind":"unauthorized","message":"Invalid API key"}""", HttpStatusCode.Unauthorized)),
            new JobQuery { PageSize = 2 });

        Assert.Equal(new[] { "a", "b" }, run.Ids);
        var error = run.Failure();
        Assert.Equal(ProviderErrorKind.Authentication, error.Kind);
        Assert.Equal("Ittybit answered 401 Unauthorized to GET https://api.ittybit.com/jobs?limit=2&after=b: Invalid API key", error.Message);
        Assert.Equal(2, run.Stub.Count);
    }

    [Fact]
    public void A_pyannoteAI_400_lists_its_field_errors_and_request_id()
    {
        var run = TestListing.Run(
            new PyannoteAIV1(),
            new StubHandler(Respond.Json(
                """{"message":"Invalid request","errors":[{"field":"take","message":"must not be greater than 100"},{"field":"status","message":"must be one of the following values"}],"requestId":"37a4c3a0"}""",
                HttpStatusCode.BadRequest)));

        var error = run.Failure();
        Assert.Equal(ProviderErrorKind.InvalidRequest, error.Kind);
        Assert.Equal("Invalid request; take: must not be greater than 100; status: must be one of the following values", error.ProviderMessage);
        Assert.Equal("37a4c3a0", error.RequestId);
        Assert.Equal(1, run.Stub.Count);
    }

    [Fact]
    public void An_Unstructured_422_shows_each_detail_with_its_location()
    {
        var run = TestListing.Run(
            new UnstructuredProvider(),
            new StubHandler(Respond.Json(
                """{"detail":[{"loc":["query","status"],"msg":"value is not a valid enumeration member","type":"type_error.enum"},{"loc":["query","workflow_id"],"msg":"bad id"}]}""",
                HttpStatusCode.UnprocessableEntity)),
            new JobQuery { WorkflowId = "x" });

        var error = run.Failure();
        Assert.Equal(ProviderErrorKind.InvalidRequest, error.Kind);
        Assert.Equal(422, error.StatusCode);
        Assert.Equal("query.status: value is not a valid enumeration member; query.workflow_id: bad id", error.ProviderMessage);
        Assert.Equal(1, run.Stub.Count);
    }

    [Fact]
    public void The_request_id_header_is_used_when_the_body_has_none()
    {
        var run = TestListing.Run(
            new KreaProvider(),
            new StubHandler(Respond.Json("""{"error":"Unauthorized"}""", HttpStatusCode.Unauthorized).WithHeader("x-request-id", "req-77")));

        var error = run.Failure();
        Assert.Equal("req-77", error.RequestId);
        Assert.Equal("Unauthorized", error.ProviderMessage);
    }

    [Fact]
    public void An_HTML_error_page_is_not_shown_as_the_message()
    {
        var stub = new StubHandler((_, _) => Respond.Text("<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html", HttpStatusCode.BadGateway));
        var run = TestListing.Run(new KreaProvider(), stub);

        var error = run.Failure();
        Assert.Equal(ProviderErrorKind.ServerError, error.Kind);
        Assert.Null(error.ProviderMessage);
        Assert.Equal("text/html", error.ContentType);
        Assert.DoesNotContain("<", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("Bad Gateway to GET https://api.krea.ai/jobs?limit=1000.", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, stub.Count);
    }

    [Fact]
    public void A_plain_text_error_is_shown_shortened()
    {
        var text = "upstream connect error " + new string('x', 400);
        var run = TestListing.Run(new KreaProvider(), new StubHandler(Respond.Text(text, "text/plain", HttpStatusCode.Forbidden)));

        var error = run.Failure();
        Assert.Equal(text.Substring(0, 300) + "...", error.ProviderMessage);
    }

    [Fact]
    public void A_network_failure_is_retried()
    {
        var stub = new StubHandler((_, index) => index == 0 ? throw new HttpRequestException("Connection refused") : Respond.Json(KreaPage(null, "a")));
        var run = TestListing.Run(new KreaProvider(), stub).Succeeded();

        Assert.Equal(new[] { "a" }, run.Ids);
        Assert.Equal(2, stub.Count);
        Assert.Contains(run.Messages, message => message.Text.Contains("-> network; retry 1 of 3", StringComparison.Ordinal));
    }

    [Fact]
    public void A_network_failure_beyond_the_retries_is_a_Network_error()
    {
        var stub = new StubHandler((_, _) => throw new HttpRequestException("Name resolution failed", new IOException("No such host is known")));
        var run = TestListing.Run(new ConvertlyProvider(), stub, options: new TestOptions { FirstPageSize = null, MaximumRetryCount = 1, RetryInterval = TimeSpan.FromMilliseconds(1) });

        var error = run.Failure();
        Assert.Equal(ProviderErrorKind.Network, error.Kind);
        Assert.Null(error.StatusCode);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Equal("Convertly could not be reached at https://convertly.sh/api/jobs?limit=100&offset=0: No such host is known", error.Message);
        Assert.Equal(2, stub.Count);
    }

    [Fact]
    public void A_request_that_never_answers_times_out_and_is_retried()
    {
        var stub = new StubHandler((_, _, token) => Respond.NeverAsync(token));
        var run = TestListing.Run(new KreaProvider(), stub, options: new TestOptions
        {
            FirstPageSize = null,
            MaximumRetryCount = 1,
            RetryInterval = TimeSpan.FromMilliseconds(1),
            RequestTimeout = TimeSpan.FromMilliseconds(50),
        });

        var error = run.Failure();
        Assert.Equal(ProviderErrorKind.Timeout, error.Kind);
        Assert.Contains("did not answer GET https://api.krea.ai/jobs?limit=1000 within 0.05 s", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, stub.Count);
    }

    [Fact]
    public void A_later_page_is_retried_on_its_own()
    {
        var run = TestListing.Run(
            new PyannoteAIV1(),
            new StubHandler(
                Respond.Json(PyannotePage(3, "a", "b")),
                Respond.Status(500),
                Respond.Json(PyannotePage(3, "c"))),
            new JobQuery { PageSize = 2 }).Succeeded();

        Assert.Equal(new[] { "a", "b", "c" }, run.Ids);
        Assert.Equal(new[] { "/v1/jobs?take=2&skip=0", "/v1/jobs?take=2&skip=2", "/v1/jobs?take=2&skip=2" }, run.PathsAndQueries);
        Assert.Equal(2, run.Result.Pages);
        Assert.Equal(3, run.Stub.Requests.Count);
    }

    [Fact]
    public void An_HTML_body_with_200_is_an_InvalidResponse_naming_provider_status_and_type()
    {
        var stub = new StubHandler((_, _) => Respond.Text("<!DOCTYPE html><html><body>Sign in</body></html>", "text/html"));
        var run = TestListing.Run(new IttybitProvider(), stub);

        var error = run.Failure();
        Assert.Equal(ProviderErrorKind.InvalidResponse, error.Kind);
        Assert.Equal(200, error.StatusCode);
        Assert.Equal("text/html", error.ContentType);
        Assert.StartsWith("Ittybit sent a response to GET https://api.ittybit.com/jobs?limit=100 that could not be read (HTTP 200, content type text/html): the body is not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, stub.Count);
    }

    [Fact]
    public void Truncated_JSON_is_an_InvalidResponse()
    {
        var stub = new StubHandler((_, _) => Respond.Json("""{"items":[{"id":"a","status":"succ"""));
        var run = TestListing.Run(new PyannoteAIV1(), stub);

        var error = run.Failure();
        Assert.Equal(ProviderErrorKind.InvalidResponse, error.Kind);
        Assert.Contains("PyannoteAI", error.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 200, content type application/json", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, stub.Count);
    }

    [Fact]
    public void JSON_of_the_wrong_shape_is_an_InvalidResponse()
    {
        var stub = new StubHandler((_, _) => Respond.Json("""{"data":[]}"""));
        var run = TestListing.Run(new IttybitProvider(), stub);

        var error = run.Failure();
        Assert.Equal(ProviderErrorKind.InvalidResponse, error.Kind);
        Assert.Contains("the JSON is not the documented shape (expected the response to be a JSON array but found an object)", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, stub.Count);
    }

    [Fact]
    public void A_body_without_a_content_type_says_none()
    {
        var stub = new StubHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent("oops"u8.ToArray()) });
        var run = TestListing.Run(new KreaProvider(), stub);

        var error = run.Failure();
        Assert.Equal(ProviderErrorKind.InvalidResponse, error.Kind);
        Assert.Null(error.ContentType);
        Assert.Contains("content type none", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>ProviderClient.RetryAfter and ProviderClient.RetryDelay on their own.</summary>
public class RetryDelayTests
{
    private static HttpResponseMessage Response(Action<HttpResponseMessage> headers)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        headers(response);
        return response;
    }

    [Fact]
    public void Retry_After_as_delta_seconds()
    {
        using var response = Response(r => r.Headers.TryAddWithoutValidation("Retry-After", "7"));

        Assert.Equal(TimeSpan.FromSeconds(7), ProviderClient.RetryAfter(response));
    }

    [Fact]
    public void Retry_After_as_an_HTTP_date()
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(10);
        using var response = Response(r => r.Headers.TryAddWithoutValidation("Retry-After", at.ToString("r", System.Globalization.CultureInfo.InvariantCulture)));

        var wait = ProviderClient.RetryAfter(response);

        Assert.NotNull(wait);
        Assert.InRange(wait!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public void Retry_After_in_the_past_is_no_wait()
    {
        using var response = Response(r => r.Headers.RetryAfter = new RetryConditionHeaderValue(DateTimeOffset.UtcNow.AddHours(-1)));

        Assert.Equal(TimeSpan.Zero, ProviderClient.RetryAfter(response));
    }

    [Theory]
    [InlineData("30", 30.0)]
    [InlineData("2.5", 2.5)]
    [InlineData("0", 0.0)]
    public void X_RateLimit_Reset_as_seconds_from_now(string value, double seconds)
    {
        using var response = Response(r => r.Headers.TryAddWithoutValidation("X-RateLimit-Reset", value));

        Assert.Equal(TimeSpan.FromSeconds(seconds), ProviderClient.RetryAfter(response));
    }

    [Fact]
    public void X_RateLimit_Reset_as_epoch_seconds()
    {
        var reset = DateTimeOffset.UtcNow.AddSeconds(90).ToUnixTimeSeconds();
        using var response = Response(r => r.Headers.TryAddWithoutValidation("X-RateLimit-Reset", reset.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var wait = ProviderClient.RetryAfter(response);

        Assert.NotNull(wait);
        Assert.InRange(wait!.Value, TimeSpan.FromSeconds(80), TimeSpan.FromSeconds(91));
    }

    [Fact]
    public void X_RateLimit_Reset_in_the_past_is_no_wait()
    {
        var reset = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds();
        using var response = Response(r => r.Headers.TryAddWithoutValidation("X-RateLimit-Reset", reset.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(TimeSpan.Zero, ProviderClient.RetryAfter(response));
    }

    [Fact]
    public void Retry_After_wins_over_X_RateLimit_Reset()
    {
        using var response = Response(r =>
        {
            r.Headers.TryAddWithoutValidation("Retry-After", "4");
            r.Headers.TryAddWithoutValidation("X-RateLimit-Reset", "60");
        });

        Assert.Equal(TimeSpan.FromSeconds(4), ProviderClient.RetryAfter(response));
    }

    [Fact]
    public void No_or_unreadable_headers_ask_for_nothing()
    {
        using var none = Response(_ => { });
        using var garbage = Response(r => r.Headers.TryAddWithoutValidation("X-RateLimit-Reset", "soon"));

        Assert.Null(ProviderClient.RetryAfter(none));
        Assert.Null(ProviderClient.RetryAfter(garbage));
    }

    [Fact]
    public void RetryDelay_uses_what_was_asked()
    {
        Assert.Equal(TimeSpan.FromSeconds(3), ProviderClient.RetryDelay(TimeSpan.FromSeconds(3), 0, new TestOptions().Policy));
        Assert.Equal(TimeSpan.Zero, ProviderClient.RetryDelay(TimeSpan.Zero, 2, new TestOptions().Policy));
    }

    [Fact]
    public void RetryDelay_caps_what_was_asked_at_MaximumRetryDelay()
    {
        var options = new TestOptions { FirstPageSize = null, MaximumRetryDelay = TimeSpan.FromMinutes(2) };

        Assert.Equal(TimeSpan.FromMinutes(2), ProviderClient.RetryDelay(TimeSpan.FromHours(1), 0, options.Policy));
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(1, 200)]
    [InlineData(3, 800)]
    public void RetryDelay_backs_off_exponentially_with_jitter(int attempt, double nominalMilliseconds)
    {
        var options = new TestOptions { FirstPageSize = null, RetryInterval = TimeSpan.FromMilliseconds(100) };

        for (var i = 0; i < 50; i++)
        {
            var delay = ProviderClient.RetryDelay(null, attempt, options.Policy);
            Assert.InRange(delay.TotalMilliseconds, nominalMilliseconds * 0.75, nominalMilliseconds * 1.25);
        }
    }

    [Fact]
    public void RetryDelay_caps_the_backoff_at_MaximumRetryDelay()
    {
        var options = new TestOptions { FirstPageSize = null, RetryInterval = TimeSpan.FromSeconds(10), MaximumRetryDelay = TimeSpan.FromSeconds(30) };

        Assert.Equal(TimeSpan.FromSeconds(30), ProviderClient.RetryDelay(null, 10, options.Policy));
    }
}
