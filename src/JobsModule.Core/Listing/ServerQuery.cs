namespace JobsModule.Listing;

/// <summary>The filters the engine decided to send to the server, already in the provider's terms.</summary>
internal sealed record ServerQuery
{
    public string? Status { get; init; }

    public IReadOnlyList<string> Kinds { get; init; } = Array.Empty<string>();

    public string? WorkflowId { get; init; }

    public string? InputUri { get; init; }

    public DateTime? CreatedBefore { get; init; }
}
