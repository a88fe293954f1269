namespace JobsModule.Engine;

internal readonly struct LogMessage
{
    public LogMessage(LogMessageKind kind, string text, ProviderRequestException? error = null, string? account = null)
    {
        Kind = kind;
        Text = text;
        Error = error;
        Account = account;
    }

    public LogMessageKind Kind { get; }

    public string Text { get; }

    /// <summary>The error, for <see cref="LogMessageKind.Error"/>.</summary>
    public ProviderRequestException? Error { get; }

    /// <summary>The account the error happened with.</summary>
    public string? Account { get; }
}
