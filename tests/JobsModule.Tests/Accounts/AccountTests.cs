using System.Security;

namespace JobsModule.Tests;

/// <summary>ProviderAccount (connected and from the environment) and SecureKey.</summary>
public class AccountTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(variable => variable.Name == name).Value;

    [Fact]
    public void A_connected_account_keeps_a_read_only_copy_of_its_key()
    {
        using var key = new SecureString();
        foreach (var character in "krea-key-1")
        {
            key.AppendChar(character);
        }

        var account = ProviderAccount.Connected(new KreaProvider(), "krea-staging", new Uri("https://gw.example.com/krea"), "-ApiKey", key);
        key.AppendChar('!');

        Assert.True(account.IsConnected);
        Assert.Equal("Krea", account.Provider);
        Assert.Equal("krea-staging", account.Name);
        Assert.Equal("-ApiKey", account.KeySource);
        Assert.Equal("https://gw.example.com/krea", account.BaseUri.AbsoluteUri);
        Assert.NotSame(key, account.Key);
        Assert.True(account.Key!.IsReadOnly());
        Assert.Equal("krea-key-1", SecureKey.Reveal(account.Key));
        Assert.Equal("krea-staging (Krea)", account.ToString());
    }

    [Fact]
    public void A_connected_account_lists_with_its_own_key_whatever_the_environment_says()
    {
        var account = ProviderAccount.Connected(new KreaProvider(), "team", new Uri("https://api.krea.ai"), "-Credential", SecureKey.FromPlain("connected-key"));

        var endpoint = account.ToEndpoint(Environment(("KREA_API_KEY", "environment-key")));

        Assert.Equal("connected-key", endpoint.ApiKey);
        Assert.Equal("-Credential", endpoint.KeySource);
        Assert.Equal("team", endpoint.Account);
        Assert.Equal("https://api.krea.ai/", endpoint.BaseUri.AbsoluteUri);
        Assert.IsType<KreaProvider>(endpoint.Provider);
    }

    [Fact]
    public void A_base_URL_given_for_the_call_wins_over_the_accounts()
    {
        var account = ProviderAccount.Connected(new KreaProvider(), "team", new Uri("https://api.krea.ai"), "-ApiKey", SecureKey.FromPlain("k"));

        var endpoint = account.ToEndpoint(Environment(), new Uri("http://127.0.0.1:5000/krea"));

        Assert.Equal("http://127.0.0.1:5000/krea", endpoint.BaseUri.AbsoluteUri);
    }

    [Fact]
    public void The_environment_gives_an_account_named_after_its_provider()
    {
        var account = ProviderAccount.FromEnvironment(new KreaProvider(), Environment(("KREA_API_TOKEN", "token-key"), ("KREA_BASE_URL", "https://gw.example.com/krea")));

        Assert.NotNull(account);
        Assert.False(account!.IsConnected);
        Assert.Null(account.Key);
        Assert.Equal("Krea", account.Name);
        Assert.Equal("Krea", account.Provider);
        Assert.Equal("env:KREA_API_TOKEN", account.KeySource);
        Assert.Equal("https://gw.example.com/krea", account.BaseUri.AbsoluteUri);
        Assert.Equal("Krea", account.ToString());
    }

    [Fact]
    public void No_key_variable_is_no_environment_account()
    {
        Assert.Null(ProviderAccount.FromEnvironment(new IttybitProvider(), Environment(("ITTYBIT_BASE_URL", "https://gw.example.com"))));
    }

    [Fact]
    public void An_environment_account_reads_its_key_when_used()
    {
        var account = ProviderAccount.FromEnvironment(new IttybitProvider(), Environment(("ITTYBIT_API_KEY", "first")))!;

        var endpoint = account.ToEndpoint(Environment(("ITTYBIT_API_KEY", " second ")));

        Assert.Equal("second", endpoint.ApiKey);
        Assert.Equal("env:ITTYBIT_API_KEY", endpoint.KeySource);
        Assert.Equal("Ittybit", endpoint.Account);
        Assert.Equal("https://api.ittybit.com/", endpoint.BaseUri.AbsoluteUri);
    }

    [Fact]
    public void An_environment_account_whose_variable_was_cleared_says_how_to_give_a_key()
    {
        var account = ProviderAccount.FromEnvironment(new IttybitProvider(), Environment(("ITTYBIT_API_KEY", "first")))!;

        var error = Assert.Throws<InvalidOperationException>(() => account.ToEndpoint(Environment()));

        Assert.Equal(
            "No API key for Ittybit: set ITTYBIT_API_KEY, run Connect-ProviderAccount -Provider Ittybit, or pass -ApiKey to Get-ProviderJob.",
            error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("k")]
    [InlineData("sk-Ünïcødé ✓ with spaces")]
    public void SecureKey_round_trips_and_seals_the_string(string plain)
    {
        using var secure = SecureKey.FromPlain(plain);

        Assert.True(secure.IsReadOnly());
        Assert.Equal(plain.Length, secure.Length);
        Assert.Equal(plain, SecureKey.Reveal(secure));
    }
}
