namespace JobsModule.Engine;

/// <summary>One line of a call's log.</summary>
/// <param name="Kind">What the line is.</param>
/// <param name="Text">What it says.</param>
/// <param name="Error">The error, for <see cref="LogMessageKind.Error"/>.</param>
/// <param name="Account">The account the error happened with.</param>
internal readonly record struct LogMessage(LogMessageKind Kind, string Text, ProviderRequestException? Error = null, string? Account = null);
