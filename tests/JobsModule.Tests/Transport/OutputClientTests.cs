using System.Net;
using System.Net.Http.Headers;

namespace JobsModule.Tests;

/// <summary>The transport of outputs: where the key goes and where it never goes, redirects, retries, and bodies that break.</summary>
public class OutputClientTests
{
    private static readonly byte[] Bytes = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();

    private static readonly TestOptions Options = TestListing.Fast with { MaximumRetryCount = 2 };

    private static ProviderEndpoint Unstructured => TestListing.Endpoint(new UnstructuredProvider(), new Uri("https://api.example/u"));

    private static HttpResponseMessage File(byte[] bytes, bool withLength = true, int breakAfter = int.MaxValue, bool stall = false)
    {
        var content = new StreamContent(new ScriptedBody(bytes, breakAfter, stall));
        if (withLength)
        {
            content.Headers.ContentLength = bytes.Length;
        }

        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }

    private static HttpResponseMessage Redirect(string location, int status = 302)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status);
        response.Headers.Location = new Uri(location, UriKind.RelativeOrAbsolute);
        return response;
    }

    private static (long Length, MemoryStream Sink, TransferCounter Counter) Download(StubHandler stub, string url, bool withKey = false, long? size = null, TestOptions? options = null, ProviderEndpoint? endpoint = null)
    {
        var sink = new MemoryStream();
        var counter = new TransferCounter();
        var length = new OutputClient(new HttpClient(stub)).DownloadAsync(endpoint ?? Unstructured, new Uri(url), withKey, size, sink, counter, (options ?? Options).Call()).GetAwaiter().GetResult();
        return (length, sink, counter);
    }

    private static bool CarriesAKey(RecordedRequest request) =>
        request.Header("Authorization") is not null || request.Header("unstructured-api-key") is not null || request.Header("x-api-key") is not null;

    [Fact]
    public void A_file_URL_is_fetched_with_no_key_header_and_streams_whole()
    {
        var stub = new StubHandler((_, _) => File(Bytes));

        var (length, sink, counter) = Download(stub, "https://files.example/out/a.png?sig=1");

        Assert.Equal(Bytes.Length, length);
        Assert.Equal(Bytes, sink.ToArray());
        Assert.Equal(Bytes.Length, counter.Received);
        Assert.Equal(Bytes.Length, counter.Expected);
        var request = Assert.Single(stub.Requests);
        Assert.False(CarriesAKey(request));
        Assert.Null(request.Header("Accept-Version"));
    }

    [Fact]
    public void A_request_under_the_base_url_carries_the_providers_key_header()
    {
        var stub = new StubHandler((_, _) => File(Bytes));

        Download(stub, "https://api.example/u/api/v1/jobs/j/download?file_id=f", withKey: true);

        Assert.Equal(TestListing.Key, Assert.Single(stub.Requests).Header("unstructured-api-key"));
    }

    [Theory]
    [InlineData("https://api.example/other/api/v1/jobs/j/download")]
    [InlineData("https://files.example/u/api/v1/jobs/j/download")]
    [InlineData("http://api.example/u/api/v1/jobs/j/download")]
    public void A_keyed_request_outside_the_base_url_is_refused_before_anything_is_sent(string url)
    {
        var stub = new StubHandler();

        var failure = Assert.Throws<ProviderRequestException>(() => Download(stub, url, withKey: true));

        Assert.Equal(ProviderErrorKind.UnsafeRedirect, failure.Kind);
        Assert.Equal(0, stub.Count);
    }

    [Fact]
    public void A_file_URL_is_followed_through_redirects_to_another_origin_never_with_a_key()
    {
        var stub = new StubHandler((request, index) => index switch
        {
            0 => Redirect("https://cdn.example/signed/a.png?X-Amz-Signature=abc"),
            1 => Redirect("/final/a.png", 307),
            _ => File(Bytes),
        });

        var (length, _, _) = Download(stub, "https://files.example/a.png");

        Assert.Equal(Bytes.Length, length);
        Assert.Equal(new[] { "https://files.example/a.png", "https://cdn.example/signed/a.png?X-Amz-Signature=abc", "https://cdn.example/final/a.png" }, stub.Requests.Select(request => request.Uri.AbsoluteUri));
        Assert.DoesNotContain(stub.Requests, CarriesAKey);
    }

    [Fact]
    public void A_keyed_request_follows_no_redirect()
    {
        var stub = new StubHandler((_, _) => Redirect("https://elsewhere.example/steal"));

        var failure = Assert.Throws<ProviderRequestException>(() => Download(stub, "https://api.example/u/api/v1/jobs/j/download?file_id=f", withKey: true));

        Assert.Equal(ProviderErrorKind.UnsafeRedirect, failure.Kind);
        Assert.Equal(302, failure.StatusCode);
        Assert.Equal("https://api.example/u/api/v1/jobs/j/download?file_id=f", Assert.Single(stub.Requests).Uri.AbsoluteUri);
    }

    [Theory]
    [InlineData("http://files.example/a.png")]
    [InlineData("ftp://files.example/a.png")]
    [InlineData("https://user:password@files.example/a.png")]
    public void A_redirect_to_plain_http_elsewhere_or_another_scheme_is_not_followed(string location)
    {
        var stub = new StubHandler((_, _) => Redirect(location));

        var failure = Assert.Throws<ProviderRequestException>(() => Download(stub, "https://files.example/a.png"));

        Assert.Equal(ProviderErrorKind.UnsafeRedirect, failure.Kind);
        Assert.Equal(1, stub.Count);
        Assert.DoesNotContain("password", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:8080/admin")]
    [InlineData("https://127.0.0.1/internal")]
    [InlineData("http://[::1]:9000/x")]
    public void A_file_host_elsewhere_cannot_redirect_to_this_machine(string location)
    {
        var stub = new StubHandler((_, _) => Redirect(location));

        var failure = Assert.Throws<ProviderRequestException>(() => Download(stub, "https://files.example/a.png"));

        Assert.Equal(ProviderErrorKind.UnsafeRedirect, failure.Kind);
        Assert.Equal(1, stub.Count);
        Assert.Contains("which is this machine", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_redirect_to_a_URL_that_holds_the_key_is_not_followed()
    {
        var stub = new StubHandler((_, _) => Redirect("https://elsewhere.example/collect?k=" + TestListing.Key));

        var failure = Assert.Throws<ProviderRequestException>(() => Download(stub, "https://files.example/a.png"));

        Assert.Equal(ProviderErrorKind.UnsafeRedirect, failure.Kind);
        Assert.Equal(1, stub.Count);
        Assert.Contains("holds the account's key", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestListing.Key, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Redirects_in_a_loop_end_after_ten()
    {
        var stub = new StubHandler((request, _) => Redirect(request.Uri.AbsoluteUri + "x"));

        var failure = Assert.Throws<ProviderRequestException>(() => Download(stub, "https://files.example/a"));

        Assert.Equal(ProviderErrorKind.HttpError, failure.Kind);
        Assert.Equal(11, stub.Count);
    }

    [Fact]
    public void A_503_is_retried_and_the_file_arrives_whole()
    {
        var stub = new StubHandler((_, index) => index == 0 ? Respond.Status(503, "busy", "text/plain").WithHeader("Retry-After", "0") : File(Bytes));

        var (length, sink, _) = Download(stub, "https://files.example/a.png");

        Assert.Equal(2, stub.Count);
        Assert.Equal(Bytes, sink.ToArray());
        Assert.Equal(Bytes.Length, length);
    }

    [Fact]
    public void A_404_is_not_retried_and_says_the_file_host_answered_it_without_the_signature()
    {
        var stub = new StubHandler((_, _) => Respond.Status(404, "<Error><Code>NoSuchKey</Code></Error>", "application/xml"));

        var failure = Assert.Throws<ProviderRequestException>(() => Download(stub, "https://files.example/a.png?X-Amz-Signature=SECRETSIG"));

        Assert.Equal(1, stub.Count);
        Assert.Equal(ProviderErrorKind.NotFound, failure.Kind);
        Assert.Equal(404, failure.StatusCode);
        Assert.Contains("https://files.example/a.png?...", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRETSIG", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_body_cut_half_way_starts_again_from_the_beginning_and_counts_only_whole_bytes()
    {
        var stub = new StubHandler((_, index) => index < 2 ? File(Bytes, breakAfter: Bytes.Length / 2) : File(Bytes));

        var (length, sink, counter) = Download(stub, "https://files.example/a.png");

        Assert.Equal(3, stub.Count);
        Assert.Equal(Bytes, sink.ToArray());
        Assert.Equal(Bytes.Length, length);
        Assert.Equal(Bytes.Length, counter.Received);
        Assert.Equal(Bytes.Length, counter.Expected);
    }

    [Fact]
    public async Task A_body_cut_after_every_retry_is_an_OutputCutException_with_how_far_it_came()
    {
        var stub = new StubHandler((_, _) => File(Bytes, breakAfter: 1000));
        var counter = new TransferCounter();

        var cut = await Assert.ThrowsAsync<OutputCutException>(() =>
            new OutputClient(new HttpClient(stub)).DownloadAsync(Unstructured, new Uri("https://files.example/a.png"), false, null, new MemoryStream(), counter, Options.Call()));

        Assert.Equal(3, stub.Count);
        Assert.Equal(1000, cut.Received);
        Assert.Equal(Bytes.Length, cut.Expected);
        Assert.Equal(ProviderErrorKind.Network, cut.Failure.Kind);
        Assert.Equal(0, counter.Received);
        Assert.Equal(0, counter.Expected);
    }

    [Fact]
    public void Without_Content_Length_the_providers_size_is_checked()
    {
        var stub = new StubHandler((_, _) => File(Bytes[..500], withLength: false));

        var cut = Assert.Throws<OutputCutException>(() => Download(stub, "https://files.example/a.png", size: 800, options: Options with { MaximumRetryCount = 0 }));

        Assert.Equal(500, cut.Received);
        Assert.Equal(800, cut.Expected);
        Assert.Contains("ended after 500 of the 800 bytes", cut.Message, StringComparison.Ordinal);

        var whole = Download(new StubHandler((_, _) => File(Bytes[..500], withLength: false)), "https://files.example/a.png", size: 500);
        Assert.Equal(500, whole.Length);
    }

    [Fact]
    public void A_body_that_stalls_longer_than_the_timeout_is_cut_and_one_that_only_takes_long_is_not()
    {
        // A read may take ten times its scripted 100 ms on a loaded machine before the timeout is near.
        var options = Options with { MaximumRetryCount = 0, RequestTimeout = TimeSpan.FromMilliseconds(1000) };
        var stub = new StubHandler((_, _) => File(Bytes, breakAfter: 100, stall: true));

        var cut = Assert.Throws<OutputCutException>(() => Download(stub, "https://files.example/a.png", options: options));

        Assert.Equal(ProviderErrorKind.Timeout, cut.Failure.Kind);
        Assert.Equal(100, cut.Received);

        // Fifteen reads of 100 ms each: one and a half times the timeout in all, never a stall.
        var slow = new StubHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new ScriptedBody(Bytes[..1500], delayPerRead: TimeSpan.FromMilliseconds(100), readSize: 100)) });
        Assert.Equal(1500, Download(slow, "https://files.example/a.png", options: options).Length);
    }

    [Fact]
    public async Task A_link_is_asked_for_with_a_POST_under_the_base_url_with_the_key()
    {
        var endpoint = TestListing.Endpoint(new PyannoteAIProvider(), new Uri("https://api.example/p"));
        var stub = new StubHandler((_, _) => Respond.Json("""{"url":"https://bucket.example/x.wav?sig=1"}""", HttpStatusCode.Created));

        var link = await new OutputClient(new HttpClient(stub)).ResolveLinkAsync(endpoint, new Uri("https://api.example/p/v1/media/output"), """{"url":"media://x.wav"}""", "url", Options.Call());

        Assert.Equal("https://bucket.example/x.wav?sig=1", link);
        var request = Assert.Single(stub.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("Bearer " + TestListing.Key, request.Header("Authorization"));
    }

    [Fact]
    public async Task A_link_answer_without_the_url_is_ProviderResponseInvalid()
    {
        var endpoint = TestListing.Endpoint(new PyannoteAIProvider(), new Uri("https://api.example/p"));
        var stub = new StubHandler((_, _) => Respond.Json("""{"link":"x"}""", HttpStatusCode.Created));

        var failure = await Assert.ThrowsAsync<ProviderRequestException>(() =>
            new OutputClient(new HttpClient(stub)).ResolveLinkAsync(endpoint, new Uri("https://api.example/p/v1/media/output"), "{}", "url", Options.Call()));

        Assert.Equal(ProviderErrorKind.InvalidResponse, failure.Kind);
        Assert.Contains("POST https://api.example/p/v1/media/output", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://files.example/a", "None")]
    [InlineData("http://localhost:1234/a", "None")]
    [InlineData("http://127.0.0.1/a", "None")]
    [InlineData("http://[::1]/a", "None")]
    [InlineData("http://files.example/a", "Insecure")]
    [InlineData("file:///etc/passwd", "NotHttp")]
    [InlineData("data:text/plain,hi", "NotHttp")]
    [InlineData("/relative/a.png", "NotHttp")]
    [InlineData("https://u:p@files.example/a", "NotHttp")]
    [InlineData("not a url", "NotHttp")]
    public void The_https_rule_of_base_URLs_applies_to_file_URLs(string url, string expected)
    {
        var uri = FileUri.Parse(url, new Uri("http://127.0.0.1:5000/"), Redactor.None, out var problem);
        Assert.Equal(expected, problem.ToString());
        Assert.Equal(expected == "None", uri is not null);
    }

    [Theory]
    [InlineData("https://files.example/a", "https://api.example/", "None")]
    [InlineData("http://localhost:1234/a", "https://api.example/", "ThisMachine")]
    [InlineData("https://127.0.0.1/a", "https://api.example/", "ThisMachine")]
    [InlineData("http://[::1]/a", "https://api.example/", "ThisMachine")]
    [InlineData("https://localhost/a", "http://localhost:5000/", "None")]
    [InlineData("http://127.0.0.1/a", "http://[::1]:5000/", "None")]
    public void A_server_elsewhere_may_not_name_this_machine(string url, string from, string expected)
    {
        var uri = FileUri.Parse(url, new Uri(from), Redactor.None, out var problem);
        Assert.Equal(expected, problem.ToString());
        Assert.Equal(expected == "None", uri is not null);
    }
}
