using System.Text.RegularExpressions;

namespace JobsModule.Tests;

/// <summary>Which accounts a call uses: -ApiKey, then connected accounts, then the environment; names, wildcards, filters and missing keys.</summary>
public class AccountSelectorTests
{
    private static readonly IJobProvider Krea = ProviderRegistry.Find("Krea")!;
    private static readonly IJobProvider Ittybit = ProviderRegistry.Find("Ittybit")!;

    /// <summary>Every provider's key in the environment, as the tests' machine would have them.</summary>
    private static readonly Dictionary<string, string> EveryKey = new()
    {
        ["PYANNOTEAI_API_KEY"] = "env-pyannote",
        ["ITTYBIT_API_KEY"] = "env-ittybit",
        ["CONVERTLY_API_KEY"] = "env-convertly",
        ["UNSTRUCTURED_API_KEY"] = "env-unstructured",
        ["KREA_API_KEY"] = "env-krea",
    };

    // Wildcards as the tests need them: * and ?, without regard to case.
    private static bool Glob(string pattern, string name) =>
        Regex.IsMatch(name, "^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$", RegexOptions.IgnoreCase);

    private static ProviderAccount Connected(IJobProvider provider, string name, string key) =>
        ProviderAccount.Connected(provider, name, provider.Info.DefaultBaseUri, "-ApiKey", SecureKey.FromPlain(key));

    private static AccountSelection Select(AccountRequest request, IReadOnlyDictionary<string, string>? environment = null, params ProviderAccount[] connected)
    {
        var variables = environment ?? new Dictionary<string, string>();
        return new AccountSelector(connected, name => variables.TryGetValue(name, out var value) ? value : null, Glob).Select(request);
    }

    private static string Describe(AccountSelection selection) =>
        string.Join(", ", selection.Endpoints.Select(endpoint => $"{endpoint.Provider.Info.Name}/{endpoint.Account}={endpoint.ApiKey}"));

    [Fact]
    public void A_key_on_the_call_wins_over_connected_accounts_and_the_environment()
    {
        var selection = Select(
            new AccountRequest { Providers = new[] { "Krea" }, ApiKey = SecureKey.FromPlain("call-key") },
            EveryKey,
            Connected(Krea, "prod", "connected-key"));

        Assert.Equal("Krea/Krea=call-key", Describe(selection));
        Assert.Equal("-ApiKey", selection.Endpoints[0].KeySource);
        Assert.Empty(selection.Problems);
    }

    [Fact]
    public void A_provider_with_a_connected_account_ignores_its_environment_variable_and_the_others_keep_theirs()
    {
        var selection = Select(new AccountRequest(), EveryKey, Connected(Krea, "prod", "connected-key"));

        Assert.Equal(
            "Convertly/Convertly=env-convertly, Ittybit/Ittybit=env-ittybit, Krea/prod=connected-key, PyannoteAI/PyannoteAI=env-pyannote, Unstructured/Unstructured=env-unstructured",
            Describe(selection));
        Assert.Empty(selection.Problems);
    }

    [Fact]
    public void The_environment_gives_each_provider_one_account_named_after_it_with_the_first_variable_set()
    {
        var environment = new Dictionary<string, string> { ["KREA_API_TOKEN"] = "token", ["KREA_API_KEY"] = "key" };

        var selection = Select(new AccountRequest { Providers = new[] { "krea" } }, environment);

        Assert.Equal("Krea/Krea=key", Describe(selection));
        Assert.Equal("env:KREA_API_KEY", selection.Endpoints[0].KeySource);
    }

    [Fact]
    public void The_available_accounts_are_the_connected_ones_then_the_environment_s_in_order_of_provider_and_name()
    {
        var available = AccountSelector.Available(
            new[] { Connected(Krea, "zeta", "k1"), Connected(Krea, "alpha", "k2") },
            name => EveryKey.TryGetValue(name, out var value) ? value : null);

        Assert.Equal(
            new[] { "Convertly/Convertly", "Ittybit/Ittybit", "Krea/alpha", "Krea/zeta", "PyannoteAI/PyannoteAI", "Unstructured/Unstructured" },
            available.Select(account => account.Provider + "/" + account.Name).ToArray());
        Assert.Equal(new[] { true, true }, available.Where(account => account.Provider == "Krea").Select(account => account.IsConnected).ToArray());
    }

