using System;
using System.Linq;
using System.Management.Automation;

namespace JobsModule.Commands;

/// <summary>Get-ProviderAccount: the accounts the module will use, connected or from the environment. Never the key.</summary>
[Cmdlet(VerbsCommon.Get, "ProviderAccount")]
[OutputType(typeof(ProviderAccount))]
public sealed class GetProviderAccountCommand : PSCmdlet
{
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    [ValidateProviderName]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    public string[]? Provider { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(AccountNameCompleter))]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        var names = Name?.Select(name => new WildcardPattern(name, WildcardOptions.IgnoreCase)).ToList();
        try
        {
            foreach (var account in AccountStore.Current.Available(Environment.GetEnvironmentVariable))
            {
                var providerMatches = Provider is null || Provider.Any(provider => string.Equals(provider, account.Provider, StringComparison.OrdinalIgnoreCase));
                if (providerMatches && (names is null || names.Any(pattern => pattern.IsMatch(account.Name))))
                {
                    WriteObject(account);
                }
            }
        }
        catch (ArgumentException ex)
        {
            WriteError(ErrorRecords.InvalidArgument("InvalidBaseUri", ex.Message, (ex as BaseUriException)?.Setting));
        }
    }
}
