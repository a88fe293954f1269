using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using JobsModule.Accounts;
using JobsModule.Engine;
using JobsModule.Listing;
using JobsModule.Operations;

namespace JobsModule.Commands;

/// <summary>Connect-ProviderAccount: registers a key for a provider in this runspace, in memory only.</summary>
[Cmdlet(VerbsCommunications.Connect, "ProviderAccount", DefaultParameterSetName = ApiKeySet)]
[OutputType(typeof(ProviderAccount))]
public sealed class ConnectProviderAccountCommand : ProviderCommandBase
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
        var provider = ProviderRegistry.Find(Provider)!;
        var info = provider.Info;

        // The name first, wherever it comes from: nothing is checked, sent or kept for an account that could not be selected again.
        var userName = Credential?.UserName?.TrimStart('\\');
        var fromCredential = Name is null && !string.IsNullOrWhiteSpace(userName) ? userName : null;
        var name = Name ?? fromCredential ?? info.Name;
        if (AccountNames.Problem(name, fromCredential is null ? "-Name" : "-Credential's user name") is { } nameProblem)
        {
            ThrowTerminatingError(ErrorRecords.InvalidAccountName(name, nameProblem));
            return;
        }

        SecureString key;
        string keySource;
        Uri baseUri;
        string? apiVersion;
        try
        {
            switch (ParameterSetName)
            {
                case CredentialSet:
                    key = Credential!.Password;
                    keySource = "-Credential";
                    ApiKeys.Check(SecureKey.Reveal(key), keySource);
                    break;
                case EnvironmentSet:
                    if (ProviderEndpoint.KeyFromEnvironment(info, Environment.GetEnvironmentVariable) is not { } found)
                    {
                        ThrowTerminatingError(ErrorRecords.MissingKey(info));
                        return;
                    }

                    key = SecureKey.FromPlain(found.Key);
                    keySource = found.Source;
                    break;
                default:
                    key = ApiKey!;
                    keySource = "-ApiKey";
                    ApiKeys.Check(SecureKey.Reveal(key), keySource);
                    break;
            }

            baseUri = ProviderEndpoint.ResolveBaseUri(info, BaseUri, Environment.GetEnvironmentVariable);
            apiVersion = ProviderEndpoint.ResolveApiVersion(info, ApiVersion, "-ApiVersion", Environment.GetEnvironmentVariable);
        }
        catch (InvalidSettingException ex)
        {
            var target = ex.Problem switch
            {
                SettingProblem.ApiVersion => ApiVersion,
                SettingProblem.BaseUri or SettingProblem.InsecureBaseUri when BaseUri is not null => ProviderEndpoint.Shown(BaseUri.OriginalString),
                _ => null,
            };
            ThrowTerminatingError(ErrorRecords.Setting(ex, target, Secrets));
            return;
        }

        var account = ProviderAccount.Connected(provider, name, baseUri, keySource, key, apiVersion);
        if (Validate && !Check(account))
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

    /// <summary>Lists one job; an error is written and the account is not kept when that fails.</summary>
    private bool Check(ProviderAccount account)
    {
        try
        {
            foreach (var _ in new JobLister().List(account.ToEndpoint(Environment.GetEnvironmentVariable), new JobQuery { Limit = 1 }, ListingOptions.Default, Log, new ListingResult(), Cancellation.Token))
            {
                break;
            }

            return true;
        }
        catch (ProviderRequestException ex)
        {
            WriteError(ProviderError(ex, account.Name));
            return false;
        }
        finally
        {
            Drain();
        }
    }
}