    [Fact]
    public void Accounts_are_named_exactly_or_by_wildcard_and_each_is_used_once()
    {
        var selection = Select(
            new AccountRequest { AccountPatterns = new[] { "krea-*", "KREA-A", "team?" } },
            EveryKey,
            Connected(Krea, "krea-a", "ka"),
            Connected(Krea, "krea-b", "kb"),
            Connected(Ittybit, "team1", "t1"),
            Connected(Ittybit, "other", "o"));

        Assert.Equal("Krea/krea-a=ka, Krea/krea-b=kb, Ittybit/team1=t1", Describe(selection));
        Assert.Empty(selection.Problems);
    }

    [Fact]
    public void An_account_name_that_matches_nothing_is_a_problem_that_leaves_the_others_be()
    {
        var selection = Select(new AccountRequest { AccountPatterns = new[] { "nobody", "Krea" } }, EveryKey);

        Assert.Equal("Krea/Krea=env-krea", Describe(selection));
        var problem = Assert.Single(selection.Problems);
        Assert.Equal(ProblemKind.AccountNotFound, problem.Kind);
        Assert.Equal("nobody", problem.Target);
        Assert.False(problem.StopsCall);
    }

    [Fact]
    public void Providers_without_a_key_are_left_out_with_a_note_and_are_no_problem_when_none_is_named()
    {
        var selection = Select(new AccountRequest(), new Dictionary<string, string> { ["KREA_API_KEY"] = "env-krea" });

        Assert.Equal("Krea/Krea=env-krea", Describe(selection));
        Assert.Empty(selection.Problems);
        Assert.Equal(4, selection.Notes.Count);
    }

    [Fact]
    public void An_account_of_the_one_provider_named_is_used_and_its_namesakes_at_other_providers_are_not()
    {
        var selection = Select(
            new AccountRequest { Providers = new[] { "Krea" }, AccountPatterns = new[] { "prod" } },
            EveryKey,
            Connected(Krea, "prod", "kp"),
            Connected(Ittybit, "prod", "ip"));

        Assert.Equal("Krea/prod=kp", Describe(selection));
        Assert.Empty(selection.Problems);
    }

    [Fact]
    public void An_account_of_a_provider_not_named_does_not_match()
    {
        var selection = Select(new AccountRequest { Providers = new[] { "Ittybit" }, AccountPatterns = new[] { "Krea" } }, EveryKey);

        Assert.Empty(selection.Endpoints);
        Assert.Equal(ProblemKind.AccountNotFound, Assert.Single(selection.Problems).Kind);
    }

    [Fact]
    public void Providers_not_named_that_cannot_apply_a_filter_are_left_out_with_a_note()
    {
        var selection = Select(new AccountRequest { Query = new JobQuery { WorkflowId = "wf-1" } }, EveryKey);

        Assert.Equal("Unstructured/Unstructured=env-unstructured", Describe(selection));
        Assert.Empty(selection.Problems);
        Assert.Equal(4, selection.Notes.Count);
        Assert.Contains(selection.Notes, note => note.StartsWith("Krea is left out of this listing", StringComparison.Ordinal) && note.Contains("WorkflowId", StringComparison.Ordinal));
    }

    [Fact]
    public void A_named_provider_that_cannot_apply_a_filter_stops_the_call()
    {
        var selection = Select(new AccountRequest { Providers = new[] { "Krea", "Unstructured" }, Query = new JobQuery { WorkflowId = "wf-1" } }, EveryKey);

        Assert.Empty(selection.Endpoints);
        var stop = selection.Stop!;
        Assert.Equal(ProblemKind.FilterNotSupported, stop.Kind);
        Assert.Equal("Krea", stop.Provider);
        Assert.Equal("WorkflowId", stop.Parameter);
    }

    [Fact]
    public void A_page_size_beyond_a_provider_s_maximum_stops_the_call_even_when_it_was_not_named()
    {
        var selection = Select(new AccountRequest { Query = new JobQuery { PageSize = 500 } }, EveryKey);

        Assert.Equal(ProblemKind.PageSizeOutOfRange, selection.Stop!.Kind);
        Assert.Empty(selection.Endpoints);
    }

