using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using JobsModule.Accounts;

namespace JobsModule.Transport;

/// <summary>
/// The request budget a provider reports with each answer (X-RateLimit-Remaining, when the window ends
/// in X-RateLimit-Reset, and the window's size in X-RateLimit-Limit), shared by every request made with
/// the same key at the same base URL in this process: listing pages, -Detailed's reads and
/// Wait-ProviderJob's polls alike. A request waits for the next window instead of being sent into a 429,
/// so a listing larger than the budget paces itself and finishes as fast as the budget allows. The
/// provider's documented requests a minute (<see cref="ProviderInfo.RequestsPerMinute"/>) is only where
/// the budget starts: the limit its answers report replaces it. Providers that report nothing are never
/// held up. A caller that sends many reads at once on its own schedule (Watch-ProviderJob's reads by id)
/// also takes evenly spaced turns (<see cref="TakeTurn"/>), shared by every account of the provider.
/// </summary>
internal sealed class RateBudget
{
    private static readonly ConcurrentDictionary<string, RateBudget> Budgets = new(StringComparer.Ordinal);

    // The next free turn of each provider at each base URL, across its accounts (see TakeTurn).
    private static readonly ConcurrentDictionary<string, StrongBox<DateTimeOffset>> NextTurns = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private readonly string _providerAtBaseUri;
    private int? _perMinute;
    private int? _remaining;
    private DateTimeOffset? _reset;
    private DateTimeOffset _lastTaken;
    private int _inFlight;

    private RateBudget(string providerAtBaseUri, int? requestsPerMinute)
    {
        _providerAtBaseUri = providerAtBaseUri;
        _perMinute = requestsPerMinute is > 0 ? requestsPerMinute : null;
    }

    /// <summary>The requests a minute the budget spreads a spent window over: the documented figure until an answer reports its limit.</summary>
    public int? RequestsPerMinute
    {
        get
        {
            lock (_gate)
            {
                return _perMinute;
            }
        }
    }

    /// <summary>The budget of this key at this base URL (the key itself is not kept: only a hash of it names the budget).</summary>
    public static RateBudget For(ProviderEndpoint endpoint) =>
        Budgets.GetOrAdd(
            endpoint.Provider.Info.Name + " " + endpoint.BaseUri.AbsoluteUri + " " + Hash(endpoint.ApiKey),
            _ => new RateBudget(endpoint.Provider.Info.Name + " " + endpoint.BaseUri.AbsoluteUri, endpoint.Provider.Info.RequestsPerMinute));

    /// <summary>
    /// Takes the next evenly spaced turn, one per share of a minute at <see cref="RequestsPerMinute"/>, on
    /// the one timeline of the provider at this base URL (so every account's reads share it), and returns
    /// how long until it: zero when it is free now, and always for a budget without a rate. For reads sent
    /// many at once, which would otherwise only be held once an answer says the window is spent.
    /// </summary>
    public TimeSpan TakeTurn(DateTimeOffset now)
    {
        if (RequestsPerMinute is not { } perMinute)
        {
            return TimeSpan.Zero;
        }

        var next = NextTurns.GetOrAdd(_providerAtBaseUri, _ => new StrongBox<DateTimeOffset>(DateTimeOffset.MinValue));
        lock (next)
        {
            var at = next.Value > now ? next.Value : now;
            next.Value = at + TimeSpan.FromMinutes(1.0 / perMinute);
            return at - now;
        }
    }

    /// <summary>
    /// Takes one request from the budget and returns null, or returns how long to wait first when the
    /// last answer said nothing is left (counting the requests sent since) and its window has not ended.
    /// </summary>
    public TimeSpan? TryTake(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (Hold(now) is { } wait)
            {
                return wait;
            }

            _inFlight++;
            _lastTaken = now;
            return null;
        }
    }

    /// <summary>
    /// How long a request would wait now, without taking a place: null when one could go. Wait-ProviderJob
    /// asks this before it polls a job, so that one provider's spent budget holds back only its own jobs.
    /// </summary>
    public TimeSpan? Delay(DateTimeOffset now)
    {
        lock (_gate)
        {
            return Hold(now);
        }
    }

    private TimeSpan? Hold(DateTimeOffset now)
    {
        if (_remaining is { } remaining && remaining - _inFlight <= 0)
        {
            if (_reset is { } reset && reset > now)
            {
                return reset - now;
            }

            // No end given, but a rate (pyannoteAI: 100 a minute, a sliding window, until its answers say
            // otherwise): one request per share of it.
            if (_reset is null && _perMinute is { } perMinute)
            {
                var spacing = TimeSpan.FromMinutes(1.0 / perMinute);
                if (_lastTaken + spacing > now)
                {
                    return _lastTaken + spacing - now;
                }
            }

            // The window has ended: the next answer says what is left.
            _remaining = null;
            _reset = null;
        }

        return null;
    }

    /// <summary>
    /// Reads what a successful answer says of the budget; the request that got it is no longer in flight.
    /// A failed one (a 429) says what to do in its Retry-After, which the retry follows: it does not
    /// set the budget, so one 429 does not hold every later request until the window ends.
    /// </summary>
    public void Report(HttpResponseMessage response, DateTimeOffset now)
    {
        var remaining = response.IsSuccessStatusCode ? ProviderClient.Header(response, "X-RateLimit-Remaining") : null;
        var limit = response.IsSuccessStatusCode ? ProviderClient.Header(response, "X-RateLimit-Limit") : null;
        var reset = ResetTime(ProviderClient.Header(response, "X-RateLimit-Reset"), now);
        lock (_gate)
        {
            _inFlight = Math.Max(0, _inFlight - 1);
            if (int.TryParse(remaining, NumberStyles.Integer, CultureInfo.InvariantCulture, out var left))
            {
                _remaining = Math.Max(0, left);
                _reset = reset;
            }

            // The account's own limit, which may differ from the documented one (pyannoteAI's pages say 100
            // a minute and 300 for job reads): the answers are the truth for this key.
            if (int.TryParse(limit, NumberStyles.Integer, CultureInfo.InvariantCulture, out var perWindow) && perWindow > 0)
            {
                _perMinute = perWindow;
            }
        }
    }

    /// <summary>A request that got no answer (a network failure, a timeout) is no longer in flight either.</summary>
    public void Abandon()
    {
        lock (_gate)
        {
            _inFlight = Math.Max(0, _inFlight - 1);
        }
    }

    /// <summary>X-RateLimit-Reset as a time: epoch seconds (fractions allowed), or seconds from now for a small number.</summary>
    public static DateTimeOffset? ResetTime(string? header, DateTimeOffset now)
    {
        if (header is null || !double.TryParse(header, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value) || value < 0)
        {
            return null;
        }

        // An epoch value is far larger than any sane wait.
        if (value > 1_000_000_000)
        {
            return value < 253_402_300_799 ? DateTimeOffset.FromUnixTimeMilliseconds((long)(value * 1000)) : null;
        }

        return value < 86_400 * 365 ? now.AddSeconds(value) : null;
    }

    private static string Hash(string key)
    {
        using var sha = SHA256.Create();
        return Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(key)));
    }
}
