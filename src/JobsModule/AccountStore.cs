using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace JobsModule;

/// <summary>
/// The accounts connected in one runspace. Each runspace has its own store, so a thread job or a
/// hosted runspace never sees or breaks another's accounts. ForEach-Object -Parallel reuses its
/// runspaces from one script block to the next: each script block (a task) starts with none.
/// Keys live here as SecureString, in memory only.
/// </summary>
internal sealed class AccountStore
{
    // ForEach-Object -Parallel names the runspace of each task "PSTask:<task number>" when it hands it out.
    private const string ParallelTaskPrefix = "PSTask:";
    private static readonly ConditionalWeakTable<Runspace, AccountStore> Stores = new();
    private static readonly AccountStore NoRunspace = new(string.Empty);
    private readonly List<ProviderAccount> _accounts = new();
    private readonly object _gate = new();
    private readonly string _runspaceName;

    private AccountStore(string runspaceName)
    {
        _runspaceName = runspaceName;
    }

    /// <summary>The store of the runspace running the current command (of the current task, in ForEach-Object -Parallel).</summary>
    public static AccountStore Current
    {
        get
        {
            if (Runspace.DefaultRunspace is not { } runspace)
            {
                return NoRunspace;
            }

            var store = Stores.GetValue(runspace, created => new AccountStore(created.Name));
            if (store._runspaceName != runspace.Name && runspace.Name.StartsWith(ParallelTaskPrefix, StringComparison.Ordinal))
            {
                // A pooled runspace handed to the next task: what the last task connected is not this one's.
                Stores.Remove(runspace);
                store = Stores.GetValue(runspace, created => new AccountStore(created.Name));
            }

            return store;
        }
    }

    public IReadOnlyList<ProviderAccount> Connected
    {
        get
        {
            lock (_gate)
            {
                return _accounts.ToList();
            }
        }
    }

    /// <summary>Adds the account, replacing one of the same provider and name.</summary>
    public void Save(ProviderAccount account)
    {
        lock (_gate)
        {
            _accounts.RemoveAll(existing => SameAccount(existing, account.Provider, account.Name));
            _accounts.Add(account);
        }
    }

    public bool Remove(string provider, string name)
    {
        lock (_gate)
        {
            return _accounts.RemoveAll(existing => SameAccount(existing, provider, name)) > 0;
        }
    }


    private static bool SameAccount(ProviderAccount account, string provider, string name) =>
        string.Equals(account.Provider, provider, StringComparison.OrdinalIgnoreCase)
        && string.Equals(account.Name, name, StringComparison.OrdinalIgnoreCase);
}
