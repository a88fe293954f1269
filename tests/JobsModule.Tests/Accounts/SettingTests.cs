using System.Net;
using static JobsModule.Tests.Support.Bodies;

namespace JobsModule.Tests;

/// <summary>Settings checked before anything is sent: https off this machine, API versions; and what the provider's error body carries.</summary>
public class SettingTests
{
    private static Func<string, string?> Environment(params (string Name, string? Value)[] variables) =>
        name => variables.FirstOrDefault(variable => variable.Name == name).Value;

    [Theory]
    [InlineData("http://jobs.example.invalid")]
    [InlineData("http://api.krea.ai/")]
    [InlineData("http://10.0.0.5:8080/krea")]
    [InlineData("http://localhost.example.com")]
    public void Plain_http_off_this_machine_is_refused_and_says_https(string value)
    {
        var given = Assert.Throws<InvalidSettingException>(() => ProviderEndpoint.ResolveBaseUri(new KreaProvider().Info, new Uri(value), Environment()));
        var variable = Assert.Throws<InvalidSettingException>(() => ProviderEndpoint.ResolveBaseUri(new KreaProvider().Info, null, Environment(("KREA_BASE_URL", value))));

        Assert.Equal(SettingProblem.InsecureBaseUri, given.Problem);
        Assert.Equal("-BaseUri", given.Setting);
        Assert.Contains("https", given.Message, StringComparison.Ordinal);
        Assert.Equal(SettingProblem.InsecureBaseUri, variable.Problem);
        Assert.Equal("KREA_BASE_URL", variable.Setting);
        Assert.StartsWith("KREA_BASE_URL must be an https URL", variable.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/krea")]
    [InlineData("http://127.8.9.10/")]
    [InlineData("http://[::1]:5000")]
    [InlineData("http://localhost:8080/x")]
    [InlineData("https://jobs.example.com")]
    public void Https_and_plain_http_to_this_machine_are_allowed(string value) =>
        Assert.Equal(new Uri(value), ProviderEndpoint.ResolveBaseUri(new KreaProvider().Info, new Uri(value), Environment()));

    [Fact]
    public void Ittybit_sends_its_pinned_Accept_Version_and_others_send_none()
    {
        var ittybit = TestListing.Run(new IttybitProvider(), new StubHandler(Respond.Json("[]")), options: TestListing.Fast);
        var krea = TestListing.Run(new KreaProvider(), new StubHandler(Respond.Json(KreaPage(null))));

        Assert.Null(Assert.Single(krea.Stub.Requests).Header("Accept-Version"));
        Assert.Null(Assert.Single(ittybit.Stub.Requests).Header("Accept-Version"));   // TestListing.Endpoint sends no version of its own
        var endpoint = new ProviderEndpoint(new IttybitProvider(), new Uri("https://api.ittybit.com"), "k", "test", null, "2025-08-20");
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.ittybit.com/jobs");
        endpoint.Provider.Authorize(request, endpoint);
        Assert.Equal("2025-08-20", string.Join(",", request.Headers.GetValues("Accept-Version")));
    }

    [Fact]
    public void The_API_version_is_the_given_one_else_the_variable_else_the_pinned_default()
    {
        var info = new IttybitProvider().Info;

        Assert.Equal("2025-08-20", info.DefaultApiVersion);
        Assert.Equal("2025-08-20", ProviderEndpoint.ResolveApiVersion(info, null, "-ApiVersion", Environment()));
        Assert.Equal("2026-01-15", ProviderEndpoint.ResolveApiVersion(info, null, "-ApiVersion", Environment(("ITTYBIT_API_VERSION", " 2026-01-15 "))));
        Assert.Equal("latest", ProviderEndpoint.ResolveApiVersion(info, "latest", "-ApiVersion", Environment(("ITTYBIT_API_VERSION", "2026-01-15"))));
        Assert.Null(ProviderEndpoint.ResolveApiVersion(new KreaProvider().Info, null, "-ApiVersion", Environment()));
    }

    [Theory]
    [InlineData("2025-08-20\r\nX-Evil: 1")]
    [InlineData("2025 08 20")]
    [InlineData("v1;drop")]
    [InlineData("2025-08-20-and-a-very-long-tail-of-characters")]
    public void An_API_version_a_header_cannot_carry_is_refused(string value)
    {
        var fromVariable = Assert.Throws<InvalidSettingException>(() =>
            ProviderEndpoint.ResolveApiVersion(new IttybitProvider().Info, null, "-ApiVersion", Environment(("ITTYBIT_API_VERSION", value))));
        var given = Assert.Throws<InvalidSettingException>(() =>
            ProviderEndpoint.ResolveApiVersion(new IttybitProvider().Info, value, "-ApiVersion", Environment()));

        Assert.Equal(SettingProblem.ApiVersion, fromVariable.Problem);
        Assert.Equal("ITTYBIT_API_VERSION", fromVariable.Setting);
        Assert.Equal("-ApiVersion", given.Setting);
        Assert.DoesNotContain("\n", given.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("azAZ09-._")]
    [InlineData("z")]
    [InlineData("A")]
    [InlineData("Z")]
    [InlineData("9")]
    [InlineData("0123456789012345678901234567890123456789")]
    public void An_API_version_of_letters_digits_dashes_dots_and_underscores_up_to_40_characters_is_sent_as_given(string value)
    {
        Assert.Equal(value, ProviderEndpoint.ResolveApiVersion(new IttybitProvider().Info, value, "-ApiVersion", Environment()));
    }

    [Theory]
    [InlineData("01234567890123456789012345678901234567890")]
    [InlineData("{")]
    [InlineData("@")]
    [InlineData("[")]
    [InlineData(":")]
    [InlineData("/")]
    [InlineData("`")]
    public void An_API_version_over_40_characters_or_with_a_character_next_to_the_allowed_ones_is_refused(string value)
    {
        var error = Assert.Throws<InvalidSettingException>(() => ProviderEndpoint.ResolveApiVersion(new IttybitProvider().Info, value, "-ApiVersion", Environment()));

        Assert.Equal(SettingProblem.ApiVersion, error.Problem);
    }

    [Fact]
    public void An_API_version_for_a_provider_without_versions_is_refused()
    {
        var error = Assert.Throws<InvalidSettingException>(() => ProviderEndpoint.ResolveApiVersion(new KreaProvider().Info, "2025-08-20", "-ApiVersion", Environment()));

        Assert.Equal(SettingProblem.ApiVersion, error.Problem);
        Assert.Contains("Krea does not version its API", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Convertly_error_code_and_detail_are_kept()
    {
        var run = TestListing.Run(
            new ConvertlyProvider(),
            new StubHandler(Respond.Json(
                """{"error":"Subscription is required","code":"quota_exceeded","detail":"Monthly quota of 100 conversions reached","upgradeUrl":"https://convertly.sh/pricing"}""",
                HttpStatusCode.PaymentRequired)));

        var failure = run.Failure();
        Assert.Equal(ProviderErrorKind.QuotaExceeded, failure.Kind);
        Assert.Equal("quota_exceeded", failure.ProviderErrorCode);
        Assert.Equal("Subscription is required: Monthly quota of 100 conversions reached", failure.ProviderMessage);
        Assert.EndsWith(": Subscription is required: Monthly quota of 100 conversions reached (code quota_exceeded)", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"error":"Not found"}""", "Not found", null)]
    [InlineData("""{"detail":"Only a detail"}""", "Only a detail", null)]
    [InlineData("""{"error":"Same","detail":"Same","code":"x"}""", "Same", "x")]
    public void Convertly_error_bodies_of_every_form_are_read(string body, string message, string? code)
    {
        var read = new ConvertlyProvider().ReadError(TestListing.Parse(body));

        Assert.Equal(message, read.Message);
        Assert.Equal(code, read.Code);
    }
}
