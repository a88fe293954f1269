namespace JobsModule.Outputs;

/// <summary>
/// One output (or one job's outputs) not saved, in the module's words: the message names the provider,
/// the job and the file. The other outputs go on.
/// </summary>
internal sealed record OutputProblem(OutputProblemKind Kind, string Provider, string JobId, string Message)
{
    /// <summary>The account the job was reached through.</summary>
    public string? Account { get; init; }

    /// <summary>The file concerned, as a full path under the folder saved to; null for a problem of the whole job.</summary>
    public string? Path { get; init; }

    /// <summary>The failed request, where one failed (its status, Retry-After and URL for scripts).</summary>
    public ProviderRequestException? Failure { get; init; }
}
