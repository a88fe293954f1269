namespace JobsModule.Transport;

/// <summary>What an error body said: the provider's message, request id and code, where it gives them.</summary>
internal readonly struct ProviderErrorBody
{
    public ProviderErrorBody(string? message, string? requestId, string? code = null)
    {
        Message = message;
        RequestId = requestId;
        Code = code;
    }

    public string? Message { get; }

    public string? RequestId { get; }

    /// <summary>The provider's machine-readable error code, where it sends one.</summary>
    public string? Code { get; }
}
