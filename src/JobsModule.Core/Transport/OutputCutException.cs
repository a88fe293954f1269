namespace JobsModule.Transport;

/// <summary>
/// A download that ended before the whole file arrived, after every retry: the connection dropped, it
/// stalled, or fewer bytes came than Content-Length (or the provider's size) said. Nothing of it is
/// kept under the file's name.
/// </summary>
internal sealed class OutputCutException : Exception
{
    public OutputCutException(ProviderRequestException failure, long received, long? expected)
        : base(failure.Message, failure)
    {
        Failure = failure;
        Received = received;
        Expected = expected;
    }

    /// <summary>What went wrong, in the module's words, with the provider and the URL.</summary>
    public ProviderRequestException Failure { get; }

    public long Received { get; }

    public long? Expected { get; }
}
