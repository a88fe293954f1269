namespace JobsModule.Operations;

internal sealed class StopRefusal
{
    public StopRefusal(StopRefusalKind kind, string message)
    {
        Kind = kind;
        Message = message;
    }

    public StopRefusalKind Kind { get; }

    public string Message { get; }
}
