namespace JobsModule.Commands;

/// <summary>Get-ProviderAccount: the accounts the module will use, connected or from the environment. Never the key.</summary>
[Cmdlet(VerbsCommon.Get, "ProviderAccount")]
[OutputType(typeof(ProviderAccount))]
public sealed class GetProviderAccountCommand : ProviderCommandBase
{
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    [ValidateProviderName]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    public string[]? Provider { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateWildcardPattern]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(AccountNameCompleter))]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        var patterns = Name?.Select(name => new WildcardPattern(name, WildcardOptions.IgnoreCase)).ToList();
        var matched = new bool[Name?.Length ?? 0];
        // An environment account whose variable cannot be used is an error that says which and why; the others are listed.
        foreach (var account in Engine.Accounts(Provider))
        {
            var nameMatches = patterns is null;
            for (var i = 0; i < matched.Length; i++)
            {
                if (patterns![i].IsMatch(account.Name))
                {
                    matched[i] = nameMatches = true;
                }
            }

            if (nameMatches)
            {
                WriteObject(account);
            }
        }

        // As Get-Process does: a name without wildcards that matches nothing is an error; a pattern
        // that matches nothing is not.
        for (var i = 0; i < matched.Length; i++)
        {
            if (!matched[i] && !WildcardPattern.ContainsWildcardCharacters(Name![i]))
            {
                WriteError(ErrorRecords.AccountNotFound(Name[i]));
            }
        }
    }
}
