namespace JobsModule.Tests.Support;

/// <summary>
/// A response body that sends <see cref="Data"/> and then, after <c>breakAfter</c> bytes, fails as a
/// dropped connection does, or stalls until the read is cancelled. Not seekable, so a response made of
/// it has no Content-Length unless one is set.
/// </summary>
internal sealed class ScriptedBody : Stream
{
    private readonly byte[] _data;
    private readonly int _breakAfter;
    private readonly bool _stall;
    private readonly TimeSpan _delayPerRead;
    private readonly int _readSize;
    private int _position;

    /// <summary>A body of <paramref name="data"/>; each read waits <paramref name="delayPerRead"/> and gives at most <paramref name="readSize"/> bytes.</summary>
    public ScriptedBody(byte[] data, int breakAfter = int.MaxValue, bool stall = false, TimeSpan delayPerRead = default, int readSize = int.MaxValue)
    {
        _data = data;
        _breakAfter = breakAfter;
        _stall = stall;
        _delayPerRead = delayPerRead;
        _readSize = readSize;
    }

    public byte[] Data => _data;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (_position >= _breakAfter)
        {
            if (_stall)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            throw new IOException("The response ended prematurely.");
        }

        if (_delayPerRead > TimeSpan.Zero)
        {
            await Task.Delay(_delayPerRead, cancellationToken);
        }

        var take = Math.Min(Math.Min(count, _readSize), Math.Min(_data.Length, _breakAfter) - _position);
        Array.Copy(_data, _position, buffer, offset, take);
        _position += take;
        return take;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
