using System.Net;
using System.Net.Http.Headers;
using System.Text;
using static JobsModule.Tests.Support.Bodies;

namespace JobsModule.Tests;

/// <summary>The -Debug text of each exchange: every header shown, and every header that holds the key masked, both ways.</summary>
public class DebugTextTests
{
    private const string Key = TestListing.Key;

    [Fact]
    public void An_exchange_shows_each_header_and_masks_the_key_in_request_and_response()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.krea.ai/jobs?limit=2");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        request.Headers.TryAddWithoutValidation("X-Trace", "t-1");
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { ReasonPhrase = "OK", Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        response.Headers.TryAddWithoutValidation("X-Echo-Key", "your key is " + Key);
        response.Headers.TryAddWithoutValidation("X-Region", "eu-1");

        var text = ExchangeText.Of("Krea", request, response, new Redactor(new[] { Key }), Key);

        Assert.Equal(
            "Krea GET https://api.krea.ai/jobs?limit=2"
            + "\n  > Authorization: (redacted)"
            + "\n  > X-Trace: t-1"
            + "\n  < 200 OK"
            + "\n  < X-Echo-Key: (redacted)"
            + "\n  < X-Region: eu-1"
            + "\n  < Content-Type: application/json; charset=utf-8",
            text);
    }

    [Fact]
    public void A_header_with_several_values_shows_them_all()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.krea.ai/jobs");
        request.Headers.TryAddWithoutValidation("X-Trace", new[] { "t-1", "t-2" });
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { ReasonPhrase = "OK", Content = new StringContent(string.Empty) };
        response.Headers.TryAddWithoutValidation("X-Served-By", new[] { "edge-1", "origin-2" });

        var text = ExchangeText.Of("Krea", request, response, new Redactor(new[] { Key }), Key);

        Assert.Contains("\n  > X-Trace: t-1, t-2", text, StringComparison.Ordinal);
        Assert.Contains("\n  < X-Served-By: edge-1, origin-2", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Authorization_is_masked_whatever_it_holds()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.krea.ai/jobs");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", "c29tZW9uZTplbHNl");
        using var response = new HttpResponseMessage(HttpStatusCode.Unauthorized) { ReasonPhrase = "Unauthorized", Content = new StringContent(string.Empty) };

        var text = ExchangeText.Of("Krea", request, response, new Redactor(new[] { Key }), Key);

        Assert.Contains("\n  > Authorization: (redacted)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("c29tZW9uZTplbHNl", text, StringComparison.Ordinal);
        Assert.Contains("\n  < 401 Unauthorized", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_header_of_another_name_is_masked_by_its_value()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://platform.unstructuredapp.io/api/v1/jobs/");
        request.Headers.TryAddWithoutValidation("unstructured-api-key", Key);
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("[]") };

        var text = ExchangeText.Of("Unstructured", request, response, new Redactor(new[] { Key }), Key);

        Assert.Contains("\n  > unstructured-api-key: (redacted)", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_listing_writes_one_debug_exchange_per_request_with_the_key_masked()
    {
        var run = TestListing.Run(
            new UnstructuredProvider(),
            new StubHandler(Respond.Json(UnstructuredPageOf(UnstructuredJob("a"))).WithHeader("X-Echo-Key", Key).WithHeader("X-Region", "eu")),
            baseUri: new Uri("https://platform.unstructuredapp.io/api/v1")).Succeeded();

        var debug = Assert.Single(run.Messages, message => message.Kind == LogMessageKind.Debug).Text;
        Assert.StartsWith("Unstructured GET https://platform.unstructuredapp.io/api/v1/jobs/\n", debug, StringComparison.Ordinal);
        Assert.Contains("\n  > unstructured-api-key: (redacted)", debug, StringComparison.Ordinal);
        Assert.Contains("\n  > Accept: application/json", debug, StringComparison.Ordinal);
        Assert.Contains("\n  < 200 OK", debug, StringComparison.Ordinal);
        Assert.Contains("\n  < X-Echo-Key: (redacted)", debug, StringComparison.Ordinal);
        Assert.Contains("\n  < X-Region: eu", debug, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, debug, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_request_has_its_debug_exchange_too()
    {
        var run = TestListing.Run(
            new KreaProvider(),
            new StubHandler(Respond.Json("""{"error":"Invalid API key"}""", HttpStatusCode.Unauthorized).WithHeader("WWW-Authenticate", "Bearer " + Key)));

        Assert.Equal(ProviderErrorKind.Authentication, run.Failure().Kind);
        var debug = Assert.Single(run.Messages, message => message.Kind == LogMessageKind.Debug).Text;
        Assert.Contains("\n  < 401 Unauthorized", debug, StringComparison.Ordinal);
        Assert.Contains("\n  < WWW-Authenticate: (redacted)", debug, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, debug, StringComparison.Ordinal);
    }
}
