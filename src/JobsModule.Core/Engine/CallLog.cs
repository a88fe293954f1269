using System.Collections.Concurrent;
using JobsModule.Accounts;

namespace JobsModule.Engine;

/// <summary>
/// Messages from requests that may run on any thread, held until the caller's own thread
/// drains them (PowerShell allows Write* only on the pipeline thread). Never holds a key.
/// </summary>
internal sealed class CallLog
{
    private readonly ConcurrentQueue<LogMessage> _messages = new();
    private readonly ConcurrentDictionary<string, bool> _warnedOnce = new(StringComparer.OrdinalIgnoreCase);

    public CallLog(Redactor? redactor = null)
    {
        Redactor = redactor ?? Redactor.None;
    }

    /// <summary>The keys of this call (every key the module knows), taken out of any server text before it is logged or thrown.</summary>
    public Redactor Redactor { get; }

    public bool IsEmpty => _messages.IsEmpty;

    public void Verbose(string text) => _messages.Enqueue(new LogMessage(LogMessageKind.Verbose, text));

    public void Debug(string text) => _messages.Enqueue(new LogMessage(LogMessageKind.Debug, text));

    public void Warning(string text) => _messages.Enqueue(new LogMessage(LogMessageKind.Warning, text));

    /// <summary>A warning given once per <paramref name="topic"/> for the life of this log (one call of a cmdlet).</summary>
    public void WarningOnce(string topic, Func<string> text)
    {
        if (_warnedOnce.TryAdd(topic, true))
        {
            Warning(text());
        }
    }

    public void Error(ProviderRequestException error, string? account) =>
        _messages.Enqueue(new LogMessage(LogMessageKind.Error, error.Message, error, account));

    public bool TryTake(out LogMessage message) => _messages.TryDequeue(out message);
}