    [Fact]
    public void Providers_without_a_key_are_left_out_with_a_note_when_not_named()
    {
        var selection = Select(new AccountRequest(), new Dictionary<string, string> { ["KREA_API_KEY"] = "k" });

        Assert.Equal("Krea/Krea=k", Describe(selection));
        Assert.Equal(4, selection.Notes.Count);
        Assert.Contains(selection.Notes, note => note.Contains("No API key for Ittybit: set ITTYBIT_API_KEY", StringComparison.Ordinal));
    }

    [Fact]
    public void No_key_anywhere_stops_the_call_naming_every_variable()
    {
        var selection = Select(new AccountRequest(), new Dictionary<string, string>());

        var stop = selection.Stop!;
        Assert.Equal(ProblemKind.NoKeys, stop.Kind);
        Assert.Contains("KREA_API_KEY", stop.Message, StringComparison.Ordinal);
        Assert.Contains("PYANNOTEAI_API_KEY", stop.Message, StringComparison.Ordinal);
        Assert.Empty(selection.Endpoints);
    }

    [Fact]
    public void A_named_provider_without_a_key_is_a_problem_that_leaves_the_others_be()
    {
        var selection = Select(new AccountRequest { Providers = new[] { "Krea", "Ittybit" } }, new Dictionary<string, string> { ["KREA_API_KEY"] = "k" });

        Assert.Equal("Krea/Krea=k", Describe(selection));
        var problem = Assert.Single(selection.Problems);
        Assert.Equal(ProblemKind.MissingKey, problem.Kind);
        Assert.Equal("Ittybit", problem.Provider);
        Assert.False(problem.StopsCall);
    }

