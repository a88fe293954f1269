using System.Net;
using static JobsModule.Tests.Support.Bodies;

namespace JobsModule.Tests;

/// <summary>The key goes in the provider's auth header and nowhere else.</summary>
public class SecretTests
{
    private const string Key = TestListing.Key;

    public static TheoryData<string, string, string, string> AuthHeaders => new()
    {
        { "PyannoteAI", "Authorization", "Bearer " + Key, PyannotePage(1, "a") },
        { "Ittybit", "Authorization", "Bearer " + Key, IttybitPage("a") },
        { "Convertly", "Authorization", "Bearer " + Key, ConvertlyPage(false, 1, "a") },
        { "Unstructured", "unstructured-api-key", Key, UnstructuredPageOf(UnstructuredJob("a")) },
        { "Krea", "Authorization", "Bearer " + Key, KreaPage(null, "a") },
    };

    [Theory]
    [MemberData(nameof(AuthHeaders))]
    public void Each_adapter_sends_its_auth_header_and_the_key_nowhere_else(string provider, string header, string value, string body)
    {
        var run = TestListing.Run(ProviderRegistry.Find(provider)!, new StubHandler(Respond.Json(body))).Succeeded();

        var request = Assert.Single(run.Stub.Requests);
        Assert.Equal(value, request.Header(header));
        Assert.Single(request.Headers, pair => pair.Value.Contains(Key, StringComparison.Ordinal));
        Assert.DoesNotContain(Key, request.Uri.OriginalString, StringComparison.Ordinal);
        Assert.Equal(new[] { "a" }, run.Ids);
        Assert.All(run.Messages, message => Assert.DoesNotContain(Key, message.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void Unstructured_sends_no_Authorization_header()
    {
        var run = TestListing.Run(new UnstructuredProvider(), new StubHandler(Respond.Json("[]"))).Succeeded();

        Assert.Null(Assert.Single(run.Stub.Requests).Header("Authorization"));
    }

    public static TheoryData<string, Func<StubHandler>> Failures => new()
    {
        { "401", () => new StubHandler((_, _) => Respond.Json("""{"error":"Invalid API key"}""", HttpStatusCode.Unauthorized)) },
        { "503 after retries", () => new StubHandler((_, _) => Respond.Json("""{"error":"down"}""", HttpStatusCode.ServiceUnavailable).WithHeader("Retry-After", "1")) },
        { "HTML 200", () => new StubHandler((_, _) => Respond.Text("<html>login</html>", "text/html")) },
        { "wrong shape", () => new StubHandler((_, _) => Respond.Json("[]")) },
        { "network", () => new StubHandler((_, _) => throw new HttpRequestException("Connection reset")) },
        { "redirect", () => new StubHandler((_, _) => Respond.Status(302).WithHeader("Location", "https://elsewhere.example.net/")) },
        { "loop", () => new StubHandler((_, _) => Respond.Json(ConvertlyPage(true, 9, "a"))) },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void No_error_or_log_line_holds_the_key(string what, Func<StubHandler> stub)
    {
        // "loop": offsets never repeat, so use Krea for a repeated cursor instead.
        var run = what == "loop"
            ? TestListing.Run(new KreaProvider(), new StubHandler((_, _) => Respond.Json(KreaPage("same", Guid.NewGuid().ToString()))))
            : TestListing.Run(new ConvertlyProvider(), stub());

        var error = run.Failure();
        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.ProviderMessage ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.RequestUri?.OriginalString ?? string.Empty, StringComparison.Ordinal);
        Assert.All(run.Messages, message => Assert.DoesNotContain(Key, message.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void Neither_an_unsafe_next_page_error_nor_its_log_holds_the_key()
    {
        var run = TestListing.Run(
            new IttybitProvider(),
            new StubHandler(Respond.Json(IttybitPage("a")).WithHeader("Link", "<https://evil.example.net/jobs>; rel=\"next\"")));

        var error = run.Failure();
        Assert.Equal(ProviderErrorKind.UnsafeRedirect, error.Kind);
        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
        Assert.All(run.Messages, message => Assert.DoesNotContain(Key, message.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void A_timeout_error_does_not_hold_the_key()
    {
        var run = TestListing.Run(
            new KreaProvider(),
            new StubHandler((_, _, token) => Respond.NeverAsync(token)),
            options: new TestOptions { MaximumRetryCount = 0, RequestTimeout = TimeSpan.FromMilliseconds(20) });

        var error = run.Failure();
        Assert.Equal(ProviderErrorKind.Timeout, error.Kind);
        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ProviderEndpoint_ToString_names_the_source_not_the_key()
    {
        var endpoint = new ProviderEndpoint(new KreaProvider(), new Uri("https://api.krea.ai"), Key, "env:KREA_API_KEY", "team");

        Assert.Equal("Krea at https://api.krea.ai/ (key from env:KREA_API_KEY)", endpoint.ToString());
        Assert.DoesNotContain(Key, endpoint.ToString(), StringComparison.Ordinal);
        Assert.Equal("env:KREA_API_KEY", endpoint.KeySource);
    }

    [Fact]
    public void No_public_member_of_ProviderEndpoint_returns_the_key()
    {
        var endpoint = new ProviderEndpoint(new KreaProvider(), new Uri("https://api.krea.ai"), Key, "env:KREA_API_KEY");

        foreach (var property in typeof(ProviderEndpoint).GetProperties())
        {
            Assert.NotEqual(Key, property.GetValue(endpoint) as string);
        }
    }
}

public class ProviderEndpointTests
{
    private static Func<string, string?> Environment(params (string Name, string? Value)[] variables) =>
        name => variables.FirstOrDefault(variable => variable.Name == name).Value;

    [Fact]
    public void A_given_base_URL_wins()
    {
        var info = new IttybitProvider().Info;

        var uri = ProviderEndpoint.ResolveBaseUri(info, new Uri("https://gw.example.com/ittybit"), Environment(("ITTYBIT_BASE_URL", "https://other.example.com")));

        Assert.Equal("https://gw.example.com/ittybit", uri.AbsoluteUri);
    }

    [Fact]
    public void The_environment_comes_next_trimmed()
    {
        var uri = ProviderEndpoint.ResolveBaseUri(new UnstructuredProvider().Info, null, Environment(("UNSTRUCTURED_API_URL", "  https://acme.unstructuredapp.io/api/v1 ")));

        Assert.Equal("https://acme.unstructuredapp.io/api/v1", uri.AbsoluteUri);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void The_documented_default_comes_last(string? value)
    {
        var info = new ConvertlyProvider().Info;

        Assert.Equal(new Uri("https://convertly.sh"), ProviderEndpoint.ResolveBaseUri(info, null, Environment(("CONVERTLY_BASE_URL", value))));
    }

    [Theory]
    [InlineData("api.krea.ai")]
    [InlineData("/jobs")]
    [InlineData("ftp://api.krea.ai")]
    public void A_base_URL_that_is_not_absolute_http_is_refused(string value)
    {
        var error = Assert.Throws<InvalidSettingException>(() => ProviderEndpoint.ResolveBaseUri(new KreaProvider().Info, null, Environment(("KREA_BASE_URL", value))));

        Assert.Contains("KREA_BASE_URL must be an absolute http or https URL", error.Message, StringComparison.Ordinal);
        Assert.Equal("KREA_BASE_URL", error.Setting);
    }

    [Theory]
    [InlineData("https://user:hunter2@api.krea.ai/v1", "https://(redacted)@api.krea.ai/v1")]
    [InlineData("https://hunter2@api.krea.ai", "https://(redacted)@api.krea.ai")]
    public void A_base_URL_with_user_info_is_refused_showing_the_rest_as_given_and_never_the_password(string value, string shown)
    {
        var given = Assert.Throws<InvalidSettingException>(() => ProviderEndpoint.ResolveBaseUri(new KreaProvider().Info, new Uri(value), Environment()));
        var variable = Assert.Throws<InvalidSettingException>(() => ProviderEndpoint.ResolveBaseUri(new KreaProvider().Info, null, Environment(("KREA_BASE_URL", value))));

        Assert.Equal($"-BaseUri must not carry a query string or user info: '{shown}'.", given.Message);
        Assert.Equal($"KREA_BASE_URL must not carry a query string or user info: '{shown}'.", variable.Message);
        Assert.DoesNotContain("hunter2", given.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", variable.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://api.krea.ai/?token=abc123")]
    [InlineData("https://gateway.example/krea/v1?region=eu&x=%20y#top")]
    [InlineData("https://API.Krea.AI:443/Path?q")]
    public void A_base_URL_with_a_query_is_refused_showing_it_as_given(string value)
    {
        var given = Assert.Throws<InvalidSettingException>(() => ProviderEndpoint.ResolveBaseUri(new KreaProvider().Info, new Uri(value), Environment()));
        var variable = Assert.Throws<InvalidSettingException>(() => ProviderEndpoint.ResolveBaseUri(new KreaProvider().Info, null, Environment(("KREA_BASE_URL", " " + value + " "))));

        Assert.Equal(SettingProblem.BaseUri, given.Problem);
        Assert.Equal($"-BaseUri must not carry a query string or user info: '{value}'.", given.Message);
        Assert.Equal($"KREA_BASE_URL must not carry a query string or user info: '{value}'.", variable.Message);
    }

    [Theory]
    [InlineData("ftp://user:hunter2@files.example/krea", "'ftp://(redacted)@files.example/krea' is not")]
    [InlineData("https//user:hunter2@api.krea.ai", "'https//(redacted)@api.krea.ai' is not")]
    [InlineData("user:hunter2@api.krea.ai/v1", "'(redacted)@api.krea.ai/v1' is not")]
    [InlineData("http://user:hunter2@jobs.example.com/krea", "'http://(redacted)@jobs.example.com/krea'")]
    [InlineData("https://user:hun@ter2@api.krea.ai/v1?x=1", "'https://(redacted)@api.krea.ai/v1?x=1' is not")]
    public void Other_refused_base_URLs_are_shown_as_given_without_user_info(string value, string shown)
    {
        var error = Assert.Throws<InvalidSettingException>(() => ProviderEndpoint.ResolveBaseUri(new KreaProvider().Info, null, Environment(("KREA_BASE_URL", value))));

        Assert.Contains(shown, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_the_module_knows_is_taken_out_of_a_setting_s_message_and_nothing_else_is()
    {
        var error = Assert.Throws<InvalidSettingException>(() =>
            ProviderEndpoint.ResolveBaseUri(new KreaProvider().Info, null, Environment(("KREA_BASE_URL", "https://gateway.example/krea?api_key=sk-live-5678&region=eu"))));

        var redacted = error.Redact(new Redactor(new[] { "sk-live-5678" }));

        Assert.Equal("KREA_BASE_URL must not carry a query string or user info: 'https://gateway.example/krea?api_key=(redacted)&region=eu'.", redacted.Message);
        Assert.Equal(error.Problem, redacted.Problem);
        Assert.Equal(error.Setting, redacted.Setting);
        Assert.Same(error, error.Redact(new Redactor(new[] { "another-key" })));
    }

    [Fact]
    public void The_key_comes_from_the_first_variable_that_is_set()
    {
        var info = new KreaProvider().Info;

        Assert.Equal(("k1", "env:KREA_API_KEY"), ProviderEndpoint.KeyFromEnvironment(info, Environment(("KREA_API_KEY", "k1"), ("KREA_API_TOKEN", "k2"))));
        Assert.Equal(("k2", "env:KREA_API_TOKEN"), ProviderEndpoint.KeyFromEnvironment(info, Environment(("KREA_API_KEY", " "), ("KREA_API_TOKEN", " k2\n"))));
        Assert.Null(ProviderEndpoint.KeyFromEnvironment(info, Environment()));
    }

    [Fact]
    public void Each_provider_reads_its_documented_variables()
    {
        Assert.Equal(new[] { "PYANNOTEAI_API_KEY" }, new PyannoteAIProvider().Info.KeyVariables);
        Assert.Equal(new[] { "ITTYBIT_API_KEY" }, new IttybitProvider().Info.KeyVariables);
        Assert.Equal(new[] { "CONVERTLY_API_KEY" }, new ConvertlyProvider().Info.KeyVariables);
        Assert.Equal(new[] { "UNSTRUCTURED_API_KEY" }, new UnstructuredProvider().Info.KeyVariables);
        Assert.Equal(new[] { "KREA_API_KEY", "KREA_API_TOKEN" }, new KreaProvider().Info.KeyVariables);
        Assert.Equal("UNSTRUCTURED_API_URL", new UnstructuredProvider().Info.BaseUriVariable);
        Assert.Equal("CONVERTLY_BASE_URL", new ConvertlyProvider().Info.BaseUriVariable);
    }
}

/// <summary>Each adapter's reading of its provider's error body.</summary>
public class ErrorBodyTests
{
    [Fact]
    public void PyannoteAI_message_and_request_id()
    {
        var body = new PyannoteAIProvider().ReadError(TestListing.Parse("""{"requestId":"37a4c3a0","message":"Subscription is required"}"""));

        Assert.Equal("Subscription is required", body.Message);
        Assert.Equal("37a4c3a0", body.RequestId);
    }

    [Fact]
    public void Ittybit_message()
    {
        Assert.Equal("Invalid API key", new IttybitProvider().ReadError(TestListing.Parse("""{"kind":"auth","message":"Invalid API key"}""")).Message);
    }

    [Fact]
    public void Convertly_error()
    {
        Assert.Equal("Monthly quota exhausted", new ConvertlyProvider().ReadError(TestListing.Parse("""{"error":"Monthly quota exhausted","upgradeUrl":"https://convertly.sh/pricing"}""")).Message);
    }

    [Fact]
    public void Unstructured_detail_as_a_string()
    {
        Assert.Equal("API key is invalid", new UnstructuredProvider().ReadError(TestListing.Parse("""{"detail":"API key is invalid"}""")).Message);
    }

    [Fact]
    public void Krea_error_as_a_string_or_an_object()
    {
        var provider = new KreaProvider();

        Assert.Equal("Unauthorized", provider.ReadError(TestListing.Parse("""{"error":"Unauthorized"}""")).Message);
        Assert.Equal("Too many concurrent jobs", provider.ReadError(TestListing.Parse("""{"error":{"code":"concurrency","message":"Too many concurrent jobs"}}""")).Message);
    }

    [Fact]
    public void A_body_without_the_field_has_no_message()
    {
        Assert.Null(new ConvertlyProvider().ReadError(TestListing.Parse("""{"message":"not the field"}""")).Message);
        Assert.Null(new KreaProvider().ReadError(TestListing.Parse("[]")).Message);
    }
}
