using System;
using System.Collections.Concurrent;
using JobsModule.Accounts;

namespace JobsModule.Engine;

/// <summary>
/// Messages from requests that may run on any thread, held until the caller's own thread
/// drains them (PowerShell allows Write* only on the pipeline thread). Never holds a key.
/// </summary>
internal sealed class ListingLog
{
    private readonly ConcurrentQueue<ListingMessage> _messages = new();
    private readonly ConcurrentDictionary<string, bool> _warnedOnce = new(StringComparer.OrdinalIgnoreCase);

    public ListingLog(Redactor? redactor = null)
    {
        Redactor = redactor ?? Redactor.None;
    }

    /// <summary>The keys of this call (every key the module knows), taken out of any server text before it is logged or thrown.</summary>
    public Redactor Redactor { get; }

    public bool IsEmpty => _messages.IsEmpty;

    public void Verbose(string text) => _messages.Enqueue(new ListingMessage(ListingMessageKind.Verbose, text));

    public void Debug(string text) => _messages.Enqueue(new ListingMessage(ListingMessageKind.Debug, text));

    public void Warning(string text) => _messages.Enqueue(new ListingMessage(ListingMessageKind.Warning, text));

    /// <summary>A warning given once per <paramref name="topic"/> for the life of this log (one call of a cmdlet).</summary>
    public void WarningOnce(string topic, Func<string> text)
    {
        if (_warnedOnce.TryAdd(topic, true))
        {
            Warning(text());
        }
    }

    public void Error(ProviderRequestException error, string? account) =>
        _messages.Enqueue(new ListingMessage(ListingMessageKind.Error, error.Message, error, account));

    public bool TryTake(out ListingMessage message) => _messages.TryDequeue(out message);
}
