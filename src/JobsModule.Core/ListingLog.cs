using System.Collections.Concurrent;

namespace JobsModule;

public enum ListingMessageKind
{
    Verbose,
    Debug,
    Warning,
}

public readonly struct ListingMessage
{
    public ListingMessage(ListingMessageKind kind, string text)
    {
        Kind = kind;
        Text = text;
    }

    public ListingMessageKind Kind { get; }

    public string Text { get; }
}

/// <summary>
/// Messages from requests that may run on any thread, held until the caller's own thread
/// drains them (PowerShell allows Write* only on the pipeline thread). Never holds a key.
/// </summary>
public sealed class ListingLog
{
    private readonly ConcurrentQueue<ListingMessage> _messages = new();

    public bool IsEmpty => _messages.IsEmpty;

    public void Verbose(string text) => _messages.Enqueue(new ListingMessage(ListingMessageKind.Verbose, text));

    public void Debug(string text) => _messages.Enqueue(new ListingMessage(ListingMessageKind.Debug, text));

    public void Warning(string text) => _messages.Enqueue(new ListingMessage(ListingMessageKind.Warning, text));

    public bool TryTake(out ListingMessage message) => _messages.TryDequeue(out message);
}
