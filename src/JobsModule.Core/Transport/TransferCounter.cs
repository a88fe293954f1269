namespace JobsModule.Transport;

/// <summary>Bytes received and bytes announced (Content-Length) across the downloads of one call, for its progress bar; safe on any thread.</summary>
internal sealed class TransferCounter
{
    private long _received;
    private long _expected;

    public long Received => Interlocked.Read(ref _received);

    /// <summary>The sizes the answers announced so far (a download without Content-Length adds nothing).</summary>
    public long Expected => Interlocked.Read(ref _expected);

    public void Receive(long bytes) => Interlocked.Add(ref _received, bytes);

    public void Expect(long bytes) => Interlocked.Add(ref _expected, bytes);
}
