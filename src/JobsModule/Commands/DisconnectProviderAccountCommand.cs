using System;
using System.Linq;
using System.Management.Automation;

namespace JobsModule.Commands;

/// <summary>Disconnect-ProviderAccount: forgets connected accounts in this runspace.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "ProviderAccount", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class DisconnectProviderAccountCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AccountNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Only the accounts of this provider (an account is named per provider).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateProviderName]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    public string? Provider { get; set; }

    protected override void ProcessRecord()
    {
        var store = AccountStore.Current;
        foreach (var name in Name)
        {
            var matches = store.Connected
                .Where(account => string.Equals(account.Name, name, StringComparison.OrdinalIgnoreCase)
                    && (Provider is null || string.Equals(account.Provider, Provider, StringComparison.OrdinalIgnoreCase)))
                .ToList();
            if (matches.Count == 0)
            {
                WriteError(ErrorRecords.AccountNotConnected(name, Provider));
                continue;
            }

            foreach (var account in matches)
            {
                if (ShouldProcess(DisplayText.Inert(account.ToString()), "Disconnect"))
                {
                    store.Remove(account.Provider, account.Name);
                }
            }
        }
    }
}