    [Fact]
    public void A_plain_http_base_uri_off_this_machine_stops_the_call_naming_the_uri()
    {
        var selection = Select(new AccountRequest { Providers = new[] { "Krea" }, BaseUri = new Uri("http://gateway.example/krea") }, EveryKey);

        var stop = selection.Stop!;
        Assert.Equal(ProblemKind.Setting, stop.Kind);
        Assert.Equal(SettingProblem.InsecureBaseUri, stop.Setting!.Problem);
        Assert.Equal("http://gateway.example/krea", stop.Target);
        Assert.StartsWith("-BaseUri must be an https URL: 'http://gateway.example/krea' is plain http", stop.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_base_uri_with_user_info_and_a_query_is_named_as_given_without_its_user_info()
    {
        var selection = Select(new AccountRequest { Providers = new[] { "Krea" }, BaseUri = new Uri("https://ops:hunter2@gateway.example/krea?region=eu") }, EveryKey);

        var stop = selection.Stop!;
        Assert.Equal(SettingProblem.BaseUri, stop.Setting!.Problem);
        Assert.Equal("https://(redacted)@gateway.example/krea?region=eu", stop.Target);
        Assert.Equal("-BaseUri must not carry a query string or user info: 'https://(redacted)@gateway.example/krea?region=eu'.", stop.Message);
    }

    [Fact]
    public void A_key_on_the_call_that_a_header_cannot_carry_stops_the_call_naming_ApiKey()
    {
        var selection = Select(new AccountRequest { Providers = new[] { "Krea" }, ApiKey = SecureKey.FromPlain("key-with\nbreak") }, EveryKey);

        var stop = selection.Stop!;
        Assert.Equal(ProblemKind.Setting, stop.Kind);
        Assert.Equal("-ApiKey", stop.Setting!.Setting);
        Assert.Contains("-ApiKey", stop.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("key-with", stop.Message, StringComparison.Ordinal);
        Assert.Empty(selection.Endpoints);
    }

    [Fact]
    public void A_bad_environment_variable_stops_only_a_call_that_uses_its_provider()
    {
        var environment = new Dictionary<string, string>(EveryKey) { ["KREA_BASE_URL"] = "not a url" };

        var krea = Select(new AccountRequest { Providers = new[] { "Krea" } }, environment);
        var ittybit = Select(new AccountRequest { Providers = new[] { "Ittybit" } }, environment);

        Assert.Equal(SettingProblem.BaseUri, krea.Stop!.Setting!.Problem);
        Assert.Null(krea.Stop.Target);
        Assert.Equal("Ittybit/Ittybit=env-ittybit", Describe(ittybit));
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("http://jobs.example.com")]
    public void A_base_url_on_the_call_replaces_a_bad_base_url_variable(string variable)
    {
        var environment = new Dictionary<string, string>(EveryKey) { ["KREA_BASE_URL"] = variable };

        var selection = Select(new AccountRequest { Providers = new[] { "Krea" }, BaseUri = new Uri("https://gateway.example.com/krea") }, environment);

        Assert.Null(selection.Stop);
        Assert.Empty(selection.Problems);
        Assert.Equal("Krea/Krea=env-krea", Describe(selection));
        Assert.Equal("https://gateway.example.com/krea", selection.Endpoints[0].BaseUri.AbsoluteUri);
    }

    [Fact]
    public void A_base_url_on_the_call_does_not_excuse_a_bad_key_variable()
    {
        var environment = new Dictionary<string, string>(EveryKey) { ["KREA_API_KEY"] = "sk-1\nX-Evil: 1" };

        var selection = Select(new AccountRequest { Providers = new[] { "Krea" }, BaseUri = new Uri("https://gateway.example.com/krea") }, environment);

        Assert.Equal(SettingProblem.ApiKey, selection.Stop!.Setting!.Problem);
        Assert.Empty(selection.Endpoints);
    }

    /// <summary>Each provider's variables, each kind of bad value: a base URL that is plain http or no URL, a key with a line break, an API version a header cannot carry (ittybit, the one provider with versions).</summary>
    public static TheoryData<string, string, string, SettingProblem> BadVariables()
    {
        var data = new TheoryData<string, string, string, SettingProblem>();
        foreach (var provider in ProviderRegistry.All.Select(provider => provider.Info))
        {
            data.Add(provider.Name, provider.BaseUriVariable, "http://jobs.example.com", SettingProblem.InsecureBaseUri);
            data.Add(provider.Name, provider.BaseUriVariable, "not a url", SettingProblem.BaseUri);
            data.Add(provider.Name, provider.KeyVariables[0], "sk-1234\nX-Evil: 1", SettingProblem.ApiKey);
            if (provider.ApiVersionVariable is { } version)
            {
                data.Add(provider.Name, version, "2025-08-20\r\nX-Evil: 1", SettingProblem.ApiVersion);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BadVariables))]
    public void A_bad_variable_in_a_listing_that_does_not_name_its_provider_leaves_that_provider_out_with_a_problem_and_lists_the_others(string provider, string variable, string value, SettingProblem kind)
    {
        var environment = new Dictionary<string, string>(EveryKey) { [variable] = value };
        var others = ProviderRegistry.Names.Where(name => name != provider).ToList();

        foreach (var request in new[] { new AccountRequest(), new AccountRequest { Providers = ProviderRegistry.Names.ToList() }, new AccountRequest { AccountPatterns = new[] { "*" } } })
        {
            var selection = Select(request, environment);

            Assert.Equal(others.OrderBy(name => name), selection.Endpoints.Select(endpoint => endpoint.Provider.Info.Name).OrderBy(name => name));
            var problem = Assert.Single(selection.Problems);
            Assert.Equal(ProblemKind.Setting, problem.Kind);
            Assert.False(problem.StopsCall);
            Assert.Null(selection.Stop);
            Assert.Equal(provider, problem.Provider);
            Assert.Equal(kind, problem.Setting!.Problem);
            Assert.Equal(variable, problem.Setting.Setting);
            Assert.Null(problem.Target);
        }
    }

    [Theory]
    [MemberData(nameof(BadVariables))]
    public void A_bad_variable_stops_a_call_that_names_only_its_provider_or_has_nothing_else_to_list(string provider, string variable, string value, SettingProblem kind)
    {
        var environment = new Dictionary<string, string>(EveryKey) { [variable] = value };
        // Only this provider's variables: an unfiltered listing with nothing else to list.
        var alone = environment.Where(pair => pair.Key.StartsWith(provider.ToUpperInvariant() + "_", StringComparison.Ordinal)).ToDictionary(pair => pair.Key, pair => pair.Value);

        foreach (var selection in new[]
        {
            Select(new AccountRequest { Providers = new[] { provider } }, environment),
            Select(new AccountRequest { AccountPatterns = new[] { provider } }, environment),
            Select(new AccountRequest { Providers = new[] { provider }, AccountPatterns = new[] { "*" } }, environment),
            Select(new AccountRequest(), alone),
        })
        {
            Assert.Empty(selection.Endpoints);
            var stop = Assert.Single(selection.Problems);
            Assert.Same(stop, selection.Stop);
            Assert.Equal(ProblemKind.Setting, stop.Kind);
            Assert.Equal(kind, stop.Setting!.Problem);
            Assert.Equal(variable, stop.Setting.Setting);
        }
    }

    [Fact]
    public void An_account_with_a_bad_variable_that_several_patterns_match_is_one_problem_and_the_other_accounts_are_listed()
    {
        var environment = new Dictionary<string, string>(EveryKey) { ["KREA_BASE_URL"] = "http://jobs.example.com" };

        var selection = Select(new AccountRequest { AccountPatterns = new[] { "K*", "krea", "team" } }, environment, Connected(Ittybit, "team", "t1"));

        Assert.Equal("Ittybit/team=t1", Describe(selection));
        var problem = Assert.Single(selection.Problems);
        Assert.Equal("Krea", problem.Provider);
        Assert.Equal(SettingProblem.InsecureBaseUri, problem.Setting!.Problem);
        Assert.False(problem.StopsCall);
    }

    [Fact]
    public void A_bad_variable_of_a_provider_a_filter_leaves_out_is_no_problem()
    {
        var environment = new Dictionary<string, string>(EveryKey) { ["KREA_API_KEY"] = "two\nlines" };

        var selection = Select(new AccountRequest { Query = new JobQuery { WorkflowId = "wf-1" } }, environment);

        Assert.Equal("Unstructured/Unstructured=env-unstructured", Describe(selection));
        Assert.Empty(selection.Problems);
    }

    [Fact]
    public void A_bad_key_on_the_call_stops_it()
    {
        var selection = Select(new AccountRequest { Providers = new[] { "Krea" }, ApiKey = SecureKey.FromPlain("two\nlines") }, EveryKey);

        Assert.Equal(SettingProblem.ApiKey, selection.Stop!.Setting!.Problem);
    }

    [Fact]
    public void An_unknown_provider_stops_the_call()
    {
        var selection = Select(new AccountRequest { Providers = new[] { "Nope" } }, EveryKey);

        Assert.Equal(ProblemKind.UnknownProvider, selection.Stop!.Kind);
        Assert.Equal("Nope", selection.Stop.Target);
    }

    [Fact]
    public void Accounts_given_are_used_exactly_with_the_base_uri_given()
    {
        var prod = Connected(Krea, "prod", "kp");
        var selection = Select(
            new AccountRequest { Accounts = new[] { prod, prod }, BaseUri = new Uri("https://gateway.example/krea") },
            EveryKey,
            Connected(Krea, "other", "ko"));

        var endpoint = Assert.Single(selection.Endpoints);
        Assert.Equal("prod", endpoint.Account);
        Assert.Equal("https://gateway.example/krea", endpoint.BaseUri.OriginalString);
    }

    [Fact]
    public void Accounts_given_whose_provider_cannot_apply_the_query_stop_the_call()
    {
        var selection = Select(new AccountRequest { Accounts = new[] { Connected(Krea, "prod", "kp") }, Query = new JobQuery { InputUri = "https://x.example/a.mp4" } }, EveryKey);

        Assert.Equal(ProblemKind.FilterNotSupported, selection.Stop!.Kind);
        Assert.Empty(selection.Endpoints);
    }

    [Fact]
    public void A_plain_http_base_uri_for_accounts_given_stops_the_call_before_anything_else_is_said_of_them()
    {
        var selection = Select(
            new AccountRequest { Accounts = new[] { Connected(Krea, "prod", "kp") }, BaseUri = new Uri("http://gateway.example/krea"), Query = new JobQuery { InputUri = "https://x.example/a.mp4" } },
            EveryKey);

        Assert.Equal(ProblemKind.Setting, selection.Stop!.Kind);
        Assert.Equal(SettingProblem.InsecureBaseUri, selection.Stop.Setting!.Problem);
        Assert.Empty(selection.Endpoints);
    }

    [Fact]
    public void An_environment_account_given_after_its_variable_was_removed_has_no_key()
    {
        var fromEnvironment = ProviderAccount.FromEnvironment(Krea, name => name == "KREA_API_KEY" ? "k" : null)!;

        var selection = Select(new AccountRequest { Accounts = new[] { fromEnvironment } }, new Dictionary<string, string>());

        Assert.Equal(ProblemKind.MissingKey, selection.Stop!.Kind);
        Assert.Contains("No API key for Krea", selection.Stop.Message, StringComparison.Ordinal);
    }
}
