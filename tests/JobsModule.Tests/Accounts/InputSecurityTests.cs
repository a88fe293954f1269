using System.Net;
using static JobsModule.Tests.Support.Bodies;

namespace JobsModule.Tests;

/// <summary>Ids that stay in their URL segment, keys that never come back out of a server's words, next pages that stay under the base URL, keys checked before use.</summary>
public class InputSecurityTests
{
    private static Func<string, string?> Environment(params (string Name, string? Value)[] variables) =>
        name => variables.FirstOrDefault(variable => variable.Name == name).Value;

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a\nb")]
    [InlineData("tab\there")]
    public void Ids_that_would_leave_their_segment_or_are_no_id_are_refused(string id)
    {
        Assert.NotNull(JobIds.Problem(id));
        foreach (var provider in ProviderRegistry.All)
        {
            Assert.Throws<ArgumentException>(() => provider.JobUri(new Uri("https://x.example.com/base"), id));
        }
    }

    [Fact]
    public void An_id_longer_than_the_limit_is_refused_and_the_message_is_short()
    {
        var problem = JobIds.Problem(new string('a', JobIds.MaxLength + 1));

        Assert.NotNull(problem);
        Assert.True(problem!.Length < 300, problem);
        Assert.Null(JobIds.Problem(new string('a', JobIds.MaxLength)));
    }

    [Theory]
    [InlineData("...", "https://x.example.com/base/jobs/...")]
    [InlineData(".hidden", "https://x.example.com/base/jobs/.hidden")]
    [InlineData("%2E%2E", "https://x.example.com/base/jobs/%252E%252E")]
    [InlineData("../../admin", "https://x.example.com/base/jobs/..%2F..%2Fadmin")]
    [InlineData("a\\b", "https://x.example.com/base/jobs/a%5Cb")]
    [InlineData("?x=1#f", "https://x.example.com/base/jobs/%3Fx%3D1%23f")]
    public void Every_other_id_stays_one_escaped_segment(string id, string expected)
    {
        Assert.Null(JobIds.Problem(id));
        Assert.Equal(expected, new KreaProvider().JobUri(new Uri("https://x.example.com/base"), id).AbsoluteUri);
    }

    [Fact]
    public void The_redactor_takes_out_every_key_and_any_bearer_token()
    {
        var redactor = new Redactor(new[] { "sk-live-1234567890", "other-key-abcdef", null, "ab" });

        Assert.Equal(
            "Invalid key (redacted), and (redacted) too; Bearer (redacted); ab stays",
            redactor.Redact("Invalid key sk-live-1234567890, and other-key-abcdef too; Bearer unknown-token; ab stays"));
        Assert.Equal("nothing here", redactor.Redact("nothing here"));
        Assert.Equal("x (redacted) y", redactor.With("fresh-key-999").Redact("x fresh-key-999 y"));
        Assert.Same(redactor, redactor.With("sk-live-1234567890"));
    }

    [Fact]
    public void Keys_of_four_characters_or_more_are_masked_and_shorter_ones_would_mask_ordinary_words()
    {
        var redactor = new Redactor(new[] { "wxyz", "abc" });

        Assert.Equal("(redacted) abc", redactor.Redact("wxyz abc"));
        Assert.Equal("(redacted) the", redactor.With("four").With("the").Redact("four the"));
        Assert.Same(redactor, redactor.With(null));
        Assert.Same(redactor, redactor.With("abc"));
    }

