using System.Security;
using JobsModule.Listing;

namespace JobsModule.Accounts;

/// <summary>Which accounts a call asks for, as its parameters say (their conflicts are the cmdlet's to check first).</summary>
internal sealed record AccountRequest
{
    /// <summary>The providers named (-Provider); null: every provider that has a key.</summary>
    public IReadOnlyCollection<string>? Providers { get; init; }

    /// <summary>The accounts named (-Account), wildcards allowed; null: every account of each provider.</summary>
    public IReadOnlyCollection<string>? AccountPatterns { get; init; }

    /// <summary>Exactly these accounts (piped from Get-ProviderAccount), instead of any lookup.</summary>
    public IReadOnlyList<ProviderAccount>? Accounts { get; init; }

    /// <summary>What will be asked of each provider: one that cannot answer it is an error when named, left out otherwise.</summary>
    public JobQuery Query { get; init; } = new();

    /// <summary>A key given on the call (-ApiKey), for the one provider named; it wins over every account.</summary>
    public SecureString? ApiKey { get; init; }

    /// <summary>A base URL given on the call (-BaseUri), for the providers named.</summary>
    public Uri? BaseUri { get; init; }
}
