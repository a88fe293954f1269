namespace JobsModule.Commands;

/// <summary>Disconnect-ProviderAccount: forgets connected accounts in this runspace.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "ProviderAccount", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class DisconnectProviderAccountCommand : PSCmdlet
{
    /// <summary>The accounts to disconnect, by name; wildcards allowed, as in Get-ProviderAccount -Name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateWildcardPattern]
    [SupportsWildcards]
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
        var connected = store.Connected
            .Where(account => Provider is null || string.Equals(account.Provider, Provider, StringComparison.OrdinalIgnoreCase))
            .ToList();

        // Every name first, so an account two patterns match is disconnected once and neither pattern reports it missing.
        var chosen = new List<ProviderAccount>();
        foreach (var name in Name)
        {
            var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
            var matches = connected.Where(account => pattern.IsMatch(account.Name)).ToList();

            // As Get-ProviderAccount -Name does: a plain name that matches nothing is an error, a pattern that matches nothing is not.
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                WriteError(ErrorRecords.AccountNotConnected(name, Provider));
            }

            chosen.AddRange(matches.Where(account => !chosen.Contains(account)));
        }

        foreach (var account in chosen)
        {
            if (ShouldProcess(DisplayText.Inert(account.ToString()), "Disconnect"))
            {
                store.Remove(account.Provider, account.Name);
            }
        }
    }
}
