namespace JobsModule.Tests;

/// <summary>What the engine hands the cmdlets about a problem: which problems end the call, what they name, and errors with keys taken out.</summary>
public class ProblemRecordTests
{
    private const string Key = "sk-echoed-back-123456";

    private static ProviderRequestException Error(string message = "plain", string? providerMessage = "plain", string? code = "E1", string? requestId = "req-1", string uri = "https://api.example.com/jobs") =>
        new("Krea", ProviderErrorKind.InvalidRequest, message)
        {
            ProviderMessage = providerMessage,
            ProviderErrorCode = code,
            RequestId = requestId,
            RequestUri = new Uri(uri),
            StatusCode = 400,
            RetryAfter = TimeSpan.FromSeconds(3),
            ContentType = "application/json",
        };

    [Fact]
    public void An_error_with_no_key_in_it_is_kept_as_it_is()
    {
        var error = Error();

        Assert.Same(error, error.Redact(new Redactor(new[] { Key })));
    }

    [Theory]
    [InlineData(nameof(ProviderRequestException.Message))]
    [InlineData(nameof(ProviderRequestException.ProviderMessage))]
    [InlineData(nameof(ProviderRequestException.ProviderErrorCode))]
    [InlineData(nameof(ProviderRequestException.RequestId))]
    [InlineData(nameof(ProviderRequestException.RequestUri))]
    public void A_key_in_any_one_part_of_an_error_is_taken_out_of_that_part_and_the_rest_is_kept(string part)
    {
        var error = Error(
            message: part == nameof(ProviderRequestException.Message) ? "bad " + Key : "plain",
            providerMessage: part == nameof(ProviderRequestException.ProviderMessage) ? "bad " + Key : "plain",
            code: part == nameof(ProviderRequestException.ProviderErrorCode) ? Key : "E1",
            requestId: part == nameof(ProviderRequestException.RequestId) ? Key : "req-1",
            uri: part == nameof(ProviderRequestException.RequestUri) ? "https://api.example.com/jobs?echo=" + Key : "https://api.example.com/jobs");

        var shown = error.Redact(new Redactor(new[] { Key }));

        Assert.NotSame(error, shown);
        var everything = string.Join("\n", shown.Message, shown.ProviderMessage, shown.ProviderErrorCode, shown.RequestId, shown.RequestUri!.OriginalString);
        Assert.DoesNotContain(Key, everything, StringComparison.Ordinal);
        Assert.Contains(Redactor.Mask, everything, StringComparison.Ordinal);
        Assert.Equal((error.Provider, error.Kind, error.StatusCode, error.RetryAfter, error.ContentType), (shown.Provider, shown.Kind, shown.StatusCode, shown.RetryAfter, shown.ContentType));
    }

    [Fact]
    public void Problems_with_the_query_or_the_names_given_end_the_call_and_a_missing_key_leaves_out_one_provider()
    {
        var unknown = Problem.UnknownProvider("Nope");
        var query = Problem.From(new QueryProblem(QueryProblemKind.InvalidKind, "Kind", "no such kind"), "Krea");
        var noKeys = Problem.NoKeys(new IJobProvider[] { new KreaProvider() });
        var missing = Problem.MissingKey(new KreaProvider().Info);

        Assert.True(unknown.StopsCall);
        Assert.Equal("Nope", unknown.Target);
        Assert.True(query.StopsCall);
        Assert.Equal((ProblemKind.InvalidKind, "Krea", "no such kind"), (query.Kind, query.Provider, query.Message));
        Assert.True(noKeys.StopsCall);
        Assert.Contains("KREA_API_KEY", noKeys.Message, StringComparison.Ordinal);
        Assert.False(missing.StopsCall);
        Assert.False(Problem.AccountNotFound("work").StopsCall);
    }

    [Theory]
    [InlineData(SettingProblem.BaseUri, "-BaseUri", true)]
    [InlineData(SettingProblem.InsecureBaseUri, "-BaseUri", true)]
    [InlineData(SettingProblem.InsecureBaseUri, "KREA_BASE_URL", false)]
    [InlineData(SettingProblem.ApiKey, "-BaseUri", false)]
    public void A_bad_setting_ends_the_call_and_names_a_base_url_only_when_it_was_given_as_one(SettingProblem problem, string setting, bool named)
    {
        var baseUri = new Uri("http://jobs.example.invalid/");

        var selection = Problem.From(new InvalidSettingException(problem, "bad setting", setting), baseUri);

        Assert.True(selection.StopsCall);
        Assert.Equal(named ? baseUri.OriginalString : null, selection.Target);
    }
}
