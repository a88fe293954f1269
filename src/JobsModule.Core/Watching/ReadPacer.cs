using System.Diagnostics;

namespace JobsModule.Watching;

/// <summary>
/// Spaces the reads by id of one provider's jobs under its documented requests per minute, across every
/// account of the provider and the threads reading them. A provider without a documented rate is not held
/// up here (the transport still waits when an answer says the budget is spent).
/// </summary>
internal sealed class ReadPacer
{
    private readonly object _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TimeSpan _spacing;
    private TimeSpan _nextFree;

    public ReadPacer(int? requestsPerMinute)
    {
        _spacing = requestsPerMinute is > 0 ? TimeSpan.FromMinutes(1.0 / requestsPerMinute.Value) : TimeSpan.Zero;
    }

    /// <summary>Waits for this read's turn (throws once <paramref name="token"/> is cancelled).</summary>
    public Task TurnAsync(CancellationToken token)
    {
        TimeSpan wait;
        lock (_gate)
        {
            var now = _clock.Elapsed;
            var at = _nextFree > now ? _nextFree : now;
            _nextFree = at + _spacing;
            wait = at - now;
        }

        return wait > TimeSpan.Zero ? Task.Delay(wait, token) : Task.CompletedTask;
    }
}
