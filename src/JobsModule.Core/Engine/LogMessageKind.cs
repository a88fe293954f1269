namespace JobsModule.Engine;

internal enum LogMessageKind
{
    Verbose,
    Debug,
    Warning,

    /// <summary>A problem that loses one job or one request but not the listing: written as a non-terminating error.</summary>
    Error,
}
