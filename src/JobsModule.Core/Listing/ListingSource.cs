using System.Collections.Concurrent;
using JobsModule.Accounts;
using JobsModule.Engine;

namespace JobsModule.Listing;

/// <summary>One account's part of a listing.</summary>
internal sealed class ListingSource
{
    private readonly object _gate = new();
    private long _handedOn;
    private long _dealtWith;
    private volatile bool _awaited;

    internal ListingSource(ProviderEndpoint endpoint, int capacity)
    {
        Endpoint = endpoint;
        Buffer = new BlockingCollection<ProviderJob>(capacity);
    }

    public ProviderEndpoint Endpoint { get; }

    public ListingCounts Result { get; } = new();

    public string Label => ProviderAccount.Label(Endpoint.Provider.Info.Name, Endpoint.Account);

    internal BlockingCollection<ProviderJob> Buffer { get; }

    internal ProviderRequestException? Failure { get; set; }

    /// <summary>A job of this account is about to go into its buffer.</summary>
    internal void HandingOn() => Interlocked.Increment(ref _handedOn);

    /// <summary>The caller is back for more after a job of this account: whatever it did with the job (a stop) is done.</summary>
    internal void DealtWith()
    {
        Interlocked.Increment(ref _dealtWith);
        if (_awaited)
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Waits, on the account's own thread, until the caller has dealt with every job handed on.</summary>
    internal void AwaitDealtWith(CancellationToken token)
    {
        lock (_gate)
        {
            _awaited = true;
            try
            {
                while (Interlocked.Read(ref _dealtWith) < Interlocked.Read(ref _handedOn))
                {
                    token.ThrowIfCancellationRequested();
                    Monitor.Wait(_gate, WaitPump.Interval);
                }
            }
            finally
            {
                _awaited = false;
            }
        }
    }
}
