using System.Security;

namespace JobsModule.Commands;

/// <summary>Connect-ProviderAccount: registers a key for a provider in this runspace, in memory only.</summary>
[Cmdlet(VerbsCommunications.Connect, "ProviderAccount", DefaultParameterSetName = ApiKeySet)]
[OutputType(typeof(ProviderAccount))]
public sealed class ConnectProviderAccountCommand : RequestCommandBase
{
    private const string ApiKeySet = "ApiKey";
    private const string CredentialSet = "Credential";
    private const string EnvironmentSet = "FromEnvironment";

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateProviderName]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    public string Provider { get; set; } = string.Empty;

    [Parameter(Position = 1)]
    [ValidateNotBlank]
    public string? Name { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ApiKeySet)]
    [ValidateNotNull]
    public SecureString? ApiKey { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
    [ValidateNotNull]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = EnvironmentSet)]
    public SwitchParameter FromEnvironment { get; set; }

    [Parameter]
    [ValidateNotNull]
    public Uri? BaseUri { get; set; }

    /// <summary>The API version to pin, for a provider that versions its API (ittybit's Accept-Version).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ApiVersion { get; set; }

    /// <summary>Lists one job with the account before keeping it.</summary>
    [Parameter]
    public SwitchParameter Validate { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var (key, keySource) = ParameterSetName switch
        {
            CredentialSet => (Credential!.Password, "-Credential"),
            EnvironmentSet => ((SecureString?)null, (string?)null),
            _ => (ApiKey, "-ApiKey"),
        };
        StopOn(Engine.Connect(Provider, Name, Credential?.UserName?.TrimStart('\\'), key, keySource, BaseUri, ApiVersion, Validate, out var account));
        if (account is null)
        {
            return;
        }

        AccountStore.Current.Save(account);
        WriteVerboseText($"Connected account '{account.Name}' for {account.Provider} at {account.BaseUri} (key from {account.KeySource}).");
        if (PassThru)
        {
            WriteObject(account);
        }
    }

    private protected override IEnumerable<SecureString?> KeysGiven() => new[] { ApiKey, Credential?.Password };
}
