using JobsModule.Accounts;

namespace JobsModule.Watching;

/// <summary>What one pass found for one account, made on a worker thread and written on the caller's.</summary>
internal sealed class AccountPass
{
    public AccountPass(ProviderEndpoint endpoint, string key)
    {
        Endpoint = endpoint;
        Key = key;
    }

    public ProviderEndpoint Endpoint { get; }

    /// <summary>The account's name in the state (<see cref="WatchState.KeyOf"/>).</summary>
    public string Key { get; }

    /// <summary>The account's state as it was before the pass; for a first pass, the baseline it starts from.</summary>
    public AccountWatch? Start { get; set; }

    /// <summary>True for a first pass that took a silent baseline (nothing to write).</summary>
    public bool IsBaseline { get; set; }

    public List<JobChange> Changes { get; } = new();

    /// <summary>Unfinished jobs a read by id no longer found.</summary>
    public List<string> Gone { get; } = new();

    public List<string> Warnings { get; } = new();
}
