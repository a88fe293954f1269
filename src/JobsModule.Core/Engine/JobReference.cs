namespace JobsModule.Engine;

/// <summary>
/// A job a cmdlet names to wait for, stop or remove: its provider and id, the account to reach it
/// through (wildcards allowed; null: each account of the provider in turn), and the job itself when it
/// was piped in (a finished one needs no request, and its listing learns of a stop).
/// </summary>
internal sealed record JobReference(string Provider, string Id, string? Account, ProviderJob? Job);
