namespace JobsModule.Outputs;

/// <summary>One file saved whole under its final name: where, of which job, through which account, and how long it is.</summary>
internal sealed record SavedOutput(string Path, string Provider, string JobId, string? Account, long Length);
