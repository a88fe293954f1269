namespace JobsModule;

/// <summary>Thrown by adapters when a 200 body is not the documented shape.</summary>
public sealed class ProviderResponseShapeException : Exception
{
    public ProviderResponseShapeException(string message)
        : base(message)
    {
    }
}