    [Fact]
    public void A_key_that_contains_another_is_masked_whole()
    {
        var redactor = new Redactor(new[] { "abcd", "abcdefgh" });

        Assert.Equal("(redacted)", redactor.Redact("abcdefgh"));
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public void A_key_repeated_back_by_a_server_is_in_no_part_of_the_error(HttpStatusCode status)
    {
        var other = "sk-another-account-7777";
        var body = $$"""{"error":"Invalid API key: Bearer {{TestListing.Key}} (also {{other}})","code":"{{TestListing.Key}}"}""";
        var stub = new StubHandler((_, _) => Respond.Json(body, status).WithHeader("X-Request-Id", TestListing.Key));
        var lister = new JobLister(new HttpClient(stub));
        var log = new CallLog(new Redactor(new[] { other }));
        ProviderRequestException? failure = null;
        try
        {
            foreach (var unused in lister.List(TestListing.Endpoint(new ConvertlyProvider()), new JobQuery(), new TestOptions { MaximumRetryCount = 0 }.Call(log), new ListingCounts()))
            {
            }
        }
        catch (ProviderRequestException ex)
        {
            failure = ex;
        }

        Assert.NotNull(failure);
        var everything = string.Join("\n", failure!.Message, failure.ProviderMessage, failure.ProviderErrorCode, failure.RequestId, failure.RequestUri);
        Assert.DoesNotContain(TestListing.Key, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(other, everything, StringComparison.Ordinal);
        Assert.Contains("Invalid API key: Bearer (redacted)", failure.ProviderMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Debug_output_masks_headers_that_carry_a_key_and_keys_a_server_repeats()
    {
        var stub = new StubHandler((_, _) => Respond.Json(KreaPage(null)).WithHeader("X-Echo-Authorization", "Bearer " + TestListing.Key).WithHeader("X-Trace", "plain"));
        var run = TestListing.Run(new KreaProvider(), stub).Succeeded();

        var debug = Assert.Single(run.Messages, message => message.Kind == LogMessageKind.Debug).Text;
        Assert.DoesNotContain(TestListing.Key, debug, StringComparison.Ordinal);
        Assert.Contains("> Authorization: (redacted)", debug, StringComparison.Ordinal);
        Assert.Contains("< X-Echo-Authorization: (redacted)", debug, StringComparison.Ordinal);
        Assert.Contains("< X-Trace: plain", debug, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://gw.example.com/ittybit", "https://gw.example.com/ittybit/jobs?after=x", true)]
    [InlineData("https://gw.example.com/ittybit/", "https://gw.example.com/ittybit/jobs", true)]
    [InlineData("https://gw.example.com/ittybit", "https://gw.example.com/ittybit?page=2", true)]
    [InlineData("https://gw.example.com/ittybit/", "https://gw.example.com/ittybit", true)]
    [InlineData("https://gw.example.com/ittybit", "https://gw.example.com/evil/jobs?after=x", false)]
    [InlineData("https://gw.example.com/ittybit", "https://gw.example.com/ittybitty/jobs", false)]
    [InlineData("https://gw.example.com/ittybit", "https://gw.example.com/ittybit/../evil/jobs", false)]
    [InlineData("https://gw.example.com/ittybit", "https://gw.example.com/ittybit%2F..%2Fevil", false)]
    [InlineData("https://gw.example.com/ittybit", "http://gw.example.com/ittybit/jobs", false)]
    [InlineData("https://gw.example.com/ittybit", "https://gw.example.com:8443/ittybit/jobs", false)]
    [InlineData("https://gw.example.com/ittybit", "https://other.example.com/ittybit/jobs", false)]
    [InlineData("https://api.ittybit.com", "https://api.ittybit.com/anything", true)]
    public void A_next_page_is_followed_only_under_the_base_url(string baseUri, string next, bool followed) =>
        Assert.Equal(followed, JobPager.IsUnderBase(new Uri(next), new Uri(baseUri)));

    [Fact]
    public void A_Link_to_another_path_of_the_same_host_is_refused_before_anything_is_sent_there()
    {
        var baseUri = new Uri("https://gw.example.com/ittybit");
        var stub = new StubHandler(
            Respond.Json(IttybitPage("a", "b")).WithHeader("Link", "<https://gw.example.com/evil/jobs?after=b>; rel=\"next\""));

        var run = TestListing.Run(new IttybitProvider(), stub, new JobQuery { PageSize = 2 }, baseUri: baseUri);

        Assert.Equal(new[] { "a", "b" }, run.Ids);
        Assert.Equal(ProviderErrorKind.UnsafeRedirect, run.Failure().Kind);
        Assert.Contains("/evil/jobs", run.Failure().Message, StringComparison.Ordinal);
        Assert.Equal(1, stub.Count);
    }

    [Theory]
    [InlineData("sk-123\n", SettingProblem.ApiKey)]
    [InlineData("sk-12\r\n3", SettingProblem.ApiKey)]
    [InlineData("clé-secrète", SettingProblem.ApiKey)]
    [InlineData("sk\t123", SettingProblem.ApiKey)]
    [InlineData(" sk-123", SettingProblem.ApiKey)]
    [InlineData("", SettingProblem.ApiKeyEmpty)]
    [InlineData("   ", SettingProblem.ApiKeyEmpty)]
    public void A_key_a_header_cannot_carry_is_refused_naming_its_source_never_the_key(string key, SettingProblem problem)
    {
        var error = Assert.Throws<InvalidSettingException>(() => ApiKeys.Check(key, "-ApiKey"));

        Assert.Equal(problem, error.Problem);
        Assert.Equal("-ApiKey", error.Setting);
        if (key.Trim().Length > 0)
        {
            Assert.DoesNotContain(key.Trim(), error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("sk-123\n", "a line break at position 7")]
    [InlineData("sk\r123", "a line break at position 3")]
    [InlineData("sk\t123", "a tab at position 3")]
    [InlineData(" sk-123", "a space at its start or end at position 1")]
    [InlineData("sk-123 ", "a space at its start or end at position 7")]
    [InlineData("sk\u0007123", "a control character at position 3")]
    [InlineData("sk\u007f123", "a control character at position 3")]
    [InlineData("sk-\u00e9", "the non-ASCII character U+00E9 at position 4")]
    public void A_bad_key_is_described_by_the_kind_and_place_of_its_character(string key, string described)
    {
        var error = Assert.Throws<InvalidSettingException>(() => ApiKeys.Check(key, "KREA_API_KEY"));

        Assert.Equal(
            $"The key from KREA_API_KEY holds {described}, which a request header cannot carry. "
            + "Keys are printable ASCII: check for a line break or a space copied with it, or a look-alike letter.",
            error.Message);
    }

    [Fact]
    public void A_blank_or_overlong_key_is_described_as_such()
    {
        Assert.Equal("The key from -ApiKey is empty or blank. Give the whole key.", Assert.Throws<InvalidSettingException>(() => ApiKeys.Check(" ", "-ApiKey")).Message);
        var tooLong = Assert.Throws<InvalidSettingException>(() => ApiKeys.Check(new string('k', ApiKeys.MaxLength + 1), "-ApiKey"));
        Assert.Equal(SettingProblem.ApiKey, tooLong.Problem);
        Assert.Equal("The key from -ApiKey is longer than 4096 characters, which is no API key. Check what was pasted.", tooLong.Message);
        Assert.Equal(ApiKeys.MaxLength, ApiKeys.Check(new string('k', ApiKeys.MaxLength), "-ApiKey").Length);
    }

    [Theory]
    [InlineData("sk-live-0123456789abcdef")]
    [InlineData("with inner space")]
    [InlineData("!#$%&'*+-.^_`|~0-9")]
    public void Printable_ASCII_keys_are_taken(string key) => Assert.Equal(key, ApiKeys.Check(key, "-ApiKey"));

    [Fact]
    public void A_bad_key_variable_makes_only_its_own_provider_unusable()
    {
        var environment = Environment(("KREA_API_KEY", "bad\u0007key"), ("ITTYBIT_API_KEY", "good-key-1234"));

        var krea = ProviderAccount.FromEnvironment(new KreaProvider(), environment)!;
        var ittybit = ProviderAccount.FromEnvironment(new IttybitProvider(), environment)!;

        Assert.Equal(SettingProblem.ApiKey, krea.Problem!.Problem);
        Assert.Equal("KREA_API_KEY", krea.Problem.Setting);
        Assert.Equal("env:KREA_API_KEY", krea.KeySource);
        Assert.Throws<InvalidSettingException>(() => krea.ToEndpoint(environment));
        Assert.Null(ittybit.Problem);
        Assert.Equal("good-key-1234", ittybit.ToEndpoint(environment).ApiKey);
    }

    [Fact]
    public void A_bad_base_url_variable_is_carried_by_its_account_too()
    {
        var environment = Environment(("KREA_API_KEY", "good-key-1234"), ("KREA_BASE_URL", "http://evil.example.com"));

        var krea = ProviderAccount.FromEnvironment(new KreaProvider(), environment)!;

        Assert.Equal(SettingProblem.InsecureBaseUri, krea.Problem!.Problem);
        Assert.Equal("KREA_BASE_URL", krea.Problem.Setting);
    }

    [Fact]
    public void A_key_variable_that_is_blank_is_not_set()
    {
        Assert.Null(ProviderAccount.FromEnvironment(new KreaProvider(), Environment(("KREA_API_KEY", "  "))));
        Assert.Equal("env:KREA_API_TOKEN", ProviderAccount.FromEnvironment(new KreaProvider(), Environment(("KREA_API_KEY", " "), ("KREA_API_TOKEN", "token-5678")))!.KeySource);
    }

    [Fact]
    public void Long_urls_and_values_are_shortened_in_messages()
    {
        var uri = new Uri("https://x.example.com/jobs/" + new string('a', 5000));

        Assert.True(Strings.Describe(uri).Length < 600);
        Assert.EndsWith("(5027 characters)", Strings.Describe(uri), StringComparison.Ordinal);
        Assert.Equal("a\\nb", Strings.Shorten("a\nb"));
    }
}
